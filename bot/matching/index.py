"""The search index: which stems point to which objective, and how strongly.

Built from a :class:`Knowledge` in one call (a few tens of milliseconds), so a reload simply
builds a new index and swaps it in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.knowledge.models import Knowledge
from bot.matching.clean import CleanedExamples
from bot.matching.normalize import Normalizer, surface_words, words

# How much a word found in each part of an objective's fiche says about it. Resident vocabulary
# is the strongest signal; the contract's administrative wording and the explanation less so.
FIELD_WEIGHTS: Final = {
    "vocabulary": 1.0,
    "examples": 0.5,
    "text": 0.8,
    "explanation": 0.45,
    "context": 0.35,  # theme and orientation titles
}
BIGRAM_BONUS: Final = 1.0
PHRASE_WORD: Final = 0.7


@dataclass
class Index:
    objective_ids: list[str]
    # Built as dicts, kept as tuples: tens of thousands of small dicts were a fifth of the
    # bot's memory once the knowledge held 60 examples per objective.
    postings: dict[str, tuple[tuple[int, float], ...]]  # stem -> (objective, field weight)
    strong: dict[str, frozenset[int]]  # stem -> objectives whose keywords or wording have it
    strong_pairs: dict[tuple[str, str], frozenset[int]]  # word pairs of vocabulary phrases
    # word pair -> objectives and, for each, the pair's idf × field weight × BIGRAM_BONUS, in
    # one flat tuple (objective, value, objective, value…): 20,000 pairs, one object each.
    bigrams: dict[tuple[str, str], tuple[float, ...]]
    idf: dict[str, float]
    # The example questions, numbered as in ``example_postings``: each one's objective and the
    # idf mass of its stems, as arrays (the nearest example is looked for over all at once).
    example_objective: npt.NDArray[np.int64]
    example_mass: npt.NDArray[np.float64]
    example_postings: dict[str, list[int]]  # stem -> examples that contain it
    normalizer: Normalizer
    unknown_weight: float

    @classmethod
    def build(cls, knowledge: Knowledge, cleaned: CleanedExamples | None = None) -> Index:
        """``cleaned``: the knowledge's examples as messages are read, if already cleaned."""
        messages = (cleaned or CleanedExamples.of(knowledge)).by_objective
        all_texts: list[str] = []
        for o in knowledge.objectives:
            # Example messages are read as messages are: without names, phones, addresses
            # and numbers (« Bonjour, je m'appelle Fatima… » must not make « fatima » a word
            # of the knowledge).
            all_texts += [o.text, o.explanation, *o.vocabulary, *messages[o.id]]
        for key, meaning in knowledge.lexicon.items():
            all_texts += [key, *meaning]
        # Theme and orientation titles are indexed too: their words are known, not typos.
        all_texts += [t.title for t in knowledge.themes] + [o.title for o in knowledge.orientations]
        # Each text is split once here: a knowledge ten times larger outgrows the cache of
        # words(), and splitting every text twice was most of its build time.
        split = {text: words(text) for text in all_texts}
        normalizer = Normalizer(knowledge.lexicon, surface_words(split.values()))

        def terms_of(text: str) -> list[str]:
            found = split.get(text)
            if found is None:
                found = split[text] = words(text)
            return normalizer.terms_of(found)

        postings: dict[str, dict[int, float]] = defaultdict(dict)
        bigrams: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
        example_terms: list[tuple[int, frozenset[str]]] = []
        strong: dict[str, set[int]] = defaultdict(set)

        strong_pairs: dict[tuple[str, str], set[int]] = defaultdict(set)

        def add(
            idx: int,
            text: str,
            weight: float,
            is_strong: bool = False,
            terms: list[str] | None = None,
        ) -> list[str]:
            terms = terms_of(text) if terms is None else terms
            if is_strong and len(terms) == 1:
                for t in terms:
                    strong[t].add(idx)
            elif is_strong:
                # A phrase is evidence as a whole: "heures de conduite", not "heure" alone.
                for pair in pairwise(terms):
                    strong_pairs[pair].add(idx)
            for t in terms:
                if postings[t].get(idx, 0.0) < weight:
                    postings[t][idx] = weight
            for a, b in pairwise(terms):
                if a != b and bigrams[(a, b)].get(idx, 0.0) < weight:
                    bigrams[(a, b)][idx] = weight
            return terms

        for idx, o in enumerate(knowledge.objectives):
            context = [knowledge.theme(o.theme_id), knowledge.orientation(o.orientation_id or "")]
            for item in context:
                if item is not None:
                    add(idx, item.title, FIELD_WEIGHTS["context"])
            for t in terms_of(o.text):  # the contract's own words are evidence
                strong[t].add(idx)
            add(idx, o.text, FIELD_WEIGHTS["text"])
            add(idx, o.explanation, FIELD_WEIGHTS["explanation"])
            for phrase in o.vocabulary:
                # A one-word entry is a keyword for this objective; a word inside a longer
                # phrase ("travail" in "forum du travail") says less on its own.
                terms = terms_of(phrase)
                single = len(terms) == 1
                add(
                    idx,
                    phrase,
                    FIELD_WEIGHTS["vocabulary"] * (1.0 if single else PHRASE_WORD),
                    is_strong=True,
                    terms=terms,
                )
            for example in messages[o.id]:
                terms = add(idx, example, FIELD_WEIGHTS["examples"])
                if terms:
                    example_terms.append((idx, frozenset(terms)))

        n = max(len(knowledge.objectives), 1)
        idf = {t: math.log(1 + n / len(p)) for t, p in postings.items()}
        bigram_bonus = {
            b: tuple(
                x for o, w in p.items() for x in (o, math.log(1 + n / len(p)) * w * BIGRAM_BONUS)
            )
            for b, p in bigrams.items()
        }
        example_postings: dict[str, list[int]] = defaultdict(list)
        for number, (_i, ts) in enumerate(example_terms):
            for t in ts:
                example_postings[t].append(number)
        unknown = sorted(idf.values())[len(idf) // 2] if idf else 1.0
        return cls(
            [o.id for o in knowledge.objectives],
            {t: tuple(p.items()) for t, p in postings.items()},
            {t: frozenset(v) for t, v in strong.items()},
            {p: frozenset(v) for p, v in strong_pairs.items()},
            bigram_bonus,
            idf,
            np.array([i for i, _ts in example_terms], dtype=np.int64),
            np.array([sum(idf[t] for t in ts) for _i, ts in example_terms], dtype=np.float64),
            dict(example_postings),
            normalizer,
            unknown,
        )
