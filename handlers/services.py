"""The one typed way for handlers to reach the bot's services."""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import ContextTypes

from bot.flood import FloodGuard
from bot.settings import Settings
from bot.store import KnowledgeStore
from bot.votes import VoteSigner

if TYPE_CHECKING:
    from bot.staff.question_log import QuestionLog

log = logging.getLogger(__name__)
SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    store: KnowledgeStore
    question_log: QuestionLog | None = None
    flood: FloodGuard = field(default_factory=FloodGuard)
    votes: VoteSigner = field(default_factory=lambda: VoteSigner(secrets.token_hex(16)))
    background: list[asyncio.Task[None]] = field(default_factory=list)

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.staff_user_ids

    async def record(
        self, question: str, decision: str, objective: str | None, score: float
    ) -> int | None:
        """Store a question (never who asked); a logging failure never blocks an answer."""
        if self.question_log is None:
            return None
        try:
            return await asyncio.to_thread(
                self.question_log.record, question, decision, objective, score
            )
        except Exception:
            log.exception("Impossible d'enregistrer la question")
            return None


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found = context.application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
