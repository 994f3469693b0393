"""Which number to call: « c'est quoi le numéro pour les violences conjugales ? », « le 3919
c'est gratuit ? », « qui prévenir si un enfant est battu chez lui ? ».

Such a question is no danger, and the danger detector rightly stays quiet on it; but its answer
is the numbers a danger gets. A message asks for numbers when it holds one of securite.yaml's
``demandes_de_numero`` (« numéro », « qui appeler »…) or names a helpline by a number of three
digits or more (« le 3919 »); what it asks about is a situation's ``sujets`` (« violences
conjugales », « SAMU ») or the number it names. A number of two digits (« le 15 ») asks only
beside a subject or a request, or in a question about it (« le 17 c'est la police ? »).
Subjects and requests are read as triggers are (stems in order, the lexicon, glued elisions:
:class:`~bot.matching.safety.SafetyDetector`). Phone numbers and addresses are set aside first.

A number names the situation that lists it first (15: the medical emergency); one that several
situations list first, or that many list (17, 112), names the general list of /urgence; another
(3919) the situation that lists it highest, the one with the fewest numbers on a tie.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Final

from bot.knowledge.models import ALONE, GENERAL_NUMBER, Knowledge, Situation
from bot.matching.normalize import words
from bot.matching.safety import SafetyDetector
from bot.staff.redact import redact

# A number shorter than this (15, 17, 18) counts only in a message that asks for a number: « le
# 15 » is also a date, an age, a bus.
NAMED_DIGITS: Final = 3
# Not a helpline: « 15 ans », « 18h », « 17 euros », « le 15 mai ».
_NOT_A_LINE: Final = (
    r"(?!\s*(?:ans?|h|heures?|euros?|€|%|min|minutes?|jours?|mois|semaines?|kg|km|m|cm|ème|eme"
    r"|janv\w*|f[ée]v\w*|mars|avr\w*|mai|juin|juil\w*|ao[uû]t|sept\w*|oct\w*|nov\w*|d[ée]c\w*)\b)"
)
# « le 17 c'est la police ? », « c koi le 18 »: a question about a short number asks for it
# (NN stands for the number); « rdv le 15 ? » or « le bus 18 » do not.
_WHAT: Final = re.compile(
    r"\b(?:quoi|koi)\s+le\s+NN\b|(?<![\w\d])le\s+NN\s+(?:c['’]?\s*est|cest|c)\b",
    re.IGNORECASE,
)
# « appeler » asks for a number; « je m'appelle Inès » does not (same stem).
_NAMES: Final = ("m'appelle", "s'appelle", "t'appelle", "m'appelait", "s'appelait", "m'appel")


class Helplines:
    """The situations whose numbers a message asks for."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.situations = knowledge.situations
        named = tuple(replace(s, triggers=s.subjects) for s in self.situations)
        # Without the idioms that are no danger: « la prévention du suicide », « en cas
        # d'incendie » or « le cyberharcèlement » are no danger, and are what a number is asked
        # for. (Blanking them cost 3 of the 72 number questions of the blind set and kept not
        # one ordinary message of the test sets from getting numbers.) But a local service
        # named by its kind is blanked: « le numéro de la police municipale » asks for the
        # city's service (its objective's card), not for the 17.
        # Not a kind that names a danger itself (« Maison des femmes (violences conjugales) »
        # written by staff): blanked, it would hide the 3919 from « le numéro pour les
        # violences conjugales ».
        plain = SafetyDetector(named, (), knowledge.lexicon, alone=False)
        kinds = tuple(k for k in local_kinds(knowledge) if not plain.detect_words(words(k)))
        self._subjects = SafetyDetector(named, kinds, knowledge.lexicon, alone=False)
        request = Situation("demande-de-numero", "", "", (), knowledge.number_requests)
        self._requests = SafetyDetector((request,), _NAMES, knowledge.lexicon, alone=False)
        self._numbers = _numbers(knowledge)
        self._short = ["".join(groups) for groups, _s, short in self._numbers if short]
        # Their first groups: a message holding none is not redacted (a regex pass per kind of
        # personal detail).
        self._digits = sorted({groups[0] for groups, _s, _short in self._numbers})

    def asked(self, text: str, tokens: list[str]) -> tuple[Situation, ...]:
        """The situations, in the file's order, whose numbers ``text`` (split into ``tokens``)
        asks for; none when it does not ask for a number."""
        numbers: list[tuple[str, bool]] = []
        plain = ""
        if any(digits in text for digits in self._digits):
            # Phone numbers, addresses and e-mails are set aside: « 06 15 17 … » holds no 15.
            plain = redact(text)
            numbers = [
                (sid, short)
                for groups, sid, short in self._numbers
                if _pattern(groups).search(plain)
            ]
        requested = bool(self._requests.detect_words(tokens)) or (
            any(short for _sid, short in numbers)
            and any(_WHAT.search(plain.replace(d, "NN")) for d in self._short if d in plain)
        )
        if not numbers and not requested:
            return ()  # the usual message: no number, no « numéro »
        wanted = {s.id for s in self._subjects.detect_words(tokens)}
        # A number of three digits asks (« c quoi le 3114 »); « le 15 » beside a subject too
        # (« le SAMU, c'est le 15 ou le 18 ? »).
        if not (requested or wanted or any(not short for _sid, short in numbers)):
            return ()
        wanted.update(sid for sid, _short in numbers)
        return tuple(s for s in self.situations if s.id in wanted)


