"""Commands and free text: what residents type."""

from __future__ import annotations

import re
import time

from telegram import Update
from telegram.ext import ContextTypes

from bot.answer import all_emergencies, compose
from bot.knowledge.ids import parse_slug
from bot.render.html import e, emergency_html, reply_html
from handlers import keyboards, views
from handlers.replying import send_html
from handlers.services import services

EMERGENCY_NOT_KEPT = "[message d'urgence : texte non conservé]"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, and /start PAYLOAD from a deep link (a theme, orientation or objective)."""
    knowledge = services(context).store.snapshot.knowledge
    payload = context.args[0] if context.args else ""
    if payload == keyboards.EMERGENCY:  # the emergency card shared in inline mode
        await send_html(update, context, *views.emergency_page(knowledge))
        return
    parsed = parse_slug(payload) if payload else None
    if parsed is not None:
        page = views.page_for(knowledge, *parsed)
        if page is not None:
            await send_html(update, context, page[0], page[1])
            return
    await send_html(
        update,
        context,
        e(knowledge.text("accueil")) + "\n\n" + e(knowledge.text("menu_thematiques")),
        keyboards.theme_menu(knowledge),
    )


async def themes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    knowledge = services(context).store.snapshot.knowledge
    html, kb = views.menu_page(knowledge)
    await send_html(update, context, html, kb)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    knowledge = services(context).store.snapshot.knowledge
    await send_html(update, context, e(knowledge.text("aide")))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    text = s.store.snapshot.knowledge.text("confidentialite")
    await send_html(update, context, e(text.replace("{jours}", str(s.settings.retention_days))))


async def emergency(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    knowledge = services(context).store.snapshot.knowledge
    await send_html(update, context, emergency_html(all_emergencies(knowledge)))


async def contacts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    html, kb = views.contacts_page(services(context).store.snapshot.knowledge)
    await send_html(update, context, html, kb)


def _question_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The text to answer, or ``None`` when a group message is not addressed to the bot."""
    message = update.effective_message
    if message is None or message.text is None:
        return None
    chat = update.effective_chat
    text = message.text
    if chat is not None and chat.type != chat.PRIVATE:
        if not context.bot.username:
            return None
        # Cut the mention from the text itself: lowering a text can change its length ("İ").
        mention = re.compile(re.escape(f"@{context.bot.username}"), re.IGNORECASE | re.ASCII)
        text, found = mention.subn("", text, count=1)
        if not found:
            return None
    return text


async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = _question_text(update, context)
    user = update.effective_user
    if text is None:
        return
    s = services(context)
    snapshot = s.store.snapshot  # one snapshot for the whole answer, even during a reload
    knowledge = snapshot.knowledge
    result = snapshot.matcher.match(text)
    # Someone who writes too fast is asked to slow down, except when the message speaks of
    # danger: the emergency numbers always go out.
    if user is not None and not result.emergency:
        verdict = s.flood.check(user.id, time.monotonic())
        if verdict == "drop":
            return
        if verdict == "warn":
            await send_html(update, context, e(knowledge.text("ralentir")))
            return
    reply = compose(knowledge, result)
    best = result.best
    entry_id = None
    if reply.kind != "smalltalk":
        # A message about danger is counted, never kept: its words may identify someone.
        kept = EMERGENCY_NOT_KEPT if result.emergency else text
        entry_id = await s.record(
            kept, result.decision, best.objective_id if best else None, best.score if best else 0.0
        )
    votes = None
    if reply.card is not None and entry_id is not None:
        votes = (s.votes.data(entry_id, True), s.votes.data(entry_id, False))
    footer = knowledge.text("vote_question") if votes else ""
    await send_html(
        update,
        context,
        reply_html(reply, footer),
        keyboards.reply_keyboard(knowledge, reply, votes),
    )


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, voice notes, stickers, locations, documents: the bot reads text only."""
    chat = update.effective_chat
    if chat is not None and chat.type != chat.PRIVATE:
        return
    knowledge = services(context).store.snapshot.knowledge
    await send_html(update, context, e(knowledge.text("seulement_texte")))
