"""An anonymous log of the questions residents ask, so staff can see what the bot misses.

Privacy by construction: the table has no column for a user id, chat id, name or username,
and no method accepts one. Questions are redacted and normalised before they are stored
(see :func:`bot.staff.redact.normalise_for_log`), the moment is kept to the day only, and old
rows are removed by :meth:`purge` for good: ``secure_delete`` overwrites them, a checkpoint
empties the write-ahead log that still held them, and the files are readable by the bot's
user only (folder 0700, files 0600).

A vote button names its entry by a random token, never by the row id: ids are reused once the
newest rows are purged, and an old « Non » must not land on somebody else's newer question.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Final

from bot.staff.redact import normalise_for_log

MEMORY: Final = ":memory:"
# How long a write waits for a lock held by another process (``report``, a backup) before it
# gives up: a question that is not recorded costs less than a resident kept waiting.
BUSY_TIMEOUT_S: Final = 0.5

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    asked_at TEXT NOT NULL,
    text TEXT NOT NULL,
    decision TEXT NOT NULL,
    objective TEXT NULL,
    score REAL NOT NULL,
    helpful INTEGER NULL,
    vote_token TEXT NULL
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
"""
_VOTE_TOKEN_INDEX: Final = (
    "CREATE UNIQUE INDEX IF NOT EXISTS questions_vote_token ON questions (vote_token)"
)
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


def _day(moment: datetime) -> datetime:
    """The start of the (UTC) day: the exact minute of a question, beside the time of a
    Telegram message, could tell who asked it."""
    return _utc(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def _private_file(target: Path) -> None:
    """Create the folder (0700) and the database file (0600) before SQLite opens it; SQLite
    gives its -wal and -shm files the database file's permissions."""
    folder = target.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
    fd = os.open(target, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    for path in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
        with contextlib.suppress(FileNotFoundError):
            path.chmod(0o600)


class QuestionLog:
    """Thread-safe SQLite store of anonymous questions (one connection, one lock)."""

    def __init__(self, path: str | Path) -> None:
        target = str(path)
        if target != MEMORY:
            _private_file(Path(target))
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            target, check_same_thread=False, timeout=BUSY_TIMEOUT_S
        )
        #: When :meth:`purge` last succeeded (UTC), for /stats; ``None`` before the first one.
        self.last_purge: datetime | None = None
        with self._lock:
            # Deleted rows are overwritten with zeros, not just marked free.
            self._conn.execute("PRAGMA secure_delete=ON")
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(questions)")}
            if "vote_token" not in columns:  # a log written before vote tokens
                self._conn.execute("ALTER TABLE questions ADD COLUMN vote_token TEXT NULL")
            self._conn.execute(_VOTE_TOKEN_INDEX)
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
        vote_token: str | None = None,
    ) -> int:
        """Store a redacted, normalised question (on its day) and return its id.
        ``vote_token``: the random token its vote buttons carry (see :meth:`vote`)."""
        row = (
            _stamp(_day(_utc(now))),
            normalise_for_log(question),
            decision,
            objective,
            float(score),
            vote_token,
        )
        with self._lock:
            conn = self._connection()
            cur = conn.execute(
                "INSERT INTO questions (asked_at, text, decision, objective, score, vote_token) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
            conn.commit()
            entry_id = cur.lastrowid
        if entry_id is None:  # pragma: no cover - sqlite always sets it after an INSERT
            raise RuntimeError("no id returned for the new question")
        return entry_id

    def vote(self, entry: int | str, helpful: bool) -> bool:
        """Remember whether the answer helped; ``False`` when the entry does not exist.
        ``entry``: the vote token the buttons carry, or (staff tools) the row id."""
        column = "vote_token" if isinstance(entry, str) else "id"
        with self._lock:
            conn = self._connection()
            cur = conn.execute(
                f"UPDATE questions SET helpful = ? WHERE {column} = ?", (int(helpful), entry)
            )
            conn.commit()
            return cur.rowcount > 0

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete questions older than ``retention_days``; return how many were deleted."""
        if retention_days < 0:
            raise ValueError("retention_days must be zero or positive")
        moment = _utc(now)
        cutoff = _stamp(moment - timedelta(days=retention_days))
        with self._lock:
            conn = self._connection()
            cur = conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
            conn.commit()
            removed = cur.rowcount
            if removed:
                # The write-ahead log still holds the deleted rows' old pages: copy it into
                # the database (whose freed pages secure_delete zeroed) and empty it.
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.last_purge = moment
        return removed

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
