"""Signed vote buttons.

« Cette réponse vous a aidé ? » buttons carry the anonymous question entry they vote on, as a
random token drawn for that entry alone (never the row id: ids come back once the newest rows
are purged, and an old « Non » would then land on somebody else's newer question). The token
is also signed with a short HMAC, so altered data is refused before the database is asked:
``v1_<token>_<signature>`` (32 bytes, under Telegram's 64). The key is ``VOTE_SECRET``, or
derived from the bot token when it is not set, so buttons stay valid across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import Final

TOKEN_LENGTH: Final = 16  # 96 random bits, URL-safe base64
_DATA: Final = re.compile(rf"v([01])_([A-Za-z0-9_-]{{{TOKEN_LENGTH}}})_([A-Za-z0-9_-]{{12}})")


def new_vote_token() -> str:
    """A fresh random token for one question entry."""
    return secrets.token_urlsafe(TOKEN_LENGTH * 3 // 4)


class VoteSigner:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"votes:{secret}".encode()).digest()

    def _sign(self, token: str, helpful: bool) -> str:
        mac = hmac.new(self._key, f"{token}:{int(helpful)}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode()[:12]

    def data(self, token: str, helpful: bool) -> str:
        return f"v{int(helpful)}_{token}_{self._sign(token, helpful)}"

    def parse(self, data: str) -> tuple[str, bool] | None:
        """``(token, helpful)`` for a genuine vote button, ``None`` for anything else."""
        m = _DATA.fullmatch(data)
        if m is None:
            return None
        token, helpful = m.group(2), m.group(1) == "1"
        if not hmac.compare_digest(m.group(3), self._sign(token, helpful)):
            return None
        return token, helpful


def is_vote(data: str) -> bool:
    return data.startswith(("v0_", "v1_"))
