"""From a resident's message to the terms the index knows.

Order matters (see ``shared/reference/matching.md``): lowercase → unidecode → split on
apostrophes and punctuation → lexicon → stopwords → stem. Stemming before removing accents would
give "activité" and "activite" different stems.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA
from unidecode import unidecode

from bot.matching.stopwords import STOPWORDS

_STEMMER: Final = Stemmer.Stemmer("french")
_SPLIT: Final = re.compile(r"[^a-z0-9]+")
# Words whose parts mean nothing alone: split, "mal-être" loses "être" and lands on back pain.
_COMPOUNDS: Final = {"mal-etre": "maletre", "mal etre": "maletre", "au-pair": "aupair"}
_ELISIONS: Final = frozenset({"qu", "j", "l", "d", "n", "s", "t", "m", "c"})
MAX_CHARS: Final = 4096
MAX_FIXES: Final = 24  # typo corrections tried per message
FIX_CACHE_SIZE: Final = 20_000


# unidecode walks a string character by character in Python: the letters of French go through
# one C-level translate first, and unidecode only sees what remains (emoji, other scripts).
_LATIN = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ"
_FAST: Final = str.maketrans({c: unidecode(c) for c in _LATIN + "’«»\u00a0"})


def fold(text: str) -> str:
    """Lowercase ASCII form of a message, compounds joined."""
    text = text.lower()
    if not text.isascii():
        text = text.translate(_FAST)
        if not text.isascii():
            text = unidecode(text)
    for compound, joined in _COMPOUNDS.items():
        text = text.replace(compound, joined)
    return text


def words(text: str) -> list[str]:
    text = text[:MAX_CHARS]
    # Knowledge phrases and short questions repeat: cache them. Long messages are not cached,
    # so nobody can fill memory by sending many different 4,096-character walls.
    if len(text) <= _CACHED_LENGTH:
        return list(_short_words(text))
    return _split(text)


def _split(text: str) -> list[str]:
    return [w for w in _SPLIT.split(fold(text)) if w]


_CACHED_LENGTH: Final = 200


@lru_cache(maxsize=16384)
def _short_words(text: str) -> tuple[str, ...]:
    return tuple(_split(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    # Snowball leaves "emplois" ≠ "emploi": strip the plural first.
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us")):
        word = word[:-1]
    return str(_STEMMER.stemWord(word))


def split_elision(word: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
    """A glued elision ("jveux", "lecole", "quil") split in two when the rest is known."""
    prefix = "qu" if word.startswith("qu") else word[:1]
    if prefix not in _ELISIONS:
        return None
    rest = word[len(prefix) :]
    if elision_fits(prefix, rest) and known(rest):
        return prefix, rest
    return None


def elision_fits(prefix: str, rest: str) -> bool:
    """French elides before a vowel or a mute h; spoken "j'" also before consonants
    ("jcherche", "jveux"). So "scolere" is not s' + "colere"."""
    return len(rest) >= 3 and (prefix == "j" or rest[0] in "aeiouyh")


_SOUNDS: Final = (
    (re.compile(r"eau|au"), "o"),
    (re.compile(r"ai|ei"), "e"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"qu|ck"), "k"),
    (re.compile(r"c(?=[aou])"), "k"),
    (re.compile(r"(.)\1+"), r"\1"),
    (re.compile(r"(er|ez|es|et|e|s|t|x|d)$"), ""),
)


def sound(word: str) -> str:
    """A rough French sound key: "scolere" and "scolaire" both give "skoler"."""
    for pattern, repl in _SOUNDS:
        word = pattern.sub(repl, word)
    return word


def typo_budget(word: str) -> int:
    """Meilisearch/Typesense budgets: none under 5 letters, 1 edit up to 8, 2 beyond."""
    if len(word) < 5:
        return 0
    return 1 if len(word) <= 8 else 2


