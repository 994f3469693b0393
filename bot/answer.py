"""Compose what the resident reads, as plain data that every channel renders.

A ``Reply`` is one message: an answer card, an emergency block, a page of the theme menu, a
bot phrase. It carries the labels it needs (``bot.labels``), so the layout
(``bot.render.layout``) turns it into lines without looking anything up.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from bot.knowledge.models import ALONE, GENERAL_NUMBER, Contact, Knowledge, Objective, Situation
from bot.labels import Labels, fill
from bot.matching.danger_model import sentences
from bot.matching.matcher import SHOWN, MatchResult

ReplyKind = Literal["answer", "suggest", "unknown", "smalltalk", "page"]
MAX_CANDIDATES = SHOWN
# How many numbers the one-line warning of a possible danger gives.
POSSIBLE_NUMBERS: Final = 4
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class ContactCard:
    name: str
    purpose: str
    phone: str = ""
    website: str = ""
    address: str = ""
    hours: str = ""
    local: bool = False
    credit: str = ""  # « Source : … (date) » of a contact from official open data

    @classmethod
    def of(cls, c: Contact) -> ContactCard:
        return cls(c.name, c.purpose, c.phone, c.website, c.address, c.hours, c.local, c.credit)


@dataclass(frozen=True)
class EmergencyBlock:
    title: str
    messages: tuple[str, ...]
    contacts: tuple[ContactCard, ...]


@dataclass(frozen=True)
class ObjectiveCard:
    objective_id: str
    theme_id: str
    theme_label: str  # emoji + short name
    theme_title: str
    orientation_id: str | None
    orientation_title: str | None
    text: str  # verbatim from the contract
    explanation: str
    contacts: tuple[ContactCard, ...]


@dataclass(frozen=True)
class Heading:
    """The head of a theme or orientation page: where the resident is in the contract."""

    theme_label: str
    theme_title: str
    orientation_id: str | None = None
    orientation_title: str | None = None
    explanation: str = ""


@dataclass(frozen=True)
class Candidate:
    objective_id: str
    label: str


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    intro: str = ""
    emergency: EmergencyBlock | None = None
    card: ObjectiveCard | None = None
    candidates: tuple[Candidate, ...] = ()  # other objectives the resident may mean
    general_contacts: tuple[ContactCard, ...] = ()
    general_title: str = ""
    show_theme_menu: bool = False
    # A possible danger: one short line of numbers above the answer (instead of the block).
    danger_line: str = ""
    heading: Heading | None = None
    footer: str = ""  # « Cette réponse vous a aidé ? » when the vote buttons go with it
    labels: Labels = field(default_factory=Labels)


def objective_label(knowledge: Knowledge, o: Objective, width: int = 60) -> str:
    """Short button label: theme emoji, id and the objective's short name (« bouton »), or
    the start of the contract's wording when it has none."""
    theme = knowledge.theme(o.theme_id)
    emoji = theme.emoji if theme else ""
    text = o.button or o.text
    text = text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"
    return f"{emoji} {o.id} · {text}".strip()


def objective_card(knowledge: Knowledge, o: Objective) -> ObjectiveCard:
    theme = knowledge.theme(o.theme_id)
    orientation = knowledge.orientation(o.orientation_id) if o.orientation_id else None
    return ObjectiveCard(
        objective_id=o.id,
        theme_id=o.theme_id,
        theme_label=theme.label if theme else o.theme_id,
        theme_title=theme.title if theme else "",
        orientation_id=orientation.id if orientation else None,
        orientation_title=orientation.title if orientation else None,
        text=o.text,
        explanation=o.explanation,
        # No verified contact for this objective yet: the general ones, never an empty card.
        contacts=tuple(
            ContactCard.of(c)
            for c in knowledge.contacts_for(o)
            or knowledge.shown_contacts(knowledge.general_contact_ids)
        ),
    )


# -- danger ---------------------------------------------------------------------------------


def most_specific_first(
    knowledge: Knowledge, situations: tuple[Situation, ...], lead: str | None = None
) -> list[Situation]:
    """The ``lead`` situation first (the one the danger model is sure of, see
    :attr:`~bot.matching.matcher.MatchResult.lead`); then situations with numbers of their own
    (3919, 119, 3114…) before the general ones (danger immédiat, urgence médicale), which only
    repeat 17, 15 or 112; ties keep the order given. A number is general when three situations
    or more list it; the situation that orders /urgence
    (:data:`~bot.knowledge.models.ALONE`: it lists every number) and those without triggers do
    not count."""
    uses = Counter(
        cid
        for o in knowledge.situations
        if o.triggers and o.id != ALONE
        for cid in set(o.contact_ids)
    )

    def own_numbers(s: Situation) -> int:
        return sum(1 for cid in s.contact_ids if uses[cid] < GENERAL_NUMBER)

    return sorted(situations, key=lambda s: (s.id != lead, -own_numbers(s)))


