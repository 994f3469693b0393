"""Score every objective for a message and decide: answer, suggest, or unknown."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Final, Literal

from bot.knowledge.models import Knowledge, Situation
from bot.matching.index import BIGRAM_BONUS, Index
from bot.matching.normalize import MAX_CHARS, words
from bot.matching.safety import SafetyDetector
from bot.matching.stopwords import STOPWORDS

Decision = Literal["answer", "suggest", "unknown"]

# Thresholds chosen on the two question sets of tests/data (README, "Measured").
ANSWER_MIN: Final = 0.38
ANSWER_MARGIN: Final = 0.06
ANSWER_SURE: Final = 0.62
SUGGEST_MIN: Final = 0.38
CLEAR_LEAD_MIN: Final = 0.28
CLEAR_LEAD_RATIO: Final = 1.4
# Idf mass of the words found in an objective's vocabulary or wording: a word seen only in an
# example question ("heure", "soir") is too weak alone to claim an answer.
MIN_EVIDENCE: Final = 1.2
KNN_WEIGHT: Final = 0.2
MAX_MATCHES: Final = 5


@dataclass(frozen=True)
class Match:
    objective_id: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    question: str
    decision: Decision
    matches: tuple[Match, ...]
    emergencies: tuple[Situation, ...] = ()
    smalltalk: str | None = None  # category of bavardage.yaml, when the message is chit-chat
    evidence: float = 0.0

    @property
    def emergency(self) -> bool:
        return bool(self.emergencies)

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


class Matcher:
    """Telegram-free matcher over one knowledge snapshot. Build a new one to reload."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.index = Index.build(knowledge)
        self.safety = SafetyDetector(knowledge.situations, knowledge.safe_idioms, knowledge.lexicon)
        self._smalltalk: list[tuple[tuple[str, ...], str]] = []
        for category, (_reply, *phrases) in knowledge.smalltalk.items():
            for phrase in phrases:
                self._smalltalk.append((tuple(words(phrase)), category))
        self._smalltalk.sort(key=lambda p: -len(p[0]))

    # -- chit-chat -------------------------------------------------------------------------
    def smalltalk_of(self, text: str) -> str | None:
        """The chit-chat category when the message holds nothing but chit-chat."""
        seq = words(text)
        if not seq:
            return None
        category: str | None = None
        i = 0
        while i < len(seq):
            for phrase, cat in self._smalltalk:
                if tuple(seq[i : i + len(phrase)]) == phrase:
                    category = category or cat
                    i += len(phrase)
                    break
            else:
                if seq[i] not in STOPWORDS:
                    return None
                i += 1
        return category

    # -- scoring ---------------------------------------------------------------------------
    def scores(self, text: str) -> tuple[dict[int, float], float]:
        """Scores in [0, 1] of the objectives the message touches (by index), and the
        evidence: the largest idf mass that one objective's keywords, wording or whole
        vocabulary phrases explain."""
        idx = self.index
        known_alts = [
            frozenset(a for a in alts if a in idx.idf)
            for alts in idx.normalizer.positions(text[:MAX_CHARS])
        ]
        # Long messages repeat their words: each distinct word (and word pair) is scored once
        # and counted as often as it occurs. Same result, a fraction of the work on a wall.
        words_seen = Counter(known_alts)
        unknown = words_seen.pop(frozenset(), 0)
        bag: dict[int, float] = defaultdict(float)
        strong: dict[int, float] = defaultdict(float)
        mass = 0.0
        weight_of: dict[frozenset[str], float] = {}
        for known, count in words_seen.items():
            here = weight_of[known] = max(idx.idf[a] for a in known)
            mass += here * count
            best: dict[int, float] = {}
            for a in known:
                w_idf = idx.idf[a]
                for o, w in idx.postings[a].items():
                    v = w_idf * w
                    if v > best.get(o, 0.0):
                        best[o] = v
            for o, v in best.items():
                bag[o] += v * count
            for o in {o for a in known for o in idx.strong.get(a, ())}:
                strong[o] += here * count
        if mass == 0.0:
            return {}, 0.0
        # Two words side by side that also stand together in the knowledge say more; a whole
        # vocabulary phrase ("heures de conduite") is evidence where one of its words is not.
        pair_strong: dict[int, float] = {}
        for (left, right), count in Counter(pairwise(known_alts)).items():
            pair_best: dict[int, float] = {}
            for a in left:
                for b in right:
                    for o in idx.strong_pairs.get((a, b), ()):
                        pair_strong[o] = max(pair_strong.get(o, 0.0), idx.idf[a] + idx.idf[b])
                    for o, w in idx.bigrams.get((a, b), {}).items():
                        v = idx.bigram_idf[(a, b)] * w * BIGRAM_BONUS
                        if v > pair_best.get(o, 0.0):
                            pair_best[o] = v
            for o, v in pair_best.items():
                bag[o] += v * count
        for o, v in pair_strong.items():
            strong[o] += v
        # A word the knowledge has never seen dilutes the score like a median known word.
        denominator = mass + unknown * idx.unknown_weight
        # Nearest example question: how much of the message one example explains.
        shared: dict[int, float] = defaultdict(float)
        for known, count in words_seen.items():
            weight = weight_of[known] * count
            # A position counts once per example, whichever of its alternatives is there.
            for e in {e for a in known for e in idx.example_postings.get(a, ())}:
                shared[e] += weight
        knn: dict[int, float] = {}
        for e, common in shared.items():
            ex = idx.examples[e]
            sim = common / (denominator + ex.mass - common)
            if sim > knn.get(ex.objective, 0.0):
                knn[ex.objective] = sim
        out = {}
        for o in bag.keys() | knn.keys():
            coverage = min(1.0, bag.get(o, 0.0) / denominator)
            out[o] = (1 - KNN_WEIGHT) * coverage + KNN_WEIGHT * min(1.0, 2 * knn.get(o, 0.0))
        return out, max(strong.values(), default=0.0)

    def match(self, text: str) -> MatchResult:
        text = text[:MAX_CHARS]
        emergencies = tuple(self.safety.detect(text))
        small = self.smalltalk_of(text)
        if small is not None:
            return MatchResult(text, "unknown", (), emergencies, small)
        scores, evidence = self.scores(text)
        # Best first; equal scores keep the contract's order.
        ranked = heapq.nlargest(MAX_MATCHES, scores.items(), key=lambda kv: (kv[1], -kv[0]))
        matches = tuple(
            Match(self.index.objective_ids[o], round(score, 4)) for o, score in ranked if score > 0
        )
        # Weak candidates stay in the result (the JSON output and staff report show them);
        # the decision alone says whether the bot may claim an answer.
        decision = self.decide(matches, evidence)
        return MatchResult(text, decision, matches, emergencies, None, evidence)

    @staticmethod
    def decide(matches: tuple[Match, ...], evidence: float) -> Decision:
        if not matches or evidence < MIN_EVIDENCE:
            return "unknown"
        top = matches[0].score
        second = matches[1].score if len(matches) > 1 else 0.0
        if top >= ANSWER_SURE or (top >= ANSWER_MIN and top - second >= ANSWER_MARGIN):
            return "answer"
        # A long story dilutes every score; one objective far ahead of the others still wins.
        # Alone in the running, a weak score is one stray keyword, not a lead.
        if top >= CLEAR_LEAD_MIN and second > 0 and top >= CLEAR_LEAD_RATIO * second:
            return "answer"
        if top >= SUGGEST_MIN:
            return "suggest"
        return "unknown"
