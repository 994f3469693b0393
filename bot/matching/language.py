"""Is a message written in another language than French?

The bot reads French only. « my husband hits me », « mi marido me pega » or « زوجي يضربني »
used to get « je n'ai pas trouvé » in French and no emergency number: the bot cannot tell
whether such a message speaks of danger, so its reply opens with the emergency number in
several languages (``autre_langue`` in ``textes.yaml``).

A message is in another language when most of its letters are not Latin (Arabic, Cyrillic…),
or when at least two of its words, and at least 40 % of them, are among the most frequent
words of English, Spanish, Portuguese, Turkish, Italian or German that are much rarer in
French (« the », « husband », « marido », « quiero », « beni »; not « me », « la » or
« que »). The list comes from `wordfreq`, written once into ``bot/data/autres-langues.txt.gz``
by ``python -m bot train --ship`` (the bot does not load wordfreq). A message foreign as
written is French all the same when what stands outside its quotes (« … », “ … ”, "…") is.
On the 12,497 French messages of the test sets, two are taken for another language (« cb d tem
i vi 1 hamster », « francesservice sa ve dir koi »).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Final

from bot.matching.normalize import words
from bot.matching.word_lists import read_words, write_words

FOREIGN_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "autres-langues.txt.gz"
LANGUAGES: Final = ("en", "es", "pt", "tr", "it", "de")
TOP_WORDS: Final = 1500  # the most frequent words of each language
FRENCH_GAP: Final = 1.5  # Zipf: at least this much more frequent there than in French
MIN_WORDS: Final = 2
MIN_SHARE: Final = 0.4
# Letters French does not use: with one frequent foreign word, enough (« kocam beni dövüyor,
# yardım edin »).
_MARKS: Final = frozenset("ışğãõñß")
_READ: Final = 1200  # characters looked at
_NOT_ASCII: Final = re.compile(r"[^\x00-\x7f]")
# What a message quotes is not how it is written: « vous pouvez me traduire « thank you very
# much » ? » is French, and got « Je ne lis que le français ».
_QUOTED: Final = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")


@cache
def foreign_words() -> frozenset[str]:
    return frozenset(read_words(FOREIGN_FILE))


@cache  # a few hundred distinct characters ever
def _latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def _mostly_not_latin(text: str) -> bool:
    if text.isascii():
        return False
    # An ASCII letter is Latin: only the others are looked up (a French message has a few
    # accented letters; naming each of a 1,200-character one's letters cost 0.4 ms).
    other = sum(not _latin(ch) for ch in _NOT_ASCII.findall(text) if ch.isalpha())
    return other * 2 > sum(map(str.isalpha, text))


def is_foreign(text: str, tokens: Sequence[str]) -> bool:
    """Whether ``text`` (its words: ``tokens``, as :func:`~bot.matching.normalize.words`
    gives them) is written in another language than French."""
    text = text[:_READ]
    if _mostly_not_latin(text):
        return True
    if not _foreign_words(text, [t for t in tokens if len(t) >= 2]):
        return False
    if "«" in text or "“" in text or '"' in text:
        # Foreign as written: French all the same when what stands outside its quotes is
        # (« vous pouvez me traduire « thank you very much » ? »). Quotes never make a message
        # foreign: « ya ki pour le « conseil citoyen » ? » is French, though « ya » and « ki »
        # are half of what stands outside.
        unquoted = _QUOTED.sub(" ", text)
        outside = [t for t in words(unquoted) if len(t) >= 2]
        if len(outside) >= MIN_WORDS:
            return _foreign_words(unquoted, outside)
    return True


def _foreign_words(text: str, found: list[str]) -> bool:
    """Whether enough of the words ``found`` in ``text`` are foreign (see the module's
    docstring)."""
    if not found:
        return False
    known = foreign_words()
    foreign = sum(map(known.__contains__, found))
    if foreign < MIN_WORDS and not (foreign and _MARKS.intersection(text.lower())):
        return False
    return foreign >= MIN_SHARE * len(found)


def build() -> Path:
    """(Developers) Write the list from wordfreq."""
    from wordfreq import iter_wordlist, zipf_frequency

    from bot.matching.normalize import fold

    found: set[str] = set()
    for lang in LANGUAGES:
        for rank, word in enumerate(iter_wordlist(lang)):
            if rank >= TOP_WORDS:
                break
            folded = fold(word)
            if not folded.isalpha() or len(folded) < 2:
                continue
            french = max(zipf_frequency(word, "fr"), zipf_frequency(folded, "fr"))
            if zipf_frequency(word, lang) - french >= FRENCH_GAP:
                found.add(folded)
    return write_words(FOREIGN_FILE, found)
