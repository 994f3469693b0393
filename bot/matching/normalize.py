"""From a resident's message to the terms the index knows.

Order matters (see ``shared/reference/matching.md``): lowercase → unidecode → split on
apostrophes and punctuation → lexicon → stopwords → stem. Stemming before removing accents would
give "activité" and "activite" different stems.
"""

from __future__ import annotations

import re
import unicodedata
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

# Our own cache sits in front (stem()); PyStemmer's would triple the cost of every new word.
_STEMMER: Final = Stemmer.Stemmer("french", 0)
_WORD: Final = re.compile(r"[a-z0-9]+")
# Words whose parts mean nothing alone: split, "mal-être" loses "être" and lands on back pain.
_COMPOUNDS: Final = {"mal-etre": "maletre", "mal etre": "maletre", "au-pair": "aupair"}
_ELISIONS: Final = frozenset({"qu", "j", "l", "d", "n", "s", "t", "m", "c"})
MAX_CHARS: Final = 4096

# Where a sentence ends: after « . », « ! », « ? », « … », « ; » or a line break, but not after a
# title or an initial (« je suis M. Martin et je cherche du travail »: read apart, « je suis M. »
# looked like the start of a confession and raised the suicide-prevention alarm).
SENTENCE_END: Final = (
    r"(?<=[.!?…;\n])(?<!\b[A-ZÀ-Ý]\.)(?<!\bMme\.)(?<!\bMlle\.)(?<!\bDr\.)(?<!\bMr\.)"
)

# Typo corrections tried per message (its distinct unknown words, in order). The most any of the
# 12,810 messages of the test sets needs is 18; at 16 instead of 24, one of them (an
# out-of-scope question, `unknown` either way) changes, and a 4,096-character wall of made-up
# words costs a third less correcting.
MAX_FIXES: Final = 16
FIX_CACHE_SIZE: Final = 20_000
WORD_CACHE_SIZE: Final = 50_000  # distinct words remembered; emptied when full
# The position of a word the knowledge does not know: one shared object, since a long message
# of invented words would otherwise allocate one per word.
UNKNOWN: Final[frozenset[str]] = frozenset()
_UNFIXED: Final = (UNKNOWN, True)


# unidecode walks a string character by character in Python, and str.translate with a dict is
# not much faster on a 4,096-character message. Unicode decomposition runs in C: "é" becomes
# "e" + a combining accent that one regex removes. unidecode only sees what remains ("œ", "’",
# emoji, other scripts), one character at a time.
_MARKS: Final = re.compile(r"[\u0300-\u036f]+")
_NOT_ASCII: Final = re.compile(r"[^\x00-\x7f]")


def _transliterate(char: re.Match[str]) -> str:
    return str(unidecode(char.group()))


def fold(text: str) -> str:
    """Lowercase ASCII form of a message, compounds joined."""
    text = text.lower()
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
        if not text.isascii():
            text = _NOT_ASCII.sub(_transliterate, text)
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
    return _WORD.findall(fold(text))


_CACHED_LENGTH: Final = 200


# 2,048 recent short texts: residents repeat one another; the knowledge's own texts are split
# once at build time and need no place here (a cache of 16,384 held them, 2.6 MB).
@lru_cache(maxsize=2048)
def _short_words(text: str) -> tuple[str, ...]:
    return tuple(_split(text))


# A plain dict, emptied when full: cheaper to look up than lru_cache, and the garbage
# collector never walks a dict of strings.
_STEMS: dict[str, str] = {}
STEM_CACHE_SIZE: Final = 65_536


def stem(word: str) -> str:
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) >= STEM_CACHE_SIZE:
            _STEMS.clear()
        found = _STEMS[word] = _stem(word)
    return found


def _stem(word: str) -> str:
    # Snowball leaves "emplois" ≠ "emploi": strip the plural first.
    if len(word) > 3 and word[-1] in "sx" and not word.endswith(("ss", "us")):
        word = word[:-1]
    return str(_STEMMER.stemWord(word))


def stem_heads(stems: Iterable[str]) -> frozenset[str]:
    """What :func:`may_stem_to` needs to know of a set of stems: the first three letters of a
    stem of four letters or more, the first two (or one) of a shorter one. A short stem ending
    in « i » may come from a « y » (below): both are kept."""
    heads: set[str] = set()
    for s in stems:
        head = s[:3] if len(s) >= 4 else s[:2]
        heads.add(head)
        if len(s) <= 2 and s.endswith("i"):
            heads.add(s[:-1] + "y")
    return frozenset(heads)


