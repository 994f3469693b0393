"""Remove personal numbers and addresses from what residents write, before anything is logged.

``redact`` replaces phone numbers, e-mail addresses and long runs of digits (IBAN, social
security, CAF or tax numbers, dates of birth…) with French placeholders, then full dates
(« 12/05/1985 », « 3 mars 1990 », « née le 3 mars »), Telegram or Instagram handles
(« @awa_d »), number plates (« AB-123-CD »), street addresses with or without a number
(« 12 rue Victor Hugo », « rue des Lilas »), the door of a home (« appartement 34 ») and names
that a resident gives as names (« je m'appelle Awa Diallo », « je suis Awa Diallo », « Mme
Martin », « mon voisin M. Dupont »).
Short numbers are kept on purpose: 17, 115, 119, 3919 or 3114 are helplines that residents
quote, and they tell staff what people look for. French special-service numbers (``08…``, e.g.
0 800 235 236) and the European ``116 xxx`` helplines are kept too: they can never be a
person's own line.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from unidecode import unidecode

PHONE: Final = "[téléphone]"
EMAIL: Final = "[e-mail]"
NUMBER: Final = "[numéro]"
ADDRESS: Final = "[adresse]"
NAME: Final = "[nom]"
DATE: Final = "[date]"
HANDLE: Final = "[pseudo]"
PLATE: Final = "[plaque]"

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

_EMAIL: Final = r"""
    (?P<email>
        # Starts at the start of a run only: tried from every letter of a long word, the
        # search would cost the square of its length.
        (?<![A-Za-z0-9._%+\-]) [A-Za-z0-9._%+\-]+
        @ [A-Za-z0-9\-]+ (?:\.[A-Za-z0-9\-]+)* \.[A-Za-z]{2,}
    )
"""
_NUMBERS: Final = rf"""
    (?P<special>
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
"""
_PATTERN: Final = re.compile(f"{_EMAIL} | {_NUMBERS}", re.VERBOSE)
# The same without e-mail addresses, for a text without « @ »: the e-mail branch, tried from
# the start of every word, was most of the pattern's cost.
_PATTERN_NO_EMAIL: Final = re.compile(_NUMBERS, re.VERBOSE)
# Country code, check digits, then the account in groups of four (the last one may be shorter).
_IBAN: Final = re.compile(
    rf"(?<![A-Za-z0-9])[A-Za-z]{{2}}\d{{2}}(?:{_SEP}?[A-Za-z0-9]{{4}}){{2,7}}"
    rf"(?:{_SEP}?[A-Za-z0-9]{{1,3}})?(?![A-Za-z0-9])"
)
_GROUP_SPLIT: Final = re.compile(_SEP)
_DIGIT: Final = re.compile(r"\d")
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


# « je suis Awa Diallo », « moi c'est Awa » : « je suis » is followed by a name only when the
# name is written with a capital (« je suis malade », « je suis à la rue » stay); after « moi
# c'est », « je me nomme » or « mon prénom est », as after « je m'appelle », any word is one.
_SELF_NAMED: Final = re.compile(
    rf"""
    (?P<intro> \b(?:je\s+suis|j['’]?\s*suis|c['’]?\s*est) )
    (?P<name> \s+ (?-i:[A-ZÀ-Ý]) {_NAME_WORD} (?: \s+ (?-i:[A-ZÀ-Ý]) {_NAME_WORD} )? )
    |
    (?P<intro2> \b(?:moi\s+c['’]?\s*est|je\s+me\s+nomme|mon\s+pr[ée]nom\s+(?:est|c['’]?\s*est)
        |pr[ée]nom\s*:) )
    (?P<name2> \s+ {_NAME_WORD} (?: \s+ (?-i:[A-ZÀ-Ý]) {_NAME_WORD} )? )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A handle (Telegram, Instagram, Snapchat…): « @awa_d ». E-mail addresses are gone by then.
