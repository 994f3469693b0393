"""Button presses, turned into assistant requests; the page is edited in place."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.conversation import request_of
from handlers.replying import draw
from handlers.services import services


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    request = request_of(update, "button", query.data or "")
    outcome = await services(context).assistant.arespond(request)
    if outcome.dropped:
        return  # a flooding resident: not even the press is acknowledged (it costs a call)
    # Telegram waits for every button press to be answered, with a short note or without.
    await query.answer(outcome.notice[:200] or None)
    await draw(update, context, outcome)
