"""The real application wired to a :class:`~tests.fake_botapi.FakeBotApi`, shared by the
end-to-end tests (``conftest.py``) and the load benchmark (``tests/load.py``).

``start_bot`` builds the application with :func:`handlers.app.build_application`, exactly as
production does, then starts it the way ``run_polling`` would (without owning the event loop);
``stop_bot`` undoes everything, ``post_shutdown`` included.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from telegram.ext import Application

from bot.flood import FloodGuard
from bot.knowledge.loader import check_knowledge
from bot.settings import Settings
from bot.staff.question_log import QuestionLog
from handlers.app import build_application
from handlers.services import SERVICES_KEY, Services
from tests.fake_botapi import DEFAULT_GROUP_CHAT_ID, Call, FakeBotApi, JSONDict

TOKEN = "123456:TEST-TOKEN-SECRET"
STAFF_ID = 999
SHIPPED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
ERROR_LOG = "Erreur pendant le traitement"  # what handlers.errors.on_error logs


def ask_json(text: str) -> dict[str, Any]:
    """``python -m bot ask --json TEXT``, as a tool outside the project runs it: its line."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", text],
        capture_output=True,
        text=True,
        check=True,
        cwd=SHIPPED_KNOWLEDGE.parent,
    )
    line: dict[str, Any] = json.loads(done.stdout)
    return line


def copy_knowledge(target: Path, source: Path = SHIPPED_KNOWLEDGE) -> Path:
    """A private copy of the knowledge (by default the shipped one), which a test may edit or
    break."""
    shutil.copytree(source, target)
    return target


def snapshot_knowledge(target: Path, wait: float = 30.0) -> Path:
    """A copy of the shipped knowledge that loads. While someone is editing it, the files may
    be broken for a moment: copy again for up to ``wait`` seconds before giving up (the
    error then comes from the copy, with the report)."""
    deadline = time.monotonic() + wait
    while True:
        shutil.rmtree(target, ignore_errors=True)
        copy_knowledge(target)
        knowledge, _report = check_knowledge(target)
        if knowledge is not None or time.monotonic() > deadline:
            return target
        time.sleep(0.5)


def set_texts(knowledge_dir: Path, **texts: str) -> None:
    """Rewrite ``textes.yaml`` with some bot phrases changed (comments are lost, not the rest)."""
    path = knowledge_dir / "textes.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["textes"].update(texts)
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )


def break_yaml(knowledge_dir: Path, name: str = "textes.yaml") -> None:
    """Append a line no YAML parser accepts."""
    with (knowledge_dir / name).open("a", encoding="utf-8") as f:
        f.write("  : : [\n")


@dataclass(frozen=True)
class Sent:
    """A message the bot sent: the HTML it sent, the text Telegram shows, its keyboard."""

    chat_id: int
    message_id: int
    html: str
    text: str
    markup: JSONDict | None

    @classmethod
    def of(cls, call: Call) -> Sent:
        result = call.result or {}
        return cls(
            chat_id=int(call.params.get("chat_id", 0)),
            message_id=int(result.get("message_id", 0)),
            html=str(call.params.get("text", "")),
            text=str(result.get("text", "")),
            markup=result.get("reply_markup"),
        )

    @property
    def buttons(self) -> list[JSONDict]:
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [str(b["callback_data"]) for b in self.buttons if "callback_data" in b]


