"""The Telegram channel's wiring: settings → knowledge → assistant → application → run.

``build_application`` builds everything without running it, so tests drive the real
python-telegram-bot stack against a local Bot API server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from typing import Final
from urllib.parse import urlsplit

from telegram import BotCommand
from telegram.error import InvalidToken, TelegramError
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
from tornado.httpserver import HTTPServer

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
from handlers.services import SERVICES_KEY, Services, services_of

log = logging.getLogger(__name__)

RETENTION_EVERY_S = 6 * 3600
# After a failed purge (« database is locked »…): soon again, the promise of deletion stands.
RETENTION_RETRY_S = 5 * 60
# Telegram's updates are a few kilobytes; a larger webhook body is refused before it is read,
# so that a stranger cannot fill the bot's memory before the secret is even checked.
WEBHOOK_MAX_BODY: Final = 1024 * 1024
# Only the updates the bot handles: Telegram then sends nothing else (edited messages, polls,
# chat member changes…), which the bot would have to receive and ignore.
ALLOWED_UPDATES: Final = ["message", "callback_query", "inline_query", "chosen_inline_result"]


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
    store = store or KnowledgeStore(settings.knowledge_dir, prepared=True)
    _limit_webhook_body()
    assistant = Assistant(
        store,
        question_log,
        # VOTE_SECRET, else derived from the token: vote buttons stay valid across restarts.
        VoteSigner(settings.vote_secret or settings.token or secrets.token_hex(16)),
        flood or FloodGuard(),
        retention_days=settings.retention_days,
    )
    services = Services(settings, assistant)

    def request(read_timeout: float) -> AiohttpRequest:
        transport = AiohttpRequest(connection_pool_size=8, read_timeout=read_timeout)
        transports.append(transport)
        return transport

    transports: list[AiohttpRequest] = []

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await app.bot.set_my_commands(bot_commands(store.snapshot.knowledge))
        # The France Services list is read before the first « 📍 », off the event loop.
        services.background.append(asyncio.create_task(_read_places(assistant)))
        if watch_knowledge:
            services.background.append(asyncio.create_task(store.watch()))
        if services.question_log is not None:
            services.background.append(asyncio.create_task(_retention_loop(services)))

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        for task in services.background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        # The last answers' records, written before the log closes.
        await asyncio.to_thread(services.assistant.flush)
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
    services.transports = tuple(transports)

    # Order matters: commands first, the catch-all text handler last. A command of the
    # assistant needs nothing here: each one in bot.assistant.COMMANDS is registered.
    # New messages only, commands included: an edited message is not a new question.
    new = filters.UpdateType.MESSAGE
    for command in COMMANDS:
        app.add_handler(CommandHandler(list(command.names), conversation.on_command, filters=new))
    app.add_handler(CommandHandler("reload", staff.reload_command, filters=new))
    app.add_handler(CommandHandler("stats", staff.stats_command, filters=new))
    app.add_handler(CommandHandler("triage", staff.triage_command, filters=new))
    # Staff buttons before the residents' catch-all navigation handler.
    app.add_handler(CallbackQueryHandler(staff.on_staff_button, pattern=staff.STAFF_BUTTONS))
    app.add_handler(CallbackQueryHandler(navigation.on_button))
    app.add_handler(InlineQueryHandler(inline.on_inline_query))
    app.add_handler(ChosenInlineResultHandler(inline.on_chosen_result))
    # New messages only: an edited message must not get a second answer and a second entry.
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, conversation.on_text))
    # A shared location is answered once; a live location arrives again as edits every few
    # seconds and ends in this handler unanswered. Before the media handler.
    app.add_handler(MessageHandler(filters.LOCATION, conversation.on_location))
    app.add_handler(
        MessageHandler(
            new
            & (
                filters.PHOTO
                | filters.VOICE
                | filters.AUDIO
                | filters.VIDEO
                | filters.VIDEO_NOTE
                | filters.Sticker.ALL
                | filters.Document.ALL
                | filters.CONTACT
            ),
            conversation.on_media,
        )
    )
    app.add_error_handler(errors.on_error)
    return app


def bot_commands(knowledge: Knowledge) -> list[BotCommand]:
    """Telegram's commands menu: the assistant's commands, described in textes.yaml."""
    return [BotCommand(c.names[0], knowledge.text(c.description)) for c in COMMANDS]


async def _read_places(assistant: Assistant) -> None:
    await asyncio.to_thread(assistant.places)


def _limit_webhook_body() -> None:
    """Cap the body of every request to the webhook server (PTB's, on tornado).

    PTB builds tornado's ``HTTPServer`` without a size limit (tornado's default is 100 MB) and
    offers no option for one; tornado's own ``configure`` sets the default for every server it
    builds. A larger body is refused from its Content-Length, before it is read."""
    HTTPServer.configure(None, max_body_size=WEBHOOK_MAX_BODY)


async def _retention_loop(
    services: Services, every: float = RETENTION_EVERY_S, retry: float = RETENTION_RETRY_S
) -> None:
    """Delete old questions now, then every ``every`` seconds. An error (a locked database, a
    full disk) is logged and the purge tried again after ``retry`` seconds: the loop never
    ends while the bot runs, since /confidentialite promises the deletion."""
    while True:
        question_log = services.question_log
        if question_log is None:
            return
        days = services.settings.retention_days
        try:
            removed = await asyncio.to_thread(question_log.purge, days)
        except Exception:
            log.exception("Effacement des anciennes questions impossible : nouvel essai bientôt")
            await asyncio.sleep(retry)
            continue
        if removed:
            log.info("%d question(s) de plus de %d jours effacée(s)", removed, days)
        await asyncio.sleep(every)


def _close_transports(app: Application) -> None:  # type: ignore[type-arg]
    """After a failed start, PTB leaves the HTTP sessions it opened (its shutdown skips an
    application that never finished initialising): closed here, so that the operator reads the
    French message and nothing about « unclosed sessions »."""

    async def close() -> None:
        for transport in services_of(app).transports:
            with contextlib.suppress(Exception):
                await transport.shutdown()

    with contextlib.suppress(Exception):
        asyncio.run(close())


def run_bot(
    settings: Settings, webhook: bool | None = None, store: KnowledgeStore | None = None
) -> int:
    """Polling by default; webhook mode when WEBHOOK_URL is set (listens on
    WEBHOOK_LISTEN:$PORT). Returns the exit status: 1 when Telegram could not be reached or
    refused the token, after saying so in French through the logs (never the token)."""
    webhook = bool(settings.webhook_url) if webhook is None else webhook
    settings.validate(webhook=webhook)
    setup_logging([settings.token, settings.webhook_secret, settings.vote_secret])
    for warning in settings.warnings():
        log.warning("%s", warning)
    app = build_application(settings, store, question_log=QuestionLog(settings.question_log_path))
    try:
        if webhook:
            # Telegram posts to WEBHOOK_URL; the local server listens on that URL's path.
            url_path = urlsplit(settings.webhook_url).path.strip("/")
            log.info("Démarrage en mode webhook sur %s:%d", settings.webhook_listen, settings.port)
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.port,
                url_path=url_path,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            log.info("Démarrage en mode polling")
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        _close_transports(app)
        # PTB's message holds the token: only ours is printed, through the secret filter.
        log.error(
            "Telegram a refusé le jeton du bot : vérifiez TELEGRAM_BOT_TOKEN, et "
            "TELEGRAM_BASE_URL s'il est défini (il doit mener à un serveur Bot API)."
        )
        return 1
    except TelegramError as exc:
        _close_transports(app)
        log.error(
            "Démarrage impossible, Telegram ne répond pas comme prévu (%s) : vérifiez "
            "TELEGRAM_BASE_URL et la connexion.",
            type(exc).__name__,
        )
        return 1
    except Exception:
        _close_transports(app)
        # Logged rather than left to Python: the traceback goes through the secret filter.
        log.exception("Le bot s'est arrêté sur une erreur inattendue")
        return 1
    return 0
