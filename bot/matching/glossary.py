"""A message asking what a word of the contract means: « c'est quoi un QPV ? », « le conseil
citoyen c koi », « j'ai reçu un courrier qui dit que j'habite dans un QPV. Ça veut dire quoi ? ».

The words and their definitions are the staff's, in ``knowledge/glossaire.yaml``. A message
gets the definition when one of its clauses asks what something is and names a word of the
glossary, or names none but follows a clause that ends with one; and when nothing after the
question asks something else:
- « c'est quoi les horaires de France Services » asks for the hours, « c'est quoi le contrat
  de ville pour les jeunes » for what it does for them: both are matched as usual;
- words before the question are context, and are allowed: « je suis prof, c'est quoi le
  contrat de ville ? »;
- a plain request for a definition or an explanation (« définition », « expliquer », « ce
  qu'est ») may go on: « vous pouvez m'expliquer ce qu'est France Services pour mes usagers ».

A message that is only the word (« QPV ? ») gets the definition too. Read as written (a name
or a phone number before the question is context), plural and singular alike, glued or
misspelt words within one or two letters (« conseilcitoyen », « frans service »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from rapidfuzz.distance import OSA

from bot.knowledge.models import Knowledge
from bot.matching.normalize import SENTENCE_END, words
from bot.matching.stopwords import STOPWORDS
from bot.snapshots import per_knowledge

MAX_CHARS: Final = 600  # longer: matching, as for any long message


def _norm(word: str) -> str:
    """Plural and singular alike: « quartiers prioritaires », « france service »."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _phrases(*texts: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(_norm(w) for w in t.split()) for t in texts)


# What asks what a thing is, as normalised words. The second set asks plainly for a
# definition: what follows it may say for whom or why.
_ASKING: Final = _phrases(
    *("c est quoi", "c quoi", "cest quoi", "c koi", "cest koi", "c est koi", "ce quoi"),
    *("ce koi", "ct quoi", "ctquoi", "ct koi", "c kwa", "cest kwa", "c koa", "c ki"),
    *("c est qui", "c qui", "cest qui", "veut dire", "veu dire", "ve dire", "veut dir"),
    *("veu dir", "ve dir", "signifie", "qu est ce", "quest ce", "kes ke", "keske", "ske c"),
    *("kesako", "kezako", "quesaco", "sert a quoi", "sert a koi", "a quoi sert"),
    *("en quoi consiste", "consiste", "comprend pas", "comprend pa", "jcomprend pas"),
    *("jcomprend pa", "connai pas", "ce que c est", "ce que c etait", "ce que veut dire"),
    *("c est a dire", "cad", "cestquoi", "cetquoi", "cestkoi", "kesk", "keske", "quesque"),
    *("qu est ce que c", "kesk c"),
)
_PLAIN: Final = _phrases(
    *("definition", "definir", "explique", "expliquer", "expliquez", "explication"),
    *("ce qu est", "ce qu etait", "c est quoi la definition"),
)
# Words that say nothing beyond the question: « c'est quoi exactement un QPV », « vous pouvez
# m'expliquer en deux mots ce que c'est ».
_FILLER: Final = frozenset(
    _norm(w)
    for w in {
        *STOPWORDS,
        *("exactement", "precisement", "vraiment", "concretement", "simplement", "simple"),
        *("bref", "rapidement", "vite", "deux", "trois", "mots", "resume", "principe"),
        *("sigle", "acronyme", "terme", "nom", "role", "svp", "stp", "sil", "plait"),
        *("merci", "mrc", "beaucoup", "bcp", "bonjour", "bonsoir", "salut", "slt"),
        *("coucou", "hello", "madame", "monsieur", "mme", "pouvez", "pourriez", "peux"),
        *("pourrais", "pouvais", "pourrait", "voudrais", "aimerais", "veux", "voulais"),
        *("voudrait", "souhaite", "savoir", "comprendre", "comprends", "compris", "sais"),
        *("connais", "dire", "exact", "exacte", "juste", "gros", "encore", "aussi", "alors"),
        *("donc", "euh", "bah", "ben", "bien", "genre", "truc", "enfait", "quoi", "koi"),
        *("ke", "ki", "cest", "quest", "ca", "sa", "qu", "oui", "voila", "ok", "dac"),
        *("please", "peu", "petit", "mieux", "bon", "mdr", "lol", "ptdr", "ici", "ca", "cé"),
        # « c'est quoi le guichet France Services », « ce truc de conseil citoyen »
        *("guichet", "point", "espace", "maison", "dispositif", "programme", "label"),
        *("machin", "histoire", "cette"),
    }
    if w not in {"ou", "quand", "comment", "combien", "pourquoi"}
)
# Not filler between the question and the word: « OO ça veut dire quoi dans le contrat de
# ville » asks about « OO »; « c'est quoi le contrat de ville pour les jeunes », about the young.
_PLACES: Final = frozenset(
    _norm(w) for w in ("dans", "sur", "pour", "avec", "par", "chez", "selon")
)
_FIRST_WORDS: Final = frozenset(p[0] for p in _ASKING | _PLAIN)
_WHAT: Final = frozenset({"quoi", "koi", "kwa"})  # ending a clause that names the word
# Around an earlier clause's word: « … parlent du conseil citoyen aux familles. C'est quoi ? »
AFTER_NAME: Final = 1  # content words allowed after it in its clause
_CLAUSES: Final = re.compile(rf"{SENTENCE_END}|[,:()\n]")
_ONLY_WORD: Final = frozenset({"svp", "stp", "merci", "bonjour", "salut", "slt", "le", "la"})