@dataclass
class Normalizer:
    """Turns text into *positions*: each position is a set of alternative stems.

    A lexicon entry adds standard words beside the original ("taf" → taf | travail | emploi):
    the scorer takes the best alternative of a position, never their sum.
    """

    lexicon: Mapping[str, tuple[str, ...]]
    known_words: frozenset[str] = frozenset()  # folded surface words of the knowledge
    _phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, init=False)
    _max_phrase: int = field(default=1, init=False)
    _phrase_starts: set[str] = field(default_factory=set, init=False)
    _known_list: list[str] = field(default_factory=list, init=False)
    _known_stems: frozenset[str] = field(default=frozenset(), init=False)
    _fix_cache: OrderedDict[str, str | None] = field(default_factory=OrderedDict, init=False)
    _sounds: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for key, meaning in self.lexicon.items():
            parts = tuple(words(key))
            if parts:
                self._phrases[parts] = tuple(w for m in meaning for w in words(m))
                self._max_phrase = max(self._max_phrase, len(parts))
                self._phrase_starts.add(parts[0])
        self._known_list = sorted(w for w in self.known_words if len(w) >= 4)
        self._known_stems = frozenset(stem(w) for w in self.known_words)

    # -- steps -----------------------------------------------------------------------------
    def _unglue(self, word: str) -> list[str]:
        """ "jcherche" → j cherche, "lecole" → l ecole, when the rest is a known word."""
        if word in self.known_words or word in self.lexicon:
            return [word]
        split = split_elision(word, self._is_known)
        return list(split) if split else [word]

    def _is_known(self, word: str) -> bool:
        return word in self.known_words or word in self.lexicon

    def correct(self, word: str) -> str | None:
        """Closest knowledge word within the typo budget, or ``None``."""
        if word in self._fix_cache:
            self._fix_cache.move_to_end(word)
            return self._fix_cache[word]
        budget = typo_budget(word)
        fixed: str | None = None
        if budget and self._known_list:
            hit = process.extractOne(
                word, self._known_list, scorer=OSA.distance, score_cutoff=budget
            )
            if hit is not None:
                candidate, distance = hit[0], hit[1]
                # A typo on the first letter costs double.
                if candidate[0] != word[0]:
                    distance += 1
                if distance <= budget:
                    fixed = candidate
        if fixed is None and budget:
            # Written as it sounds ("scolere", "medcin"): same sound key as a known word.
            # Built on first use: most messages never need it, and it is half the build time.
            if not self._sounds:
                for w in sorted(self._known_list, key=len):
                    if len(w) >= 5:
                        self._sounds.setdefault(sound(w), w)
            fixed = self._sounds.get(sound(word))
        self._fix_cache[word] = fixed
        if len(self._fix_cache) > FIX_CACHE_SIZE:  # least recently used first
            self._fix_cache.popitem(last=False)
        return fixed

    def positions(self, text: str) -> list[frozenset[str]]:
        corrections = 0
        raw: list[str] = []
        for w in words(text):
            raw.extend(self._unglue(w))
        out: list[frozenset[str]] = []
        i = 0
        while i < len(raw):
            # Longest lexicon phrase first ("secher les cours" before "cours").
            longest = min(self._max_phrase, len(raw) - i) if raw[i] in self._phrase_starts else 0
            for size in range(longest, 0, -1):
                phrase = tuple(raw[i : i + size])
                meaning = self._phrases.get(phrase)
                if meaning is not None:
                    alts = {stem(w) for w in meaning if w not in STOPWORDS}
                    # A lexicon entry made only of filler ("jsuis" → je suis) drops the word.
                    if alts and size == 1:
                        alts.add(stem(phrase[0]))
                    if alts:
                        out.append(frozenset(alts))
                    i += size
                    break
            else:
                w = raw[i]
                i += 1
                if w in STOPWORDS or len(w) < 2:
                    continue
                s = stem(w)
                if s not in self._known_stems and not w.isdigit() and corrections < MAX_FIXES:
                    # Bounded per message: a 4,096-character wall of unknown words must not
                    # cost hundreds of fuzzy searches while other residents wait.
                    corrections += 1
                    fixed = self.correct(w)
                    if fixed is not None:
                        s = stem(fixed)
                        meaning = self._phrases.get((fixed,))
                        if meaning:
                            out.append(frozenset({s, *(stem(m) for m in meaning)}))
                            continue
                out.append(frozenset({s}))
        return out

    def terms(self, text: str) -> list[str]:
        """Plain stems of a knowledge text (no lexicon, no typo fixing).

        Two-letter words count only as a whole entry ("cv", "rh"): inside a phrase they are
        mostly pieces of hyphenated words ("co-construction") that would match anything.
        """
        found = [w for w in words(text) if w not in STOPWORDS]
        if len(found) > 1:
            found = [w for w in found if len(w) >= 3]
        return [stem(w) for w in found]


def surface_words(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(w for t in texts for w in words(t) if w not in STOPWORDS)
