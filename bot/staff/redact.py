"""Remove personal numbers and addresses from what residents write, before anything is logged.

``redact`` replaces phone numbers, e-mail addresses and long runs of digits (IBAN, social
security, CAF or tax numbers, dates of birth…) with French placeholders, then street addresses
with a number (« 12 rue Victor Hugo »), the door of a home (« appartement 34 ») and names that a
resident gives as names (« je m'appelle Awa Diallo », « Mme Martin », « mon voisin M. Dupont »).
Short numbers are kept on purpose: 17, 115, 119, 3919 or 3114 are helplines that residents
quote, and they tell staff what people look for. French special-service numbers (``08…``, e.g.
0 800 235 236) and the European ``116 xxx`` helplines are kept too: they can never be a
person's own line.
"""

from __future__ import annotations

import re
from typing import Final

from unidecode import unidecode

PHONE: Final = "[téléphone]"
EMAIL: Final = "[e-mail]"
NUMBER: Final = "[numéro]"
ADDRESS: Final = "[adresse]"
NAME: Final = "[nom]"

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
        # Starts at the start of a run only: tried from every letter of a long word, the
        # search would cost the square of its length.
        (?<![A-Za-z0-9._%+\-]) [A-Za-z0-9._%+\-]+
        @ [A-Za-z0-9\-]+ (?:\.[A-Za-z0-9\-]+)* \.[A-Za-z]{{2,}}
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


# Words that end a street name or a person's name: the sentence goes on after them. An elided
# word (« j'ai », « l'école ») is one when a lower-case letter follows its apostrophe, so that
# « N'Diaye » stays a name.
_STOP: Final = (
    r"(?:(?:et|ou|mais|donc|car|je|tu|il|elle|on|nous|vous|ils|elles|y|qui|que|depuis|pour|"
    r"avec|sans|chez|dans|sur|a|au|aux|de|des|du|la|le|les|en|est|sont|ca|ça|ce|cette|mon|"
    r"ma|mes|son|sa|ses|leur|leurs|pas|ne|se|me|te|maire|ya|yen|cest|jai|va|vont|fait|font|"
    r"ont|avait|etait|était|quand|où|parce|comme|tout|tous|toute|très|tres|plus|encore|"
    r"toujours|jamais|rien|personne|ici|là)(?![^\W_])"
    r"|(?-i:(?:j|l|qu|n|s|m|t|c|d|J|L|Qu|N|S|M|T|C|D)['’][a-zà-ÿ]))"
)
# A word of a name: letters, inner hyphens and apostrophes (« Jean-Pierre », « N'Diaye »).
_NAME_WORD: Final = rf"(?!{_STOP})[^\W\d_](?:[^\W\d_]|[-'’][^\W\d_])*"
_STREET: Final = re.compile(
    rf"""
    (?<![\w])
    \d{{1,4}} (?:\s?(?:bis|ter))? ,?\s+
    (?:rue|avenue|av|bd|boulevard|place|pl|all[ée]e|impasse|chemin|route|square|cours|quai|
       passage|sentier|r[ée]sidence|cit[ée]|lotissement|hameau|parvis|esplanade|promenade|
       villa)\b \.?
    (?: \s+ (?:(?:des|du|de|les|la|le)\b|l['’]|d['’]) )*
    (?: \s* {_NAME_WORD} (?: \s+ (?:(?:des|du|de|les|la|le)\b|l['’]|d['’]) )* ){{0,4}}
    """,
    re.VERBOSE | re.IGNORECASE,
)
# The door of a home: « appartement 34 », « appt 12 », « logement n° 5 », « porte 7 ». A
# building or a floor alone (« la tour 5 », « 4e étage ») is kept: many families share it, and
# it tells staff where a problem is.
_DOOR: Final = re.compile(
    r"(?<![\w])(?:appartement|appart|appt|apt|logement|porte)\.?\s*(?:n\s?[°o]\.?\s*)?"
    r"\d{1,4}[a-z]?(?![\w])",
    re.IGNORECASE,
)
# A name said as a name: after « je m'appelle », « mon nom est »… (first name and surname), or
# after a title (the surname, and a second word only when it starts with a capital letter).
_INTRODUCED: Final = re.compile(
    rf"""
    (?P<intro>
        \b(?:je\s+m['’]?\s*appelle|j['’]?\s*m['’]?\s*appelle|mon\s+nom\s+(?:est|c['’]?\s*est)
        |(?:mon\s+)?nom\s*:)
    )
    (?P<name> \s+ {_NAME_WORD} (?: \s+ {_NAME_WORD} )? )
    """,
    re.VERBOSE | re.IGNORECASE,
)
_TITLED: Final = re.compile(
    rf"""
    (?P<intro> \b(?:madame|monsieur|mademoiselle|mme|mlle|mr|m\.) )
    (?P<name> \s+ {_NAME_WORD} (?: \s+ (?-i:[A-ZÀ-Ý]) {_NAME_WORD} )? )
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _replace_name(match: re.Match[str]) -> str:
    return f"{match.group('intro')} {NAME}"


def redact(text: str) -> str:
    """Replace phone numbers, e-mail addresses, runs of 6+ digits, street addresses with a
    number, the door of a home and names given as names with placeholders."""
    text = _PATTERN.sub(_replace, _IBAN.sub(_replace_iban, text))
    text = _DOOR.sub(ADDRESS, _STREET.sub(ADDRESS, text))
    return _TITLED.sub(_replace_name, _INTRODUCED.sub(_replace_name, text))


def normalise_for_log(text: str) -> str:
    """Redacted, lower-case, ASCII text with single spaces, at most 500 characters."""
    cleaned = unidecode(redact(text).lower())
    return _SPACES.sub(" ", cleaned).strip()[:MAX_LOG_LENGTH].rstrip()
