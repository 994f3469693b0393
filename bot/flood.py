"""Per-resident flood guard, Telegram-free.

Someone sending more than ``limit`` messages within ``window`` seconds gets one message asking
them to slow down; further messages in that window are set aside. Nobody is banned: as soon as
the window frees up, answers resume. Only an in-memory counter per user is kept, never stored.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]


@dataclass
class FloodGuard:
    limit: int = 20
    window: float = 60.0
    max_users: int = 100_000
    _seen: dict[int, deque[float]] = field(default_factory=dict)
    _warned: dict[int, float] = field(default_factory=dict)

    def check(self, user_id: int, now: float) -> Verdict:
        times = self._seen.get(user_id)
        if times is None:
            if len(self._seen) >= self.max_users:
                self._prune(now)
            times = self._seen[user_id] = deque()
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._warned.pop(user_id, None)
            return "ok"
        warned_at = self._warned.get(user_id)
        if warned_at is None or now - warned_at > self.window:
            self._warned[user_id] = now
            return "warn"
        return "drop"

    def _prune(self, now: float) -> None:
        for uid in [u for u, t in self._seen.items() if not t or now - t[-1] > self.window]:
            self._seen.pop(uid, None)
            self._warned.pop(uid, None)
