"""Compose what the resident reads, as plain data that the terminal and Telegram both render."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bot.knowledge.models import Contact, Knowledge, Objective, Situation
from bot.matching.matcher import MatchResult

ReplyKind = Literal["answer", "suggest", "unknown", "smalltalk"]
MAX_CANDIDATES = 3


@dataclass(frozen=True)
class ContactCard:
    name: str
    purpose: str
    phone: str = ""
    website: str = ""
    address: str = ""
    hours: str = ""
    local: bool = False

    @classmethod
    def of(cls, c: Contact) -> ContactCard:
        return cls(c.name, c.purpose, c.phone, c.website, c.address, c.hours, c.local)


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


def objective_label(knowledge: Knowledge, o: Objective, width: int = 60) -> str:
    """Short button label: theme emoji, id and the start of the contract's wording."""
    theme = knowledge.theme(o.theme_id)
    emoji = theme.emoji if theme else ""
    text = o.text if len(o.text) <= width else o.text[: width - 1].rsplit(" ", 1)[0] + "…"
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


def emergency_block(
    knowledge: Knowledge, situations: tuple[Situation, ...] | list[Situation]
) -> EmergencyBlock | None:
    if not situations:
        return None
    seen: list[Contact] = []
    for s in situations:
        for c in knowledge.shown_contacts(s.contact_ids):
            if c not in seen:
                seen.append(c)
    return EmergencyBlock(
        knowledge.text("urgence_titre"),
        tuple(s.message for s in situations),
        tuple(ContactCard.of(c) for c in seen),
    )


def general_contacts(knowledge: Knowledge) -> tuple[ContactCard, ...]:
    return tuple(ContactCard.of(c) for c in knowledge.shown_contacts(knowledge.general_contact_ids))


def compose(knowledge: Knowledge, result: MatchResult) -> Reply:
    """The reply to a free-text message, from the matcher's result."""
    emergency = emergency_block(knowledge, result.emergencies)
    if result.smalltalk is not None:
        reply_text = knowledge.smalltalk.get(result.smalltalk, ("",))[0]
        return Reply("smalltalk", reply_text, emergency, show_theme_menu=True)
    found = [(m, knowledge.objective(m.objective_id)) for m in result.matches]
    objectives = [o for _m, o in found if o is not None]
    if result.decision == "answer" and objectives:
        others = tuple(
            Candidate(o.id, objective_label(knowledge, o)) for o in objectives[1:MAX_CANDIDATES]
        )
        card = objective_card(knowledge, objectives[0])
        if emergency is not None:
            # Numbers already given in the emergency block are not repeated below.
            card = replace(
                card, contacts=tuple(c for c in card.contacts if c not in emergency.contacts)
            )
        return Reply("answer", "", emergency, card, others)
    if result.decision == "suggest" and objectives:
        cands = tuple(
            Candidate(o.id, objective_label(knowledge, o)) for o in objectives[:MAX_CANDIDATES]
        )
        return Reply("suggest", knowledge.text("suggestion"), emergency, None, cands)
    if emergency is not None:
        # The emergency numbers are the answer: no "not understood" under them.
        return Reply("unknown", "", emergency, show_theme_menu=True)
    return Reply(
        "unknown",
        knowledge.text("pas_compris"),
        emergency,
        general_contacts=general_contacts(knowledge),
        general_title=knowledge.text("contact_general"),
        show_theme_menu=True,
    )


def objective_reply(knowledge: Knowledge, objective_id: str) -> Reply | None:
    o = knowledge.objective(objective_id)
    if o is None:
        return None
    return Reply("answer", "", None, objective_card(knowledge, o))


def all_emergencies(knowledge: Knowledge) -> EmergencyBlock:
    """Every emergency number of the knowledge, for /urgence."""
    block = emergency_block(knowledge, knowledge.situations)
    contacts = block.contacts if block else ()
    return EmergencyBlock(knowledge.text("urgence_commande"), (), contacts)
