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
import numpy.typing as npt

from bot.matching.normalize import stem
from bot.matching.stopwords import STOPWORDS


class GroupMax:
    """The largest value of each group, for values given item by item, the items of each group
    side by side (groups in order). One ``maximum.reduceat`` over all the items: cheaper than
    finding the few hundred items a message touches first (``flatnonzero`` of thousands) and
    scattering them (``maximum.at``). Values are similarities, never negative: a group
    without items gets 0."""

    def __init__(self, group: npt.NDArray[np.int64], groups: int) -> None:
        if len(group) and np.any(np.diff(group) < 0):
            raise ValueError("items must be given group by group")
        self._present, self._starts = np.unique(group, return_index=True)
        self._groups = groups

    def __call__(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        best = np.zeros(self._groups)
        if len(self._starts):
            best[self._present] = np.maximum.reduceat(values, self._starts)
        return best


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
        self._best = GroupMax(np.array(group, dtype=np.int64), len(self._names))
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
        common = np.bincount(np.concatenate(held), minlength=len(self._sizes))
        sim = common / (len(found) + self._sizes - common)
        # Every group, 0.0 for those the message shares nothing with.
        return dict(zip(self._names, self._best(sim).tolist(), strict=True))
