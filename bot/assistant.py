"""The assistant every channel talks to: Telegram messages and buttons, Telegram inline mode
and the terminal chat. Telegram-free.

A channel turns what it receives into a ``Request`` and draws the ``Outcome``: the ``Reply`` to
show, the actions to offer (topics, other candidates, votes, sharing), what to record. The
rules live here, once: danger first, every request of a flooding resident set aside after one
warning (the emergency numbers still go out, once a minute), a repeated emergency block at
most once a minute, the text of a question kept only when it helps staff (never for danger or
a sensitive topic), votes signed, one knowledge snapshot per answer, and the reply never kept
waiting for the question log.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, Literal

from bot.answer import (
    Reply,
    compose,
    contacts_reply,
    emergency_block,
    emergency_reply,
    objective_reply,
    orientation_reply,
    possible_danger_line,
    term_reply,
    text_reply,
    theme_reply,
)
from bot.background import BackgroundWriter
from bot.flood import FloodGuard, RepeatGuard
from bot.knowledge.ids import parse_slug, slug
from bot.knowledge.models import Knowledge
from bot.knowledge.problems import Report
from bot.labels import Labels, fill
from bot.localities.communes import Directory, directory, is_postal_code
from bot.localities.near import nearest_reply, postal_code_reply
from bot.snapshots import per_knowledge
from bot.staff.redact import sensitive_topic
from bot.store import KnowledgeStore, Snapshot
from bot.votes import VoteSigner, is_vote, new_vote_token

if TYPE_CHECKING:
    from bot.staff.question_log import QuestionLog

log = logging.getLogger(__name__)

# What a button sends back besides knowledge slugs (``bot.knowledge.ids``) and votes.
MENU: Final = "menu"
CONTACTS: Final = "contacts"
EMERGENCY: Final = "urgence"  # also the deep-link payload of the emergency card
EMERGENCY_NOT_KEPT: Final = "[message d'urgence : texte non conservé]"
SENSITIVE_NOT_KEPT: Final = "[sujet sensible : texte non conservé]"
ANSWERED_NOT_KEPT: Final = "[réponse donnée : texte non conservé]"
# Decisions whose wording helps staff (what the bot missed); for an answer, the objective says
# enough and the resident's own words are not kept.
KEEP_TEXT_FOR: Final = frozenset({"unknown", "suggest"})
# Inline mode sends a query at each keystroke: a budget of its own, for a long query or two a
# minute (Telegram's clients already wait a moment between keystrokes).
SEARCH_LIMIT: Final = 150
# The privacy notice's slots (textes.yaml), filled by staff; never made up by the bot.
PRIVACY_SLOTS: Final = (
    ("responsable_traitement", "Responsable du traitement"),
    ("base_legale", "Base légale"),
    ("contact_donnees", "Pour vos questions ou vos droits sur ces données"),
)
PRIVACY_SLOT_EMPTY: Final = "pas encore indiqué par la ville"
MAX_ARTICLES: Final = 10

Channel = Literal["private", "group", "inline", "terminal"]
RequestKind = Literal["text", "command", "button", "media", "search", "location"]


@dataclass(frozen=True)
class Request:
    """What a resident did. ``who`` is opaque and only serves the flood rules; ``when`` is a
    monotonic clock in seconds."""

    kind: RequestKind
    text: str = ""  # the message, the command's name, the button's data or the inline query
    payload: str = ""  # a command's argument (a deep link's payload)
    who: Hashable | None = None
    when: float = 0.0
    channel: Channel = "private"
    # A shared location (latitude, longitude): used for that reply only, never stored.
    location: tuple[float, float] | None = None


def typed(line: str, channel: Channel = "terminal") -> Request:
    """A line typed as in Telegram: « /start obj_2-2 » is a command, anything else a message."""
    if line.startswith("/") and len(line) > 1:
        name, _, payload = line[1:].partition(" ")
        return Request("command", name.split("@")[0].lower(), payload.strip(), channel=channel)
    return Request("text", line, channel=channel)


ActionKind = Literal["topic", "vote", "share"]


@dataclass(frozen=True)
class Action:
    """A button: its label and what pressing it sends back (``Request("button", data)``);
    for ``share``, the objective id to share through inline mode."""

    label: str
    data: str
    kind: ActionKind = "topic"


Rows = tuple[tuple[Action, ...], ...]


@dataclass(frozen=True)
class Question:
    """What the question log keeps of a message: never who sent it."""

    text: str
    decision: str
    objective: str | None
    score: float
    vote_token: str = ""  # random, drawn for this entry alone: what its vote buttons carry


@dataclass(frozen=True)
class Vote:
    token: str
    helpful: bool


@dataclass(frozen=True)
class Article:
    """An inline-mode result: the card it posts, and the deep link that opens the bot on it."""

    id: str
    title: str
    description: str
    reply: Reply
    link: str


@dataclass(frozen=True)
class Outcome:
    """What the channel shows. ``reply`` ``None``: nothing to send (set aside by the flood
    rule). ``lead`` goes first, on its own (the welcome, which sets the ``quick`` buttons)."""

    reply: Reply | None = None
    actions: Rows = ()
    lead: Reply | None = None
    quick: tuple[str, ...] = ()  # buttons always at hand in a private chat (🆘, 📋)
    locate: str = ""  # the button at hand that sends the resident's location (📍)
    edit: bool = False  # a navigation button: replace the page it was on
    notice: str = ""  # a short note for a button press (« Merci pour votre avis ! »)
    record: Question | Vote | None = None
    articles: tuple[Article, ...] = ()
    ask_label: str = ""  # inline mode: the button that opens the bot to ask
    dropped: bool = False  # set aside by the flood rule: no answer at all, not even a notice


@dataclass(frozen=True)
class Command:
    """A command every channel has. Telegram registers each one and shows ``description``
    (a key of textes.yaml) in its commands menu."""

    names: tuple[str, ...]  # the first is the one shown
    description: str
    run: Callable[[Assistant, Knowledge, Request], Outcome]


# -- actions --------------------------------------------------------------------------------


@per_knowledge
def theme_menu(knowledge: Knowledge) -> Rows:
    labels = Labels.of(knowledge)
    rows: list[tuple[Action, ...]] = [(Action(t.label, t.slug),) for t in knowledge.themes]
    rows.append(
        (Action(labels.bouton_contacts, CONTACTS), Action(labels.bouton_urgences, EMERGENCY))
    )
    return tuple(rows)


@per_knowledge
def home_row(knowledge: Knowledge) -> Rows:
    return ((Action(Labels.of(knowledge).bouton_tous_les_sujets, MENU),),)


@per_knowledge
def theme_actions(knowledge: Knowledge, theme_id: str) -> Rows:
    orientations = knowledge.orientations_of(theme_id)
    if orientations:
        rows = [(Action(f"{o.id} · {o.short_name}", o.slug),) for o in orientations]
    else:
        rows = [(Action(f"{o.id} · {o.text}", o.slug),) for o in knowledge.objectives_of(theme_id)]
    return (*rows, *home_row(knowledge))


@per_knowledge
def orientation_actions(knowledge: Knowledge, orientation_id: str) -> Rows:
    labels = Labels.of(knowledge)
    o = knowledge.orientation(orientation_id)
    theme_id = o.theme_id if o else orientation_id.split(".")[0]
    rows = [
        (Action(f"{obj.id} · {obj.text}", obj.slug),)
        for obj in knowledge.objectives_of(theme_id, orientation_id)
    ]
    back = (
        Action(labels.bouton_retour, slug("th", theme_id)),
        Action(labels.bouton_tous_les_sujets, MENU),
    )
    return (*rows, back)


def welcome_reply(knowledge: Knowledge) -> Reply:
    """The welcome, with the commune's priority neighbourhoods once ``localize`` has run."""
    reply = text_reply(knowledge, "accueil")
    locality = knowledge.locality
    if locality is None or not locality.quartiers:
        return reply
    line = fill(
        knowledge.text("accueil_quartiers"),
        commune=locality.name or locality.insee,
        quartiers=", ".join(locality.quartiers),
    )
    return replace(reply, intro=f"{reply.intro}\n{line}")


