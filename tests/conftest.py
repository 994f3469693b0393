"""Fixtures for end-to-end tests: a fake Bot API server and the real application polling it.

- ``botapi``: a started :class:`~tests.fake_botapi.FakeBotApi`.
- ``knowledge_dir``: a private copy of the shipped knowledge (tests may edit or break it),
  taken from a snapshot made once per session.
- ``make_app``: ``await make_app(**options)`` builds the application with
  :func:`handlers.app.build_application` (token ``123456:TEST-TOKEN-SECRET``, staff user 999, an
  in-memory question log, the copied knowledge), runs ``post_init`` and starts polling; see
  :func:`tests.harness.start_bot` for the options. Everything is stopped at teardown.
- ``running_bot``: ``make_app()`` with the defaults. ``running_bot.ask(text)`` sends a text and
  waits for the reply(ies); ``running_bot.press(data)`` presses a button.
- ``handler_errors``: the log records of exceptions that reached the bot's error handler.
- ``matcher``, ``knowledge``: a matcher on the shipped knowledge and its knowledge, built once
  per session (a module may define its own).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.models import Knowledge
from bot.matching.matcher import Matcher
from tests.fake_botapi import FakeBotApi
from tests.harness import (
    ERROR_LOG,
    BotUnderTest,
    copy_knowledge,
    snapshot_knowledge,
    start_bot,
    stop_bot,
)

MakeApp = Callable[..., Awaitable[BotUnderTest]]


@pytest.fixture
async def botapi() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture(scope="session")
def shipped_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge as it was when the session started (others may be editing it)."""
    return snapshot_knowledge(tmp_path_factory.mktemp("shipped") / "knowledge")


@pytest.fixture(scope="session")
def matcher(shipped_knowledge: Path) -> Matcher:
    # Shared: what a message gets never depends on what came before (test_matcher.py).
    return Matcher(load_knowledge(shipped_knowledge))


@pytest.fixture(scope="session")
def knowledge(matcher: Matcher) -> Knowledge:
    return matcher.knowledge


@pytest.fixture
def knowledge_dir(tmp_path: Path, shipped_knowledge: Path) -> Path:
    return copy_knowledge(tmp_path / "knowledge", shipped_knowledge)


@pytest.fixture
async def make_app(botapi: FakeBotApi, knowledge_dir: Path) -> AsyncIterator[MakeApp]:
    started: list[BotUnderTest] = []

    async def factory(**options: Any) -> BotUnderTest:
        under_test = await start_bot(botapi, knowledge_dir, **options)
        started.append(under_test)
        return under_test

    yield factory
    for under_test in reversed(started):
        await stop_bot(under_test)


@pytest.fixture
async def running_bot(make_app: MakeApp) -> BotUnderTest:
    return await make_app()


@pytest.fixture
def handler_errors(caplog: pytest.LogCaptureFixture) -> Callable[[], list[logging.LogRecord]]:
    """Call it to get the records logged by the error handler for an unexpected exception."""
    caplog.set_level(logging.INFO)

    def records() -> list[logging.LogRecord]:
        return [r for r in caplog.records if ERROR_LOG in r.getMessage()]

    return records
