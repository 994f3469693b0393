"""Inline mode: ``@bot mots`` in any chat lists the assistant's articles; a picked result posts
the card with a button that opens the bot on it."""

from __future__ import annotations

import logging
import time

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes
from telegram.helpers import create_deep_linked_url

from bot.assistant import Article, Request
from bot.render.html import TELEGRAM_LIMIT, reply_html
from handlers.keyboards import open_in_bot
from handlers.services import services

log = logging.getLogger(__name__)


def _result(article: Article, username: str) -> InlineQueryResultArticle:
    html = reply_html(article.reply)
    if len(html) > TELEGRAM_LIMIT:
        html = html[: TELEGRAM_LIMIT - 1].rsplit("\n", 1)[0]
    return InlineQueryResultArticle(
        id=article.id,
        title=article.title[:256],
        description=article.description[:256],
        input_message_content=InputTextMessageContent(
            html, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        ),
        reply_markup=open_in_bot(
            create_deep_linked_url(username, article.link), article.reply.labels.bouton_ouvrir
        ),
    )


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    # ``who`` only feeds the flood rule (a budget per keystroke), never stored.
    who = query.from_user.id if query.from_user else None
    request = Request("search", query.query, who=who, when=time.monotonic(), channel="inline")
    outcome = await services(context).assistant.arespond(request)
    if outcome.dropped:
        return  # over the budget: Telegram drops an unanswered query by itself
    await query.answer(
        [_result(a, context.bot.username) for a in outcome.articles],
        cache_time=60,
        is_personal=False,
        button=InlineQueryResultsButton(outcome.ask_label[:64], start_parameter="inline"),
    )


async def on_chosen_result(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chosen = update.chosen_inline_result
    if chosen is not None:
        # Only which card was shared, never by whom.
        log.info("Carte partagée en mode inline : %s", chosen.result_id)
