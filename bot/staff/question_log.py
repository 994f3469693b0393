"""An anonymous log of the questions residents ask, so staff can see what the bot misses.

Privacy by construction: the table has no column for a user id, chat id, name or username,
and no method accepts one. Questions are redacted and normalised before they are stored
(see :func:`bot.staff.redact.normalise_for_log`), and old rows are removed by :meth:`purge`.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Final

from bot.staff.redact import normalise_for_log

MEMORY: Final = ":memory:"

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,
    text TEXT NOT NULL,
    decision TEXT NOT NULL,
    objective TEXT NULL,
    score REAL NOT NULL,
    helpful INTEGER NULL
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
"""
_COLUMNS: Final = "id, asked_at, text, decision, objective, score, helpful"


@dataclass(frozen=True)
class Entry:
    """One logged question. Nothing in it says who asked."""

    id: int
    asked_at: datetime
    text: str
    decision: str
    objective: str | None
    score: float
    helpful: bool | None


def _utc(now: datetime | None) -> datetime:
    """``now`` in UTC; a naive datetime is taken as UTC already."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        return now.replace(tzinfo=UTC)
    return now.astimezone(UTC)


def _stamp(moment: datetime) -> str:
    # Fixed format (seconds, explicit +00:00) so that text order is time order.
    return _utc(moment).isoformat(timespec="seconds")


class QuestionLog:
    """Thread-safe SQLite store of anonymous questions (one connection, one lock)."""

    def __init__(self, path: str | Path) -> None:
        target = str(path)
        if target != MEMORY:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(target, check_same_thread=False)
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)
            self._conn.commit()

    # -- context manager -------------------------------------------------------------------
    def __enter__(self) -> QuestionLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("question log is closed")
        return self._conn

    # -- writing ---------------------------------------------------------------------------
    def record(
        self,
        question: str,
        decision: str,
        objective: str | None,
        score: float,
        now: datetime | None = None,
    ) -> int:
        """Store a redacted, normalised question and return its id (for the later vote)."""
        row = (_stamp(_utc(now)), normalise_for_log(question), decision, objective, float(score))
        with self._lock:
            conn = self._connection()
            cur = conn.execute(
                "INSERT INTO questions (asked_at, text, decision, objective, score) "
                "VALUES (?, ?, ?, ?, ?)",
                row,
            )
            conn.commit()
            entry_id = cur.lastrowid
        if entry_id is None:  # pragma: no cover - sqlite always sets it after an INSERT
            raise RuntimeError("no id returned for the new question")
        return entry_id

    def vote(self, entry_id: int, helpful: bool) -> bool:
        """Remember whether the answer helped; ``False`` when the entry does not exist."""
        with self._lock:
            conn = self._connection()
            cur = conn.execute(
                "UPDATE questions SET helpful = ? WHERE id = ?", (int(helpful), entry_id)
            )
            conn.commit()
            return cur.rowcount > 0

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete questions older than ``retention_days``; return how many were deleted."""
        if retention_days < 0:
            raise ValueError("retention_days must be zero or positive")
        cutoff = _stamp(_utc(now) - timedelta(days=retention_days))
        with self._lock:
            conn = self._connection()
            cur = conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
            conn.commit()
            return cur.rowcount

    # -- reading ---------------------------------------------------------------------------
    def entries(self, since_days: int | None = None, now: datetime | None = None) -> list[Entry]:
        """All questions, oldest first; only the last ``since_days`` days when given."""
        query = f"SELECT {_COLUMNS} FROM questions"
        params: tuple[str, ...] = ()
        if since_days is not None:
            if since_days < 0:
                raise ValueError("since_days must be zero or positive")
            query += " WHERE asked_at >= ?"
            params = (_stamp(_utc(now) - timedelta(days=since_days)),)
        query += " ORDER BY asked_at, id"
        with self._lock:
            rows = self._connection().execute(query, params).fetchall()
        return [
            Entry(
                id=int(r[0]),
                asked_at=datetime.fromisoformat(r[1]),
                text=str(r[2]),
                decision=str(r[3]),
                objective=None if r[4] is None else str(r[4]),
                score=float(r[5]),
                helpful=None if r[6] is None else bool(r[6]),
            )
            for r in rows
        ]

    def close(self) -> None:
        """Close the connection; calling it twice is harmless."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
