"""Common written French, to tell a correct word or a name from a typo.

A word the knowledge lacks but that is common French (« console », « recette ») or a common
first name (« Fatima », « Mamadou ») is not corrected into a knowledge word. The list comes
from `wordfreq` (its French frequencies, Zipf ≥ 3: about 30,000 words, folded without accents),
written once into ``bot/data/mots-courants.txt.gz`` (78 KB) by ``python -m bot train --ship``:
loading wordfreq itself in the bot cost 53 MB of memory for this one question.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

import numpy as np

from bot.matching.int_table import hash_keys
from bot.matching.word_lists import read_words, write_words

COMMON_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "mots-courants.txt.gz"
# Zipf frequency (log10 of uses per billion words) from which a word is common written French,
# not a typo: « travai » 1.9, « chomge » 0, « console » 4.1, « fatima » 3.5.
COMMON_ZIPF: Final = 3.0
_UINT64: Final = (1 << 64) - 1


class _Hashes:
    """A set of words kept as their sorted string hashes: 0.24 MB where a frozenset of the
    30,000 strings held 2.6 MB of the bot's memory (its target is 100 MB). A word looked up is
    rarely new (the typo search remembers its answers), so a binary search is quick enough. Two
    words sharing a 64-bit hash is about as likely as a cosmic ray (see
    :func:`~bot.matching.int_table.hash_keys`)."""

    def __init__(self, items: list[str]) -> None:
        self._sorted = np.sort(hash_keys(items))

    def __contains__(self, word: object) -> bool:
        key = hash(word) & _UINT64 or 1  # as hash_keys gives it, without building an array
        at = int(self._sorted.searchsorted(np.uint64(key)))
        return at < len(self._sorted) and int(self._sorted[at]) == key

    def __len__(self) -> int:
        return len(self._sorted)


@cache
def common_words() -> _Hashes:
    return _Hashes(read_words(COMMON_FILE))


def build() -> Path:
    """(Developers) Write the list from wordfreq, most frequent first down to COMMON_ZIPF."""
    from wordfreq import iter_wordlist, zipf_frequency

    from bot.matching.normalize import fold

    found: set[str] = set()
    for word in iter_wordlist("fr"):
        if zipf_frequency(word, "fr") < COMMON_ZIPF:
            break
        folded = fold(word)
        if folded.isalpha():
            found.add(folded)
    return write_words(COMMON_FILE, found)