def may_stem_to(word: str, heads: frozenset[str]) -> bool:
    """Whether :func:`stem` of ``word`` may be one of the stems ``heads`` was made of (see
    :func:`stem_heads`), without stemming it: ``False`` is certain. Snowball's French stemmer
    keeps a word's beginning and changes only its end: its steps cut or replace a suffix (by
    at most three letters: « logie » → « log », « ic » → « iqu ») inside regions that start at
    the third letter at the earliest, and its marks on letters are undone at the end, but for
    a final « y », which becomes « i ». So a stem of four letters or more starts with its
    word's first three letters, and a shorter one with its first two or one, « i » standing for
    « y » at the end (tests/test_safety.py checks it on 30,000 real words and 50,000 made of
    every suffix). Stemming a made-up word costs 2 µs; a wall of them, 700 words, 1.4 ms: with
    three letters, nine made-up words in ten are skipped, against half with two."""
    return word[:3] in heads or word[:2] in heads or word[:1] in heads or "" in heads


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
    (re.compile(r"th"), "t"),
    (re.compile(r"qu|ck"), "k"),
    (re.compile(r"c(?=[aou])"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"g(?=[eiy])"), "j"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
    # Silent endings, twice: « urgences » and « urgens », « college » and « colej ».
    (re.compile(r"(er|ez|es|et|e|s|t|x|d)$"), ""),
    (re.compile(r"(er|ez|es|et|e|s|t|x|d)$"), ""),
)


def sound(word: str) -> str:
    """A rough French sound key: "scolere" and "scolaire" both give "skoler"."""
    for pattern, repl in _SOUNDS:
        word = pattern.sub(repl, word)
    return word


# Feminine and plural endings, for comparing two forms of one word.
_ENDINGS: Final = re.compile(r"(?:e|s|x|es|ee|ees)$")


