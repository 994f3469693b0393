"""The Telegram channel's wiring: settings → knowledge → assistant → application → run.

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

from bot.assistant import COMMANDS, Assistant
from bot.flood import FloodGuard
from bot.knowledge.models import Knowledge
from bot.logs import setup_logging
from bot.settings import Settings
from bot.staff.question_log import QuestionLog
from bot.store import KnowledgeStore
from bot.votes import VoteSigner
from handlers import conversation, errors, inline, navigation, staff
from handlers.aiohttp_request import AiohttpRequest
from handlers.resilience import ResilientRateLimiter
from handlers.services import SERVICES_KEY, Services

log = logging.getLogger(__name__)

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
    assistant = Assistant(
        store,
        question_log,
        # Derived from the token, so vote buttons stay valid across restarts.
        VoteSigner(settings.token or secrets.token_hex(16)),
        flood or FloodGuard(),
        retention_days=settings.retention_days,
    )
    services = Services(settings, assistant)

    def request(read_timeout: float) -> AiohttpRequest:
        return AiohttpRequest(connection_pool_size=8, read_timeout=read_timeout)

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await app.bot.set_my_commands(bot_commands(store.snapshot.knowledge))
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

    # Order matters: commands first, the catch-all text handler last. A command of the
    # assistant needs nothing here: each one in bot.assistant.COMMANDS is registered.
    for command in COMMANDS:
        app.add_handler(CommandHandler(list(command.names), conversation.on_command))
    app.add_handler(CommandHandler("reload", staff.reload_command))
    app.add_handler(CommandHandler("stats", staff.stats_command))
    app.add_handler(CommandHandler("triage", staff.triage_command))
    # Staff buttons before the residents' catch-all navigation handler.
    app.add_handler(CallbackQueryHandler(staff.on_staff_button, pattern=staff.STAFF_BUTTONS))
    app.add_handler(CallbackQueryHandler(navigation.on_button))
    app.add_handler(InlineQueryHandler(inline.on_inline_query))
    app.add_handler(ChosenInlineResultHandler(inline.on_chosen_result))
    # New messages only: an edited message must not get a second answer and a second entry.
    app.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, conversation.on_text
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
            conversation.on_media,
        )
    )
    app.add_error_handler(errors.on_error)
    return app


def bot_commands(knowledge: Knowledge) -> list[BotCommand]:
    """Telegram's commands menu: the assistant's commands, described in textes.yaml."""
    return [BotCommand(c.names[0], knowledge.text(c.description)) for c in COMMANDS]


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
