"""How easy the residents' texts are to read, measured the same way every time.

Three measures, each reported by ``check`` as a warning with file and line:

- **Sentence length.** No sentence over :data:`MAX_WORDS` (22) words; the guides for plain
  French (FALC, « Facile à lire et à comprendre ») aim at 15 words on average, and the
  README gives the shipped average.
- **« vous ».** A text that explains something to a resident speaks to them: it holds « vous »,
  « votre » or « vos ».
- **Kandel–Moles score** of every explanation, at least :data:`MIN_SCORE`.

Why Kandel–Moles: it is Flesch's Reading Ease re-weighted for French by Kandel and Moles
(1958), ``207 − 1.015 × words per sentence − 73.6 × syllables per word``. It needs nothing but
the text (no list of common words, unlike Henry or Mesnager, whose lists date from the 1970s
and were built for school children), it rewards exactly what FALC asks for (short sentences,
short words), and its 0–100 scale reads like Flesch's: 60–70 « standard », 70–80 « assez
facile », 80 and more « facile ». LIX, which counts letters rather than syllables, was
rejected because French words are longer than Swedish or English ones for the same
difficulty. :data:`MIN_SCORE` is 65, in the middle of Flesch's « standard » band: a contract
explanation cannot avoid « logement » or « formation », but it can read like a newspaper for
everybody. Measured on the explanations written before the plain-French review, 65 flags six
of the eight texts an outside reviewer had named the hardest (4.4, 5.1.5, T1.4, 1.2.4, 2.4,
5.1.3) and no other.

Syllables are counted by rule, not with a dictionary: each group of vowels is one syllable
(« oi », « eau », « ien » are one group), a final mute « e », « es » or « ent » after a
consonant adds none, and a number counts one syllable per digit. The count is exact on most
everyday words and a little off on a few (« pays », « hier »); what matters is that every text
is measured the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

MAX_WORDS: Final = 22
TARGET_AVERAGE: Final = 15.0
MIN_SCORE: Final = 65.0

_VOWELS: Final = "aeiouyàâäéèêëîïôöùûüÿœæ"
_VOWEL_GROUP: Final = re.compile(f"[{_VOWELS}]+")
# A sentence ends at . ! ? … (not inside a number such as 3,5 or an abbreviation like « etc. »
# followed by a lowercase word), and at every line break: a bullet is a sentence of its own.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?…])\s+(?=[^a-zà-ÿ])|\n+")
_WORD: Final = re.compile(r"[\w'’-]+")
_YOU: Final = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The sentences of ``text``: bullets and lines count one each; empty pieces dropped."""
    pieces = (p.strip(" \t•-–—*") for p in _SENTENCE_END.split(text.strip()))
    return [p for p in pieces if words(p)]


def words(sentence: str) -> list[str]:
    """Words as a reader sees them: « l'école » is one word, « 3919 » too, « — » none."""
    return [w for w in _WORD.findall(sentence) if any(c.isalnum() for c in w)]


def syllables(word: str) -> int:
    w = word.lower().replace("’", "'").split("'")[-1]
    digits = sum(c.isdigit() for c in w)
    if digits:
        return digits
    groups = _VOWEL_GROUP.findall(w)
    count = len(groups)
    # Mute endings: « école », « écoles », « parlent » say one syllable less than they write.
    if count > 1 and re.search(f"[^{_VOWELS}](e|es|ent)$", w):
        count -= 1
    return max(count, 1)


def kandel_moles(text: str) -> float:
    """Reading ease for French, 0–100 (can go beyond on very short texts)."""
    sents = sentences(text)
    ws = [w for s in sents for w in words(s)]
    if not ws:
        return 100.0
    per_sentence = len(ws) / len(sents)
    per_word = sum(syllables(w) for w in ws) / len(ws)
    return 207 - 1.015 * per_sentence - 73.6 * per_word


def speaks_to_reader(text: str) -> bool:
    return bool(_YOU.search(text))


@dataclass(frozen=True)
class Figures:
    """Readability of a set of texts, for the README and the tests."""

    texts: int
    sentences: int
    average_words: float
    longest: int
    over_limit: int
    lowest_score: float


def figures(texts: Iterable[str]) -> Figures:
    all_texts = list(texts)
    lengths = [len(words(s)) for t in all_texts for s in sentences(t)]
    scores = [kandel_moles(t) for t in all_texts]
    return Figures(
        len(all_texts),
        len(lengths),
        round(sum(lengths) / len(lengths), 1) if lengths else 0.0,
        max(lengths, default=0),
        sum(n > MAX_WORDS for n in lengths),
        round(min(scores, default=100.0), 1),
    )


@dataclass(frozen=True)
class Finding:
    """One readability problem; ``sentence`` lets the check point at its line."""

    message: str
    fix: str
    sentence: str = ""


def review(
    text: str, what: str, *, needs_you: bool = False, needs_score: bool = False
) -> list[Finding]:
    """Every readability problem of one text, worded for the staff member who fixes it."""
    found: list[Finding] = []
    for s in sentences(text):
        n = len(words(s))
        if n > MAX_WORDS:
            start = " ".join(words(s)[:6])
            found.append(
                Finding(
                    f"{what} : phrase de {n} mots (« {start}… »)",
                    f"coupez-la en phrases de {MAX_WORDS} mots au plus (15 en moyenne)",
                    s,
                )
            )
    if needs_you and not speaks_to_reader(text):
        found.append(
            Finding(
                f"{what} : le texte ne s'adresse pas au lecteur",
                "dites « vous » : « Vous pouvez… », « près de chez vous »",
            )
        )
    if needs_score:
        score = kandel_moles(text)
        if score < MIN_SCORE:
            found.append(
                Finding(
                    f"{what} : texte difficile à lire (score Kandel–Moles {score:.0f}, "
                    f"minimum {MIN_SCORE:.0f})",
                    "des phrases plus courtes et des mots plus simples (voir knowledge/README.md)",
                )
            )
    return found


def line_of_sentence(lines: list[str], start: int, sentence: str) -> int:
    """The file line (1-based) where ``sentence`` starts, searching from line ``start``.

    The sentence may run over several lines of a folded YAML text: its first words are
    searched across line breaks, and the line of the first one is returned.
    """
    head = words(sentence)[:4]
    if not head:
        return start
    first = max(start - 1, 0)
    rest = "\n".join(lines[first:])
    found = re.search(r"\W+".join(re.escape(w) for w in head), rest)
    return first + 1 + rest.count("\n", 0, found.start()) if found else start
