"""Messages that name a part of the contract by its number, its rank or its name: « objectif
6.3 », « c'est quoi l'OO 2.4 ? », « orientation 5.2 », « thématique transversale 1 », « le 2e
objectif de l'orientation 5.1 », « les objectifs du contrat sur la tranquillité publique ».

City staff, neighbourhood workers and elected officials speak of the contract this way, and a
flyer may print an objective's number: such a message asks for that page of the contract, which
matching by words cannot find (« 6.3 » says nothing about noise or dealing). A number counts only
where the message says it is the contract's (« objectif », « orientation », « du contrat »…) or
holds nothing else: « j'ai eu 6.3 en maths », « rdv le 6.3 », « je cherche un T2 » and « mon
objectif c'est de trouver un travail » name nothing.

Names are the words of a theme's or an orientation's title and short name that no other part of
the contract uses (« tranquillité », « laïcité », « culture »), so staff who rename a theme in
``thematiques.yaml`` rename what it is called by too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from rapidfuzz.distance import OSA

from bot.knowledge.models import Knowledge
from bot.matching.normalize import fold, stem, words
from bot.matching.stopwords import STOPWORDS
from bot.snapshots import per_knowledge

Kind = Literal["obj", "or", "th"]  # the slug kinds of bot.knowledge.ids


@dataclass(frozen=True)
class Reference:
    kind: Kind
    id: str


# Longer messages are residents' stories, not a page asked for by its number: not read here
# (a 4,096-character message would pay for these patterns for nothing).
MAX_CHARS: Final = 400
# A message that names a page holds a number of the contract's form or one of these (folded)
# beginnings of words: most messages, « mon fils de 16 ans » too, are let through at once.
_HINTS: Final = re.compile(
    r"[1-6] ?[.,-] ?[1-9]"
    r"|\b(?:[ld]?obj|oo\b|orient|them|axes?\b|fiche|contrat|pilier|engagem|volet|partie|th\b)"
)

# A number of the contract (« 6.3 », « 6,3 », « 6-3 », « 1.1.1 », « T1.2 », « t 1.2 »), not part
# of a longer number (« 16.30 », « 6.3.2024 ») nor glued to a word (« v2.1 », « 3.5kg »); a
# rank (« 2e », « 1er »); a word.
_TOKEN: Final = re.compile(
    r"(?P<num>(?<![a-z0-9.,/:])(?:t ?)?[1-6] ?[.,-] ?[1-9](?: ?[.,-] ?[1-9])?"
    r"(?![a-z0-9]|[.,/:-]\d))"
    r"|(?P<rank>\b\d(?:er|ere|re|eme|e|nd)\b)"
    r"|(?P<word>[a-z]+|\d+)"
)
_GLUED: Final = re.compile(r"\b([a-z]{2,})(\d)")  # « orientation1.2 », « objectif6.3 »

# What each marker word is folded to; misspelt ones (« objetcif », « thematqiue ») too.
_OBJECTIVE: Final = "objectif"
_ORIENTATION: Final = "orientation"
_THEME: Final = "thematique"
_MARKERS: Final = {
    **dict.fromkeys(
        ("objectif", "objectifs", "obj", "oo", "fiche", "fiches", "engagement", "engagements"),
        _OBJECTIVE,
    ),
    **dict.fromkeys(("orientation", "orientations", "orient"), _ORIENTATION),
    **dict.fromkeys(
        ("thematique", "thematiques", "theme", "themes", "axe", "axes", "pilier", "piliers"),
        _THEME,
    ),
}
_SPELLED: Final = ("objectif", "objectifs", "orientation", "orientations", "thematique")
# Words that say the contract is meant: a part of it then counts as a marker of a theme.
_PARTS: Final = frozenset({"volet", "partie", "chapitre"})
_CONTRACT_PARTS: Final = _PARTS | {"contrat"}
_ALL_MARKERS: Final = frozenset({_OBJECTIVE, _ORIENTATION, _THEME}) | _PARTS
_POSSESSIVES: Final = frozenset(
    {"mon", "ma", "mes", "son", "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs"}
)
# « objectif n° 4 », « objectif opérationnel 6.3 », « thème numéro 2 ».
_NUMBER_WORDS: Final = frozenset({"n", "no", "numero", "num", "operationnel"})
_BEFORE: Final = 4  # how many words before a number may say what it is
# What else a message that is only a number may say: « 6.3 ? », « c'est quoi le 6.3 svp ».
_FILLER: Final = (
    STOPWORDS
    | _NUMBER_WORDS
    | {
        "quoi",
        "koi",
        "cest",
        "kesako",
        "svp",
        "stp",
        "bonjour",
        "bonsoir",
        "salut",
        "merci",
        "info",
        "infos",
        "detail",
        "details",
        "cordialement",
        "bonne",
        "journee",
        "ici",
    }
)
# Between a marker and the name it is followed by: « les objectifs du contrat de ville sur la
# tranquillité », « qu'est-ce que le contrat prévoit pour la santé ».
_BETWEEN: Final = frozenset(
    {
        "de",
        "du",
        "des",
        "d",
        "sur",
        "pour",
        "concernant",
        "autour",
        "en",
        "matiere",
        "dans",
        "la",
        "le",
        "l",
        "les",
        "contrat",
        "ville",
        "transversale",
        "transversal",
        "operationnel",
        "operationnels",
        "qui",
        "concerne",
        "concernent",
        "porte",
        "portent",
        "parle",
        "parlent",
        "prevoit",
        "propose",
        "dit",
        "fait",
        "quoi",
        "qu",
        "est",
        "ce",
        "que",
        "il",
        "y",
        "a",
        "quels",
        "quelles",
        "sont",
        "lutte",
        "contre",
        "fixe",
        "vise",
        "t",
    }
)
_NAME_WINDOW: Final = 2  # words after a marker (past _BETWEEN) that may name the part
_RANKS: Final = {
    **dict.fromkeys(("premier", "premiere", "1er", "1ere", "1re"), 1),
    **dict.fromkeys(("deuxieme", "2e", "2eme", "2nd", "second", "seconde"), 2),
    **dict.fromkeys(("troisieme", "3e", "3eme"), 3),
    **dict.fromkeys(("quatrieme", "4e", "4eme"), 4),
    **dict.fromkeys(("cinquieme", "5e", "5eme"), 5),
    **dict.fromkeys(("sixieme", "6e", "6eme"), 6),
    **dict.fromkeys(("dernier", "derniere"), -1),
}
_OF: Final = frozenset({"de", "du", "d", "dans"})
_ARTICLES: Final = frozenset({"la", "l", "le"})


def reference(knowledge: Knowledge, text: str) -> Reference | None:
    """The page of the contract the message names, if it names one."""
    if len(text) > MAX_CHARS:
        return None
    folded = fold(text.replace("°", " "))
    if not _HINTS.search(folded):
        return None
    tokens = _tokens(folded)
    contract = _contract(tokens)
    return (
        _ranked(knowledge, tokens)
        or _numbered(knowledge, tokens, contract)
        or _theme_number(knowledge, tokens, contract)
        or _named(knowledge, tokens, contract)
    )


def prepare(knowledge: Knowledge) -> None:
    """Build the names of the contract's parts now (2–3 ms), not at the first message that
    names one (see :meth:`Matcher.prepare`)."""
    _names(knowledge)


def _tokens(folded: str) -> list[str]:
    """The message's words, its contract numbers as « #6.3 » or « #T1.2 », its markers folded
    to :data:`_OBJECTIVE`, :data:`_ORIENTATION` or :data:`_THEME`."""
    out: list[str] = []
    for found in _TOKEN.finditer(_GLUED.sub(r"\1 \2", folded)):
        number, rank, word = found.group("num", "rank", "word")
        if number is not None:
            out.append("#" + re.sub(r" ?[.,-] ?", ".", number.replace(" ", "")).upper())
        elif rank is not None:
            out.append(rank)
        else:
            out.append(_marker(word))
    # « th 2 »: a theme only before a number (« th » alone may be « thé »).
    return [
        _THEME if w == "th" and i + 1 < len(out) and out[i + 1].isdigit() else w
        for i, w in enumerate(out)
    ]


def _marker(word: str) -> str:
    found = _MARKERS.get(word)
    if found is not None:
        return found
    if word[:1] in ("l", "d") and word[1:] in _MARKERS:  # « lobjectif », « dobjectif »
        return _MARKERS[word[1:]]
    if len(word) >= 7 and word[0] in "ot":
        for spelled in _SPELLED:
            if OSA.distance(word, spelled, score_cutoff=1) <= 1:
                return _MARKERS[spelled]
    return word


def _contract(tokens: list[str]) -> bool:
    """Whether the message speaks of the city's contract (« contrat de ville », « du contrat »,
    « le contrat prévoit »), not of a work or rental contract."""
    for i, w in enumerate(tokens):
        if w != "contrat":
            continue
        after = tokens[i + 1 : i + 4]
        if (
            after[:1] == ["ville"]
            or after[:2] == ["de", "ville"]
            or after[:3] == ["de", "la", "ville"]
        ):
            return True
        # « du contrat » ends the message or a clause; « le contrat prévoit … » (not « le
        # contrat commence le 2.4 », « un contrat à 1,2 smic »).
        if i and tokens[i - 1] in ("du", "le", "ce") and (not after or after[0] in _CONTRACT_VERBS):
            return True
    return "politique" in tokens and "ville" in tokens


_CONTRACT_VERBS: Final = frozenset(
    {"prevoit", "dit", "propose", "fixe", "contient", "parle", "vise", "sur", "pour", "concernant"}
)
# After a number, what says it is a quantity, a grade or a time (« objectif 2.3 kg », « 6.3 de
# moyenne », « 1,2 smic », « 2,3 ans »).
_UNITS: Final = frozenset(
    {
        "kg",
        "g",
        "kilo",
        "kilos",
        "km",
        "m",
        "cm",
        "l",
        "litre",
        "litres",
        "euro",
        "euros",
        "eur",
        "e",
        "smic",
        "fois",
        "an",
        "ans",
        "mois",
        "jour",
        "jours",
        "h",
        "heure",
        "heures",
        "min",
        "minutes",
        "moyenne",
        "points",
        "pts",
        "pourcent",
        "pct",
    }
)
# Words between a marker and its number: « objectif opérationnel n° 6.3 », « objectif
# transversal 1.3 ».
_ADJACENT: Final = _NUMBER_WORDS | {"transversal", "transversale", "trans", "t"}


def _crossing(words_: Iterable[str]) -> bool:
    """« objectif transversal 1.3 », « obj trans 1.3 »: a transversal theme's number (T1.3)."""
    return any(w.startswith("transv") or w == "trans" for w in words_)