_HANDLE: Final = re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]{2,32}(?![\w@])")
_MONTHS: Final = (
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre|janv|f[ée]vr?|avr|juil|sept|oct|nov|d[ée]c)\.?"
)
# A date with its year is a date of birth more often than not; an appointment (« le 12/05 »)
# has no year and stays. After « né(e) le », the day and month alone are one too.
_DATE: Final = re.compile(
    rf"""
    (?<![\w/])
    (?: \d{{1,2}} / \d{{1,2}} / (?:\d{{4}}|\d{{2}})
      | \d{{1,2}} (?:er)? \s+ {_MONTHS} \s+ \d{{4}}
      | (?<=n[ée]\s le\s) \d{{1,2}} (?:er)? (?:\s+ {_MONTHS} | / \d{{1,2}})
      | (?<=n[ée]e\s le\s) \d{{1,2}} (?:er)? (?:\s+ {_MONTHS} | / \d{{1,2}})
    )
    (?![\w/])
    """,
    re.VERBOSE | re.IGNORECASE,
)
# French number plates: « AB-123-CD » (since 2009) and « 1234 AB 75 » (before); neither uses
# I, O or U. Written with spaces, a plate must be in capitals (« le 115 de » is not one), and
# a message in capitals keeps its words: « LE 115 DE NUIT », « LE 17 ET 18 ».
_PLATE_LETTERS: Final = "[A-HJ-NP-TV-Z]"
_PLATE: Final = re.compile(
    rf"""
    (?<![\w-])
    (?: (?i:{_PLATE_LETTERS}{{2}}) (?P<sep>-?) \d{{3}} (?P=sep) (?i:{_PLATE_LETTERS}{{2}})
      | (?P<a>{_PLATE_LETTERS}{{2}}) \s \d{{3}} \s (?P<b>{_PLATE_LETTERS}{{2}})
      | \d{{1,4}} [\s-]? (?P<c>{_PLATE_LETTERS}{{2,3}}) [\s-]? (?:\d{{2}}|2A|2B)
    )
    (?![\w-])
    """,
    re.VERBOSE,
)
_CAPITAL_WORDS: Final = frozenset(
    [
        "LE",
        "LA",
        "DE",
        "DU",
        "ET",
        "EN",
        "AU",
        "UN",
        "MA",
        "SA",
        "TA",
        "CE",
        "SE",
        "NE",
        "ME",
        "TE",
        "JE",
        "NA",
        "ES",
        "LES",
        "DES",
        "UNE",
        "MES",
        "SES",
        "TES",
        "CES",
        "PAR",
        "SUR",
        "AVEC",
        "DANS",
        "PAS",
        "EST",
    ]
)


def _replace_plate(match: re.Match[str]) -> str:
    words = {match.group(g) for g in ("a", "b", "c")}
    return match.group(0) if words & _CAPITAL_WORDS else PLATE


# A street named without a number (« rue des Lilas », « avenue Jean Jaurès ») still says where
# someone lives. Only words that cannot mean anything else: « la place », « le chemin de
# l'école », « la cité » or « un titre de résidence » stay. A street word followed by a word
# that ends the name (« à la rue depuis », « la rue est sale ») is kept as well.
_STREET_NAMED: Final = re.compile(
    rf"""
    (?<![\w\[])
    (?:rue|avenue|boulevard|bd|all[ée]e|impasse|quai)\b \.?
    (?: \s+ (?:(?:des|du|de|les|la|le)\b|l['’]|d['’]) )*
    (?: \s* {_NAME_WORD} (?: \s+ (?:(?:des|du|de|les|la|le)\b|l['’]|d['’]) )* ){{1,4}}
    """,
    re.VERBOSE | re.IGNORECASE,
)


def _replace_name(match: re.Match[str]) -> str:
    return f"{match.group('intro')} {NAME}"


def _replace_self_named(match: re.Match[str]) -> str:
    return f"{match.group('intro') or match.group('intro2')} {NAME}"


def _spaced_name_words(match: re.Match[str]) -> str:
    # The trailing separators the street pattern took belong to the sentence.
    found = match.group(0)
    return ADDRESS + found[len(found.rstrip()) :]


def folded(text: str) -> str:
    """``text`` folded so that a word the case-insensitive patterns match is found in it as a
    plain substring (the dotted capital I and the dotless i fold to « i », as ``re`` folds
    them). Used only to skip patterns that cannot match."""
    return text.casefold().replace("\u0307", "").replace("ı", "i")


# The words without which these case-insensitive patterns cannot match: most messages hold
# none, and a pattern tried from every position of a 150-character message costs 5–15 µs.
_STREET_WORDS: Final = ("rue", "avenue", "boulevard", "bd", "all", "impasse", "quai")
_TITLE_WORDS: Final = ("mad", "mon", "mme", "mlle", "mr", "m.")
_INTRO_WORDS: Final = ("appelle", "nom")
_SELF_WORDS: Final = ("suis", "est", "nomme", "nom")


