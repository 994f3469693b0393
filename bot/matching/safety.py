"""Danger comes first: find the emergency situations a message speaks of.

A trigger ("mon mari me frappe") matches when its words appear in that order in the message,
with at most three other words between them, after lowercasing, removing accents, splitting
elisions and stemming. Idioms ("mort de fatigue", "tuer le temps") are blanked out first so
they never raise an alarm. Triggers and idioms live in ``knowledge/securite.yaml``.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.knowledge.models import Situation
from bot.matching.normalize import split_elision, stem, words

MAX_GAP: Final = 3


@dataclass(frozen=True)
class _Pattern:
    stems: tuple[str, ...]
    situation: int


class SafetyDetector:
    def __init__(
        self,
        situations: tuple[Situation, ...],
        idioms: tuple[str, ...],
        lexicon: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.situations = situations
        self._vocab: set[str] = set()
        # Slang counts in danger too: "mon daron me frappe" is "mon pere me frappe".
        self._lexicon = {
            key: tuple(stem(m) for value in meaning for m in words(value))
            for key, meaning in (lexicon or {}).items()
            if " " not in key
        }
        self._patterns: list[_Pattern] = []
        for i, s in enumerate(situations):
            for trigger in s.triggers:
                stems = tuple(self._learn(trigger))
                if stems:
                    self._patterns.append(_Pattern(stems, i))
        # Each trigger is filed under its longest word ("frapp" rather than "me"): a message
        # only tries the triggers whose rarest word it contains.
        self._by_anchor: dict[str, list[_Pattern]] = {}
        for p in self._patterns:
            self._by_anchor.setdefault(max(p.stems, key=len), []).append(p)
        self._idioms = [tuple(self._learn(i)) for i in idioms]
        self._idioms = [i for i in self._idioms if i]

    def _learn(self, text: str) -> list[str]:
        found = words(text)
        self._vocab.update(found)
        return [stem(w) for w in found]

    def _message(self, text: str) -> list[set[str]]:
        """Each word of a message with its alternatives: its stem and its lexicon meanings."""
        out: list[set[str]] = []
        for w in words(text):
            # Glued elisions: "jveux" → j veux, "mfrappe" → m frappe.
            split = None if w in self._vocab else split_elision(w, self._vocab.__contains__)
            if split is not None:
                out.append({split[0]})
                w = split[1]
            out.append({stem(w), *self._lexicon.get(w, ())})
        return out

    @staticmethod
    def _find(
        where: dict[str, list[int]], pattern: tuple[str, ...], gap: int
    ) -> list[int] | None:
        """Positions of ``pattern`` (in order, ``gap`` other words allowed between its words),
        looked up in ``where``: each stem's positions in the message, in increasing order."""
        for start in where.get(pattern[0], ()):
            found, pos = [start], start
            for part in pattern[1:]:
                spots = where.get(part, ())
                i = bisect.bisect_right(spots, pos)
                if i == len(spots) or spots[i] > pos + gap + 1:
                    break
                pos = spots[i]
                found.append(pos)
            else:
                return found
        return None

    @staticmethod
    def _positions(seq: list[set[str]]) -> dict[str, list[int]]:
        where: dict[str, list[int]] = {}
        for i, alternatives in enumerate(seq):
            for token in alternatives:
                where.setdefault(token, []).append(i)
        return where

    def detect(self, text: str) -> list[Situation]:
        seq = self._message(text)
        where = self._positions(seq)
        blanked = False
        for idiom in self._idioms:
            if idiom[0] not in where:
                continue
            while (hit := self._find(where, idiom, gap=0)) is not None:
                for j in hit:
                    seq[j] = set()
                where = self._positions(seq)
                blanked = True
        if blanked:
            where = self._positions(seq)
        hits: set[int] = set()
        for token in where:
            for p in self._by_anchor.get(token, ()):
                if p.situation not in hits and self._find(where, p.stems, gap=MAX_GAP):
                    hits.add(p.situation)
        return [self.situations[i] for i in sorted(hits)]