def _numbers_in(sentence: str, phones: set[str]) -> set[str]:
    # A phone written alone (« le 17 », « 3018.fr »), not a time (« 24h/24 »).
    return {p for p in phones if re.search(rf"(?<![\w/]){re.escape(p)}(?![\w/])", sentence)}


def emergency_block(
    knowledge: Knowledge,
    situations: tuple[Situation, ...] | list[Situation],
    lead: str | None = None,
    first: tuple[str, ...] = (),
) -> EmergencyBlock | None:
    """One block for every situation that fired: each number once, each piece of advice once,
    the ``lead`` or else the most specific situation first (:func:`most_specific_first`), and
    the contacts of ``first`` before the others (a service asked for by name). A later
    situation's sentence that only repeats numbers already given (« appelez le 17… SMS au
    114 ») is left out."""
    if not situations:
        return None
    ordered = most_specific_first(knowledge, tuple(situations), lead)
    contacts = _contacts_of(knowledge, ordered)
    if first:
        contacts.sort(key=lambda c: first.index(c.id) if c.id in first else len(first))
    phones = {c.phone for c in knowledge.contacts if c.phone}
    messages: list[str] = []
    said: set[str] = set()
    for number, s in enumerate(ordered):
        kept = []
        for sentence in _SENTENCE_END.split(s.message.strip()):
            found = _numbers_in(sentence, phones)
            repeated = sentence in messages or any(sentence in m for m in messages)
            if number and (repeated or (found and found <= said)):
                continue
            kept.append(sentence)
            said |= found
        if kept:
            messages.append(" ".join(kept))
    return EmergencyBlock(
        knowledge.text("urgence_titre"),
        tuple(messages),
        tuple(ContactCard.of(c) for c in contacts),
    )


def _contacts_of(knowledge: Knowledge, situations: list[Situation]) -> list[Contact]:
    """The situations' contacts in order, each number once."""
    contacts: list[Contact] = []
    for s in situations:
        for c in knowledge.shown_contacts(s.contact_ids):
            if c not in contacts and not (c.phone and c.phone in {x.phone for x in contacts}):
                contacts.append(c)
    return contacts


def _number_label(c: Contact) -> str:
    """« Police secours 17 »; a name that already holds the number is not repeated with it
    (« Urgence 114, par écrit » + « SMS au 114 » → « SMS au 114 »)."""
    if c.phone in c.name:
        return c.name
    digits = re.sub(r"\D", "", c.phone)
    if digits and digits in re.sub(r"\D", "", c.name):
        return c.phone
    return f"{c.name} {c.phone}"


def possible_danger_line(
    knowledge: Knowledge, situations: tuple[Situation, ...], lead: str | None = None
) -> str:
    """« Si vous êtes en danger : Police secours 17 · Violences Femmes Info 3919 · … »: the
    first number of each situation (in :func:`most_specific_first`'s order), then the second
    of each…, at most four, all taken from the situations' contacts in the knowledge."""
    per_situation = [
        [c for c in knowledge.shown_contacts(s.contact_ids) if c.phone]
        for s in most_specific_first(knowledge, situations, lead)
    ]
    chosen: list[Contact] = []
    for rank in range(max((len(cs) for cs in per_situation), default=0)):
        for cs in per_situation:
            if rank < len(cs) and cs[rank].phone not in {c.phone for c in chosen}:
                chosen.append(cs[rank])
    if not chosen:
        return ""
    numbers = " · ".join(_number_label(c) for c in chosen[:POSSIBLE_NUMBERS])
    return f"{knowledge.text('danger_possible')} {numbers}".strip()


def general_contacts(knowledge: Knowledge) -> tuple[ContactCard, ...]:
    return tuple(ContactCard.of(c) for c in knowledge.shown_contacts(knowledge.general_contact_ids))


# -- replies --------------------------------------------------------------------------------


def _also(knowledge: Knowledge, result: MatchResult) -> list[Objective]:
    """The message's second subject, offered after the others (see
    :meth:`~bot.matching.matcher.Matcher.second_subject`)."""
    found = knowledge.objective(result.also.objective_id) if result.also else None
    return [found] if found is not None else []


