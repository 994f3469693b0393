"""Typed, immutable knowledge: what the staff's YAML files say, once checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from bot.knowledge.ids import slug
from bot.knowledge.services import BY_SLOT, MAX_PER_CARD

# The situation of securite.yaml that orders /urgence (it lists every number). Its triggers count
# only in a message that says nothing else: « urgence », « au secours » or « SOS » alone ask for
# the emergency numbers; « le service des urgences ferme à quelle heure » or « le Secours
# catholique » do not (bot.matching.safety). The danger model does not learn it.
ALONE: Final = "numeros-urgence"
# A number three situations or more list (17, 112) is a general one: it says nothing of which
# danger it is (bot.answer orders situations by their own numbers; bot.matching.helplines sends
# « le 17 ? » to the general list).
GENERAL_NUMBER: Final = 3

# The national contact that says « pas encore de contact local ici » (contacts/nationaux.yaml):
# left out of a card that shows a local contact.
NO_LOCAL_CONTACT_YET: Final = "accueil-mairie"


@dataclass(frozen=True)
class Theme:
    id: str  # "1" … "6", "T1", "T2"
    title: str
    short_name: str
    emoji: str
    transversal: bool
    explanation: str

    @property
    def slug(self) -> str:
        return slug("th", self.id)

    @property
    def label(self) -> str:
        return f"{self.emoji} {self.short_name}"


@dataclass(frozen=True)
class Orientation:
    id: str  # "1.1" … "5.2"
    theme_id: str
    title: str
    short_name: str

    @property
    def slug(self) -> str:
        return slug("or", self.id)


@dataclass(frozen=True)
class Objective:
    id: str
    theme_id: str
    orientation_id: str | None
    text: str
    explanation: str
    vocabulary: tuple[str, ...]
    examples: tuple[str, ...]
    contact_ids: tuple[str, ...]
    source: str = ""  # "file:line", for messages to staff
    example_lines: tuple[int, ...] = ()  # line of each example in the source file
    button: str = ""  # short plain name on choice buttons; "" for the contract's wording

    @property
    def slug(self) -> str:
        return slug("obj", self.id)


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    local: bool
    kind: str = ""  # type of structure, for local slots
    purpose: str = ""
    phone: str = ""
    website: str = ""
    address: str = ""
    hours: str = ""
    source: str = ""
    verified: bool = False
    serves: tuple[str, ...] = ()
    # Generated from official open data (contacts/officiels.yaml): its kind of service and
    # the « Source : … (date) » line shown with it.
    service: str = ""
    credit: str = ""

    @property
    def shown(self) -> bool:
        """Only verified contacts with a name and a way to reach them are ever shown."""
        if not self.verified or not self.name.strip():
            return False
        # A national service may be a scheme (Pass'Sport) described by its purpose alone.
        return bool(self.phone or self.website or self.address or not self.local)


@dataclass(frozen=True)
class Situation:
    """A danger that puts emergency numbers first."""

    id: str
    title: str
    message: str
    contact_ids: tuple[str, ...]
    triggers: tuple[str, ...]
    # No contract card after the block when a message speaks of nothing else: no objective
    # answers a fire or a gas leak, and « ya le feu chez le voisin » got the neighbourhood's
    # quiet.
    no_card: bool = False
    # What names the situation when someone asks which number to call (« les violences
    # conjugales », « le SAMU »): read only in such a question (see bot.matching.helplines).
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Locality:
    """The commune set by ``python -m bot localize``: its priority neighbourhoods (QPV)."""

    insee: str
    name: str
    quartiers: tuple[str, ...] = ()
    source: str = ""
    date: str = ""


@dataclass(frozen=True)
class Term:
    """A word of the contract people ask the meaning of (glossaire.yaml)."""

    id: str
    names: tuple[str, ...]  # how people write it: the first is the title (« QPV »…)
    definition: str
    contact_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Knowledge:
    themes: tuple[Theme, ...]
    orientations: tuple[Orientation, ...]
    objectives: tuple[Objective, ...]
    contacts: tuple[Contact, ...]
    lexicon: Mapping[str, tuple[str, ...]]
    situations: tuple[Situation, ...]
    safe_idioms: tuple[str, ...]
    texts: Mapping[str, str]
    general_contact_ids: tuple[str, ...] = ()
    smalltalk: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # hors_sujet.yaml: what the contract does not cover, for the matcher's "unknown".
    out_of_scope: tuple[str, ...] = ()
    # danger/*.yaml: examples per situation id, and "sans-danger", for the danger model.
    danger_examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    locality: Locality | None = None
    glossary: tuple[Term, ...] = ()
    # securite.yaml: how a message asks for a number (« numéro », « qui appeler »).
    number_requests: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Lookup tables are derived once; the dataclass stays the single source of truth.
        object.__setattr__(self, "_themes", {t.id: t for t in self.themes})
        object.__setattr__(self, "_orientations", {o.id: o for o in self.orientations})
        object.__setattr__(self, "_objectives", {o.id: o for o in self.objectives})
        object.__setattr__(self, "_contacts", {c.id: c for c in self.contacts})
        object.__setattr__(self, "_contacts_cache", {})
        object.__setattr__(self, "lexicon", MappingProxyType(dict(self.lexicon)))
        object.__setattr__(self, "texts", MappingProxyType(dict(self.texts)))

    # -- lookups ---------------------------------------------------------------------------
    def theme(self, theme_id: str) -> Theme | None:
        return self._themes.get(theme_id)  # type: ignore[attr-defined, no-any-return]

    def orientation(self, orientation_id: str) -> Orientation | None:
        return self._orientations.get(orientation_id)  # type: ignore[attr-defined, no-any-return]

    def objective(self, objective_id: str) -> Objective | None:
        return self._objectives.get(objective_id)  # type: ignore[attr-defined, no-any-return]

    def term(self, term_id: str) -> Term | None:
        return next((t for t in self.glossary if t.id == term_id), None)

    def contact(self, contact_id: str) -> Contact | None:
        return self._contacts.get(contact_id)  # type: ignore[attr-defined, no-any-return]

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def orientations_of(self, theme_id: str) -> list[Orientation]:
        return [o for o in self.orientations if o.theme_id == theme_id]

    def objectives_of(self, theme_id: str, orientation_id: str | None = None) -> list[Objective]:
        return [
            o
            for o in self.objectives
            if o.theme_id == theme_id
            and (orientation_id is None or o.orientation_id == orientation_id)
        ]

    def contacts_for(self, objective: Objective) -> list[Contact]:
        """Contacts a resident may see for an objective: local first, then national.

        An objective lists its own contacts; a contact may also declare the objectives,
        orientations or themes it serves. Hidden (empty or unverified) contacts never appear.
        """
        cached = self._contacts_cache.get(objective.id)  # type: ignore[attr-defined]
        if cached is not None:
            return list(cached)
        scopes = {objective.id, objective.theme_id}
        if objective.orientation_id:
            scopes.add(objective.orientation_id)
        chosen: dict[str, Contact] = {}
        for cid in objective.contact_ids:
            c = self.contact(cid)
            if c is not None:
                for e in self.service_contacts(c):
                    chosen.setdefault(e.id, e)
        for c in self.contacts:
            if scopes.intersection(c.serves):
                for e in self.service_contacts(c):
                    chosen.setdefault(e.id, e)
        shown = [c for c in chosen.values() if c.shown]
        if any(c.local for c in shown):
            # « Pas encore de contact local ici » would contradict the local contact above it.
            shown = [c for c in shown if c.id != NO_LOCAL_CONTACT_YET]
        ordered = [c for c in shown if c.local] + [c for c in shown if not c.local]
        # The knowledge never changes once loaded (a reload builds a new one): cache per id.
        self._contacts_cache[objective.id] = tuple(ordered)  # type: ignore[attr-defined]
        return ordered

    def service_contacts(self, c: Contact) -> list[Contact]:
        """A kind of service's slot left empty by staff stands for the commune's official
        entries of that kind, or, with no commune set, for the national service."""
        kind = BY_SLOT.get(c.id)
        if kind is None or c.shown:
            return [c]
        official = [o for o in self.contacts if o.service == kind.id and o.shown]
        if official:
            return official[:MAX_PER_CARD]
        national = self.contact(kind.national)
        return [national] if national is not None else [c]

    def shown_contacts(self, ids: tuple[str, ...] | list[str]) -> list[Contact]:
        found = (self.contact(i) for i in ids)
        return [c for c in found if c is not None and c.shown]
