"""Nearest example by plain word stems, for the in-scope / out-of-scope decision.

The objective scores only look at words the knowledge knows: « console », « recette » or
« pronote » count for nothing there. Here every stem counts, known or not, and a message is
compared with each example question of the knowledge and each example of ``hors_sujet.yaml``
(Jaccard similarity of their stem sets). A message much closer to an out-of-scope example
than to any example question is probably out of scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from bot.matching.normalize import stem
from bot.matching.stopwords import STOPWORDS


def stems(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in tokens if w not in STOPWORDS and len(w) > 1)


class Neighbours:
    """Jaccard similarity of a message's stems with the nearest item of each group."""

    def __init__(self, groups: dict[str, list[list[str]]]) -> None:
        self._names = list(groups)
        sizes: list[int] = []
        group: list[int] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for number_of_group, items in enumerate(groups.values()):
            for tokens in items:
                found = stems(tokens)
                if not found:
                    continue
                item = len(sizes)
                sizes.append(len(found))
                group.append(number_of_group)
                for s in found:
                    postings[s].append(item)
        # Arrays: a common stem is held by thousands of items, counted in one numpy pass. The
        # items of all stems in one array, each stem's a slice of it (14,000 small arrays
        # were 1.5 MB).
        self._sizes = np.array(sizes, dtype=np.float64)
        self._group = np.array(group, dtype=np.int64)
        self._slot = {s: n for n, s in enumerate(postings)}
        lengths = [len(items) for items in postings.values()]
        self._starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64).tolist()
        self._items = np.fromiter(
            (i for items in postings.values() for i in items), dtype=np.int32, count=sum(lengths)
        )

    def nearest(self, tokens: Iterable[str]) -> dict[str, float]:
        found = stems(tokens)
        starts, items = self._starts, self._items
        held = [
            items[starts[n] : starts[n + 1]]
            for n in (self._slot.get(s) for s in found)
            if n is not None
        ]
        if not held:
            return {}
        shared = np.bincount(np.concatenate(held), minlength=len(self._sizes))
        touched = np.flatnonzero(shared)
        common = shared[touched]
        sim = common / (len(found) + self._sizes[touched] - common)
        best = np.zeros(len(self._names))
        np.maximum.at(best, self._group[touched], sim)
        return {self._names[g]: float(best[g]) for g in np.flatnonzero(best)}
