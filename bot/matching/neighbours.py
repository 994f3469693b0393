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
        # Arrays: a common stem is held by thousands of items, counted in one numpy pass.
        self._sizes = np.array(sizes, dtype=np.float64)
        self._group = np.array(group, dtype=np.int64)
        self._postings = {s: np.array(items, dtype=np.int32) for s, items in postings.items()}

    def nearest(self, tokens: Iterable[str]) -> dict[str, float]:
        found = stems(tokens)
        held = [h for h in map(self._postings.get, found) if h is not None]
        if not held:
            return {}
        shared = np.bincount(np.concatenate(held), minlength=len(self._sizes))
        touched = np.flatnonzero(shared)
        common = shared[touched]
        sim = common / (len(found) + self._sizes[touched] - common)
        best = np.zeros(len(self._names))
        np.maximum.at(best, self._group[touched], sim)
        return {self._names[g]: float(best[g]) for g in np.flatnonzero(best)}