@dataclass(frozen=True)
class _Names:
    """The glossary's words, normalised: by first word (as written) and glued, by length
    (within typos)."""

    by_first: dict[str, list[tuple[tuple[str, ...], str]]]
    glued: dict[int, list[tuple[str, str, int]]]  # length -> (glued words, term, typos allowed)
    longest: int  # the longest glued word, in letters
    heads: frozenset[str]  # their first two letters: a word starting otherwise starts none


@per_knowledge
def _names(knowledge: Knowledge) -> _Names:
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    glued: dict[int, list[tuple[str, str, int]]] = {}
    for term in knowledge.glossary:
        for name in term.names:
            # Numbers go (« Engagements Quartiers 2030 »): messages are read without them.
            tokens = tuple(_norm(w) for w in words(name) if not w.isdigit())
            if not tokens:
                continue
            by_first.setdefault(tokens[0], []).append((tokens, term.id))
            joined = "".join(tokens)
            typos = 2 if len(joined) >= 13 else 1 if len(joined) >= 7 else 0
            glued.setdefault(len(joined), []).append((joined, term.id, typos))
    for found in by_first.values():
        found.sort(key=lambda item: -len(item[0]))
    heads = frozenset(name[:2] for found in glued.values() for name, _t, _n in found)
    return _Names(by_first, glued, max(glued, default=0), heads)


def prepare(knowledge: Knowledge) -> None:
    """Build the words of the glossary now (see :meth:`Matcher.prepare`)."""
    _names(knowledge)


def _asking(tokens: list[str]) -> list[tuple[int, int, bool]]:
    """Each question for a definition in the clause, left to right: its start, end, and
    whether it asks plainly (:data:`_PLAIN`)."""
    out: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(tokens):
        size = next(
            (
                n
                for n in (4, 3, 2, 1)
                if tokens[i] in _FIRST_WORDS
                and len(tokens) - i >= n
                and (tuple(tokens[i : i + n]) in _ASKING or tuple(tokens[i : i + n]) in _PLAIN)
            ),
            0,
        )
        if size:
            out.append((i, i + size, tuple(tokens[i : i + size]) in _PLAIN))
        i += size or 1
    if not out and len(tokens) > 1 and tokens[-1] in _WHAT:  # « conseil citoyen = koi ? »
        out.append((len(tokens) - 1, len(tokens), False))
    return out


