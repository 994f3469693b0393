"""Nearest example by plain word stems, for the in-scope / out-of-scope decision.

The objective scores only look at words the knowledge knows: « console », « recette » or
« pronote » count for nothing there. Here every stem counts, known or not, and a message is
compared with each example question of the knowledge and each example of ``hors_sujet.yaml``
(Jaccard similarity of their stem sets). A message much closer to an out-of-scope example
than to any example question is probably out of scope.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from bot.matching.normalize import stem
from bot.matching.stopwords import STOPWORDS


def stems(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in tokens if w not in STOPWORDS and len(w) > 1)


class Neighbours:
    """Jaccard similarity of a message's stems with the nearest item of each group."""

    def __init__(self, groups: dict[str, list[list[str]]]) -> None:
        self._sizes: list[int] = []
        self._group: list[str] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for name, items in groups.items():
            for tokens in items:
                found = stems(tokens)
                if not found:
                    continue
                number = len(self._sizes)
                self._sizes.append(len(found))
                self._group.append(name)
                for s in found:
                    self._postings[s].append(number)

    def nearest(self, tokens: Iterable[str]) -> dict[str, float]:
        found = stems(tokens)
        shared: Counter[int] = Counter()
        for s in found:
            shared.update(self._postings.get(s, ()))
        out: dict[str, float] = {}
        for item, common in shared.items():
            sim = common / (len(found) + self._sizes[item] - common)
            group = self._group[item]
            if sim > out.get(group, 0.0):
                out[group] = sim
        return out
