"""Staff-only commands (STAFF_USER_IDS): /reload and /stats. Others are told politely."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.render.html import e
from handlers.replying import send_html
from handlers.services import services

NOT_STAFF = "Cette commande est réservée à l'équipe de la ville."
MAX_ERRORS_SHOWN = 15


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def staff_only(handler: Handler) -> Handler:
    """Runs the command for STAFF_USER_IDS only; everybody else gets a polite refusal."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if not services(context).is_staff(user.id if user else None):
            await send_html(update, context, e(NOT_STAFF))
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
    from bot.staff.report import build_report, render_stats

    log = s.question_log

    def summary() -> str:
        # Reading and grouping thousands of questions takes time: off the event loop, so
        # residents keep getting answers meanwhile.
        return render_stats(build_report(log.entries(30)))

    await send_html(update, context, e(await asyncio.to_thread(summary)))
