"""Remove personal numbers and addresses from what residents write, before anything is logged.

``redact`` replaces phone numbers, e-mail addresses and long runs of digits (IBAN, social
security, CAF or tax numbers, dates of birth…) with French placeholders. Short numbers are kept
on purpose: 17, 115, 119, 3919 or 3114 are helplines that residents quote, and they tell staff
what people look for. French special-service numbers (``08…``, e.g. 0 800 235 236) and the
European ``116 xxx`` helplines are kept too: they can never be a person's own line.
"""

from __future__ import annotations

import re
from typing import Final

from unidecode import unidecode

PHONE: Final = "[téléphone]"
EMAIL: Final = "[e-mail]"
NUMBER: Final = "[numéro]"

MAX_LOG_LENGTH: Final = 500

# Short numbers that are services, never people: kept even when several are written together.
SHORT_SERVICES: Final = frozenset(
    {
        "15",
        "17",
        "18",
        "112",
        "114",
        "115",
        "119",
        "191",
        "196",
        "197",
        "3020",
        "3114",
        "3919",
        "3939",
        "3977",
    }
)
# European harmonised helplines (116 000 missing children, 116 006 victims, 116 111 children,
# 116 117 doctor on duty, 116 123 emotional support).
EU_HELPLINES: Final = frozenset({"116000", "116006", "116111", "116117", "116123"})

# One separator between digits: space, no-break spaces, dot or dash (never a newline).
_SEP: Final = r"[ .\-\u00a0\u202f]"

_PATTERN: Final = re.compile(
    rf"""
    (?P<email>
        [A-Za-z0-9._%+\-]+ @ [A-Za-z0-9\-]+ (?:\.[A-Za-z0-9\-]+)* \.[A-Za-z]{{2,}}
    )
    | (?P<special>
        (?<![\d+]) 0{_SEP}?8 (?:{_SEP}?\d){{8}} (?!{_SEP}?\d)
    )
    | (?P<phone>
        (?<![\d+])
        (?: (?:\+|00) {_SEP}? 33 {_SEP}? (?:\(0\){_SEP}?)? | 0 )
        [1-9] (?:{_SEP}?\d{{2}}){{4}}
        (?!{_SEP}?\d)
    )
    | (?P<intl>
        (?<![\d+]) (?:\+|00) [1-9] (?:{_SEP}?\(?\d\)?){{7,14}} (?!{_SEP}?\d)
    )
    | (?P<digits>
        (?<!\d) \d (?:{_SEP}?\d){{5,}}
    )
    """,
    re.VERBOSE,
)
# Country code, check digits, then the account in groups of four (the last one may be shorter).
_IBAN: Final = re.compile(
    rf"(?<![A-Za-z0-9])[A-Za-z]{{2}}\d{{2}}(?:{_SEP}?[A-Za-z0-9]{{4}}){{2,7}}"
    rf"(?:{_SEP}?[A-Za-z0-9]{{1,3}})?(?![A-Za-z0-9])"
)
_GROUP_SPLIT: Final = re.compile(_SEP)
_SPACES: Final = re.compile(r"\s+")


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    found = match.group(0)
    if kind == "email":
        return EMAIL
    if kind == "special":
        return found
    if kind in ("phone", "intl"):
        return PHONE
    digits = re.sub(r"\D", "", found)
    if digits in EU_HELPLINES:
        return found
    groups = [g for g in _GROUP_SPLIT.split(found) if g]
    if all(g in SHORT_SERVICES for g in groups):
        return found  # "115 119", "17 18": several helplines in a row
    return NUMBER


def _replace_iban(match: re.Match[str]) -> str:
    found = match.group(0)
    # Letters and digits followed by words ("ab12 abcd efgh") are not an account number.
    return NUMBER if sum(ch.isdigit() for ch in found) >= 10 else found


def redact(text: str) -> str:
    """Replace phone numbers, e-mail addresses and runs of 6+ digits with placeholders."""
    return _PATTERN.sub(_replace, _IBAN.sub(_replace_iban, text))


def normalise_for_log(text: str) -> str:
    """Redacted, lower-case, ASCII text with single spaces, at most 500 characters."""
    cleaned = unidecode(redact(text).lower())
    return _SPACES.sub(" ", cleaned).strip()[:MAX_LOG_LENGTH].rstrip()
