"""Danger comes first: find the emergency situations a message speaks of.

A trigger ("mon mari me frappe") matches when its words appear in that order in the message,
with at most three other words between them, after lowercasing, removing accents, splitting
elisions and stemming. Idioms ("mort de fatigue", "tuer le temps") are blanked out first so
they never raise an alarm. Triggers and idioms live in ``knowledge/securite.yaml``.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Final, cast

from bot.knowledge.models import ALONE, Situation
from bot.matching.normalize import (
    WORD_CACHE_SIZE,
    may_stem_to,
    split_elision,
    stem,
    stem_heads,
    words,
)
from bot.matching.stopwords import STOPWORDS

MAX_GAP: Final = 3
# What a word of a message is to the triggers: how many positions it takes, and the stems and
# meanings at each that some trigger or idiom uses (offset, token).
_Entry = tuple[int, tuple[tuple[int, str], ...]]
_ONE_PLAIN: Final[_Entry] = (1, ())


@dataclass(frozen=True)
class _Pattern:
    stems: tuple[str, ...]
    situation: int  # index in the situations; -1 for an idiom
    gaps: tuple[int, ...]  # other words allowed before each stem after the first

    @cached_property
    def needs(self) -> frozenset[str]:
        return frozenset(self.stems)


# SMS French drops the apostrophe of « m'a », « t'a », « l'a »: « il ma frappée ». A trigger
# written with it also matches without it.
_ELIDED_A: Final = {"m": "ma", "t": "ta", "l": "la"}


def _unelided(stems: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The trigger as SMS French writes it, and its gaps: « ma » must stand right before the
    word that followed « m'a » (« ma fille est frappée » is not « m'a frappée »). ``None``
    when the trigger has no « m'a », « t'a » or « l'a »."""
    out: list[str] = []
    gaps: list[int] = []
    tight = False
    for word in stems:
        if word == "a" and out and out[-1] in _ELIDED_A and not tight:
            out[-1] = _ELIDED_A[out[-1]]
            tight = True
            continue
        if out:
            gaps.append(0 if tight else MAX_GAP)
        tight = False
        out.append(word)
    if len(out) == len(stems):
        return None
    return tuple(out), tuple(gaps)


