"""Staff-only commands (STAFF_USER_IDS): /reload, /stats (its page on request) and /triage, in a
private chat with the bot. Others are told politely; in a group nobody gets the report
(everybody there would read it)."""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import ContextTypes

from bot.render.html import e
from bot.staff.question_log import QuestionLog
from handlers.conversation import request_of
from handlers.navigation import on_button
from handlers.replying import draw, edit_or_send, send_html
from handlers.services import Services, services

if TYPE_CHECKING:
    from bot.staff.report import ReportData
    from bot.staff.triage import Item

NOT_STAFF = "Cette commande est réservée à l'équipe de la ville."
PRIVATE_ONLY = "Cette commande ne s'utilise qu'en message privé avec le bot."
MAX_ERRORS_SHOWN = 15
# /stats groups the distinct unanswered wordings by resemblance, which costs the square of
# their number: the most frequent ones only, in the bot (the offline `report` groups them all).
STATS_MAX_WORDINGS: Final = 500


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def staff_only(handler: Handler) -> Handler:
    """Runs the command for STAFF_USER_IDS in a private chat only; everybody else gets a polite
    refusal, within the flood rule that every resident's request follows."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        s = services(context)
        message = update.effective_message
        name = (message.text or "/").split(maxsplit=1)[0][1:] if message else ""
        held = s.assistant.admit(request_of(update, "command", name.split("@")[0].lower()))
        if held is not None:
            await draw(update, context, held)
            return
        user = update.effective_user
        if not s.is_staff(user.id if user else None):
            await send_html(update, context, e(NOT_STAFF))
            return
        chat = update.effective_chat
        if chat is None or chat.type != chat.PRIVATE:
            await send_html(update, context, e(PRIVATE_ONLY))
            return
        await handler(update, context)

    return guarded


@staff_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    report = await s.assistant.areload()
    if report.ok:
        text = f"✅ Connaissances rechargées ({report.summary()})."
    else:
        lines = [
            f"❌ Rechargement refusé : {report.summary()}.",
            "Le bot continue avec les connaissances précédentes.",
            "",
        ]
        lines += [str(p) for p in report.errors[:MAX_ERRORS_SHOWN]]
        if len(report.errors) > MAX_ERRORS_SHOWN:
            lines.append(
                f"… et {len(report.errors) - MAX_ERRORS_SHOWN} autre(s) : "
                "lancez « python -m bot check »."
            )
        text = "\n".join(lines)
    await send_html(update, context, e(text))


# Buttons of staff messages: « tri:… » for triage, « rapport:page » for the report page.
STAFF_BUTTONS = r"^(tri|rapport):"
PAGE_BUTTON = "rapport:page"
TRIAGE_PRIVATE_ONLY = "Le tri se fait en message privé avec le bot : écrivez-lui /triage."
LOG_OFF = "Le journal des questions est désactivé."
STATS_DAYS = 30
BUTTON_TEXT = 48


def _report(s: Services, max_wordings: int | None = None) -> ReportData:
    from bot.staff.report import build_report

    assert s.question_log is not None
    knowledge = s.store.snapshot.knowledge
    return build_report(
        s.question_log.entries(STATS_DAYS),
        out_of_scope=knowledge.out_of_scope,
        max_wordings=max_wordings,
    )


@staff_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    if s.question_log is None:
        await send_html(update, context, e(LOG_OFF))
        return
    if context.args and context.args[0].lower() in ("page", "html", "rapport"):
        await _send_page(update, context)
        return
    # Reading and grouping thousands of questions takes time: off the event loop, so
    # residents keep getting answers meanwhile.
    out_of_scope = s.store.snapshot.knowledge.out_of_scope
    summary = await asyncio.to_thread(stats_summary, s.question_log, out_of_scope)
    button = InlineKeyboardButton("📄 Rapport complet (page à ouvrir)", callback_data=PAGE_BUTTON)
    await send_html(update, context, e(summary), InlineKeyboardMarkup([[button]]))


async def _send_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The report page (charts and tables) as an HTML document to open in a browser."""
    from datetime import datetime

    from bot.staff.report_html import render_html

    s = services(context)
    chat = update.effective_chat
    if chat is None or s.question_log is None:
        return
    knowledge = s.store.snapshot.knowledge
    page = await asyncio.to_thread(
        lambda: render_html(_report(s), knowledge, datetime.now()).encode("utf-8")
    )
    await context.bot.send_document(
        chat.id,
        InputFile(page, filename=f"rapport-{datetime.now():%Y-%m-%d}.html"),
        caption=f"Rapport des {STATS_DAYS} derniers jours : ouvrez le fichier dans un navigateur.",
    )


# -- /triage --------------------------------------------------------------------------------
def _who(update: Update) -> str:
    user = update.effective_user
    return f"telegram:{user.id if user else '?'}"


def _queue(s: Services) -> list[Item]:
    from bot.staff import triage

    assert s.question_log is not None
    return triage.queue(
        s.question_log.entries(), s.store.snapshot.matcher, triage.Journal.of(s.store.directory)
    )


