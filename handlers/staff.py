"""Staff-only commands (STAFF_USER_IDS): /reload and /stats, in a private chat with the bot.
Others are told politely; in a group nobody gets the report (everybody there would read it)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, Final

from telegram import Update
from telegram.ext import ContextTypes

from bot.render.html import e
from bot.staff.question_log import QuestionLog
from handlers.conversation import request_of
from handlers.replying import draw, send_html
from handlers.services import services

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


@staff_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    s = services(context)
    if s.question_log is None:
        await send_html(update, context, e("Le journal des questions est désactivé."))
        return
    log = s.question_log
    # Reading thousands of questions takes time: off the event loop, so residents keep getting
    # answers meanwhile.
    await send_html(update, context, e(await asyncio.to_thread(stats_summary, log)))


def stats_summary(log: QuestionLog, days: int = 30) -> str:
    """/stats: the last ``days`` days in a few lines, at a bounded cost, and when old
    questions were last deleted."""
    from bot.staff.report import build_report, render_stats

    report = build_report(log.entries(days), max_wordings=STATS_MAX_WORDINGS)
    return f"{render_stats(report)}\n{last_purge_line(log.last_purge)}"


def last_purge_line(moment: datetime | None) -> str:
    """The /stats line that says when old questions were last deleted (French, UTC)."""
    if moment is None:
        return "🧹 Effacement des anciennes questions : pas encore réussi depuis le démarrage"
    stamp = moment.astimezone(UTC).strftime("%d/%m/%Y à %H:%M")
    return f"🧹 Dernier effacement des anciennes questions : le {stamp} (UTC)"
