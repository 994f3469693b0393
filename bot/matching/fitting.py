"""Fit the decision (:mod:`bot.matching.decision`) by cross-validation: a developer tool.

``python -m bot fit-decision FILE…`` reads question files (``q``, ``expect``; ``[]`` for out
of scope), computes each message's features with the shipped knowledge, adds the knowledge's
own example questions and out-of-scope examples (each scored by a matcher built without it,
in five folds), and fits the two
logistic models with scikit-learn (a development dependency: the bot itself only reads the
weights). Thresholds are chosen on out-of-fold probabilities, so the figures it prints are
those of messages the models did not see:

- ``scope_min``: the lowest threshold under which at least ``REJECT_TARGET`` of the
  out-of-scope messages fall;
- ``answer_min``: the one that maximises right answers minus ``WRONG_COST`` × wrong answers
  (a wrong answer shown with confidence costs more than a suggestion to choose from).

Never fit on a blind set: its figures would stop meaning anything.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.evaluation import EvalQuestion, load_questions
from bot.knowledge.models import Knowledge
from bot.matching.decision import FEATURE_NAMES, Features, Model, Rule
from bot.matching.matcher import Matcher

REJECT_TARGET: Final = 0.96
WRONG_COST: Final = 1.0
FOLDS: Final = 5
SEED: Final = 20261201


@dataclass(frozen=True)
class Sample:
    features: Features
    in_scope: bool
    right: bool  # in scope and the first objective is one of the expected ones
    evidence: float

    @property
    def x(self) -> tuple[float, ...]:
        return self.features.vector()


def samples(matcher: Matcher, questions: list[EvalQuestion]) -> list[Sample]:
    out = []
    for q in questions:
        content = matcher.content_of(q.q)
        signals = matcher.signals(content)
        ranked = sorted(signals.fused, key=lambda o: (-signals.fused[o], o))[:5]
        f = matcher.features(signals, ranked)
        first = matcher.index.objective_ids[ranked[0]] if ranked else None
        out.append(Sample(f, bool(q.expect), first in q.expect, signals.evidence))
    return out


def held_out_knowledge_samples(knowledge: Knowledge) -> list[Sample]:
    """The knowledge's own example questions and out-of-scope examples, each seen by a
    matcher built without it (``FOLDS`` builds): short questions as residents type them,
    which the fitting files, rich in long messages, have too few of."""
    rng = random.Random(SEED)
    fold_of: dict[tuple[str, int], int] = {}
    keys = [(o.id, i) for o in knowledge.objectives for i in range(len(o.examples))]
    keys += [("", i) for i in range(len(knowledge.out_of_scope))]
    for n, key in enumerate(rng.sample(keys, len(keys))):
        fold_of[key] = n % FOLDS
    out: list[Sample] = []
    for fold in range(FOLDS):
        kept = dataclasses.replace(
            knowledge,
            objectives=tuple(
                dataclasses.replace(
                    o,
                    examples=tuple(
                        e for i, e in enumerate(o.examples) if fold_of[(o.id, i)] != fold
                    ),
                    example_lines=(),
                )
                for o in knowledge.objectives
            ),
            out_of_scope=tuple(
                e for i, e in enumerate(knowledge.out_of_scope) if fold_of[("", i)] != fold
            ),
        )
        held = [
            EvalQuestion(e, (o.id,))
            for o in knowledge.objectives
            for i, e in enumerate(o.examples)
            if fold_of[(o.id, i)] == fold
        ]
        held += [
            EvalQuestion(e, ())
            for i, e in enumerate(knowledge.out_of_scope)
            if fold_of[("", i)] == fold
        ]
        out += samples(Matcher(kept), held)
    return out


def _fit(xs: list[tuple[float, ...]], ys: list[bool]) -> Model:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    clf.fit(xs, ys)
    return Model(tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0]))


def _out_of_fold(data: list[Sample]) -> list[tuple[float, float]]:
    """(p in scope, p right) of each sample, from models that did not see it."""
    from sklearn.model_selection import StratifiedKFold

    probs: list[tuple[float, float]] = [(0.0, 0.0)] * len(data)
    labels = [s.in_scope * 2 + s.right for s in data]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split([s.x for s in data], labels):
        part = [data[i] for i in train]
        scope = _fit([s.x for s in part], [s.in_scope for s in part])
        inside = [s for s in part if s.in_scope]
        right = _fit([s.x for s in inside], [s.right for s in inside])
        for i in test:
            probs[i] = (scope.probability(data[i].x), right.probability(data[i].x))
    return probs


def _thresholds(data: list[Sample], probs: list[tuple[float, float]]) -> tuple[float, float]:
    outside = sorted(p for s, (p, _r) in zip(data, probs, strict=True) if not s.in_scope)
    scope_min = outside[min(len(outside) - 1, int(REJECT_TARGET * len(outside)))] + 1e-6
    best, answer_min = -1e9, 0.5
    for t in (i / 100 for i in range(5, 96)):
        gain = 0.0
        for s, (p, r) in zip(data, probs, strict=True):
            if p >= scope_min and r >= t:
                gain += 1.0 if s.right else -WRONG_COST
        if gain > best:
            best, answer_min = gain, t
    return scope_min, answer_min


def report(data: list[Sample], rule_of: Sequence[str]) -> str:
    inside = [(s, d) for s, d in zip(data, rule_of, strict=True) if s.in_scope]
    outside = [d for s, d in zip(data, rule_of, strict=True) if not s.in_scope]
    top1 = sum(s.right and d == "answer" for s, d in inside)
    wrong = sum(not s.right and d == "answer" for s, d in inside)
    unknown = sum(d == "unknown" for _s, d in inside)
    rejected = sum(d == "unknown" for d in outside)
    n, m = max(len(inside), 1), max(len(outside), 1)
    return (
        f"dans le sujet {len(inside)} : top-1 {top1 / n:.1%}, réponse fausse {wrong / n:.1%}, "
        f"inconnu {unknown / n:.1%} ; hors sujet {len(outside)} : rejeté {rejected / m:.1%}"
    )


def fit(matcher: Matcher, files: list[Path]) -> tuple[Rule, str]:
    """The fitted rule and a French summary of its cross-validated figures."""
    data = [s for f in files for s in samples(matcher, load_questions(f))]
    data += held_out_knowledge_samples(matcher.knowledge)
    probs = _out_of_fold(data)
    scope_min, answer_min = _thresholds(data, probs)

    scope = _fit([s.x for s in data], [s.in_scope for s in data])
    inside = [s for s in data if s.in_scope]
    right = _fit([s.x for s in inside], [s.right for s in inside])
    fitted = Rule(scope, right, round(scope_min, 4), answer_min)
    cv = [
        fitted.decide_on(p, r, s.features, s.evidence)
        for s, (p, r) in zip(data, probs, strict=True)
    ]

    def weights(model: Model) -> str:
        return ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURE_NAMES, model.weights, strict=True))

    summary = (
        f"{len(data)} messages, validation croisée en {FOLDS} parts : {report(data, cv)}\n"
        f"seuils : dans le sujet ≥ {scope_min:.3f}, réponse ≥ {answer_min:.2f}\n"
        f"poids (dans le sujet) : {weights(scope)}\n"
        f"poids (bonne réponse) : {weights(right)}"
    )
    return fitted, summary