def reply_actions(knowledge: Knowledge, reply: Reply, votes: tuple[str, str] | None) -> Rows:
    """The buttons under an answer: candidates, votes, other topics, sharing, the menu."""
    labels = reply.labels
    rows: list[tuple[Action, ...]] = []
    if reply.kind == "suggest":
        rows += [(Action(c.label, slug("obj", c.objective_id)),) for c in reply.candidates]
    card = reply.card
    if card is not None:
        if votes is not None:
            rows.append(
                (
                    Action(labels.bouton_oui, votes[0], "vote"),
                    Action(labels.bouton_non, votes[1], "vote"),
                )
            )
        rows += [
            (Action(fill(labels.bouton_autre_sujet, sujet=c.label), slug("obj", c.objective_id)),)
            for c in reply.candidates
        ]
        back = slug("or", card.orientation_id) if card.orientation_id else slug("th", card.theme_id)
        rows.append(
            (
                Action(fill(labels.bouton_thematique, sujet=card.theme_label), back),
                Action(labels.bouton_partager, card.objective_id, "share"),
            )
        )
        rows += home_row(knowledge)
    if reply.show_theme_menu:
        rows += theme_menu(knowledge)
    return tuple(rows)


# -- the assistant --------------------------------------------------------------------------


@dataclass
class Assistant:
    store: KnowledgeStore
    question_log: QuestionLog | None = None
    votes: VoteSigner = field(default_factory=lambda: VoteSigner(secrets.token_hex(16)))
    flood: FloodGuard = field(default_factory=FloodGuard)
    repeats: RepeatGuard = field(default_factory=RepeatGuard)
    retention_days: int = 90
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    searches: FloodGuard = field(default_factory=lambda: FloodGuard(limit=SEARCH_LIMIT))
    # A flooding resident still gets the emergency numbers, once a minute.
    urgent: RepeatGuard = field(default_factory=RepeatGuard)
    writer: BackgroundWriter = field(default_factory=BackgroundWriter)

    @property
    def knowledge(self) -> Knowledge:
        return self.store.snapshot.knowledge

    # -- answering ---------------------------------------------------------------------------
    def respond(self, request: Request) -> Outcome:
        """The outcome of a request, its record written before it returns (the terminal)."""
        outcome, knowledge = self._decide(request)
        return self._finish(outcome, knowledge, self._write(outcome.record))

    async def arespond(self, request: Request) -> Outcome:
        """As :meth:`respond`, but the reply never waits for the question log: the record is
        handed to a writer thread of its own and written while the reply goes out, so a
        locked or slow database costs a lost record at worst, never a resident's time."""
        outcome, knowledge = self._decide(request)
        record = outcome.record
        queued = record is not None and self.question_log is not None
        if queued:
            queued = self.writer.submit(self._write, record)
        # A vote's signature was checked: thanked at once, written meanwhile.
        return self._finish(outcome, knowledge, queued)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until the records handed to the writer are written (shutdown, tests)."""
        return self.writer.drain(timeout)

    def admit(self, request: Request) -> Outcome | None:
        """``None`` when the request may be answered, else what a flooding resident gets (for
        channel-side commands such as /stats, which every resident can send too)."""
        return self._held_back(self.store.snapshot.knowledge, request)

    def _held_back(
        self, knowledge: Knowledge, request: Request, urgent: bool = False
    ) -> Outcome | None:
        """The flood rule, for every kind of request: past the limit, one note asking to slow
        down, then nothing until the window frees up. A request for the emergency numbers (a
        danger message, /urgence, 🆘) still gets them, at most once a minute."""
        if request.who is None:
            return None
        guard = self.searches if request.kind == "search" else self.flood
        verdict = guard.check(request.who, request.when)
        if verdict == "ok":
            return None
        if (urgent or self._asks_for_emergency(request)) and self.urgent.first(
            request.who, EMERGENCY, request.when
        ):
            return None
        if verdict == "warn" and request.kind == "button":
            return Outcome(notice=knowledge.text("ralentir"))
        if verdict == "warn" and request.kind != "search":
            return Outcome(text_reply(knowledge, "ralentir"))
        return Outcome(dropped=True)

    @staticmethod
    def _asks_for_emergency(request: Request) -> bool:
        if request.kind == "command":
            command = command_named(request.text)
            return command is not None and (
                command.run is Assistant._emergency or request.payload == EMERGENCY
            )
        return request.kind == "button" and request.text == EMERGENCY

    def _decide(self, request: Request) -> tuple[Outcome, Knowledge]:
        # One snapshot for the whole answer, even while a reload swaps in another.
        snapshot = self.store.snapshot
        knowledge = snapshot.knowledge
        held = None if request.kind == "text" else self._held_back(knowledge, request)
        if held is not None:
            outcome = held
        elif request.kind == "text":
            outcome = self._text(snapshot, request)
        elif request.kind == "command":
            outcome = self._command(knowledge, request)
        elif request.kind == "button":
            outcome = self._button(knowledge, request)
        elif request.kind == "search":
            outcome = self._search(snapshot, request)
        elif request.kind == "location":
            outcome = self._location(knowledge, request)
        else:  # media: the bot reads text only; in a group it stays out of the conversation
            outcome = (
                Outcome()
                if request.channel == "group"
                else Outcome(text_reply(knowledge, "seulement_texte"))
            )
        if request.channel == "private" and outcome.reply is not None:
            labels = Labels.of(knowledge)
            outcome = replace(
                outcome,
                quick=(labels.bouton_urgences, labels.bouton_themes),
                locate=labels.bouton_pres,
            )
        return outcome, knowledge

    def _text(self, snapshot: Snapshot, request: Request) -> Outcome:
        knowledge = snapshot.knowledge
        labels = Labels.of(knowledge)
        tapped = request.text.strip()
        if tapped and tapped == labels.bouton_urgences:  # the 🆘 button of a private chat
            held = self._held_back(knowledge, request, urgent=True)
            return held or self._emergency(knowledge, request)
        if tapped and tapped == labels.bouton_themes:
            return self._held_back(knowledge, request) or self._themes(knowledge, request)
        if tapped and (tapped == labels.bouton_pres or is_postal_code(tapped)):
            # The 📍 label arrives as text from a client that cannot send a location; a
            # message that is just a postal code asks for the services there. Neither is
            # kept: a postal code says where someone lives.
            held = self._held_back(knowledge, request)
            return held or self._near(knowledge, replace(request, payload=tapped))
        result = snapshot.matcher.match(request.text)
        # Someone who writes too fast is asked to slow down; a message that speaks of danger
        # still gets the emergency numbers, once a minute.
        # Numbers asked for (« le numéro pour les violences conjugales ? ») count as a danger's.
        numbers = result.emergency or bool(result.helplines)
        held = self._held_back(knowledge, request, urgent=numbers)
        if held is not None:
            return held
        page = result.page
        if page is not None and page.kind != "obj" and not result.emergency:
            # « thématique 6 », « orientation 5.2 »: that page, as its button would show it.
            shown = self._page(knowledge, (page.kind, page.id))
            if shown is not None:
                return shown
        if result.term is not None and not numbers:
            # « c'est quoi un QPV ? »: the glossary's definition, then the themes.
            defined = term_reply(knowledge, result.term)
            if defined is not None:
                return Outcome(defined, theme_menu(knowledge))
        reply = compose(knowledge, result)
        block = reply.emergency
        if (
            block is not None
            and request.who is not None
            and not self.repeats.first(request.who, block, request.when)
        ):
            # The same block a moment ago: the short line keeps the numbers in sight.
            line = possible_danger_line(knowledge, result.emergencies, result.lead)
            reply = replace(reply, emergency=None, danger_line=line)
        if reply.kind == "smalltalk":
            return Outcome(reply, reply_actions(knowledge, reply, None))
        best = result.best
        record = Question(
            kept_text(request.text, result.decision, numbers),
            result.decision,
            best.objective_id if best else None,
            best.score if best else 0.0,
            new_vote_token(),
        )
        return Outcome(reply, record=record)

    def _finish(self, outcome: Outcome, knowledge: Knowledge, done: int | bool | None) -> Outcome:
        """Votes and buttons: ``done`` says whether the record was written (or queued)."""
        record = outcome.record
        if isinstance(record, Vote):
            key = "vote_merci" if done is True else "lien_perime"
            return replace(outcome, notice=knowledge.text(key))
        if isinstance(record, Question) and outcome.reply is not None:
            reply = outcome.reply
            votes = None
            if reply.card is not None and done is not None and done is not False:
                token = record.vote_token
                votes = (self.votes.data(token, True), self.votes.data(token, False))
                reply = replace(reply, footer=knowledge.text("vote_question"))
            return replace(outcome, reply=reply, actions=reply_actions(knowledge, reply, votes))
        return outcome

    def _write(self, record: Question | Vote | None) -> int | bool | None:
        """Store a question (never who asked) or a vote; a failure never blocks an answer."""
        if record is None or self.question_log is None:
            return None
        try:
            if isinstance(record, Vote):
                return self.question_log.vote(record.token, record.helpful)
            return self.question_log.record(
                record.text,
                record.decision,
                record.objective,
                record.score,
                vote_token=record.vote_token or None,
            )
        except Exception:
            log.exception("Impossible d'enregistrer la question ou le vote")
            return None

    # -- commands ----------------------------------------------------------------------------
    def _command(self, knowledge: Knowledge, request: Request) -> Outcome:
        command = command_named(request.text)
        if command is None:
            return Outcome(text_reply(knowledge, "aide"))
        return command.run(self, knowledge, request)

    def _start(self, knowledge: Knowledge, request: Request) -> Outcome:
        """/start, and /start PAYLOAD from a deep link (a theme, orientation or objective)."""
        payload = request.payload
        if payload == EMERGENCY:  # the emergency card shared in inline mode
            return self._emergency(knowledge, request)
        parsed = parse_slug(payload) if payload else None
        page = self._page(knowledge, parsed) if parsed is not None else None
        if page is not None:
            return page
        menu = text_reply(knowledge, "menu_thematiques")
        if request.channel == "group":
            welcome = replace(menu, intro=f"{welcome_reply(knowledge).intro}\n\n{menu.intro}")
            return Outcome(welcome, theme_menu(knowledge))
        # Two messages: the welcome sets the buttons that stay at hand (a message carries one
        # keyboard), the menu under it carries the themes.
        return Outcome(menu, theme_menu(knowledge), lead=welcome_reply(knowledge))

    def _themes(self, knowledge: Knowledge, _request: Request) -> Outcome:
        return Outcome(text_reply(knowledge, "menu_thematiques"), theme_menu(knowledge))

    def _help(self, knowledge: Knowledge, _request: Request) -> Outcome:
        return Outcome(text_reply(knowledge, "aide"))

    def _privacy(self, knowledge: Knowledge, _request: Request) -> Outcome:
        days = str(self.retention_days)
        reply = text_reply(knowledge, "confidentialite", jours=days)
        # Who is responsible, on what legal basis, whom to ask: what staff wrote in textes.yaml,
        # or plainly that the city has not said yet; the bot never makes it up.
        lines = [
            f"{label} : {knowledge.text(key).strip() or PRIVACY_SLOT_EMPTY}"
            for key, label in PRIVACY_SLOTS
        ]
        intro = "\n".join([reply.intro, knowledge.text("pres_confidentialite"), "", *lines])
        return Outcome(replace(reply, intro=intro))

    # -- près de chez moi --------------------------------------------------------------------
    def places(self) -> Directory:
        """The France Services points and communes (read once, on first use)."""
        return directory()

    def _near(self, knowledge: Knowledge, request: Request) -> Outcome:
        """/pres: with a postal code, the services there; without, how to give a location."""
        code = request.payload.strip()
        if is_postal_code(code):
            reply = postal_code_reply(knowledge, self.places(), code, self.clock())
            return Outcome(reply, home_row(knowledge))
        key = "pres_demande_groupe" if request.channel == "group" else "pres_demande"
        return Outcome(text_reply(knowledge, key))

    def _location(self, knowledge: Knowledge, request: Request) -> Outcome:
        """A shared location: the three nearest services. Nothing of it is recorded."""
        if request.location is None or request.channel == "group":
            return Outcome()
        latitude, longitude = request.location
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return Outcome(text_reply(knowledge, "pres_demande"))
        reply = nearest_reply(knowledge, self.places(), latitude, longitude, self.clock())
        return Outcome(reply, home_row(knowledge))

    def _emergency(self, knowledge: Knowledge, _request: Request) -> Outcome:
        return Outcome(emergency_reply(knowledge), home_row(knowledge))

    def _contacts(self, knowledge: Knowledge, _request: Request) -> Outcome:
        return Outcome(contacts_reply(knowledge), home_row(knowledge))

    # -- buttons -----------------------------------------------------------------------------
    def _button(self, knowledge: Knowledge, request: Request) -> Outcome:
        """Button data is checked like any input: forged or stale data gets a polite note and
        the theme menu, never an exception."""
        data = request.text
        outcome: Outcome | None = None
        if data == MENU:
            outcome = self._themes(knowledge, request)
        elif data == CONTACTS:
            outcome = self._contacts(knowledge, request)
        elif data == EMERGENCY:
            outcome = self._emergency(knowledge, request)
        elif is_vote(data):
            vote = self.votes.parse(data)  # a forged or altered vote button is refused
            if vote is None or self.question_log is None:
                return Outcome(notice=knowledge.text("lien_perime"))
            return Outcome(record=Vote(*vote))
        elif (parsed := parse_slug(data)) is not None:
            outcome = self._page(knowledge, parsed)
        if outcome is None:
            log.info("Bouton inconnu ou périmé")
            outcome = replace(
                self._themes(knowledge, request), notice=knowledge.text("lien_perime")
            )
        return replace(outcome, edit=True)

    def _page(self, knowledge: Knowledge, parsed: tuple[str, str]) -> Outcome | None:
        kind, item_id = parsed
        if kind == "th":
            reply = theme_reply(knowledge, item_id)
            return Outcome(reply, theme_actions(knowledge, item_id)) if reply else None
        if kind == "or":
            reply = orientation_reply(knowledge, item_id)
            return Outcome(reply, orientation_actions(knowledge, item_id)) if reply else None
        reply = objective_reply(knowledge, item_id)
        return Outcome(reply, reply_actions(knowledge, reply, None)) if reply else None

    # -- inline mode -------------------------------------------------------------------------
    def _search(self, snapshot: Snapshot, request: Request) -> Outcome:
        """``@bot mots``: matching objectives, danger first; the themes when nothing fits."""
        knowledge = snapshot.knowledge
        text = request.text.strip()
        articles: list[Article] = []
        result = snapshot.matcher.match(text) if text else None
        block = emergency_block(knowledge, result.emergencies, result.lead) if result else None
        if block is not None:
            numbers = " · ".join(f"{c.name} {c.phone}".strip() for c in block.contacts)
            card = Reply("page", emergency=block, labels=Labels.of(knowledge))
            articles.append(Article(EMERGENCY, block.title, numbers, card, EMERGENCY))
        ids: list[str] = []
        if knowledge.objective(text) is not None:  # the share button sends the objective id
            ids.append(text)
        if result is not None and result.decision != "unknown":
            # Weak candidates of an "unknown" decision are not offered as answers.
            ids += [m.objective_id for m in result.matches]
        for oid in dict.fromkeys(ids):
            o = knowledge.objective(oid)
            reply = objective_reply(knowledge, oid)
            if o is not None and reply is not None:
                title = f"{o.id} · {o.text}"
                articles.append(Article(o.slug, title, o.explanation, reply, o.slug))
        if not ids:
            # Nothing typed, or nothing found: the themes, so the search still leads somewhere.
            for t in knowledge.themes:
                page = theme_reply(knowledge, t.id)
                if page is not None:
                    articles.append(Article(t.slug, t.label, t.explanation, page, t.slug))
        label = Labels.of(knowledge).bouton_poser_question
        return Outcome(articles=tuple(articles[:MAX_ARTICLES]), ask_label=label)

    # -- knowledge ---------------------------------------------------------------------------
    def reload(self) -> Report:
        return self.store.reload()

    async def areload(self) -> Report:
        return await self.store.areload()

    def reload_if_changed(self) -> Report | None:
        return self.store.reload_if_changed()


def kept_text(text: str, decision: str, emergency: bool) -> str:
    """What the question log keeps of a message's words. Danger and sensitive topics (health,
    sexuality, religion, residence status) only as a placeholder: their words may identify
    someone or say what the GDPR protects most; an answered question as a placeholder too,
    since its objective tells staff enough. Only what the bot missed keeps its (redacted)
    wording, to be added to the knowledge."""
    if emergency:
        return EMERGENCY_NOT_KEPT
    if sensitive_topic(text):
        return SENSITIVE_NOT_KEPT
    if decision not in KEEP_TEXT_FOR:
        return ANSWERED_NOT_KEPT
    return text


COMMANDS: Final[tuple[Command, ...]] = (
    Command(("start",), "commande_start", Assistant._start),
    Command(("themes", "menu"), "commande_themes", Assistant._themes),
    Command(("contacts",), "commande_contacts", Assistant._contacts),
    Command(("urgence", "urgences"), "commande_urgence", Assistant._emergency),
    Command(("aide", "help"), "commande_aide", Assistant._help),
    Command(("confidentialite",), "commande_confidentialite", Assistant._privacy),
    Command(("pres", "proche"), "commande_pres", Assistant._near),
)
_BY_NAME: Final = {name: c for c in COMMANDS for name in c.names}


def command_named(name: str) -> Command | None:
    return _BY_NAME.get(name.lower())