def _short(text: str, limit: int = BUTTON_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _item_keyboard(item: Item) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                _short(f"{c.objective_id} · {c.text}"),
                callback_data=f"tri:a:{item.id}:{c.objective_id}",
            )
        ]
        for c in item.candidates
    ]
    rows.append(
        [
            InlineKeyboardButton("🚫 Hors sujet", callback_data=f"tri:h:{item.id}"),
            InlineKeyboardButton("⏭ Passer", callback_data=f"tri:p:{item.id}"),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _show_next(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.staff.triage import describe

    s = services(context)
    if s.question_log is None:
        await send_html(update, context, e(LOG_OFF))
        return
    items = await asyncio.to_thread(_queue, s)
    if not items:
        await send_html(
            update, context, e("Rien à trier : toutes les questions ont une réponse. 🎉")
        )
        return
    item = items[0]
    text = describe(item, 1, len(items)) + "\n\nÀ quel objectif correspond cette question ?"
    await send_html(update, context, e(text), _item_keyboard(item))


@staff_only
async def triage_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        # Questions of residents, even redacted, stay out of group chats.
        await send_html(update, context, e(TRIAGE_PRIVATE_ONLY))
        return
    await _show_next(update, context)


async def on_staff_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The buttons of /triage and /stats: staff only, private chat only for triage."""
    from bot.staff import triage

    query = update.callback_query
    if query is None:
        return
    data = query.data or ""
    if not re.match(STAFF_BUTTONS, data):
        # python-telegram-bot hands empty button data to every pattern: not ours.
        await on_button(update, context)
        return
    s = services(context)
    user = update.effective_user
    if not s.is_staff(user.id if user else None):
        await query.answer(NOT_STAFF)
        return
    if data == PAGE_BUTTON:
        await query.answer("Préparation du rapport…")
        await _send_page(update, context)
        return
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        await query.answer(PRIVATE_ONLY)
        return
    kind, _, rest = data[len("tri:") :].partition(":")
    item_id, _, target = rest.partition(":")
    await query.answer()
    who = _who(update)
    message = query.message
    original = message.text or "" if isinstance(message, Message) else ""
    try:
        if kind == "u":
            done = await asyncio.to_thread(
                triage.undo, s.store.directory, s.store.snapshot.knowledge, who, int(item_id)
            )
            await s.assistant.areload()
            note = f"↩️ Annulé : « {done.action.question} » retiré de {done.action.file}."
            await edit_or_send(update, context, e(f"{original}\n\n{note}"))
            return
        if s.question_log is None:
            await send_html(update, context, e(LOG_OFF))
            return
        items = await asyncio.to_thread(_queue, s)
        item = triage.find(items, item_id)
        if kind == "p":
            await asyncio.to_thread(triage.skip, s.store.directory, item, who)
            await edit_or_send(update, context, e(f"{original}\n\n⏭ Passée."))
            await _show_next(update, context)
            return
        chosen = triage.OUT_OF_SCOPE if kind == "h" else target
        done = await asyncio.to_thread(
            triage.assign, s.store.directory, s.store.snapshot.knowledge, item, chosen, who
        )
        report = await s.assistant.areload()
        if report.ok:
            _ok, now = triage.verdict(s.store.snapshot.matcher, item.text, chosen)
        else:  # pragma: no cover - the edit was checked before it was written
            now = f"❌ Rechargement refusé : {report.summary()}"
        where = "hors sujet" if chosen == triage.OUT_OF_SCOPE else f"l'objectif {chosen}"
        lines = [
            original,
            "",
            f"✔️ Ajoutée à {where} ({done.action.file}, ligne {done.action.line}).",
            f"Vérification : {done.checked}.",
            now,
        ]
        undo = InlineKeyboardButton("↩️ Annuler", callback_data=f"tri:u:{done.action.id}")
        await edit_or_send(update, context, e("\n".join(lines)), InlineKeyboardMarkup([[undo]]))
        await _show_next(update, context)
    except triage.TriageRefused as exc:
        await send_html(update, context, e(exc.explain()))


def stats_summary(log: QuestionLog, out_of_scope: tuple[str, ...] = ()) -> str:
    """/stats: the last STATS_DAYS days in a few lines, at a bounded cost (the most frequent
    unanswered wordings only), and when old questions were last deleted."""
    from bot.staff.report import build_report, render_stats

    report = build_report(
        log.entries(STATS_DAYS), out_of_scope=out_of_scope, max_wordings=STATS_MAX_WORDINGS
    )
    return f"{render_stats(report)}\n{last_purge_line(log.last_purge)}"


def last_purge_line(moment: datetime | None) -> str:
    """The /stats line that says when old questions were last deleted (French, UTC)."""
    if moment is None:
        return "🧹 Effacement des anciennes questions : pas encore réussi depuis le démarrage"
    stamp = moment.astimezone(UTC).strftime("%d/%m/%Y à %H:%M")
    return f"🧹 Dernier effacement des anciennes questions : le {stamp} (UTC)"