def _terms(tokens: list[str], names: _Names) -> list[tuple[int, int, str]]:
    """(start, end, term) of each glossary word in the clause, left to right: as written,
    else glued or misspelt."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        hit = next(
            (
                (i, i + len(phrase), term)
                for phrase, term in names.by_first.get(tokens[i], ())
                if tuple(tokens[i : i + len(phrase)]) == phrase
            ),
            None,
        ) or _misspelt(tokens, i, names)
        out += [hit] if hit is not None else []
        i = hit[1] if hit is not None else i + 1
    return out


def _misspelt(tokens: list[str], i: int, names: _Names) -> tuple[int, int, str] | None:
    """The longest glossary word starting at ``tokens[i]``, its words glued and within its
    typos: « conseilcitoyen », « contra de ville », « frans service »."""
    if tokens[i] in _FILLER or tokens[i][:2] not in names.heads:
        return None
    found = None
    joined = ""
    for end in range(i, len(tokens)):
        joined += tokens[end]
        if len(joined) > names.longest + 2:
            break
        for size in range(len(joined) - 2, len(joined) + 3):
            for name, term, typos in names.glued.get(size, ()):
                if abs(size - len(joined)) <= typos and (
                    joined == name or OSA.distance(joined, name, score_cutoff=typos) <= typos
                ):
                    found = (i, end + 1, term)
    return found


def _filler(tokens: list[str]) -> bool:
    return all(w in _FILLER or len(w) < 2 or w.isdigit() for w in tokens)


def definition(knowledge: Knowledge, subject: str) -> str | None:
    """The id of the glossary word whose meaning the message asks, or ``None``. ``subject``:
    the part of the message its subject is read from (:func:`~bot.matching.clean.subject_part`),
    as written: personal details are not blanked (« Bonjour, QPV c'est quoi » would lose
    « QPV » as a name); a name before the question is context, digits are filler."""
    if not knowledge.glossary or len(subject) > MAX_CHARS:
        return None
    all_words = [_norm(w) for w in words(subject)]
    if len(all_words) > 4 and (
        not (_FIRST_WORDS | _WHAT).intersection(all_words) or not _asking(all_words)
    ):
        return None  # no question for a definition: most messages stop here
    names = _names(knowledge)
    earlier: str | None = None  # a word a clause before ended with
    named: set[str] = set()
    for part in _CLAUSES.split(subject):
        tokens = [_norm(w) for w in words(part)]
        if not tokens:
            continue
        asked = _asking(tokens)
        terms = _terms(tokens, names)
        for start, end, plain in asked:
            for t_start, t_end, term in terms:
                first, last = (end, t_start) if t_start >= end else (t_end, start)
                rest = tokens[max(end, t_end) :]
                # « c'est quoi ce conseil citoyen dont parle le gardien »: what people say of it.
                rest = rest[: rest.index("dont")] if "dont" in rest else rest
                between = tokens[first:last]
                if (
                    _filler(between)
                    and not _PLACES.intersection(between)
                    and (plain or _filler(rest))
                ):
                    return term
            if not terms and earlier is not None and _filler(tokens[end:]):
                return earlier
        if terms:
            t_start, t_end, term = terms[-1]
            named.update(t for _s, _e, t in terms)
            after = [w for w in tokens[t_end:] if not _filler([w])]
            earlier = term if len(after) <= AFTER_NAME else None
        elif tokens and not _filler(tokens):
            earlier = None
    # Only the word: « QPV ? », « le conseil citoyen svp ».
    if len(all_words) <= 4 and len(named) == 1:
        terms = _terms(all_words, names)
        if terms and all(
            w in _ONLY_WORD or len(w) < 2
            for w in all_words[: terms[0][0]] + all_words[terms[-1][1] :]
        ):
            return terms[0][2]
    return None