# What may follow digits spelt out after a marker: « objectif 1 2 3 c quoi ».
_ASKING_AFTER: Final = frozenset({"c", "cest", "quoi", "koi", "svp", "stp", "merci", "kesako"})


def _spelled_out(tokens: list[str]) -> list[str]:
    """« objectif 1 2 3 », « objectif T1 4 », « objectif 4 point 1 »: the digits after a marker
    joined into a number (« #1.2.3 »)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        out.append(tokens[i])
        if tokens[i] in (_OBJECTIVE, _ORIENTATION):
            j, cross = i + 1, ""
            digits: list[str] = []
            if j < len(tokens) and tokens[j] == "t":
                cross, j = "T", j + 1
            while j < len(tokens) and len(digits) < 3:
                if tokens[j] == "point" and digits:
                    j += 1
                if j < len(tokens) and len(tokens[j]) == 1 and tokens[j].isdigit():
                    digits.append(tokens[j])
                    j += 1
                else:
                    break
            ends = j == len(tokens) or tokens[j] in _ASKING_AFTER
            if len(digits) >= 2 and ends:
                out.append("#" + cross + ".".join(digits))
                i = j
                continue
        i += 1
    return out


def _numbered(knowledge: Knowledge, tokens: list[str], contract: bool) -> Reference | None:
    tokens = _spelled_out(tokens)
    for i, token in enumerate(tokens):
        if not token.startswith("#"):
            continue
        number = token[1:]
        before = tokens[max(0, i - _BEFORE) : i]
        if before and before[-1] in ("version", "v"):  # « version 1.2.3 de l'appli »
            continue
        after = tokens[i + 1 : i + 2]
        if after and after[0] in _UNITS:  # « objectif 2.3 kg », « 6.3 de moyenne »
            continue
        others = [w for w in tokens[:i] + tokens[i + 1 :] if w not in _FILLER]
        said = _marker_before(before)
        # T-numbers and three-level ones (« 5.1.4 ») are the contract's wherever they stand.
        distinct = number.startswith("T") or number.count(".") == 2
        if not (said or not others or distinct or contract):
            continue
        if _crossing(before) and not number.startswith("T") and number.count(".") == 1:
            number = f"T{number}"
        if said == _ORIENTATION and knowledge.orientation(number):
            return Reference("or", number)
        if knowledge.objective(number):
            return Reference("obj", number)
        if knowledge.orientation(number):
            return Reference("or", number)
    return None


def _marker_before(before: list[str]) -> str | None:
    """The marker right before a number (« objectif 6.3 », « l'objectif n° 6.3 », « objectif
    transversal 1.3 »); none after a possessive (« mon objectif c'est 6.3 de… ») nor words away
    (« rdv orientation le 2.4 »)."""
    j = len(before) - 1
    while j >= 0 and before[j] in _ADJACENT:
        j -= 1
    if j < 0 or before[j] not in (_OBJECTIVE, _ORIENTATION):
        return None
    return None if j and before[j - 1] in _POSSESSIVES else before[j]


def _theme_id(knowledge: Knowledge, tokens: list[str], cross: bool) -> str | None:
    """The theme a number names at the start of ``tokens`` (« 6 », « t1 », « t 1 »)."""
    if not tokens:
        return None
    first = tokens[0]
    if (first == "t" or first in _NUMBER_WORDS) and len(tokens) > 1:
        return _theme_id(knowledge, tokens[1:], cross or first == "t")
    if not (first.isdigit() and len(first) == 1):
        return None
    theme_id = f"T{first}" if cross else first
    return theme_id if knowledge.theme(theme_id) else None


def _theme_number(knowledge: Knowledge, tokens: list[str], contract: bool) -> Reference | None:
    """« thématique 6 », « axe 4 », « thématique transversale 1 », « thème n° 2 », « la T2 du
    contrat de ville »."""
    for i, token in enumerate(tokens):
        if token == _THEME:
            rest = tokens[i + 1 : i + 4]
            cross = bool(rest) and _crossing(rest[:1])
            found = _theme_id(knowledge, rest[1:] if cross else rest, cross)
            if found is not None:
                return Reference("th", found)
    if contract:  # « la T2 du contrat de ville » (« t2 » is read as « t », « 2 »)
        for i, token in enumerate(tokens[:-1]):
            theme_id = f"T{tokens[i + 1]}"
            if token == "t" and knowledge.theme(theme_id):
                return Reference("th", theme_id)
    return None


def _ranked(knowledge: Knowledge, tokens: list[str]) -> Reference | None:
    """« le 2e objectif de l'orientation 5.1 », « objectif n° 4 de la thématique 3 », « la 1re
    orientation de la thématique familles », « la 6e thématique »."""
    for i, token in enumerate(tokens):
        rank = _RANKS.get(token)
        child = tokens[i + 1] if i + 1 < len(tokens) else ""
        rest = tokens[i + 2 :]
        if rank is None and token in (_OBJECTIVE, _ORIENTATION) and i + 1 < len(tokens):
            # « objectif (opérationnel) (n°) 4 de … »
            j = i + 1
            while j < len(tokens) and tokens[j] in _NUMBER_WORDS:
                j += 1
            if j < len(tokens) and tokens[j].isdigit() and len(tokens[j]) == 1:
                rank, child, rest = int(tokens[j]), token, tokens[j + 1 :]
        if rank is None or child not in (_OBJECTIVE, _ORIENTATION, _THEME):
            continue
        while rest and rest[0] == "operationnel":
            rest = rest[1:]
        if child == _THEME and rest and _crossing(rest[:1]):  # « la 2e thématique transversale »
            cross = [t for t in knowledge.themes if t.transversal]
            if 1 <= rank <= len(cross):
                return Reference("th", cross[rank - 1].id)
            continue
        found = _child(knowledge, child, rank, _parent(knowledge, rest))
        if found is not None:
            return found
    return None


def _parent(knowledge: Knowledge, tokens: list[str]) -> Reference | None:
    """The theme or orientation named right after a rank (« de la thématique 3 », « de
    l'orientation 5.1 », « du thème vivre ensemble »)."""
    if not tokens or tokens[0] not in _OF:
        return None
    rest = tokens[1:]
    while rest and rest[0] in _ARTICLES:
        rest = rest[1:]
    if not rest or rest[0] not in (_THEME, _ORIENTATION):
        return None
    what, rest = rest[0], rest[1:]
    cross = bool(rest) and _crossing(rest[:1])
    if cross:
        rest = rest[1:]
    if what == _ORIENTATION:
        if rest and rest[0].startswith("#") and knowledge.orientation(rest[0][1:]):
            return Reference("or", rest[0][1:])
        return _name_after(knowledge, rest, _ORIENTATION)
    theme_id = _theme_id(knowledge, rest, cross)
    return Reference("th", theme_id) if theme_id else _name_after(knowledge, rest, _THEME)


def _child(
    knowledge: Knowledge, child: str, rank: int, parent: Reference | None
) -> Reference | None:
    """The ``rank``-th (1-based, -1 for the last) objective, orientation or theme of
    ``parent`` (of the contract for a theme)."""
    options: list[Reference]
    if child == _THEME:
        if parent is not None or rank == -1:  # « la dernière thématique »: which list is meant?
            return None
        options = [Reference("th", t.id) for t in knowledge.themes if not t.transversal]
    elif parent is None:
        return None
    elif child == _ORIENTATION and parent.kind == "th":
        options = [Reference("or", o.id) for o in knowledge.orientations_of(parent.id)]
    elif child == _OBJECTIVE and parent.kind == "or":
        orientation = knowledge.orientation(parent.id)
        theme_id = orientation.theme_id if orientation else ""
        options = [Reference("obj", o.id) for o in knowledge.objectives_of(theme_id, parent.id)]
    elif child == _OBJECTIVE and parent.kind == "th" and not knowledge.orientations_of(parent.id):
        options = [Reference("obj", o.id) for o in knowledge.objectives_of(parent.id)]
    else:
        return None
    if rank == -1 and options:
        return options[-1]
    return options[rank - 1] if 1 <= rank <= len(options) else None


@dataclass(frozen=True)
class _Names:
    themes: dict[str, str]  # stem -> theme id
    orientations: dict[str, str]  # stem -> orientation id


# Words of the titles that name nothing: « Inscrire la Culture comme facteur… », « … pendant
# les vacances scolaires ».
_NOT_NAMES: Final = frozenset({"comme", "pendant", "chacun", "chacune", "entre", "faire"})


def _stems(*texts: str) -> set[str]:
    return {
        stem(w)
        for t in texts
        for w in words(t)
        if w not in STOPWORDS and w not in _NOT_NAMES and len(w) > 3
    }


@per_knowledge
def _names(knowledge: Knowledge) -> _Names:
    """The stems that name each theme and each orientation: those of its short name (chosen by
    staff to name it) that no other theme's (or orientation's) title or short name uses; and
    those of its title that no objective outside it uses either (« tranquillité »,
    « laïcité »; not « développement » nor « scolaire »)."""
    found: dict[str, dict[str, str]] = {"th": {}, "or": {}}
    parts = {
        "th": [(t.id, t.title, t.short_name) for t in knowledge.themes],
        "or": [(o.id, o.title, o.short_name) for o in knowledge.orientations],
    }
    for kind, items in parts.items():
        for part_id, title, short in items:
            others = set().union(*(_stems(t, s) for i, t, s in items if i != part_id))
            outside = set().union(
                *(
                    _stems(o.text)
                    for o in knowledge.objectives
                    if (o.theme_id if kind == "th" else o.orientation_id) != part_id
                )
            )
            names = (_stems(short) - others) | (_stems(title) - others - outside)
            found[kind].update(dict.fromkeys(names, part_id))
    return _Names(found["th"], found["or"])


def _name_after(
    knowledge: Knowledge, tokens: list[str], what: str, window: int = _NAME_WINDOW
) -> Reference | None:
    """The theme (or orientation, for ``what`` :data:`_ORIENTATION`) named by the first
    ``window`` words of ``tokens`` past :data:`_BETWEEN`; none past a possessive (« … de ma
    fille »)."""
    names = _names(knowledge)
    table = names.orientations if what == _ORIENTATION else names.themes
    seen = 0
    for w in tokens:
        # « l'objectif c'est la santé de mes enfants »: what someone aims at, not a name.
        if w in _POSSESSIVES or w == "c":
            return None
        if w in _BETWEEN or w in STOPWORDS:
            continue
        key = stem(w)
        if key in table:
            return Reference("or" if what == _ORIENTATION else "th", table[key])
        seen += 1
        if seen == window:
            return None
    return None


def _named(knowledge: Knowledge, tokens: list[str], contract: bool) -> Reference | None:
    """« l'orientation culture », « les objectifs du contrat sur l'emploi », « qu'est-ce que le
    contrat prévoit pour la santé », « le volet égalité du contrat de ville »."""
    for i, token in enumerate(tokens):
        if i and tokens[i - 1] in _POSSESSIVES:
            continue
        # « l'objectif c'est la santé » is a resident's: after « objectif » or « thématique » the
        # name comes first; « objectif sport pour mon fils », « objectif laïcité à l'école » are
        # residents' too: « objectif » names a theme in a question about the contract only.
        window = 1 if token in (_OBJECTIVE, _THEME) else _NAME_WINDOW
        if token == _OBJECTIVE and not (contract or set(tokens[max(0, i - 3) : i]) & _ASKING):
            continue
        if token in (_OBJECTIVE, _THEME) or (contract and token in _CONTRACT_PARTS):
            what = _THEME
        elif token == _ORIENTATION:
            what = _ORIENTATION
        else:
            continue
        found = _name_after(knowledge, tokens[i + 1 : i + 12], what, window)
        # « thématique » and « orientation » say the contract is meant; « objectif » and
        # « contrat » also start residents' own questions.
        explicit = token in (_THEME, _ORIENTATION)
        if found is not None and (explicit or _says_little_else(knowledge, tokens, found)):
            return found
    return None


_ASKING: Final = frozenset({"quel", "quels", "quelle", "quelles", "quoi", "koi", "les"})


# A message that names a theme after « objectif » or « contrat » and says more than this many
# other words asks something of its own (« est-ce que le contrat de ville aide les familles du
# quartier à accéder aux loisirs ? »): matching finds the objective, where the theme's page would
# only list them.
_OTHER_WORDS: Final = 3


def _says_little_else(knowledge: Knowledge, tokens: list[str], found: Reference) -> bool:
    names = _names(knowledge)
    table = names.themes if found.kind == "th" else names.orientations
    other = [
        w
        for w in tokens
        if w not in _FILLER and w not in _BETWEEN and w not in _ALL_MARKERS and stem(w) not in table
    ]
    return len(other) <= _OTHER_WORDS
