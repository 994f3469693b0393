"""Wiring: settings → knowledge → Telegram application → run.

``build_application`` builds everything without running it, so tests drive the real
python-telegram-bot stack against a local Bot API server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.aiohttp_request import AiohttpRequest
from bot.flood import FloodGuard
from bot.logs import setup_logging
from bot.resilience import ResilientRateLimiter
from bot.settings import Settings
from bot.staff.question_log import QuestionLog
from bot.store import KnowledgeStore
from bot.votes import VoteSigner
from handlers import conversation, errors, inline, navigation, staff
from handlers.services import SERVICES_KEY, Services

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("start", "Accueil et menu des sujets"),
    BotCommand("themes", "Tous les sujets du contrat de ville"),
    BotCommand("contacts", "Numéros et services utiles"),
    BotCommand("urgence", "Numéros d'urgence"),
    BotCommand("aide", "Comment utiliser l'assistant"),
    BotCommand("confidentialite", "Ce que l'assistant garde de vos messages"),
]
RETENTION_EVERY_S = 6 * 3600


def build_application(
    settings: Settings,
    store: KnowledgeStore | None = None,
    *,
    question_log: QuestionLog | None = None,
    watch_knowledge: bool = True,
    overall_max_rate: float = 30,
    flood: FloodGuard | None = None,
    read_timeout: float = 10.0,
) -> Application:  # type: ignore[type-arg]
    store = store or KnowledgeStore(settings.knowledge_dir)
    services = Services(
        settings,
        store,
        question_log,
        flood or FloodGuard(),
        VoteSigner(settings.token or secrets.token_hex(16)),
    )

    def request(read_timeout: float) -> AiohttpRequest:
        return AiohttpRequest(connection_pool_size=8, read_timeout=read_timeout)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await app.bot.set_my_commands(COMMANDS)
        if watch_knowledge:
            services.background.append(asyncio.create_task(store.watch()))
        if services.question_log is not None:
            services.background.append(asyncio.create_task(_retention_loop(services)))

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        for task in services.background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if services.question_log is not None:
            services.question_log.close()

    app = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .request(request(read_timeout))
        .get_updates_request(request(30))
        .rate_limiter(ResilientRateLimiter(overall_max_rate=overall_max_rate, max_retries=3))
        .concurrent_updates(64)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data[SERVICES_KEY] = services

    # Order matters: commands first, the catch-all text handler last. /start reads its deep-link
    # payload itself (context.args) and falls back to the welcome for anything it cannot use.
    app.add_handler(CommandHandler("start", conversation.start))
    app.add_handler(CommandHandler(["themes", "menu"], conversation.themes))
    app.add_handler(CommandHandler(["aide", "help"], conversation.help_command))
    app.add_handler(CommandHandler("contacts", conversation.contacts))
    app.add_handler(CommandHandler("urgence", conversation.emergency))
    app.add_handler(CommandHandler("confidentialite", conversation.privacy))
    app.add_handler(CommandHandler("reload", staff.reload_command))
    app.add_handler(CommandHandler("stats", staff.stats_command))
    app.add_handler(CallbackQueryHandler(navigation.on_button))
    app.add_handler(InlineQueryHandler(inline.on_inline_query))
    app.add_handler(ChosenInlineResultHandler(inline.on_chosen_result))
    # New messages only: an edited message must not get a second answer and a second entry.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, conversation.free_text
        )
    )
    app.add_handler(
        MessageHandler(
            filters.PHOTO
            | filters.VOICE
            | filters.AUDIO
            | filters.VIDEO
            | filters.VIDEO_NOTE
            | filters.Sticker.ALL
            | filters.LOCATION
            | filters.Document.ALL
            | filters.CONTACT,
            conversation.not_text,
        )
    )
    app.add_error_handler(errors.on_error)
    return app


async def _retention_loop(services: Services) -> None:
    while True:
        if services.question_log is not None:
            removed = await asyncio.to_thread(
                services.question_log.purge, services.settings.retention_days
            )
            if removed:
                log.info(
                    "%d question(s) de plus de %d jours effacée(s)",
                    removed,
                    services.settings.retention_days,
                )
        await asyncio.sleep(RETENTION_EVERY_S)


def run_bot(
    settings: Settings, webhook: bool | None = None, store: KnowledgeStore | None = None
) -> None:
    """Polling by default; webhook mode when WEBHOOK_URL is set (listens on 0.0.0.0:$PORT)."""
    webhook = bool(settings.webhook_url) if webhook is None else webhook
    webhook_secret = settings.webhook_secret or secrets.token_urlsafe(32)
    setup_logging([settings.token, webhook_secret])
    app = build_application(settings, store, question_log=QuestionLog(settings.question_log_path))
    if webhook:
        # Telegram posts to WEBHOOK_URL; the local server listens on that URL's path.
        url_path = urlsplit(settings.webhook_url).path.strip("/")
        log.info("Démarrage en mode webhook sur le port %d", settings.port)
        app.run_webhook(
            listen="0.0.0.0",
            port=settings.port,
            url_path=url_path,
            webhook_url=settings.webhook_url,
            secret_token=webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("Démarrage en mode polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
