"""Per-resident flood rules, Telegram-free. Only in-memory counters per resident, never stored.

``FloodGuard``: someone sending more than ``limit`` messages within ``window`` seconds gets one
message asking them to slow down; further messages in that window are set aside. Nobody is
banned: as soon as the window frees up, answers resume.

``RepeatGuard``: someone repeating danger messages gets the emergency block at once, then the
same block at most once per ``window``; in between, their answers carry the short line of
numbers instead, so the numbers never go missing and the screen does not fill with blocks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["ok", "warn", "drop"]


@dataclass
class FloodGuard:
    limit: int = 20
    window: float = 60.0
    max_users: int = 100_000
    _seen: dict[Hashable, deque[float]] = field(default_factory=dict)
    _warned: dict[Hashable, float] = field(default_factory=dict)

    def check(self, user_id: Hashable, now: float) -> Verdict:
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


@dataclass
class RepeatGuard:
    window: float = 60.0
    max_users: int = 100_000
    _last: dict[Hashable, tuple[Hashable, float]] = field(default_factory=dict)

    def first(self, user_id: Hashable, shown: Hashable, now: float) -> bool:
        """Whether ``shown`` may be shown to ``user_id`` now (and remember it if so)."""
        last = self._last.get(user_id)
        if last is not None and last[0] == shown and now - last[1] < self.window:
            return False
        if last is None and len(self._last) >= self.max_users:
            for uid in [u for u, (_s, t) in self._last.items() if now - t >= self.window]:
                del self._last[uid]
        self._last[user_id] = (shown, now)
        return True
