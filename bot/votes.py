"""Signed vote buttons.

« Cette réponse vous a aidé ? » buttons carry the anonymous question entry they vote on. The
entry number alone could be forged to skew another resident's vote, so the callback data also
carries a short HMAC: ``v1_<entry>_<signature>`` (at most 30 bytes, under Telegram's 64).
The key is derived from the bot token, so buttons stay valid across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Final

_DATA: Final = re.compile(r"v([01])_(\d{1,12})_([A-Za-z0-9_-]{12})")


class VoteSigner:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"votes:{secret}".encode()).digest()

    def _sign(self, entry_id: int, helpful: bool) -> str:
        mac = hmac.new(self._key, f"{entry_id}:{int(helpful)}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode()[:12]

    def data(self, entry_id: int, helpful: bool) -> str:
        return f"v{int(helpful)}_{entry_id}_{self._sign(entry_id, helpful)}"

    def parse(self, data: str) -> tuple[int, bool] | None:
        """``(entry, helpful)`` for a genuine vote button, ``None`` for anything else."""
        m = _DATA.fullmatch(data)
        if m is None:
            return None
        entry_id, helpful = int(m.group(2)), m.group(1) == "1"
        if not hmac.compare_digest(m.group(3), self._sign(entry_id, helpful)):
            return None
        return entry_id, helpful


def is_vote(data: str) -> bool:
    return data.startswith(("v0_", "v1_"))
