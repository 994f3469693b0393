"""Answer, suggest or « je n'ai pas trouvé »: one calibrated decision, every threshold here.

Two small logistic models read a few features of a message's signals (:class:`Features`):

- ``in scope``: is the message about something the contract covers at all? Under
  ``scope_min`` the bot says it did not find (``unknown``), whatever the scores.
- ``right``: is the objective ranked first the right one? From ``answer_min`` the bot answers;
  under it, it offers the 2–3 best candidates (``suggest``).

Two rules stand beside them: a message with no evidence (MIN_EVIDENCE, STRONG_LEARNED) is never
answered, and a message that is word for word an example question of its first objective
(EXACT_EXAMPLE) always is.

Their weights are fitted by cross-validation on messages written like residents' messages
(``python -m bot fit-decision``, see docs/measurements.md) and stored in
``bot/data/decision.json``; the thresholds are chosen on the same cross-validated
probabilities. No knowledge word or example is fitted: staff edits change the signals, not
this rule.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Final, Literal

Decision = Literal["answer", "suggest", "unknown"]

WEIGHTS_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "decision.json"
# A message with no word that the knowledge's vocabulary or the contract's wording holds (no
# keyword, no whole vocabulary phrase) is never answered: « heure » alone is not evidence.
# Lowered from 1.2 (and STRONG_LEARNED from 0.6) once the knowledge held 60 examples per
# objective: « travail » is then shared by several objectives, the old gate refused « je
# cherche du travail », and the fitted scope model refuses out-of-scope messages as well
# without it on every development and fitting set.
MIN_EVIDENCE: Final = 0.8


@dataclass(frozen=True)
class Features:
    """What the decision looks at: probabilities, shares and small logarithms."""

    top: float  # ranking score of the first objective
    lead: float  # its lead over the second
    words: float  # word score of the first objective (its share of the message)
    mass: float  # log(1 + what the message's words say about it, not divided by length)
    evidence: float  # log(1 + idf mass of the keywords and contract words found)
    size: float  # log(1 + number of content words)
    known: float  # share of the content words the knowledge knows (« console » it does not)
    near_lead: float  # stem similarity: nearest example question - nearest out-of-scope one
    learned: float  # topic model probability of the first objective
    learned_out: float  # topic model probability of « hors sujet »

    def vector(self) -> tuple[float, ...]:
        # Not dataclasses.astuple: it deep-copies each field, a twentieth of a question's time.
        return tuple(getattr(self, name) for name in FEATURE_NAMES)


FEATURE_NAMES: Final = tuple(f.name for f in fields(Features))


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float

    def probability(self, x: tuple[float, ...]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Rule:
    scope: Model
    right: Model
    scope_min: float
    answer_min: float

    def decide(self, f: Features, evidence: float) -> Decision:
        x = f.vector()
        return self.decide_on(self.scope.probability(x), self.right.probability(x), f, evidence)

    def decide_on(self, scope: float, right: float, f: Features, evidence: float) -> Decision:
        """The decision from the two probabilities (the fitting tool passes out-of-fold
        ones)."""
        if not has_evidence(f, evidence):
            return "unknown"
        if scope < self.scope_min:
            return "unknown"
        return "answer" if right >= self.answer_min else "suggest"

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": FEATURE_NAMES,
                "scope": {"weights": self.scope.weights, "bias": self.scope.bias},
                "right": {"weights": self.right.weights, "bias": self.right.bias},
                "scope_min": self.scope_min,
                "answer_min": self.answer_min,
            },
            indent=1,
        )


# Stem similarity of a message to an example question of its first objective from which it is
# that example: staff wrote that it is answered there, and the models, fitted on messages the
# knowledge does not hold, never saw such a match.
EXACT_EXAMPLE: Final = 0.999

# The topic model's probability from which a message is evidence even when no keyword of the
# knowledge survived its spelling (« jveu alé o lycé »).
STRONG_LEARNED: Final = 0.4


def has_evidence(f: Features, evidence: float) -> bool:
    return evidence >= MIN_EVIDENCE or f.learned >= STRONG_LEARNED


@cache
def rule(path: Path = WEIGHTS_FILE) -> Rule:
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURE_NAMES:
        raise ValueError(f"{path}: fitted on other features; run python -m bot fit-decision")

    def model(d: dict[str, list[float] | float]) -> Model:
        weights = d["weights"]
        bias = d["bias"]
        assert isinstance(weights, list) and isinstance(bias, float | int)
        return Model(tuple(float(w) for w in weights), float(bias))

    return Rule(model(data["scope"]), model(data["right"]), data["scope_min"], data["answer_min"])
