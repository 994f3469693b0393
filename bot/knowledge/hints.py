"""Small checks that turn a typo into a precise hint: « vouliez-vous dire … ? » for ids, and
French phone number formats."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from rapidfuzz import fuzz, process

# Below this similarity (0-100) a guess would mislead more than help.
GUESS_MIN: Final = 70.0
MAX_LISTED: Final = 8

# Separators people type inside a number: spaces (also non-breaking), dots, dashes.
_SEPARATORS: Final = re.compile(r"[\s.\-\u00a0\u202f]")
PHONE_FIX: Final = (
    "écrivez 10 chiffres (01 23 45 67 89), un numéro court (15, 115, 3919, 116 006) "
    "ou +33 suivi de 9 chiffres (+33 1 23 45 67 89)"
)


# Characters typed for one another: « 4.l » (letter l) or « 4,1 » for « 4.1 », « T1.O » for
# « T1.0 ». Compared alike, a short id with one of them still scores as the same id (plain edit
# similarity gives « 4.l » and « 4.1 » only 67, and « 4.2 » as much).
_LOOKALIKE: Final = str.maketrans({"l": "1", "i": "1", "|": "1", "o": "0", ",": ".", " ": ""})


def _alike(text: str) -> str:
    return text.casefold().translate(_LOOKALIKE)


def guess(word: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a mistyped ``word``, when close enough to suggest."""
    options = [c for c in dict.fromkeys(choices) if c != word]
    if not word or not options:
        return None
    # Plain edit similarity: ids are short (« 2.1 », « 3919 »), where WRatio's partial
    # matching would call « 2 » close to « 2.1.1 ».
    best = process.extractOne(
        word, options, scorer=fuzz.ratio, processor=_alike, score_cutoff=GUESS_MIN
    )
    return str(best[0]) if best else None


def did_you_mean(word: str, choices: Iterable[str], listing: str = "identifiants possibles") -> str:
    """« vouliez-vous dire « x » ? » when one choice is close, else a short list of choices."""
    options = list(dict.fromkeys(choices))
    found = guess(word, options)
    if found is not None:
        return f"vouliez-vous dire « {found} » ?"
    shown = ", ".join(options[:MAX_LISTED]) + (" …" if len(options) > MAX_LISTED else "")
    return f"{listing} : {shown}"


def phone_problem(phone: str) -> str | None:
    """Why ``phone`` is not a French number a resident can dial, or ``None`` when it is.

    Accepted: 10 digits starting with 0 (« 01 23 45 67 89 », « 0 800 23 13 13 »), short
    numbers (« 15 », « 115 », « 3919 », « 116 006 »), and +33 followed by 9 digits (an
    optional « (0) » after +33 is tolerated). A text without any digit is a placeholder left
    for staff to fill, reported elsewhere.
    """
    text = phone.strip()
    if not text or not any(c.isdigit() for c in text):
        return None
    compact = _SEPARATORS.sub("", text)
    if compact.startswith("+33"):
        rest = compact[3:].replace("(0)", "")
        if rest.isdigit() and len(rest) == 9 and not rest.startswith("0"):
            return None
        return "après +33, il faut 9 chiffres (sans le 0 du début)"
    if not compact.isdigit():
        return "un numéro ne contient que des chiffres, des espaces ou des points"
    if len(compact) == 10:
        return None if compact.startswith("0") else "un numéro à 10 chiffres commence par 0"
    if len(compact) in (2, 3) and compact.startswith("1"):
        return None  # 15, 17, 18, 112, 114, 115, 119, 196…
    if len(compact) == 4 and compact[0] in "13":
        return None  # 3919, 3114, 3949, 1010…
    if len(compact) == 6 and compact.startswith("116"):
        return None  # European helplines: 116 006, 116 117…
    return f"{len(compact)} chiffres : ni un numéro à 10 chiffres, ni un numéro court connu"
