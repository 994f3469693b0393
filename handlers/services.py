"""The one typed way for handlers to reach the bot's services."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import Application, ContextTypes
from telegram.request import BaseRequest

from bot.assistant import Assistant
from bot.settings import Settings
from bot.store import KnowledgeStore
from bot.votes import VoteSigner

if TYPE_CHECKING:
    from bot.staff.question_log import QuestionLog

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    assistant: Assistant
    background: list[asyncio.Task[None]] = field(default_factory=list)
    transports: tuple[BaseRequest, ...] = ()  # the Bot API HTTP clients, closed on a failed start

    # Shortcuts for staff commands and tests: the assistant owns these.
    @property
    def store(self) -> KnowledgeStore:
        return self.assistant.store

    @property
    def question_log(self) -> QuestionLog | None:
        return self.assistant.question_log

    @property
    def votes(self) -> VoteSigner:
        return self.assistant.votes

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.staff_user_ids


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return services_of(context.application)


def services_of(app: Application) -> Services:  # type: ignore[type-arg]
    found = app.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
