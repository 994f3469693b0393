"""Button presses. Callback data is checked like any user input: forged or stale data gets a
polite answer and the theme menu, never an exception."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.knowledge.ids import parse_slug
from bot.votes import is_vote
from handlers import keyboards, views
from handlers.replying import edit_or_send
from handlers.services import services

log = logging.getLogger(__name__)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    s = services(context)
    knowledge = s.store.snapshot.knowledge
    data = query.data or ""
    page: views.Page | None = None
    toast = ""
    if data == keyboards.MENU:
        page = views.menu_page(knowledge)
    elif data == keyboards.CONTACTS:
        page = views.contacts_page(knowledge)
    elif data == keyboards.EMERGENCY:
        page = views.emergency_page(knowledge)
    elif is_vote(data):
        vote = s.votes.parse(data)  # a forged or altered vote button is refused
        if (
            vote is not None
            and s.question_log is not None
            and await asyncio.to_thread(s.question_log.vote, *vote)
        ):
            await query.answer(knowledge.text("vote_merci"))
        else:
            await query.answer(knowledge.text("lien_perime")[:200])
        return
    elif (parsed := parse_slug(data)) is not None:
        page = views.page_for(knowledge, *parsed)
    if page is None:
        log.info("Bouton inconnu ou périmé")
        toast = knowledge.text("lien_perime")
        page = views.menu_page(knowledge)
    await query.answer(toast[:200] or None)
    await edit_or_send(update, context, page[0], page[1])