class SafetyDetector:
    def __init__(
        self,
        situations: tuple[Situation, ...],
        idioms: tuple[str, ...],
        lexicon: Mapping[str, tuple[str, ...]] | None = None,
        alone: bool = True,
    ) -> None:
        """``alone``: the triggers of :data:`ALONE` count only in a message that says nothing
        else (``False``: as any other; for other phrases than triggers, see :mod:`helplines`)."""
        self.situations = situations
        self._vocab: set[str] = set()
        self._word_cache: dict[str, tuple[int, tuple[tuple[int, str], ...]]] = {}
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
                    gaps = (MAX_GAP,) * (len(stems) - 1)
                    self._patterns.append(_Pattern(stems, i, gaps))
                    if (sms := _unelided(stems)) is not None:
                        self._patterns.append(_Pattern(sms[0], i, sms[1]))
        # Each trigger is filed under its rarest word among the triggers ("frapp" rather than
        # "me"; the longer word on a tie): a message only tries the triggers filed under one
        # of its words.
        among = Counter(w for p in self._patterns for w in set(p.stems))
        self._by_anchor: dict[str, list[_Pattern]] = {}
        for p in self._patterns:
            anchor = min(p.stems, key=lambda w: (among[w], -len(w)))
            self._by_anchor.setdefault(anchor, []).append(p)
        self._alone = {i for i, s in enumerate(situations) if s.id == ALONE and alone}
        self._alone_stems = frozenset(
            w for p in self._patterns if p.situation in self._alone for w in p.stems
        )
        self._idioms = [
            _Pattern(stems, -1, (0,) * (len(stems) - 1))
            for i in idioms
            if (stems := tuple(self._learn(i)))
        ]
        self._idioms_by_anchor: dict[str, list[int]] = {}
        for number, idiom in enumerate(self._idioms):
            self._idioms_by_anchor.setdefault(idiom.stems[0], []).append(number)
        # Only these stems can take part in a match: a message records where they stand and
        # skips every other word.
        self._useful = frozenset(w for p in self._patterns + self._idioms for w in p.stems)
        self._heads = stem_heads(self._useful)

    def _learn(self, text: str) -> list[str]:
        found = words(text)
        self._vocab.update(found)
        return [stem(w) for w in found]

    def _message(self, tokens: list[str]) -> dict[str, list[int]]:
        """Where each stem that some trigger or idiom uses stands in the message. A word
        gives one position per part ("jveux" → j veux) and each position its alternatives:
        its stem and its lexicon meanings."""
        where: defaultdict[str, list[int]] = defaultdict(list)
        cache = self._word_cache
        got = list(map(cache.get, tokens))
        found = (
            [f or self._remember(w) for w, f in zip(tokens, got, strict=True)]
            if None in got
            else cast(list[_Entry], got)
        )
        # Most words are one position that no trigger uses (one shared object): only the others
        # are walked, each position moved by the extra ones of glued words before it.
        extra = 0
        for i in [i for i, f in enumerate(found) if f is not _ONE_PLAIN]:
            size, useful = found[i]
            for offset, token in useful:
                where[token].append(i + extra + offset)
            extra += size - 1
        if len(cache) > WORD_CACHE_SIZE:
            cache.clear()
        return where

    def _remember(self, w: str) -> _Entry:
        found = self._word_cache[w] = self._word(w)
        return found

    def _word(self, w: str) -> _Entry:
        """How many positions a word takes, and the alternatives at each that matter: its
        stem and its lexicon meanings, when some trigger or idiom uses them."""
        # Glued elisions: "jveux" → j veux, "mfrappe" → m frappe.
        split = None if w in self._vocab else split_elision(w, self._vocab.__contains__)
        if split is None and w not in self._lexicon:
            # Most words: one stem, and no other alternative (a message's 700 new words pay
            # for these lines only; half of them not even for the stem).
            if not may_stem_to(w, self._heads):
                return _ONE_PLAIN
            token = stem(w)
            return (1, ((0, token),)) if token in self._useful else _ONE_PLAIN
        useful: dict[tuple[int, str], None] = {}  # ordered, without repeats
        offset = 0
        if split is not None:
            if split[0] in self._useful:
                useful[(0, split[0])] = None
            offset, w = 1, split[1]
        for token in (stem(w), *self._lexicon.get(w, ())):
            if token in self._useful:
                useful[(offset, token)] = None
        if not useful and offset == 0:  # most words: one shared object, not one per word
            return _ONE_PLAIN
        return offset + 1, tuple(useful)

    @staticmethod
    def _find(where: dict[str, list[int]], pattern: _Pattern) -> list[int] | None:
        """Positions of ``pattern`` (its stems in order, with at most its gaps of other words
        between them), looked up in ``where``: each stem's positions in the message, in
        increasing order."""
        for start in where.get(pattern.stems[0], ()):
            found, pos = [start], start
            for part, gap in zip(pattern.stems[1:], pattern.gaps, strict=True):
                spots = where.get(part, ())
                i = bisect.bisect_right(spots, pos)
                if i == len(spots) or spots[i] > pos + gap + 1:
                    break
                pos = spots[i]
                found.append(pos)
            else:
                return found
        return None

    def detect(self, text: str) -> list[Situation]:
        return self.detect_words(words(text))

    def _alone_words(self, content: Iterable[str]) -> bool:
        """Whether these words (a message's, without its chit-chat) are nothing but the words
        of the :data:`ALONE` situation's triggers and filler."""
        found = False
        for w in content:
            # Before the small words: « aidez-moi » and « à l'aide » are made of them.
            if stem(w) in self._alone_stems or any(
                m in self._alone_stems for m in self._lexicon.get(w, ())
            ):
                found = True
            elif w not in STOPWORDS:
                return False
        return found

    def detect_words(
        self, tokens: Iterable[str], content: Callable[[list[str]], list[str]] | None = None
    ) -> list[Situation]:
        """The situations of a message already split into words (see :func:`words`);
        ``content``: what of its words is not chit-chat (« bonjour », « svp »), for
        :data:`ALONE` (default: all of them)."""
        tokens = list(tokens)
        where = self._message(tokens)
        found = [i for token in where for i in self._idioms_by_anchor.get(token, ())]
        for idiom in (self._idioms[i] for i in sorted(found)):  # in the file's order
            if not where.keys() >= idiom.needs:
                continue
            while (hit := self._find(where, idiom)) is not None:
                # Blank the idiom's words: no alternative of theirs stands there any more.
                blanked = set(hit)
                for token in list(where):
                    spots = [j for j in where[token] if j not in blanked]
                    if spots:
                        where[token] = spots
                    else:
                        del where[token]
        hits: set[int] = set()
        for token in where:
            for p in self._by_anchor.get(token, ()):
                if p.situation not in hits and where.keys() >= p.needs and self._find(where, p):
                    hits.add(p.situation)
        if hits & self._alone and not self._alone_words(content(tokens) if content else tokens):
            hits -= self._alone
        return [self.situations[i] for i in sorted(hits)]
