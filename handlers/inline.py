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

from bot.answer import emergency_block, objective_reply
from bot.render.html import TELEGRAM_LIMIT, e, emergency_html, reply_html
from handlers.keyboards import EMERGENCY, open_in_bot
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
    results: list[InlineQueryResultArticle] = []
    result = snapshot.matcher.match(text) if text else None
    if result is not None and result.emergencies:
        # Danger first, in inline mode too.
        block = emergency_block(knowledge, result.emergencies)
        if block is not None:
            results.append(
                _article(
                    "urgence",
                    block.title,
                    " · ".join(f"{c.name} {c.phone}".strip() for c in block.contacts),
                    emergency_html(block),
                    create_deep_linked_url(username, EMERGENCY),
                )
            )
    ids: list[str] = []
    if knowledge.objective(text) is not None:  # the share button sends the objective id
        ids.append(text)
    if result is not None and result.decision != "unknown":
        # Weak candidates of an "unknown" decision are not offered as answers.
        ids += [m.objective_id for m in result.matches]
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
    if not ids:
        # Nothing typed, or nothing found: the themes, so the search still leads somewhere.
        for t in knowledge.themes:
            html = f"<b>{e(t.label)}</b> — {e(t.title)}\n\n{e(t.explanation)}"
            results.append(
                _article(
                    t.slug, t.label, t.explanation, html, create_deep_linked_url(username, t.slug)
                )
            )
    results = results[:MAX_RESULTS]
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
