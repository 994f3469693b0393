"""Writes that must never hold up a reply: one thread of their own, in order, bounded.

The question log is SQLite: a write can wait for a lock held by another process (``report``,
a backup, a purge). Run on the event loop's shared thread pool, a few such waits would also
hold up everything else sent there (reloads, /stats); here they queue behind each other on
one dedicated thread, and past ``limit`` waiting writes a new one is dropped (and counted)
rather than piling up memory.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Final

log = logging.getLogger(__name__)

MAX_WAITING: Final = 1000


class BackgroundWriter:
    def __init__(self, limit: int = MAX_WAITING, name: str = "question-log") -> None:
        self.limit = limit
        self.dropped = 0
        self._name = name
        self._executor: ThreadPoolExecutor | None = None
        self._waiting = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def submit(self, work: Callable[..., Any], *args: Any) -> bool:
        """Run ``work(*args)`` on the writer thread; ``False`` when too many wait already."""
        with self._lock:
            if self._waiting >= self.limit:
                self.dropped += 1
                if self.dropped == 1 or self.dropped % 100 == 0:
                    log.warning(
                        "Journal des questions saturé : %d écriture(s) abandonnée(s)", self.dropped
                    )
                return False
            self._waiting += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
            future = self._executor.submit(work, *args)
        future.add_done_callback(self._done)
        return True

    def _done(self, future: Future[Any]) -> None:
        if not future.cancelled() and future.exception() is not None:
            log.error("Écriture en arrière-plan impossible", exc_info=future.exception())
        with self._lock:
            self._waiting -= 1
            if self._waiting == 0:
                self._idle.notify_all()

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is waiting; ``False`` if that took longer than ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._waiting:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True
