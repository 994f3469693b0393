"""Self-test of the fake Bot API server against the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import socket
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageEntity,
    Update,
)
from telegram import error as tg_error
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.fake_botapi import (
    ApiError,
    Blocked,
    Call,
    Drop,
    FakeBotApi,
    Fault,
    NotModified,
    RetryAfter,
    ServerError,
    Timeout,
    UploadedFile,
    parse_html,
)

TOKEN = "123456:TEST"

# PTB itself reads the deprecated int `retry_after` when it builds a RetryAfter error.
pytestmark = pytest.mark.filterwarnings("ignore:.*`retry_after`:DeprecationWarning")


def _request(read_timeout: float = 5.0) -> HTTPXRequest:
    return HTTPXRequest(httpx_kwargs={"trust_env": False}, read_timeout=read_timeout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def bot(server: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(token=TOKEN, base_url=server.base_url, request=_request()) as client:
        yield client


@pytest.fixture
async def raw(server: FakeBotApi) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=f"{server.base_url}{TOKEN}/", trust_env=False, timeout=10
    ) as client:
        yield client


def _application(server: FakeBotApi) -> Application[Any, Any, Any, Any, Any, Any]:
    return (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.base_url)
        .request(_request())
        .get_updates_request(_request())
        .build()
    )


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(f"echo: {message.text}")


# ------------------------------------------------------------------------------ Bot client


async def test_get_me_and_send_message(server: FakeBotApi, bot: Bot) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
    me = await bot.get_me()
    assert me.username == "cdv_test_bot"
    assert me.is_bot and me.id == 123456
    assert me.supports_inline_queries and me.can_join_groups

    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="yes")]])
    text = 'a <b>& "c" 42'
    first = await bot.send_message(42, text, reply_markup=markup)
    second = await bot.send_message(42, "true")
    third = await bot.send_message(-4000000001, "42")

    call = server.calls_of("sendMessage")[0]
    assert call.token == TOKEN
    assert call.params["chat_id"] == 42
    assert call.params["text"] == text
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Oui", "callback_data": "yes"}]]
    }
    assert call.ok and call.processed and call.fault is None
    assert first.text == text
    assert first.reply_markup == markup
    assert first.chat.id == 42 and first.chat.type == "private"
    assert first.from_user is not None and first.from_user.is_bot
    assert first.message_id < second.message_id < third.message_id
    assert third.chat.type == "group"
    assert server.calls_of("sendmessage")[1].params["text"] == "true"
    assert server.sent_texts(42) == [text, "true"]
    assert server.sent_texts() == [text, "true", "42"]
    assert server.sent_count() == 3 and server.sent_count(42) == 2 and server.sent_count(8) == 0
    assert server.sent_messages(-4000000001)[0]["text"] == "42"


async def test_html_parse_mode(server: FakeBotApi, bot: Bot) -> None:
    text = '<b>Bonjour</b> &amp; <i>à 😀</i> <a href="https://example.org/?a=1&amp;b=2">lien</a>'
    message = await bot.send_message(1, text, parse_mode="HTML")
    assert message.text == "Bonjour & à 😀 lien"
    assert message.entities == (
        MessageEntity("bold", 0, 7),
        MessageEntity("italic", 10, 4),
        MessageEntity("text_link", 15, 4, url="https://example.org/?a=1&b=2"),
    )
    assert server.sent_texts(1) == [text]

    for bad, reason in (
        ("a <br> b", 'Unsupported start tag "br"'),
        ("x < y", 'Unsupported start tag ""'),
        ("<b>bold", "Can't find end tag"),
        ("x <b", "Unclosed start tag"),
        ("</b>", "Unexpected end tag"),
        ('<span class="x">y</span>', 'must have class "tg-spoiler"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
    ):
        with pytest.raises(tg_error.BadRequest, match=r"(?i)can't parse entities") as info:
            await bot.send_message(1, bad, parse_mode="HTML")
        assert reason.lower() in info.value.message.lower()
    assert server.sent_texts(1) == [text]

    plain, entities = parse_html('<pre><code class="language-py">x = 1</code></pre>')
    assert plain == "x = 1"
    assert entities == [{"type": "pre", "offset": 0, "length": 5, "language": "py"}]

    with pytest.raises(tg_error.BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "x" * 4097)
    await bot.send_message(1, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")


async def test_edits_and_callback_answers(server: FakeBotApi, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(5, "Choose", reply_markup=markup)
    edited = await bot.edit_message_text("Chosen", 5, sent.message_id, reply_markup=markup)
    assert not isinstance(edited, bool)
    assert edited.text == "Chosen" and edited.reply_markup == markup
    assert edited.edit_date is not None

    # Telegram refuses an edit that changes nothing.
    with pytest.raises(tg_error.BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Chosen", 5, sent.message_id, reply_markup=markup)
    removed = await bot.edit_message_reply_markup(5, sent.message_id)
    assert not isinstance(removed, bool) and removed.reply_markup is None
    stored = server.get_message(sent.message_id)
    assert stored is not None and "reply_markup" not in stored

    assert await bot.edit_message_text("Inline", inline_message_id="AgAAAKw") is True
    with pytest.raises(tg_error.BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("Lost", 5, 999_999)

    server.fail_next("editMessageText", NotModified())
    with pytest.raises(tg_error.BadRequest, match=r"(?i)message is not modified") as info:
        await bot.edit_message_text("Other", 5, sent.message_id)
    assert "exactly the same as a current content" in info.value.message

    assert await bot.answer_callback_query("4000", text="OK") is True
    with pytest.raises(tg_error.BadRequest, match=r"(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query("4000", text="x" * 201)
    results = [
        InlineQueryResultArticle(str(i), f"R{i}", InputTextMessageContent(f"t{i}"))
        for i in range(51)
    ]
    assert await bot.answer_inline_query("77", results[:50]) is True
    assert server.calls_of("answerInlineQuery")[0].params["results"][0]["id"] == "0"
    with pytest.raises(tg_error.BadRequest, match=r"(?i)RESULTS_TOO_MUCH"):
        await bot.answer_inline_query("77", results)
    assert await bot.send_chat_action(5, "typing") is True
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("B", callback_data="x" * 65)]])
    with pytest.raises(tg_error.BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(5, "Boom", reply_markup=too_long)


async def test_commands_webhook_info_and_misc(server: FakeBotApi, bot: Bot) -> None:
    assert await bot.set_my_commands([BotCommand("start", "Démarrer"), ("aide", "Aide")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "aide"]
    assert await bot.get_my_commands(language_code="en") == ()
    with pytest.raises(tg_error.BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Bad-Name", "x")])
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()

    assert await bot.set_webhook("http://127.0.0.1:1/hook", secret_token="abc_DEF-1")
    assert server.webhook_url == "http://127.0.0.1:1/hook"
    assert server.webhook_secret == "abc_DEF-1"
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:1/hook" and info.pending_update_count == 0
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    assert server.webhook_url is None

    photo = await bot.send_photo(5, b"\x89PNG fake bytes", caption="<b>QR</b>", parse_mode="HTML")
    assert photo.caption == "QR" and photo.photo
    upload = server.calls_of("sendPhoto")[0].params["photo"]
    assert isinstance(upload, UploadedFile) and upload.data == b"\x89PNG fake bytes"

    server.blocked_chats.add(66)
    with pytest.raises(tg_error.Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(66, "hello")
    assert await bot.close() is True
    assert await bot.log_out() is True


# ------------------------------------------------------------------------------ raw HTTP


async def test_form_json_and_unknown_methods(server: FakeBotApi, raw: httpx.AsyncClient) -> None:
    keyboard = {"inline_keyboard": [[{"text": "x", "callback_data": "1"}]]}
    form = {"chat_id": "42", "text": "[1, 2]", "reply_markup": json.dumps(keyboard)}
    response = await raw.post("sendMessage", data=form)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["result"]["text"] == "[1, 2]"
    assert body["result"]["reply_markup"] == keyboard
    assert server.calls[-1].params == {"chat_id": 42, "text": "[1, 2]", "reply_markup": keyboard}

    response = await raw.post("sendMessage", json={"chat_id": 43, "text": "null"})
    assert response.json()["result"]["text"] == "null"
    assert server.calls[-1].params == {"chat_id": 43, "text": "null"}

    assert (await raw.get("GETME")).json()["result"]["username"] == "cdv_test_bot"
    assert server.calls[-1].method == "getMe"

    response = await raw.post("noSuchMethod", data={"a": "1"})
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }

    server.fail_next("sendMessage", RetryAfter(7))
    response = await raw.post("sendMessage", data={"chat_id": "1", "text": "x"})
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    server.fail_next("sendMessage", ApiError(400, "Bad Request: chat not found"))
    response = await raw.post("sendMessage", data={"chat_id": "1", "text": "x"})
    assert response.json()["description"] == "Bad Request: chat not found"


async def test_get_updates_long_poll(server: FakeBotApi, raw: httpx.AsyncClient) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(raw.post("getUpdates", data={"timeout": "5"}))
    await asyncio.sleep(0.05)
    update = server.push(server.message(1, "hi"))
    result = (await poll).json()["result"]
    assert time.monotonic() - started < 1.0
    assert result == [update]

    # Not confirmed yet: served again; confirmed by the offset: dropped.
    again = await raw.post("getUpdates", data={"timeout": "0"})
    assert again.json()["result"] == [update]
    confirmed = await raw.post("getUpdates", data={"offset": str(update["update_id"] + 1)})
    assert confirmed.json()["result"] == []
    assert server.pending_updates == []

    started = time.monotonic()
    empty = await raw.post("getUpdates", data={"timeout": "0.2"})
    assert empty.json() == {"ok": True, "result": []}
    assert 0.15 < time.monotonic() - started < 1.0

    # A second poller ends the first one with 409, as Telegram does.
    first = asyncio.create_task(raw.post("getUpdates", data={"timeout": "5"}))
    await asyncio.sleep(0.05)
    second = await raw.post("getUpdates", data={"timeout": "0"})
    assert second.json()["result"] == []
    terminated = await first
    assert terminated.status_code == 409
    assert "terminated by other getUpdates request" in terminated.json()["description"]

    server.push_all([server.message(1, f"m{i}") for i in range(3)])
    limited = await raw.post("getUpdates", data={"limit": "2"})
    assert [u["message"]["text"] for u in limited.json()["result"]] == ["m0", "m1"]

    await raw.post("setWebhook", data={"url": "http://127.0.0.1:1/hook"})
    conflict = await raw.post("getUpdates")
    assert conflict.status_code == 409


async def test_update_builders_parse_with_ptb(server: FakeBotApi, bot: Bot) -> None:
    start = Update.de_json(server.message(7, "/start abc", username="alice"), bot)
    assert start.message is not None and start.message.text == "/start abc"
    assert start.message.entities == (MessageEntity("bot_command", 0, 6),)
    assert start.effective_user is not None and start.effective_user.username == "alice"
    assert start.effective_chat is not None and start.effective_chat.type == "private"

    group = Update.de_json(server.group_message(7, "/aide@cdv_test_bot"), bot)
    assert group.effective_chat is not None and group.effective_chat.type == "group"
    assert group.effective_chat.id < 0
    assert group.message is not None and group.message.entities[0].length == 18

    sent = await bot.send_message(
        7,
        "Menu",
        reply_markup=InlineKeyboardMarkup.from_button(
            InlineKeyboardButton("Go", callback_data="go")
        ),
    )
    query = Update.de_json(server.callback_query(7, "go"), bot).callback_query
    assert query is not None and query.data == "go"
    assert query.message is not None and query.message.message_id == sent.message_id
    other = Update.de_json(server.callback_query(8, "x", message_id=555), bot).callback_query
    assert other is not None and other.message is not None
    assert other.message.message_id == 555 and server.get_message(555) is not None

    inline = Update.de_json(server.inline_query(7, "logement"), bot).inline_query
    assert inline is not None and inline.query == "logement"
    chosen = Update.de_json(server.chosen_inline_result(7, "r1", "logement"), bot)
    assert chosen.chosen_inline_result is not None
    assert chosen.chosen_inline_result.result_id == "r1"

    media = {
        "photo": server.photo(7, caption="vue"),
        "voice": server.voice(7),
        "sticker": server.sticker(7),
        "location": server.location(7),
        "document": server.document(7),
    }
    for kind, data in media.items():
        message = Update.de_json(data, bot).message
        assert message is not None and getattr(message, kind), kind
    ids = [u["update_id"] for u in media.values()]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


async def test_wait_for_timeout_is_readable(server: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(3, "hello")
    calls = await server.wait_for(lambda calls: any(c.method == "sendMessage" for c in calls))
    assert calls[-1].params["text"] == "hello"
    with pytest.raises(TimeoutError) as info:
        await server.wait_for(lambda calls: False, timeout=0.05, what="a reply to chat 3")
    message = str(info.value)
    assert "a reply to chat 3 not met within 0.05 s" in message
    assert "sendMessage x1" in message and "text='hello'" in message


# ------------------------------------------------------------------------------ faults


async def test_targeted_faults_map_to_ptb_errors(server: FakeBotApi, bot: Bot) -> None:
    server.fail_next("sendMessage", RetryAfter(3))
    with pytest.raises(tg_error.RetryAfter) as flood:
        await bot.send_message(1, "a")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _seconds(flood.value.retry_after) == 3

    server.fail_next("sendMessage", ServerError(), count=2)
    for _ in range(2):
        with pytest.raises(tg_error.NetworkError) as failed:
            await bot.send_message(1, "b")
        assert not isinstance(failed.value, tg_error.BadRequest)
        assert "Internal Server Error" in failed.value.message

    server.fail_next("sendMessage", Blocked())
    with pytest.raises(tg_error.Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(1, "c")

    server.fail_next("sendMessage", NotModified())
    with pytest.raises(tg_error.BadRequest, match=r"(?i)message is not modified"):
        await bot.send_message(1, "d")

    server.fail_next("sendMessage", Drop())
    with pytest.raises(tg_error.NetworkError) as dropped:
        await bot.send_message(1, "e")
    assert not isinstance(dropped.value, tg_error.TimedOut)

    await bot.send_message(1, "delivered")
    assert server.sent_texts(1) == ["delivered"]
    faulted = server.faulted_calls()
    assert [type(c.fault).__name__ for c in faulted] == [
        "RetryAfter",
        "ServerError",
        "ServerError",
        "Blocked",
        "NotModified",
        "Drop",
    ]
    assert not any(c.processed for c in faulted)
    assert server.faults_injected.total == 6
    assert server.faults_injected.by_kind["ServerError"] == 2
    assert server.faults_injected.by_method == {"sendMessage": 6}
    assert server.hidden_deliveries == 0


async def test_timeouts_and_hidden_deliveries(server: FakeBotApi) -> None:
    async with Bot(TOKEN, base_url=server.base_url, request=_request(0.2)) as bot:
        server.fail_next("sendMessage", Timeout(3.0))
        started = time.monotonic()
        with pytest.raises(tg_error.TimedOut):
            await bot.send_message(1, "slow")
        assert time.monotonic() - started < 1.5
        assert server.sent_texts() == []

        server.fail_next("sendMessage", Timeout(3.0), deliver_then_fail=True)
        with pytest.raises(tg_error.TimedOut):
            await bot.send_message(1, "hidden by a timeout")
        server.fail_next("sendMessage", Drop(), deliver_then_fail=True)
        with pytest.raises(tg_error.NetworkError):
            await bot.send_message(1, "hidden by a drop")

    assert server.sent_texts(1) == ["hidden by a timeout", "hidden by a drop"]
    assert server.hidden_deliveries == 2
    hidden = [c for c in server.calls_of("sendMessage") if c.hidden]
    assert [type(c.fault).__name__ for c in hidden] == ["Timeout", "Drop"]
    assert server.faults_injected.by_kind == {"Timeout": 2, "Drop": 1}


async def test_random_faults_are_seeded_and_counted(server: FakeBotApi, bot: Bot) -> None:
    kinds: list[Fault] = [ServerError(), Blocked(), RetryAfter(1), Drop()]

    async def run() -> list[str]:
        server.clear_calls()
        server.random_faults(0.5, {"sendMessage"}, kinds, seed=42, deliver_then_fail=True)
        failures = 0
        for i in range(40):
            try:
                await bot.send_message(9, f"m{i}")
            except tg_error.TelegramError:
                failures += 1
        await bot.get_me()  # not a targeted method: never faulted
        assert failures == server.faults_injected.total
        return [type(c.fault).__name__ if c.fault else "-" for c in server.calls]

    first = await run()
    stats = server.faults_injected
    assert 5 < stats.total < 35
    assert sum(stats.by_kind.values()) == stats.total
    assert stats.by_method == {"sendMessage": stats.total}
    assert set(stats.by_kind) <= {"ServerError", "Blocked", "RetryAfter", "Drop"}
    assert server.hidden_deliveries == stats.by_kind["Drop"]
    delivered = [c.params["text"] for c in server.calls_of("sendMessage") if c.ok or c.hidden]
    assert server.sent_texts(9) == delivered
    assert first[-1] == "-"

    assert await run() == first  # same seed, same faults
    server.random_faults(0)
    await bot.send_message(9, "calm")
    assert server.calls[-1].fault is None


# ------------------------------------------------------------------------------ Application


async def test_application_polling_round_trip(server: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup.from_button(InlineKeyboardButton("1", callback_data="1"))
        await update.effective_message.reply_text("Bienvenue", reply_markup=keyboard)

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("ok")
        await query.edit_message_text(f"Choix {query.data}")

    app = _application(server)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    async with app:
        assert app.bot.username == "cdv_test_bot"
        await app.updater.start_polling(poll_interval=0, timeout=1)  # type: ignore[union-attr]
        await app.start()
        try:
            server.push(server.message(7, "hello <b>&"))
            server.push(server.message(7, "/start"))
            assert await server.wait_for_sent(2, chat_id=7) == ["echo: hello <b>&", "Bienvenue"]
            welcome = server.sent_messages(7)[1]
            server.push(server.callback_query(7, "1"))
            await server.wait_for(
                lambda calls: any(c.method == "editMessageText" and c.ok for c in calls)
            )
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()

    assert server.get_message(welcome["message_id"])["text"] == "Choix 1"  # type: ignore[index]
    answer = server.calls_of("answerCallbackQuery")[0]
    assert answer.params["text"] == "ok"
    methods = [c.method for c in server.calls]
    assert methods[:2] == ["getMe", "deleteWebhook"]
    last_poll = server.calls_of("getUpdates")[-1]
    assert last_poll.params["timeout"] == 0  # PTB confirms the offset when it stops
    assert server.pending_updates == []


async def test_application_webhook_delivery(server: FakeBotApi) -> None:
    port = _free_port()
    app = _application(server)
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    async with app:
        await app.updater.start_webhook(  # type: ignore[union-attr]
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cret",
        )
        await app.start()
        try:
            assert server.webhook_url == f"http://127.0.0.1:{port}/hook"
            assert server.webhook_secret == "s3cret"
            assert await server.deliver(server.message(9, "via hook")) == 200
            assert await server.wait_for_sent(1, chat_id=9) == ["echo: via hook"]
            assert await server.deliver(server.message(9, "intruder"), secret="wrong") == 403
            await asyncio.sleep(0.1)
            assert server.sent_texts(9) == ["echo: via hook"]
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
    assert not server.calls_of("getUpdates")


async def test_polling_throughput(server: FakeBotApi) -> None:
    app = _application(server)
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    count = 300
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)  # type: ignore[union-attr]
        await app.start()
        try:
            started = time.monotonic()
            server.push_all(server.message(1000 + i % 50, f"q{i}") for i in range(count))
            await server.wait_for(
                lambda calls: len(server.calls_of("sendMessage")) >= count, timeout=10
            )
            elapsed = time.monotonic() - started
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()
    assert len(server.sent_texts()) == count
    assert elapsed < 5.0, f"{count} round trips took {elapsed:.2f} s"


def test_call_flags() -> None:
    call = Call("sendMessage", {"text": "x"}, TOKEN, 0.0)
    assert not call.ok and not call.hidden
    call.status, call.processed = 200, True
    assert call.ok
    call.fault = Drop()
    assert call.hidden and not call.ok


async def test_inline_results_html_is_checked(server: FakeBotApi, bot: Bot) -> None:
    def article(text: str) -> InlineQueryResultArticle:
        return InlineQueryResultArticle("a", "A", InputTextMessageContent(text, parse_mode="HTML"))

    assert await bot.answer_inline_query("1", [article("<b>ok</b> &amp;")])
    with pytest.raises(tg_error.BadRequest, match="parse entities"):
        await bot.answer_inline_query("2", [article("<b>broken")])
    with pytest.raises(tg_error.BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_inline_query("3", [article("x" * 4097)])


async def test_listeners_see_processed_and_failed_calls(server: FakeBotApi, bot: Bot) -> None:
    seen: list[tuple[str, bool, int]] = []
    server.listeners.append(lambda call: seen.append((call.method, call.processed, call.status)))
    await bot.send_message(42, "hello")
    server.blocked_chats.add(43)
    with pytest.raises(tg_error.Forbidden):
        await bot.send_message(43, "hello")
    server.fail_next("sendMessage", Drop(), deliver_then_fail=True)
    with pytest.raises(tg_error.NetworkError):
        await bot.send_message(44, "hello")
    assert seen == [
        ("sendMessage", True, 200),
        ("sendMessage", False, 403),
        ("sendMessage", True, 0),  # carried out, then the connection was dropped
    ]