@dataclass
class BotUnderTest:
    app: Application  # type: ignore[type-arg]
    api: FakeBotApi
    settings: Settings
    question_log: QuestionLog | None
    _stopped: bool = field(default=False, repr=False)

    @property
    def services(self) -> Services:
        found = self.app.bot_data[SERVICES_KEY]
        assert isinstance(found, Services)
        return found

    def text(self, key: str) -> str:
        """A bot phrase from the knowledge the bot currently answers from."""
        return self.services.store.snapshot.knowledge.text(key)

    def sent(self, chat_id: int) -> list[Sent]:
        """What the bot sent to a chat: processed ``sendMessage`` calls (deliveries hidden by a
        fault included, failed calls excluded)."""
        return [
            Sent.of(c)
            for c in self.api.calls_of("sendMessage")
            if c.processed and _chat(c) == chat_id
        ]

    async def ask(
        self,
        text: str,
        user_id: int = 42,
        *,
        group: bool = False,
        replies: int = 1,
        settle: float = 0.1,
        timeout: float = 5.0,
    ) -> list[Sent]:
        """Send ``text`` as ``user_id`` (private chat, or the default group) and return the bot's
        new messages in that chat once at least ``replies`` arrived (plus ``settle`` seconds for
        trailing chunks)."""
        chat = DEFAULT_GROUP_CHAT_ID if group else user_id
        before = self.api.sent_count(chat)
        update = self.api.group_message(user_id, text) if group else self.api.message(user_id, text)
        self.api.push(update)
        await self.api.wait_for_sent(before + replies, chat, timeout)
        if settle:
            await asyncio.sleep(settle)
        return self.sent(chat)[before:]

    async def ask_silent(
        self, text: str, user_id: int = 42, *, group: bool = False, wait: float = 0.5
    ) -> list[Sent]:
        """Send ``text`` and return whatever the bot sent in that chat within ``wait`` seconds."""
        chat = DEFAULT_GROUP_CHAT_ID if group else user_id
        before = self.api.sent_count(chat)
        update = self.api.group_message(user_id, text) if group else self.api.message(user_id, text)
        self.api.push(update)
        await asyncio.sleep(wait)
        return self.sent(chat)[before:]

    async def press(
        self,
        data: str,
        user_id: int = 42,
        message_id: int | None = None,
        *,
        settle: float = 0.1,
        timeout: float = 5.0,
    ) -> Call:
        """Press an inline button with ``data`` (on ``message_id``, by default the bot's last
        message in the user's chat); return the ``answerCallbackQuery`` call once it is done."""
        update = self.api.callback_query(user_id, data, message_id)
        query_id = update["callback_query"]["id"]
        self.api.push(update)

        def answered(calls: list[Call]) -> bool:
            return any(
                c.method == "answerCallbackQuery"
                and c.params.get("callback_query_id") == query_id
                and c.status
                for c in calls
            )

        await self.api.wait_for(answered, timeout, what=f"answerCallbackQuery {data!r}")
        if settle:
            await asyncio.sleep(settle)
        return next(
            c
            for c in self.api.calls_of("answerCallbackQuery")
            if c.params.get("callback_query_id") == query_id and c.status
        )


def _chat(call: Call) -> int | None:
    try:
        return int(call.params.get("chat_id", ""))
    except (TypeError, ValueError):
        return None


async def start_bot(
    api: FakeBotApi,
    knowledge_dir: Path,
    *,
    token: str = TOKEN,
    staff: frozenset[int] = frozenset({STAFF_ID}),
    question_log: QuestionLog | None = None,
    watch_knowledge: bool = False,
    overall_max_rate: float = 30,
    flood: FloodGuard | None = None,
    read_timeout: float | None = None,
    post_init: bool = True,
    polling: bool = True,
) -> BotUnderTest:
    """Build the production application against ``api`` and start it (polling by default).
    ``post_init`` registers the commands and, with ``watch_knowledge``, starts the watcher."""
    settings = Settings(
        token=token, base_url=api.base_url, knowledge_dir=knowledge_dir, staff_user_ids=staff
    )
    log = question_log if question_log is not None else QuestionLog(":memory:")
    app = build_application(
        settings,
        question_log=log,
        watch_knowledge=watch_knowledge,
        overall_max_rate=overall_max_rate,
        flood=flood,
        **({} if read_timeout is None else {"read_timeout": read_timeout}),
    )
    await app.initialize()
    if post_init and app.post_init is not None:
        await app.post_init(app)
    if polling:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
    await app.start()
    return BotUnderTest(app, api, settings, log)


async def stop_bot(under_test: BotUnderTest) -> None:
    """Stop polling or the webhook, the application, then run ``post_shutdown``."""
    if under_test._stopped:
        return
    under_test._stopped = True
    app = under_test.app
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