def is_common_word(word: str) -> bool:
    """Whether a (folded) word is common written French or a common name (see
    :mod:`bot.matching.common_words`)."""
    from bot.matching.common_words import common_words

    return word in common_words()


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
    # The typo search (_closest): knowledge words by first letter and length, by all but
    # their first letter, and the candidate lists of a (first letter, length, budget): at most
    # 36 × (longest word + 3) × 2 of them.
    _known_set: frozenset[str] = field(default=frozenset(), init=False)
    _longest: int = field(default=0, init=False)
    _by_initial: dict[tuple[str, int], list[str]] = field(default_factory=dict, init=False)
    _by_tail: dict[str, list[str]] = field(default_factory=dict, init=False)
    _near: dict[tuple[str, int, int], list[str]] = field(default_factory=dict, init=False)
    _fix_cache: OrderedDict[str, str | None] = field(default_factory=OrderedDict, init=False)
    _sounds: dict[str, str] = field(default_factory=dict, init=False)
    _sounds_built: bool = field(default=False, init=False)
    _unglued: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)
    _word_positions: dict[str, tuple[frozenset[str] | None, bool]] = field(
        default_factory=dict, init=False
    )

    def __post_init__(self) -> None:
        for key, meaning in self.lexicon.items():
            parts = tuple(words(key))
            if parts:
                self._phrases[parts] = tuple(w for m in meaning for w in words(m))
                self._max_phrase = max(self._max_phrase, len(parts))
                self._phrase_starts.add(parts[0])
        self._known_list = sorted(w for w in self.known_words if len(w) >= 4)
        self._known_stems = frozenset(stem(w) for w in self.known_words)

    def _index_for_typos(self) -> None:
        """The typo search's buckets, built on the first correction (or by :meth:`prepare`):
        a one-off question that no typo follows never pays for them."""
        self._known_set = frozenset(self._known_list)
        self._longest = max(map(len, self._known_list), default=0)
        for w in self._known_list:  # alphabetical in each bucket
            self._by_initial.setdefault((w[0], len(w)), []).append(w)
            self._by_tail.setdefault(w[1:], []).append(w)

    def _index_sounds(self) -> None:
        """The knowledge words by sound key, built on first use (or by :meth:`prepare`): most
        messages never need it, and it is half the build time."""
        for w in sorted(self._known_list, key=len):
            if len(w) >= 5:
                self._sounds.setdefault(sound(w), w)
        self._sounds_built = True

    @property
    def prepared(self) -> bool:
        """Whether the typo search is built (see :meth:`prepare`)."""
        return bool(self._known_set or not self._known_list) and self._sounds_built

    def prepare(self) -> None:
        """Build now what the first typo would build: for a bot that keeps its knowledge
        loaded, so that no resident's message pays for it (40–70 ms) and the garbage collector
        can freeze it with the rest (see :func:`bot.store.settle_memory`)."""
        if not self._known_set and self._known_list:
            self._index_for_typos()
        if not self._sounds_built:
            self._index_sounds()
        is_common_word("")

    # -- steps -----------------------------------------------------------------------------
    def _unglue(self, word: str) -> tuple[str, ...]:
        """ "jcherche" → j cherche, "lecole" → l ecole, when the rest is a known word."""
        if word in self.known_words or word in self.lexicon:
            return (word,)
        return split_elision(word, self._is_known) or (word,)

    def _is_known(self, word: str) -> bool:
        return word in self.known_words or word in self.lexicon

    def correct(self, word: str) -> str | None:
        """Closest knowledge word within the typo budget, or ``None``. A correct French word
        or a name that the knowledge lacks (« console », « Fatima », « playstation ») is not a
        typo: it stays unknown rather than becoming a knowledge word."""
        if word in self._fix_cache:
            self._fix_cache.move_to_end(word)
            return self._fix_cache[word]
        budget = typo_budget(word)
        if budget and is_common_word(word):
            # A real word or a name is not a typo (« fatima » is not « fatma »), but it may be
            # a form of a knowledge word: feminine or plural endings (« stressee » for
            # « stresse »), which the stemmer does not always fold.
            fixed = self._closest(word, budget)
            if fixed is not None and _ENDINGS.sub("", fixed) != _ENDINGS.sub("", word):
                fixed = None
            budget = 0
        else:
            fixed = self._closest(word, budget) if budget else None
        if fixed is None and budget:
            # Written as it sounds ("scolere", "medcin"): same sound key as a known word.
            if not self._sounds_built:
                self._index_sounds()
            fixed = self._sounds.get(sound(word))
        self._fix_cache[word] = fixed
        if len(self._fix_cache) > FIX_CACHE_SIZE:  # least recently used first
            self._fix_cache.popitem(last=False)
        return fixed

    def _closest(self, word: str, budget: int) -> str | None:
        """The knowledge word a typo most likely comes from, or ``None``: the fewest edits,
        alphabetical order on a tie; then a different first letter costs one edit more, and
        over the budget there is no correction. « marre » is one edit from « barre » and
        from « maire »: « barre » comes first and costs two, so « marre » stays as it is.

        Only the words one edit away with another first letter (found by look-ups) and the
        words of the same first letter and a near length (one search) are looked at. The one
        case this leaves out, a word two edits away with another first letter, could only
        ever refuse a correction."""
        if not self._known_set and self._known_list:
            self._index_for_typos()
        head, tail = word[0], word[1:]
        # One edit with another first letter: replaced, dropped, added, or swapped with the
        # second letter.
        near = [*self._by_tail.get(tail, ()), *self._by_tail.get(word, ())]
        near += [w for w in (tail, word[1:2] + head + word[2:]) if w in self._known_set]
        options: list[tuple[int, str]] = [(1, w) for w in near if w[0] != head]
        # Keys stay few: a word longer than every knowledge word by more than the budget
        # has no candidates and is not remembered.
        key = (head, min(len(word), self._longest + budget + 1), budget)
        candidates = self._near.get(key)
        if candidates is None:
            lengths = range(len(word) - budget, len(word) + budget + 1)
            candidates = self._near[key] = sorted(
                w for n in lengths for w in self._by_initial.get((head, n), ())
            )
        # One search over them all: the first of the closest is the alphabetical one.
        hit = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=budget)
        if hit is not None:
            options.append((int(hit[1]), str(hit[0])))
        if not options:
            return None
        edits, best = min(options)
        if best[0] != head and edits + 1 > budget:
            return None
        return best

    def positions(self, text: str) -> list[frozenset[str]]:
        return self.positions_of(words(text))

    def positions_of(self, tokens: Iterable[str]) -> list[frozenset[str]]:
        """Positions of a message already split into words (see :func:`words`)."""
        # What a word gives depends on the word alone: long messages repeat theirs, and
        # residents repeat each other's. Both caches are bounded and emptied when full.
        unglued = self._unglued
        raw: list[str] = []
        for w in tokens:
            parts = unglued.get(w)
            if parts is None:
                parts = unglued[w] = self._unglue(w)
            raw.extend(parts)
        if len(unglued) > WORD_CACHE_SIZE:
            unglued.clear()
        cached = self._word_positions
        out: list[frozenset[str]] = []
        fixed: set[str] = set()
        i, end = 0, len(raw)
        while i < end:
            w = raw[i]
            if w in self._phrase_starts:
                found = self._phrase_at(raw, i)
                if found is not None:
                    size, alts = found
                    if alts:
                        out.append(alts)
                    i += size
                    continue
            i += 1
            entry = cached.get(w)
            needs_fix = entry[1] if entry is not None else self._needs_fix(w)
            if needs_fix and w not in fixed:
                if len(fixed) >= MAX_FIXES:
                    # Only the first distinct unknown words of a message are corrected: a
                    # 4,096-character wall of them must not cost hundreds of fuzzy searches
                    # while other residents wait, and the same message always reads the same.
                    out.append(UNKNOWN)
                    continue
                fixed.add(w)
            if entry is None:
                entry = cached[w] = self._position_of(w, needs_fix)
            if entry[0] is not None:
                out.append(entry[0])
        if len(cached) > WORD_CACHE_SIZE:
            cached.clear()
        return out

    def _phrase_at(self, raw: list[str], i: int) -> tuple[int, frozenset[str]] | None:
        """The longest lexicon phrase starting at ``raw[i]`` ("secher les cours" before
        "cours"): its length in words and its alternatives, empty for pure filler."""
        for size in range(min(self._max_phrase, len(raw) - i), 0, -1):
            phrase = tuple(raw[i : i + size])
            meaning = self._phrases.get(phrase)
            if meaning is not None:
                alts = {stem(m) for m in meaning if m not in STOPWORDS}
                # A lexicon entry made only of filler ("jsuis" → je suis) drops the word.
                if alts and size == 1:
                    alts.add(stem(phrase[0]))
                return size, frozenset(alts)
        return None

    def spelled(self, tokens: Iterable[str]) -> list[str]:
        """The words as the knowledge spells them, for the topic model, which learned from the
        knowledge's spelling: an unknown word is replaced by the typo correction that scoring
        the message already found (« trvail » → « travail »); no new search is made. (Adding
        the lexicon's meanings too was tried: 3 points less top-1 on the fitting sets.)"""
        fixes = self._fix_cache
        return [fixes.get(w) or w if w in fixes else w for w in tokens]

    def _needs_fix(self, word: str) -> bool:
        """A word the knowledge does not know, which a typo correction may save."""
        if word in STOPWORDS or len(word) < 2 or word.isdigit():
            return False
        return stem(word) not in self._known_stems

    def _position_of(self, word: str, needs_fix: bool) -> tuple[frozenset[str] | None, bool]:
        """The alternatives of a word outside any lexicon phrase (``None`` for filler), and
        whether the word needed a typo correction (``needs_fix``: :meth:`_needs_fix`)."""
        if word in STOPWORDS or len(word) < 2:
            return None, False
        if not needs_fix:
            return frozenset({stem(word)}), False
        fixed = self.correct(word)
        if fixed is None:
            return _UNFIXED
        meaning = self._phrases.get((fixed,))
        return frozenset({stem(fixed), *(stem(m) for m in meaning or ())}), True

    @staticmethod
    def terms_of(split: Iterable[str]) -> list[str]:
        """Plain stems of a knowledge text already split into words (no lexicon, no typo
        fixing).

        Two-letter words count only as a whole entry ("cv", "rh"): inside a phrase they are
        mostly pieces of hyphenated words ("co-construction") that would match anything.
        """
        found = [w for w in split if w not in STOPWORDS]
        if len(found) > 1:
            found = [w for w in found if len(w) >= 3]
        return [stem(w) for w in found]


def surface_words(split_texts: Iterable[Iterable[str]]) -> frozenset[str]:
    """The words of texts already split into words, filler left out."""
    return frozenset(w for t in split_texts for w in t if w not in STOPWORDS)
