"""Inline mode: ``@bot mots`` in any chat lists matching objectives; an empty query lists
the themes. A picked result posts the answer card with a button that opens the bot on it."""

from __future__ import annotations

import logging

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes
from telegram.helpers import create_deep_linked_url

from bot.answer import objective_reply
from bot.render.html import TELEGRAM_LIMIT, e, reply_html
from handlers.keyboards import open_in_bot
from handlers.services import services

log = logging.getLogger(__name__)
MAX_RESULTS = 10


def _article(
    result_id: str, title: str, description: str, html: str, url: str
) -> InlineQueryResultArticle:
    if len(html) > TELEGRAM_LIMIT:
        html = html[: TELEGRAM_LIMIT - 1].rsplit("\n", 1)[0]
    return InlineQueryResultArticle(
        id=result_id,
        title=title[:256],
        description=description[:256],
        input_message_content=InputTextMessageContent(
            html, parse_mode=ParseMode.HTML, disable_web_page_preview=True
        ),
        reply_markup=open_in_bot(url),
    )


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    if query is None:
        return
    snapshot = services(context).store.snapshot
    knowledge = snapshot.knowledge
    username = context.bot.username
    text = query.query.strip()
    results = []
    if not text:
        for t in knowledge.themes:
            html = f"<b>{e(t.label)}</b> — {e(t.title)}\n\n{e(t.explanation)}"
            results.append(
                _article(
                    t.slug, t.label, t.explanation, html, create_deep_linked_url(username, t.slug)
                )
            )
    else:
        ids: list[str] = []
        if knowledge.objective(text) is not None:  # the share button sends the objective id
            ids.append(text)
        ids += [m.objective_id for m in snapshot.matcher.match(text).matches if m.score > 0]
        for oid in dict.fromkeys(ids):
            reply = objective_reply(knowledge, oid)
            o = knowledge.objective(oid)
            if reply is None or o is None:
                continue
            results.append(
                _article(
                    o.slug,
                    f"{o.id} · {o.text}",
                    o.explanation,
                    reply_html(reply),
                    create_deep_linked_url(username, o.slug),
                )
            )
            if len(results) >= MAX_RESULTS:
                break
    await query.answer(
        results,
        cache_time=60,
        is_personal=False,
        button=InlineQueryResultsButton("💬 Poser ma question au bot", start_parameter="inline"),
    )


async def on_chosen_result(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chosen = update.chosen_inline_result
    if chosen is not None:
        # Only which card was shared, never by whom.
        log.info("Carte partagée en mode inline : %s", chosen.result_id)
