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
_WHAT: Final = frozenset({"quoi", "koi", "kwa"})  # ending a clause that names the word
# Around an earlier clause's word: « … parlent du conseil citoyen aux familles. C'est quoi ? »
AFTER_NAME: Final = 1  # content words allowed after it in its clause
_CLAUSES: Final = re.compile(rf"{SENTENCE_END}|[,:()\n]")
_ONLY_WORD: Final = frozenset({"svp", "stp", "merci", "bonjour", "salut", "slt", "le", "la"})


@dataclass(frozen=True)
class _Names:
    """The glossary's words, normalised: by their first word (as written), and glued (within
    typos)."""

    by_first: dict[str, list[tuple[tuple[str, ...], str]]]
    # The glued words by their first two letters (a word starting otherwise starts none):
    # (glued words, term, typos allowed), and the longest of them.
    glued: dict[str, tuple[list[tuple[str, str, int]], int]]


@per_knowledge
def _names(knowledge: Knowledge) -> _Names:
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    glued: dict[str, list[tuple[str, str, int]]] = {}
    for term in knowledge.glossary:
        for name in term.names:
            # Numbers go (« Engagements Quartiers 2030 »): messages are read without them.
            tokens = tuple(_norm(w) for w in words(name) if not w.isdigit())
            if not tokens:
                continue
            by_first.setdefault(tokens[0], []).append((tokens, term.id))
            joined = "".join(tokens)
            typos = 2 if len(joined) >= 13 else 1 if len(joined) >= 7 else 0
            glued.setdefault(joined[:2], []).append((joined, term.id, typos))
    for found in by_first.values():
        found.sort(key=lambda item: -len(item[0]))
    return _Names(
        by_first,
        {head: (names, max(len(n) for n, _t, _k in names)) for head, names in glued.items()},
    )


def prepare(knowledge: Knowledge) -> None:
    """Build the words of the glossary now (see :meth:`Matcher.prepare`)."""
    _names(knowledge)


# Each question by its first word, longest first: a clause tries only those its words start.
_BY_FIRST: Final[dict[str, list[tuple[tuple[str, ...], bool]]]] = {}
for _phrase in sorted(_ASKING | _PLAIN, key=len, reverse=True):
    _BY_FIRST.setdefault(_phrase[0], []).append((_phrase, _phrase in _PLAIN))


def _asking(tokens: list[str]) -> list[tuple[int, int, bool]]:
    """Each question for a definition in the clause, left to right: its start, end, and
    whether it asks plainly (:data:`_PLAIN`)."""
    out: list[tuple[int, int, bool]] = []
    end = 0  # questions do not overlap
    for i, word in enumerate(tokens):
        phrases = _BY_FIRST.get(word)
        if phrases is None or i < end:  # most words start no question
            continue
        for phrase, plain in phrases:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                end = i + len(phrase)
                out.append((i, end, plain))
                break
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
    if tokens[i] in _FILLER:
        return None
    candidates, longest = names.glued.get(tokens[i][:2], ((), 0))
    found = None
    joined = ""
    for end in range(i, len(tokens)):
        joined += tokens[end]
        if len(joined) > longest + 2:
            break
        for name, term, typos in candidates:
            if abs(len(name) - len(joined)) <= typos and (
                joined == name or OSA.distance(joined, name, score_cutoff=typos) <= typos
            ):
                found = (i, end + 1, term)
    return found


def _filler(tokens: list[str]) -> bool:
    return all(w in _FILLER or len(w) < 2 or w.isdigit() for w in tokens)


def definition(knowledge: Knowledge, subject: str, tokens: list[str] | None = None) -> str | None:
    """The id of the glossary word whose meaning the message asks, or ``None``. ``subject``:
    the part of the message its subject is read from (:func:`~bot.matching.clean.subject_part`),
    as written: personal details are not blanked (« Bonjour, QPV c'est quoi » would lose
    « QPV » as a name); a name before the question is context, digits are filler. ``tokens``:
    its words, when the caller has them."""
    if not knowledge.glossary or len(subject) > MAX_CHARS:
        return None
    all_words = [_norm(w) for w in (words(subject) if tokens is None else tokens)]
    if len(all_words) > 4 and not _asking(all_words):
        return None  # no question for a definition: most messages stop here
    names = _names(knowledge)
    earlier: str | None = None  # a word a clause before ended with
    named: set[str] = set()
    clauses = [c for c in ([_norm(w) for w in words(p)] for p in _CLAUSES.split(subject)) if c]
    questions = [_asking(c) for c in clauses]
    for number, (tokens, asked) in enumerate(zip(clauses, questions, strict=True)):
        # The words are looked for where a question is, or one or two clauses before it.
        wanted = any(questions[number : number + 3]) or len(all_words) <= 4
        terms = _terms(tokens, names) if wanted else []
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
