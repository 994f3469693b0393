"""Issue 11, hardening, through the real python-telegram-bot stack and the fake Bot API server
on 127.0.0.1 (``tests/fake_botapi.py``): what needs Telegram's side to be shown. Every test
here failed on the code before the fix. Loops are bounded, traffic stays on loopback.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import aiohttp
import pytest

from bot.staff.question_log import QuestionLog
from handlers.app import WEBHOOK_MAX_BODY
from handlers.staff import PRIVATE_ONLY
from tests.conftest import MakeApp
from tests.fake_botapi import DEFAULT_GROUP_CHAT_ID, FakeBotApi, JSONDict
from tests.harness import STAFF_ID, BotUnderTest
from tests.test_telegram_e2e import start_webhook

SECRET = "s3cret"  # the one start_webhook sets


async def quiet(bot: BotUnderTest, chat: int, wait: float = 0.6) -> int:
    """How many messages the bot sent to ``chat`` once it has had ``wait`` seconds."""
    await asyncio.sleep(wait)
    return len(bot.sent(chat))


# ----------------------------------------------------------------------------- 3. webhook


async def test_3_an_oversized_webhook_body_is_refused_before_it_is_read(
    make_app: MakeApp, botapi: FakeBotApi
) -> None:
    bot = await start_webhook(make_app)
    assert botapi.webhook_url is not None
    update = botapi.message(42, "je cherche du travail")
    update["message"]["padding"] = "x" * (2 * WEBHOOK_MAX_BODY)  # with the right secret
    body = json.dumps(update).encode()
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    refused: int | str
    async with aiohttp.ClientSession(trust_env=False) as session:
        try:
            async with session.post(botapi.webhook_url, data=body, headers=headers) as response:
                refused = response.status
        except aiohttp.ClientError as exc:  # the server may close before the body is sent
            refused = type(exc).__name__
    assert refused != 200, "a 2 MiB update was accepted"
    assert await quiet(bot, 42) == 0
    # A normal update still gets through.
    assert await botapi.deliver(botapi.message(43, "je cherche du travail")) == 200
    await botapi.wait_for_sent(1, 43)


# ----------------------------------------------------------------------------- 4. flood


async def test_4_a_resident_sending_commands_and_buttons_is_held_back(
    running_bot: BotUnderTest,
) -> None:
    api = running_bot.api
    api.push_all(api.message(60, "/urgence") for _ in range(40))
    api.push_all(api.callback_query(60, "menu") for _ in range(40))
    await api.wait_for_sent(20, 60, timeout=10)
    other = await running_bot.ask("/themes", user_id=61)  # somebody else, meanwhile
    assert other and running_bot.text("menu_thematiques") in other[0].text
    await asyncio.sleep(0.8)
    sent = running_bot.sent(60)
    edits = [c for c in api.calls_of("editMessageText") if c.params.get("chat_id") == 60]
    assert len(sent) + len(edits) <= 22, (len(sent), len(edits))
    answered = [c for c in api.calls_of("answerCallbackQuery")]
    assert len(answered) <= 22


async def test_4_inline_queries_are_held_back_past_their_budget(
    running_bot: BotUnderTest,
) -> None:
    api = running_bot.api
    api.push_all(api.inline_query(62, "travail") for _ in range(200))
    await api.wait_for(
        lambda calls: sum(c.method == "answerInlineQuery" for c in calls) >= 150, timeout=20
    )
    await asyncio.sleep(0.8)
    assert len(api.calls_of("answerInlineQuery")) == 150


# ----------------------------------------------------------------------------- 5. locked log


async def test_5_answers_are_not_kept_waiting_by_a_locked_log(
    make_app: MakeApp, tmp_path: pytest.TempPathFactory
) -> None:
    path = f"{tmp_path}/q.sqlite3"
    bot = await make_app(question_log=QuestionLog(path))
    # The bot may still be purging old questions at start-up: wait for it, then hold the lock.
    blocker = sqlite3.connect(path, timeout=10)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        for user in range(70, 76):
            bot.api.push(bot.api.message(user, "je cherche du travail"))
        for user in range(70, 76):
            await bot.api.wait_for_sent(1, user, timeout=10)
        elapsed = time.monotonic() - started
    finally:
        blocker.rollback()
        blocker.close()
    assert elapsed < 2.0, f"six residents waited {elapsed:.1f} s"


# ----------------------------------------------------------------------------- 8. staff


async def test_8_stats_and_reload_answer_in_private_chats_only(running_bot: BotUnderTest) -> None:
    for command in ("/stats", "/reload"):
        [reply] = await running_bot.ask(command, user_id=STAFF_ID, group=True)
        assert reply.chat_id == DEFAULT_GROUP_CHAT_ID
        assert reply.text == PRIVATE_ONLY
    [report] = await running_bot.ask("/stats", user_id=STAFF_ID)
    assert "📊" in report.text and "🧹" in report.text


# ----------------------------------------------------------------------------- 12. edits


def edited(update: JSONDict) -> JSONDict:
    """The same message as Telegram sends it again after an edit (or a live location)."""
    message = dict(update["message"])
    message["edit_date"] = message["date"] + 5
    return {"edited_message": message}


async def test_12_edited_messages_and_live_locations_are_not_answered_again(
    running_bot: BotUnderTest,
) -> None:
    api = running_bot.api
    api.push(edited(api.message(80, "/urgence")))
    api.push(edited(api.message(80, "je cherche du travail")))
    live = api.location(81)
    live["message"]["location"]["live_period"] = 900
    api.push(live)
    await api.wait_for_sent(1, 81)
    for step in range(10):  # the position, updated every few seconds
        moved = edited(live)
        moved["edited_message"]["location"] = {
            "latitude": 48.85 + step / 1000,
            "longitude": 2.35,
            "live_period": 900,
        }
        api.push(moved)
    assert await quiet(running_bot, 80) == 0
    assert len(running_bot.sent(81)) == 1
