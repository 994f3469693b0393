"""The search index: which stems point to which objective, and how strongly.

Built from a :class:`Knowledge` in one call (a few tens of milliseconds), so a reload simply
builds a new index and swaps it in.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

import numpy as np
import numpy.typing as npt

from bot.knowledge.models import Knowledge
from bot.matching.clean import CleanedExamples
from bot.matching.int_table import IntTable, hash_keys
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


@dataclass(frozen=True)
class Bigrams:
    """Word pair -> the objectives where the two stand side by side, and for each the pair's
    idf × field weight × BIGRAM_BONUS. In numpy, found by the pair's hash: 20,000 pairs held
    as tuples and floats were 3 MB of the bot's memory, here 1."""

    rows: IntTable  # hash of the pair -> its row
    starts: npt.NDArray[np.int64]  # row r is objectives[starts[r]:starts[r + 1]]
    objectives: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]

    @classmethod
    def of(cls, weights: dict[tuple[str, str, int], float], objectives: int) -> Bigrams:
        """``weights``: (word, next word, objective) -> best field weight, grouped here by
        pair in the order the pairs and their objectives came."""
        row_of: dict[tuple[str, str], int] = {}
        rows = [row_of.setdefault((a, b), len(row_of)) for a, b, _o in weights]
        row_array = np.array(rows, dtype=np.int64)
        counts = np.bincount(row_array, minlength=len(row_of))
        order = np.argsort(row_array, kind="stable")
        entries = list(weights.items())
        return cls(
            IntTable(hash_keys(list(row_of)), np.arange(len(row_of))),
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            np.array([entries[i][0][2] for i in order.tolist()], dtype=np.int64),
            np.array(
                [
                    math.log(1 + objectives / int(counts[rows[i]])) * entries[i][1] * BIGRAM_BONUS
                    for i in order.tolist()
                ],
                dtype=np.float64,
            ),
        )

    def __len__(self) -> int:
        return len(self.rows)

    def rows_of(self, pairs: Sequence[tuple[str, str]]) -> list[int]:
        """The row of each pair, -1 for two words never side by side in the knowledge: all
        of a message's new pairs in one look-up."""
        return self.rows.get(hash_keys(pairs)).tolist() if pairs else []

    def at(self, row: int) -> list[tuple[int, float]]:
        lo, hi = int(self.starts[row]), int(self.starts[row + 1])
        return list(zip(self.objectives[lo:hi].tolist(), self.values[lo:hi].tolist(), strict=True))


@dataclass
class Index:
    objective_ids: list[str]
    # Built as dicts, kept as tuples: tens of thousands of small dicts were a fifth of the
    # bot's memory once the knowledge held 60 examples per objective.
    # stem -> objectives and, for each, the field weight, flat (objective, weight, …)
    postings: dict[str, tuple[float, ...]]
    strong: dict[str, tuple[int, ...]]  # stem -> objectives whose keywords or wording have it
    strong_pairs: dict[tuple[str, str], tuple[int, ...]]  # word pairs of vocabulary phrases
    bigrams: Bigrams
    idf: dict[str, float]
    # The example questions, numbered as in ``example_postings``: each one's objective and the
    # idf mass of its stems, as arrays (the nearest example is looked for over all at once).
    example_objective: npt.NDArray[np.int64]
    example_mass: npt.NDArray[np.float64]
    example_postings: dict[str, tuple[int, ...]]  # stem -> examples that contain it
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
        # Interned: the knowledge's 150,000 words are 5,000 distinct ones.
        split = {text: [sys.intern(w) for w in words(text)] for text in all_texts}
        normalizer = Normalizer(knowledge.lexicon, surface_words(split.values()))

        def terms_of(text: str) -> list[str]:
            found = split.get(text)
            if found is None:
                found = split[text] = [sys.intern(w) for w in words(text)]
            return normalizer.terms_of(found)

        postings: dict[str, dict[int, float]] = defaultdict(dict)
        # (word, next word, objective) -> best field weight: one small tuple per entry (a dict
        # per pair was 6 MB of the bot's peak memory).
        bigrams: dict[tuple[str, str, int], float] = {}
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
                if a != b and bigrams.get((a, b, idx), 0.0) < weight:
                    bigrams[(a, b, idx)] = weight
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
        bigram_bonus = Bigrams.of(bigrams, n)
        example_postings: dict[str, list[int]] = defaultdict(list)
        for number, (_i, ts) in enumerate(example_terms):
            for t in ts:
                example_postings[t].append(number)
        unknown = sorted(idf.values())[len(idf) // 2] if idf else 1.0
        return cls(
            [o.id for o in knowledge.objectives],
            {t: tuple(x for o, w in p.items() for x in (o, w)) for t, p in postings.items()},
            {t: tuple(sorted(v)) for t, v in strong.items()},
            {p: tuple(sorted(v)) for p, v in strong_pairs.items()},
            bigram_bonus,
            idf,
            np.array([i for i, _ts in example_terms], dtype=np.int64),
            np.array([sum(idf[t] for t in ts) for _i, ts in example_terms], dtype=np.float64),
            {t: tuple(v) for t, v in example_postings.items()},
            normalizer,
            unknown,
        )
