"""The one error handler: log first (never the token), answer politely, keep running."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import ContextTypes

from handlers.services import services

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        log.info("Message non remis : le destinataire a bloqué le bot")
        return
    if isinstance(error, BadRequest) and "not modified" in str(error).lower():
        return
    if update is None:
        # Errors while polling (network hiccups): PTB retries by itself.
        log.warning("Erreur de connexion à Telegram : %s", type(error).__name__)
        return
    log.error("Erreur pendant le traitement d'une mise à jour", exc_info=error)
    if isinstance(error, RetryAfter) or not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None:
        return
    try:
        text = services(context).store.snapshot.knowledge.text("erreur")
        await context.bot.send_message(chat.id, text)
    except Exception:  # the apology itself failed: nothing more to do, stay up
        log.warning("Impossible de prévenir l'utilisateur de l'erreur")