def compose(knowledge: Knowledge, result: MatchResult) -> Reply:
    """The reply to a free-text message, from the matcher's result."""
    labels = Labels.of(knowledge)
    sure = result.danger_level == "sure" or (result.emergency and result.danger_level == "none")
    emergency = (
        emergency_block(knowledge, result.emergencies, result.lead, result.first) if sure else None
    )
    if result.helplines and not result.emergency:
        # « le numéro pour les violences conjugales ? »: the numbers are the answer. A question
        # of one sentence asks nothing else: no card under them (« le 3919 c'est gratuit ? »
        # got the card on free outings), the themes instead.
        emergency = emergency_block(knowledge, result.helplines)
        if not sentences(result.question):
            return Reply("unknown", emergency=emergency, labels=labels, show_theme_menu=True)
    danger_line = (
        possible_danger_line(knowledge, result.emergencies, result.lead)
        if result.emergency and emergency is None
        else ""
    )
    if result.foreign and emergency is None and not danger_line:
        # The bot cannot tell whether a message in another language speaks of danger.
        danger_line = knowledge.text("autre_langue")
    base = Reply("unknown", emergency=emergency, danger_line=danger_line, labels=labels)
    if result.smalltalk is not None:
        reply_text = knowledge.smalltalk.get(result.smalltalk, ("",))[0]
        return replace(base, kind="smalltalk", intro=reply_text, show_theme_menu=True)
    found = [(m, knowledge.objective(m.objective_id)) for m in result.matches]
    objectives = [o for _m, o in found if o is not None]
    if result.decision == "answer" and objectives:
        others = tuple(
            Candidate(o.id, objective_label(knowledge, o))
            for o in [*objectives[1:MAX_CANDIDATES], *_also(knowledge, result)]
        )
        card = objective_card(knowledge, objectives[0])
        if emergency is not None:
            # Numbers already given in the emergency block are not repeated below.
            given = {c.phone for c in emergency.contacts if c.phone}
            card = replace(
                card,
                contacts=tuple(
                    c for c in card.contacts if c not in emergency.contacts and c.phone not in given
                ),
            )
        return replace(base, kind="answer", card=card, candidates=others)
    if result.decision == "suggest" and objectives:
        cands = tuple(
            Candidate(o.id, objective_label(knowledge, o))
            for o in [*objectives[:MAX_CANDIDATES], *_also(knowledge, result)]
        )
        return replace(base, kind="suggest", intro=knowledge.text("suggestion"), candidates=cands)
    if emergency is not None:
        # The emergency numbers are the answer: no "not understood" under them.
        return replace(base, show_theme_menu=True)
    return replace(
        base,
        # Under a line of numbers (a possible danger), « try other words » would be the wrong
        # thing to say: the numbers come first.
        intro=knowledge.text("pas_compris_danger" if result.emergency else "pas_compris"),
        general_contacts=general_contacts(knowledge),
        general_title=knowledge.text("contact_general"),
        show_theme_menu=True,
    )


def objective_reply(knowledge: Knowledge, objective_id: str) -> Reply | None:
    o = knowledge.objective(objective_id)
    if o is None:
        return None
    return Reply("answer", card=objective_card(knowledge, o), labels=Labels.of(knowledge))


def theme_reply(knowledge: Knowledge, theme_id: str) -> Reply | None:
    theme = knowledge.theme(theme_id)
    if theme is None:
        return None
    heading = Heading(theme.label, theme.title, explanation=theme.explanation)
    return Reply("page", heading=heading, labels=Labels.of(knowledge))


def orientation_reply(knowledge: Knowledge, orientation_id: str) -> Reply | None:
    o = knowledge.orientation(orientation_id)
    if o is None:
        return None
    theme = knowledge.theme(o.theme_id)
    heading = Heading(
        theme.label if theme else o.theme_id, theme.title if theme else "", o.id, o.title
    )
    return Reply("page", heading=heading, labels=Labels.of(knowledge))


def term_reply(knowledge: Knowledge, term_id: str) -> Reply | None:
    """A word of the glossary: its definition, and who can say more (its contacts that are
    shown, else the general ones)."""
    term = knowledge.term(term_id)
    if term is None:
        return None
    cards = tuple(ContactCard.of(c) for c in knowledge.shown_contacts(term.contact_ids))
    return Reply(
        "page",
        f"📖 {term.names[0]}\n{term.definition}",
        general_contacts=cards or general_contacts(knowledge),
        general_title=knowledge.text("contact_general"),
        labels=Labels.of(knowledge),
    )


def text_reply(knowledge: Knowledge, key: str, **values: str) -> Reply:
    """A bot phrase of textes.yaml on its own (« aide », « ralentir »…)."""
    return Reply("page", fill(knowledge.text(key), **values), labels=Labels.of(knowledge))


def contacts_reply(knowledge: Knowledge) -> Reply:
    national = [
        c for c in knowledge.contacts if c.shown and c.id not in knowledge.general_contact_ids
    ]
    cards = general_contacts(knowledge) + tuple(
        ContactCard.of(c) for c in national if c.phone or c.website
    )
    return Reply(
        "page",
        general_title=knowledge.text("contacts_titre"),
        general_contacts=cards,
        labels=Labels.of(knowledge),
    )


def all_emergencies(knowledge: Knowledge) -> EmergencyBlock:
    """Every emergency number of the knowledge, for /urgence."""
    # In the order of securite.yaml, whose first situations start with 17 and 112.
    contacts = _contacts_of(knowledge, list(knowledge.situations))
    return EmergencyBlock(
        knowledge.text("urgence_commande"), (), tuple(ContactCard.of(c) for c in contacts)
    )


def emergency_reply(knowledge: Knowledge) -> Reply:
    return Reply("page", emergency=all_emergencies(knowledge), labels=Labels.of(knowledge))
