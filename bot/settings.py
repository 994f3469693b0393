"""Settings, read once from the environment (and from a ``.env`` file when there is one)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

PROJECT_DIR: Final = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR: Final = PROJECT_DIR / "knowledge"
DEFAULT_QUESTION_LOG: Final = PROJECT_DIR / "var" / "questions.sqlite3"
TELEGRAM_BASE_URL: Final = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    """A setting has a value the bot cannot use; the message is for the operator (French)."""


@dataclass(frozen=True)
class Settings:
    token: str = field(default="", repr=False)  # never printed, never logged
    base_url: str = TELEGRAM_BASE_URL
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    webhook_url: str = ""
    port: int = 8443
    webhook_secret: str = field(default="", repr=False)
    staff_user_ids: frozenset[int] = frozenset()
    question_log_path: Path = DEFAULT_QUESTION_LOG
    retention_days: int = 90

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = dict(os.environ) if env is None else env

        def number(name: str, default: int) -> int:
            raw = e.get(name, "").strip()
            if not raw:
                return default
            try:
                return int(raw)
            except ValueError:
                raise SettingsError(f"{name} doit être un nombre entier (reçu « {raw} »)") from None

        staff: set[int] = set()
        for part in e.get("STAFF_USER_IDS", "").replace(";", ",").split(","):
            part = part.strip()
            if part:
                if not part.lstrip("-").isdigit():
                    raise SettingsError(
                        f"STAFF_USER_IDS : « {part} » n'est pas un identifiant Telegram numérique"
                    )
                staff.add(int(part))
        return cls(
            token=e.get("TELEGRAM_BOT_TOKEN", "").strip(),
            base_url=e.get("TELEGRAM_BASE_URL", "").strip() or TELEGRAM_BASE_URL,
            knowledge_dir=Path(e.get("KNOWLEDGE_DIR", "").strip() or DEFAULT_KNOWLEDGE_DIR),
            webhook_url=e.get("WEBHOOK_URL", "").strip(),
            port=number("PORT", 8443),
            webhook_secret=e.get("WEBHOOK_SECRET", "").strip(),
            staff_user_ids=frozenset(staff),
            question_log_path=Path(e.get("QUESTION_LOG_PATH", "").strip() or DEFAULT_QUESTION_LOG),
            retention_days=number("RETENTION_DAYS", 90),
        )
