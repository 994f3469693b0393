"""Danger comes first: find the emergency situations a message speaks of.

A trigger ("mon mari me frappe") matches when its words appear in that order in the message,
with at most two other words between them, after lowercasing, removing accents, splitting
elisions and stemming. Idioms ("mort de fatigue", "tuer le temps") are blanked out first so
they never raise an alarm. Triggers and idioms live in ``knowledge/securite.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.knowledge.models import Situation
from bot.matching.normalize import elision_fits, stem, words

MAX_GAP: Final = 2
_ELISIONS: Final = ("qu", "j", "l", "d", "n", "s", "t", "m", "c")


@dataclass(frozen=True)
class _Pattern:
    stems: tuple[str, ...]
    situation: int


class SafetyDetector:
    def __init__(self, situations: tuple[Situation, ...], idioms: tuple[str, ...]) -> None:
        self.situations = situations
        self._vocab: set[str] = set()
        self._patterns: list[_Pattern] = []
        for i, s in enumerate(situations):
            for trigger in s.triggers:
                stems = tuple(self._stems(trigger, learn=True))
                if stems:
                    self._patterns.append(_Pattern(stems, i))
        self._by_first: dict[str, list[_Pattern]] = {}
        for p in self._patterns:
            self._by_first.setdefault(p.stems[0], []).append(p)
        self._idioms = [tuple(self._stems(i, learn=True)) for i in idioms]
        self._idioms = [i for i in self._idioms if i]

    def _stems(self, text: str, learn: bool = False) -> list[str]:
        out: list[str] = []
        for w in words(text):
            if not learn and w not in self._vocab:
                # Glued elisions: "jveux" → j veux, "mfrappe" → m frappe.
                for prefix in _ELISIONS:
                    rest = w[len(prefix) :]
                    if w.startswith(prefix) and elision_fits(prefix, rest) and rest in self._vocab:
                        out.append(prefix)
                        w = rest
                        break
            if learn:
                self._vocab.add(w)
            out.append(stem(w))
        return out

    @staticmethod
    def _find(seq: list[str], pattern: tuple[str, ...], contiguous: bool) -> list[int] | None:
        """Positions of ``pattern`` in ``seq`` (in order, small gaps allowed), or ``None``."""
        gap = 0 if contiguous else MAX_GAP
        for start, token in enumerate(seq):
            if token != pattern[0]:
                continue
            found, pos = [start], start
            for part in pattern[1:]:
                nxt = next(
                    (j for j in range(pos + 1, min(len(seq), pos + gap + 2)) if seq[j] == part),
                    None,
                )
                if nxt is None:
                    break
                found.append(nxt)
                pos = nxt
            else:
                return found
        return None

    def detect(self, text: str) -> list[Situation]:
        seq = self._stems(text)
        present = set(seq)
        for idiom in self._idioms:
            if idiom[0] not in present:
                continue
            while (hit := self._find(seq, idiom, contiguous=True)) is not None:
                for j in hit:
                    seq[j] = "\0"
        hits: set[int] = set()
        # Only the patterns whose first word is in the message can match.
        for token in set(seq):
            for p in self._by_first.get(token, ()):
                if p.situation not in hits and self._find(seq, p.stems, contiguous=False):
                    hits.add(p.situation)
        return [self.situations[i] for i in sorted(hits)]