def redact(text: str) -> str:
    """Replace phone numbers, e-mail addresses, runs of 6+ digits, dates with their year,
    handles, number plates, street addresses, the door of a home and names given as names
    with placeholders."""
    # Most messages hold few digits and no « @ »: the patterns that need more are not tried
    # (a third of the time it takes to read the knowledge's 3,600 examples). A phone number,
    # a special number or a run of digits holds 6 or more; an account number 10 or more.
    digits = len(_DIGIT.findall(text))
    email = "@" in text
    if digits >= 10:
        text = _IBAN.sub(_replace_iban, text)
    if email:
        text = _PATTERN.sub(_replace, text)
    elif digits >= 6:
        text = _PATTERN_NO_EMAIL.sub(_replace, text)
    if digits:
        text = _DATE.sub(DATE, text)
    if email:  # a handle starts with « @ »; e-mail addresses are gone by now
        text = _HANDLE.sub(HANDLE, text)
    if digits >= 2:  # a plate holds at least two
        text = _PLATE.sub(_replace_plate, text)
    if digits:
        text = _DOOR.sub(ADDRESS, _STREET.sub(ADDRESS, text))
    low = folded(text)
    if any(w in low for w in _STREET_WORDS):
        text = _STREET_NAMED.sub(_spaced_name_words, text)
    if any(w in low for w in _INTRO_WORDS):
        text = _INTRODUCED.sub(_replace_name, text)
    if any(w in low for w in _TITLE_WORDS):
        text = _TITLED.sub(_replace_name, text)
    if any(w in low for w in _SELF_WORDS):
        text = _SELF_NAMED.sub(_replace_self_named, text)
    return text


def _printable(text: str) -> str:
    """Control and format characters (Unicode Cc, Cf: terminal escapes, bidi overrides,
    invisible joiners) become spaces: a stored question must not drive the terminal of the
    staff member who reads ``report``."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text)


def normalise_for_log(text: str) -> str:
    """Redacted, lower-case, ASCII text with single spaces and no control character, at most
    500 characters."""
    cleaned = _printable(unidecode(redact(_printable(text)).lower()))
    return _SPACES.sub(" ", cleaned).strip()[:MAX_LOG_LENGTH].rstrip()


# Topics the GDPR treats as special (art. 9): health, sexual life or orientation, religion, and
# a person's residence status (which can expose them). Words that tell about a person, not the
# services: « médecin » or « hôpital » alone stay, « enceinte » or « séropositif » do not.
_SENSITIVE: Final = re.compile(
    r"""
    \b(?:
      # health
      malade|maladie|cancer|tumeur|chimio\w*|vih|sida|s[ée]ropositi\w*|h[ée]patite|diab[èe]t\w*
      |d[ée]pression|d[ée]prim\w*|schizophr\w*|bipolaire|psychiatr\w*|autis\w*|handicap\w*
      |enceinte|grossesse|avortement|ivg|fausse\s+couche|st[ée]rilet|contracepti\w*|mst|ist
      |alcoolique|toxicoman\w*|addiction|drogu[ée]e?s?|m[ée]thadone|dialyse|ald|insuline
      # sexuality
      |homo(?:sexuel\w*)?|gay|gays|lesbienne\w*|bisexuel\w*|trans(?:genre|sexuel)?\w*|lgbt\w*
      |queer|sexualit[ée]|orientation\s+sexuelle|coming[\s-]out|pr[ée]servatif\w*|prep
      # religion
      |religion\w*|musulman\w*|juif|juive|juifs|juives|chr[ée]tien\w*|catholique\w*
      |protestant\w*|bouddhiste\w*|ath[ée]e|mosqu[ée]e\w*|[ée]glise\w*|synagogue\w*
      |ramadan|car[êe]me|voile|voil[ée]e|hijab|niqab|kippa|pri[èe]re\w*|imam|rabbin|cur[ée]
      # residence status
      |sans[\s-]papiers?|titre\s+de\s+s[ée]jour|carte\s+de\s+s[ée]jour|oqtf|r[ée]gularis\w*
      |demandeu(?:r|se)\s+d['’]\s?asile|asile|r[ée]fugi[ée]\w*|clandestin\w*|expuls\w*
      |r[ée]c[ée]piss[ée]|naturalisation|ofpra|cnda|cada
    )\b
    """,
    re.VERBOSE | re.IGNORECASE,
)


def sensitive_topic(text: str) -> bool:
    """Whether a message speaks of health, sexuality, religion or residence status: its text
    is then not kept at all (only that such a question was asked)."""
    return _SENSITIVE.search(unidecode(text)) is not None
