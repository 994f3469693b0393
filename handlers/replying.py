"""Drawing an ``Outcome`` in Telegram: HTML chunks under the limit, the keyboard on the last
chunk; navigation edits the page in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.assistant import Outcome
from bot.render.html import reply_html, split_html
from handlers.keyboards import inline_keyboard, quick_keyboard

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


async def draw(update: Update, context: ContextTypes.DEFAULT_TYPE, outcome: Outcome) -> None:
    quick = quick_keyboard(outcome.quick, outcome.locate)
    if outcome.lead is not None:
        await send_html(update, context, reply_html(outcome.lead), quick)
    if outcome.reply is None:
        return
    html = reply_html(outcome.reply)
    buttons = inline_keyboard(outcome.actions)
    if outcome.edit:
        await edit_or_send(update, context, html, buttons)
        return
    # A message carries one keyboard: the persistent one stays from earlier messages anyway,
    # and is set again on a message that has no buttons of its own.
    await send_html(update, context, html, buttons or quick)


async def send_html(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    html: str,
    keyboard: Markup | None = None,
) -> Message | None:
    chat = update.effective_chat
    if chat is None:
        return None
    chunks = split_html(html)
    last: Message | None = None
    for i, chunk in enumerate(chunks):
        last = await context.bot.send_message(
            chat.id,
            chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard if i == len(chunks) - 1 else None,
            disable_web_page_preview=True,
        )
    return last


async def edit_or_send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    html: str,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Navigation edits the message in place; a long page is sent as new messages instead."""
    query = update.callback_query
    chunks = split_html(html)
    if query is not None and query.message is not None and len(chunks) == 1:
        try:
            await query.edit_message_text(
                chunks[0],
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard,
                disable_web_page_preview=True,
            )
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            if "can't be edited" not in str(exc).lower() and "not found" not in str(exc).lower():
                raise
    await send_html(update, context, html, keyboard)
