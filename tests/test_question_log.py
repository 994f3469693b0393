"""The anonymous question log: no identifying data, WAL, votes, purge."""

from __future__ import annotations

import inspect
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.staff.question_log import Entry, QuestionLog

NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)
IDENTIFYING = {
    "user",
    "user_id",
    "chat",
    "chat_id",
    "name",
    "username",
    "first_name",
    "last_name",
    "from_user",
    "telegram_id",
    "phone",
}


@pytest.fixture
def log() -> QuestionLog:
    return QuestionLog(":memory:")


def test_table_has_no_identifying_column(tmp_path: Path) -> None:
    path = tmp_path / "log.db"
    QuestionLog(path).close()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(questions)")}
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert columns == {
        "id",
        "asked_at",
        "text",
        "decision",
        "objective",
        "score",
        "helpful",
        "vote_token",  # random per entry: says nothing about who asked
    }
    assert not {c for c in columns if any(w in c for w in ("user", "chat", "name"))}
    assert tables <= {"questions", "questions_asked_at", "questions_vote_token"}


def test_record_signature_takes_no_user_information() -> None:
    params = inspect.signature(QuestionLog.record).parameters
    assert list(params) == [
        "self",
        "question",
        "decision",
        "objective",
        "score",
        "now",
        "vote_token",
    ]
    assert all(
        p.kind is not p.VAR_KEYWORD and p.kind is not p.VAR_POSITIONAL for p in params.values()
    )
    assert not IDENTIFYING & set(params)
    for name in ("vote", "purge", "entries"):
        assert not IDENTIFYING & set(inspect.signature(getattr(QuestionLog, name)).parameters)


def test_record_refuses_user_id(log: QuestionLog) -> None:
    with pytest.raises(TypeError):
        log.record("question", "answer", None, 0.9, user_id=42)  # type: ignore[call-arg]


def test_wal_mode_on_file_database(tmp_path: Path) -> None:
    path = tmp_path / "sous" / "dossier" / "log.db"  # parent folders are created
    log = QuestionLog(path)
    log.record("bonjour", "unknown", None, 0.1, now=NOW)
    log.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_record_stores_normalised_redacted_text(log: QuestionLog) -> None:
    entry_id = log.record("  Mon TÉL : 06 12 34 56 78 ", "answer", "5.1.2", 0.87, now=NOW)
    [entry] = log.entries()
    day = NOW.replace(hour=0)  # the day only: the minute could tell who asked
    assert entry == Entry(entry_id, day, "mon tel : [telephone]", "answer", "5.1.2", 0.87, None)
    assert entry.asked_at.tzinfo is not None


def test_naive_and_other_timezones_are_stored_in_utc(log: QuestionLog) -> None:
    # 00:30 in Paris is still the 14th in UTC: the day is UTC's.
    paris = datetime(2025, 3, 15, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    log.record("a", "answer", None, 1.0, now=paris)
    log.record("b", "answer", None, 1.0, now=datetime(2025, 3, 14, 13, 0))
    assert [e.asked_at for e in log.entries()] == [NOW.replace(day=14, hour=0)] * 2


def test_vote_is_stored(log: QuestionLog) -> None:
    first = log.record("crèche", "answer", "5.1.1", 0.9, now=NOW)
    second = log.record("emploi", "answer", "2.1.1", 0.9, now=NOW)
    assert log.vote(first, True)
    assert log.vote(second, False)
    assert [e.helpful for e in log.entries()] == [True, False]
    assert log.vote(second, True)  # a resident may change their mind
    assert [e.helpful for e in log.entries()] == [True, True]


def test_vote_on_missing_entry_returns_false(log: QuestionLog) -> None:
    assert log.vote(12345, True) is False
    assert log.entries() == []


def test_purge_deletes_only_old_entries(log: QuestionLog) -> None:
    log.record("très vieux", "unknown", None, 0.0, now=NOW - timedelta(days=200))
    log.record("vieux", "unknown", None, 0.0, now=NOW - timedelta(days=91))
    log.record("récent", "unknown", None, 0.0, now=NOW - timedelta(days=89))
    log.record("aujourd'hui", "unknown", None, 0.0, now=NOW)
    assert log.purge(90, now=NOW) == 2
    assert [e.text for e in log.entries()] == ["recent", "aujourd'hui"]
    assert log.purge(90, now=NOW) == 0
    with pytest.raises(ValueError):
        log.purge(-1, now=NOW)


def test_entries_since_days(log: QuestionLog) -> None:
    log.record("ancien", "answer", None, 1.0, now=NOW - timedelta(days=10))
    log.record("nouveau", "answer", None, 1.0, now=NOW - timedelta(days=2))
    assert [e.text for e in log.entries(since_days=7, now=NOW)] == ["nouveau"]
    assert [e.text for e in log.entries(now=NOW)] == ["ancien", "nouveau"]


def test_concurrent_records_from_threads(tmp_path: Path) -> None:
    log = QuestionLog(tmp_path / "log.db")

    def work(n: int) -> None:
        for i in range(25):
            log.vote(log.record(f"question {n} {i}", "answer", None, 0.5), True)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entries = log.entries()
    assert len(entries) == 200
    assert len({e.id for e in entries}) == 200
    assert all(e.helpful for e in entries)
    log.close()


def test_close_is_idempotent_and_context_manager() -> None:
    with QuestionLog(":memory:") as log:
        log.record("a", "answer", None, 1.0)
    log.close()
    with pytest.raises(RuntimeError):
        log.entries()