def local_kinds(knowledge: Knowledge) -> tuple[str, ...]:
    """The kinds of the local contacts, each name apart (« Centre social / maison de quartier »,
    « CCAS (centre communal d'action sociale) »: four names)."""
    names = (
        part.strip() for c in knowledge.contacts if c.local for part in re.split(r"[/()]", c.kind)
    )
    return tuple(sorted({n for n in names if n}))


def _numbers(knowledge: Knowledge) -> list[tuple[tuple[str, ...], str, bool]]:
    """Each helpline number of the situations: its groups of digits (« 116 », « 006 »), the
    situation it names, and whether it is short (see :data:`NAMED_DIGITS`)."""
    places: dict[tuple[str, ...], list[tuple[int, int, int, Situation]]] = {}
    for order, s in enumerate(knowledge.situations):
        contacts = knowledge.shown_contacts(s.contact_ids)
        for rank, c in enumerate(contacts):
            groups = tuple(re.findall(r"\d+", c.phone or ""))
            if groups:
                places.setdefault(groups, []).append((rank, len(contacts), order, s))
    general = next((s for s in knowledge.situations if s.id == ALONE), None)
    found = []
    for groups, where in places.items():
        specific = [p for p in where if p[3].id != ALONE]
        firsts = [p for p in specific if p[0] == 0]
        if len(firsts) == 1:
            chosen = firsts[0][3]
        elif (len(firsts) > 1 or len(specific) >= GENERAL_NUMBER) and general is not None:
            chosen = general
        elif specific:
            chosen = min(specific, key=lambda p: p[:3])[3]
        else:
            chosen = where[0][3]
        found.append((groups, chosen.id, len("".join(groups)) < NAMED_DIGITS))
    return found


# Compiled on first use and kept across reloads: compiling the 20 patterns at every build was
# 18 ms of `ask`'s start-up, for the few messages that hold a helpline's digits.
@lru_cache(maxsize=256)
def _pattern(groups: tuple[str, ...]) -> re.Pattern[str]:
    """Where a number stands as a helpline in a message: written with its own spaces or dots,
    or run together (« 116 006 », « 116006 »)."""
    spaced = r"[\s.]?".join(groups)
    if len("".join(groups)) < NAMED_DIGITS:
        return re.compile(rf"(?<![\w\d]){spaced}(?![\w\d]){_NOT_A_LINE}", re.IGNORECASE)
    # A long one stands alone or after « le », « au », « du »… (« le 3919 c'est gratuit ? »),
    # not inside a sentence (« la ligne 112 du bus », « le quartier compte 3114 habitants »,
    # « la salle 114 ») or before a street (or the address the redaction set aside).
    return re.compile(
        rf"(?:^\s*|[(«\"]\s*|\b(?:le|au|du|num[ée]ro|num|appeler|appelle|composer"
        rf"|all[oô])\s+)"
        rf"{spaced}(?![\w\d]){_NOT_A_LINE}(?!\s*(?:de\s+la\s+|du\s+|de\s+l['’]\s*)?"
        rf"(?:\[|rue|av|avenue|bd|boulevard|all[ée]e"
        rf"|place|chemin|impasse|route|quai|cours|habitants?|personnes?|places?)\b)",
        re.IGNORECASE,
    )
