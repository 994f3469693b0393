"""Issue 11, hardening: privacy, abuse and failure. One section per numbered item of the issue;
every test here failed on the code before the fix.

Everything runs on this machine: Bot API servers are on 127.0.0.1, loops are bounded.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot.assistant import Assistant, Outcome, Question, Request
from bot.flood import FloodGuard
from bot.knowledge.models import Knowledge
from bot.settings import Settings, SettingsError
from bot.staff.question_log import QuestionLog
from bot.staff.redact import normalise_for_log, redact
from bot.store import KnowledgeStore
from handlers.aiohttp_request import AiohttpRequest
from handlers.services import Services

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:HARDENING-SECRET-TOKEN"
TOKEN_SECRET = TOKEN.split(":", 1)[1]
NOW = datetime(2025, 3, 15, 12, 34, 56, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(shipped_knowledge: Path) -> KnowledgeStore:
    return KnowledgeStore(shipped_knowledge)


@pytest.fixture
def knowledge(store: KnowledgeStore) -> Knowledge:
    return store.snapshot.knowledge


@pytest.fixture
def assistant(store: KnowledgeStore) -> Iterator[Assistant]:
    log = QuestionLog(":memory:")
    yield Assistant(store, log)
    log.close()


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a ``python -m bot`` subprocess: nothing of ours leaks in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "WEBHOOK_", "RETENTION_", "VOTE_", "QUESTION_"))
    }
    env.update(extra)
    return env


# ----------------------------------------------------------------------------- 1. retention


@pytest.mark.parametrize("days", ["-1", "0", "99999999"])
def test_1_retention_days_out_of_range_is_refused(days: str) -> None:
    with pytest.raises(SettingsError, match="RETENTION_DAYS"):
        Settings.from_env({"RETENTION_DAYS": days})
    assert Settings.from_env({"RETENTION_DAYS": "30"}).retention_days == 30


def test_1_run_with_a_bad_retention_stops_with_a_french_message(tmp_path: Path) -> None:
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, RETENTION_DAYS="-1")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert "RETENTION_DAYS doit être entre" in out.stderr
    assert "Traceback" not in out.stderr


class FlakyLog(QuestionLog):
    """A log whose purge fails twice (« database is locked »), then works."""

    def __init__(self) -> None:
        super().__init__(":memory:")
        self.attempts = 0

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        self.attempts += 1
        if self.attempts <= 2:
            raise sqlite3.OperationalError("database is locked")
        return super().purge(retention_days, now)


async def test_1_the_retention_loop_survives_errors_and_says_when_it_last_purged(
    store: KnowledgeStore, caplog: pytest.LogCaptureFixture
) -> None:
    from handlers.app import _retention_loop
    from handlers.staff import last_purge_line

    log = FlakyLog()
    services = Services(Settings(retention_days=30), Assistant(store, log))
    assert log.last_purge is None
    task = asyncio.create_task(_retention_loop(services, every=0.05, retry=0.01))
    deadline = time.monotonic() + 5
    while log.attempts < 4 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert not task.done(), "the retention loop ended"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert log.attempts >= 4  # two failures, then the purge goes on
    failures = [r for r in caplog.records if "Effacement des anciennes questions" in r.message]
    assert len(failures) == 2 and all(r.exc_info for r in failures)
    assert log.last_purge is not None
    assert "Dernier effacement" in last_purge_line(log.last_purge)
    assert "pas encore" in last_purge_line(None)
    log.close()


# ----------------------------------------------------------------------------- 2. token


def test_2_plain_http_to_another_machine_is_warned_about() -> None:
    assert Settings(base_url="http://bot-api.example.org/bot").warnings()
    for local in ("http://127.0.0.1:8081/bot", "http://localhost:8081/bot", "http://[::1]/bot"):
        assert Settings(base_url=local).warnings() == []
    assert Settings().warnings() == []  # https://api.telegram.org


@pytest.fixture
async def hostile_api() -> AsyncIterator[str]:
    """A Bot API impostor on 127.0.0.1: 401 on /bot<token>/getMe for /unauthorized, a
    redirect loop for /loop. Yields its base address."""

    async def unauthorized(_request: web.Request) -> web.Response:
        body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return web.json_response(body, status=401)

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound(str(request.url))  # the same URL again: a loop

    app = web.Application()
    app.router.add_route("*", "/unauthorized/{tail:.*}", unauthorized)
    app.router.add_route("*", "/loop/{tail:.*}", loop)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.mark.parametrize("path", ["unauthorized", "loop"])
async def test_2_the_token_is_never_printed_when_start_up_fails(
    hostile_api: str, path: str, tmp_path: Path, shipped_knowledge: Path
) -> None:
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=f"{hostile_api}/{path}/bot",
        KNOWLEDGE_DIR=str(shipped_knowledge),
        QUESTION_LOG_PATH=str(tmp_path / "q.sqlite3"),
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--polling",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
    printed = (stdout + stderr).decode()
    assert proc.returncode == 1, printed
    assert TOKEN_SECRET not in printed
    assert "Traceback" not in printed
    assert "TELEGRAM_BASE_URL" in printed  # what to check, in French


async def test_2_bot_api_redirects_are_not_followed(hostile_api: str) -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        status, _body = await request.do_request(
            f"{hostile_api}/loop/bot{TOKEN}/getMe", "POST"
        )
    finally:
        await request.shutdown()
    assert status == 302


# ----------------------------------------------------------------------------- 3. webhook


def test_3_webhook_settings_are_checked() -> None:
    assert Settings.from_env({}).webhook_listen == "0.0.0.0"
    assert Settings.from_env({"WEBHOOK_LISTEN": "127.0.0.1"}).webhook_listen == "127.0.0.1"
    with pytest.raises(SettingsError, match="WEBHOOK_LISTEN"):
        Settings.from_env({"WEBHOOK_LISTEN": "partout"})
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET") as bad:
        Settings.from_env({"WEBHOOK_SECRET": "pas de blancs!"})
    assert "pas de blancs" not in str(bad.value)  # a secret is never repeated
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        Settings.from_env({"WEBHOOK_SECRET": "a" * 257})
    with pytest.raises(SettingsError, match="PORT"):
        Settings.from_env({"PORT": "70000"})
    hook = Settings.from_env({"WEBHOOK_URL": "https://bot.example.org/hook"})
    with pytest.raises(SettingsError, match="WEBHOOK_SECRET"):
        hook.validate(webhook=True)  # required: a random one per process breaks deploys
    Settings.from_env(
        {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "Ab_9-" * 10}
    ).validate(webhook=True)


def test_3_run_in_webhook_mode_without_a_secret_stops(tmp_path: Path) -> None:
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.example.org/hook")
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--webhook"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1 and "WEBHOOK_SECRET" in out.stderr


def test_3_run_bot_listens_where_told_with_the_secret_and_the_updates_used(
    monkeypatch: pytest.MonkeyPatch, shipped_knowledge: Path, tmp_path: Path
) -> None:
    from telegram.ext import Application

    from handlers import app as app_module

    seen: dict[str, object] = {}

    def fake_run_webhook(self: Application, **kwargs: object) -> None:  # type: ignore[type-arg]
        seen.update(kwargs)

    def fake_run_polling(self: Application, **kwargs: object) -> None:  # type: ignore[type-arg]
        seen.update(kwargs, polling=True)

    monkeypatch.setattr(Application, "run_webhook", fake_run_webhook)
    monkeypatch.setattr(Application, "run_polling", fake_run_polling)
    monkeypatch.setattr(app_module, "setup_logging", lambda *a, **k: None)
    settings = Settings(
        token=TOKEN,
        knowledge_dir=shipped_knowledge,
        webhook_url="https://bot.example.org/hook",
        webhook_secret="s3cret-Token_1",
        webhook_listen="127.0.0.1",
        question_log_path=tmp_path / "q.sqlite3",
    )
    assert app_module.run_bot(settings, webhook=True) == 0
    assert seen["listen"] == "127.0.0.1"
    assert seen["secret_token"] == "s3cret-Token_1"
    assert seen["url_path"] == "hook"
    allowed = seen["allowed_updates"]
    assert isinstance(allowed, list)
    assert set(allowed) == {"message", "callback_query", "inline_query", "chosen_inline_result"}
    seen.clear()
    assert app_module.run_bot(settings, webhook=False) == 0
    assert seen["polling"] is True and seen["allowed_updates"] == allowed
