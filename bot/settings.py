"""Settings, read once from the environment (and from a ``.env`` file when there is one).

Every value is checked here, before anything starts: a setting the bot cannot honour stops it
with a French message that names the variable, instead of failing later without a word (a
retention period that ends the purge loop, a webhook secret Telegram refuses).
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

PROJECT_DIR: Final = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR: Final = PROJECT_DIR / "knowledge"
DEFAULT_QUESTION_LOG: Final = PROJECT_DIR / "var" / "questions.sqlite3"
TELEGRAM_BASE_URL: Final = "https://api.telegram.org/bot"

# Anonymised questions help staff improve answers; a year covers every season of the
# contract's topics (school year, summer jobs), and keeping them longer only adds risk.
RETENTION_MIN_DAYS: Final = 1
RETENTION_MAX_DAYS: Final = 365
# What Telegram accepts in X-Telegram-Bot-Api-Secret-Token (setWebhook's secret_token).
WEBHOOK_SECRET_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
VOTE_SECRET_MIN_LENGTH: Final = 16
# Hosts where plain http never leaves the machine (a local Bot API server).
LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})


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
    webhook_listen: str = "0.0.0.0"  # platforms route to every interface of the container
    vote_secret: str = field(default="", repr=False)

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
        settings = cls(
            token=e.get("TELEGRAM_BOT_TOKEN", "").strip(),
            base_url=e.get("TELEGRAM_BASE_URL", "").strip() or TELEGRAM_BASE_URL,
            knowledge_dir=Path(e.get("KNOWLEDGE_DIR", "").strip() or DEFAULT_KNOWLEDGE_DIR),
            webhook_url=e.get("WEBHOOK_URL", "").strip(),
            port=number("PORT", 8443),
            webhook_secret=e.get("WEBHOOK_SECRET", "").strip(),
            staff_user_ids=frozenset(staff),
            question_log_path=Path(e.get("QUESTION_LOG_PATH", "").strip() or DEFAULT_QUESTION_LOG),
            retention_days=number("RETENTION_DAYS", 90),
            webhook_listen=e.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
            vote_secret=e.get("VOTE_SECRET", "").strip(),
        )
        settings.validate()
        return settings

    def validate(self, webhook: bool = False) -> None:
        """Raise :class:`SettingsError` for a value the bot cannot honour; ``webhook``: also
        what webhook mode needs."""
        if not RETENTION_MIN_DAYS <= self.retention_days <= RETENTION_MAX_DAYS:
            raise SettingsError(
                f"RETENTION_DAYS doit être entre {RETENTION_MIN_DAYS} et {RETENTION_MAX_DAYS} "
                f"jours (reçu {self.retention_days})"
            )
        if not 1 <= self.port <= 65535:
            raise SettingsError(f"PORT doit être entre 1 et 65535 (reçu {self.port})")
        try:
            ipaddress.ip_address(self.webhook_listen)
        except ValueError:
            raise SettingsError(
                f"WEBHOOK_LISTEN doit être une adresse IP, par exemple 0.0.0.0 ou 127.0.0.1 "
                f"(reçu « {self.webhook_listen} »)"
            ) from None
        if self.webhook_secret and not WEBHOOK_SECRET_PATTERN.fullmatch(self.webhook_secret):
            # The value itself is a secret: never repeated in the message.
            raise SettingsError(
                "WEBHOOK_SECRET : 1 à 256 caractères parmi A-Z, a-z, 0-9, _ et - "
                "(ce que Telegram accepte)"
            )
        if self.vote_secret and len(self.vote_secret) < VOTE_SECRET_MIN_LENGTH:
            raise SettingsError(
                f"VOTE_SECRET doit faire au moins {VOTE_SECRET_MIN_LENGTH} caractères"
            )
        scheme = urlsplit(self.base_url).scheme
        if scheme not in ("http", "https"):
            raise SettingsError(
                "TELEGRAM_BASE_URL doit commencer par https:// (ou http:// pour un serveur local)"
            )
        if webhook:
            if not self.webhook_url:
                raise SettingsError(
                    "Le mode webhook demande WEBHOOK_URL (adresse publique https du bot)."
                )
            if not self.webhook_secret:
                # A random secret per process would make two instances, or the old and the
                # new one of a rolling deploy, refuse each other's updates.
                raise SettingsError(
                    "Le mode webhook demande WEBHOOK_SECRET (1 à 256 caractères A-Z, a-z, 0-9, "
                    "_ et -), le même pour toutes les instances du bot."
                )

    def warnings(self) -> list[str]:
        """What works but deserves the operator's attention (French, logged at start-up)."""
        found = []
        parts = urlsplit(self.base_url)
        if parts.scheme == "http" and (parts.hostname or "") not in LOCAL_HOSTS:
            found.append(
                "TELEGRAM_BASE_URL est en http vers une autre machine : le jeton du bot et les "
                "messages des habitants y circulent en clair. Utilisez https."
            )
        return found
