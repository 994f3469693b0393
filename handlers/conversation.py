"""What residents type: commands, text and everything else, turned into assistant requests."""

from __future__ import annotations

import re
import time

from telegram import Update
from telegram.ext import ContextTypes

from bot.assistant import Channel, Request, RequestKind
from handlers.replying import draw
from handlers.services import services


def request_of(
    update: Update,
    kind: RequestKind,
    text: str = "",
    payload: str = "",
    location: tuple[float, float] | None = None,
) -> Request:
    """The assistant's request for an update; ``who`` is the Telegram user id, which only the
    flood rules see (it is never stored)."""
    chat = update.effective_chat
    user = update.effective_user
    channel: Channel = "private" if chat is None or chat.type == chat.PRIVATE else "group"
    who = user.id if user is not None else None
    return Request(kind, text, payload, who, time.monotonic(), channel, location)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command of ``bot.assistant.COMMANDS``; /start reads its deep-link payload."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split(maxsplit=1)[0][1:].split("@")[0].lower()
    payload = " ".join(context.args or ())
    outcome = await services(context).assistant.arespond(
        request_of(update, "command", name, payload)
    )
    await draw(update, context, outcome)


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


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = _question_text(update, context)
    if text is None:
        return
    outcome = await services(context).assistant.arespond(request_of(update, "text", text))
    await draw(update, context, outcome)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location (« 📍 Près de chez moi »): the nearest services. A live location is
    answered once, when it starts: its updates come as edits and get no new answer."""
    message = update.message  # None for an edited message, i.e. a live-location update
    if message is None or message.location is None:
        return
    where = (message.location.latitude, message.location.longitude)
    outcome = await services(context).assistant.arespond(
        request_of(update, "location", location=where)
    )
    await draw(update, context, outcome)


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, voice notes, stickers, locations, documents: the bot reads text only."""
    outcome = await services(context).assistant.arespond(request_of(update, "media"))
    await draw(update, context, outcome)
