"""Small Telegram-free pieces: flood guard, vote signatures, HTML splitting, settings, logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.flood import FloodGuard
from bot.logs import SecretFilter
from bot.render.html import TELEGRAM_LIMIT, split_html
from bot.settings import Settings, SettingsError
from bot.votes import VoteSigner, is_vote, new_vote_token


def test_flood_guard_warns_once_then_lets_the_resident_back() -> None:
    guard = FloodGuard(limit=20, window=60)
    verdicts = [guard.check(1, now=i * 0.5) for i in range(30)]  # 30 messages in 15 s
    assert verdicts[:20] == ["ok"] * 20
    assert verdicts[20] == "warn"
    assert verdicts[21:] == ["drop"] * 9
    assert guard.check(2, now=15.0) == "ok"  # another resident is not affected
    assert guard.check(1, now=100.0) == "ok"  # a minute later: answered again, not banned


def test_flood_guard_memory_is_bounded() -> None:
    guard = FloodGuard(limit=5, window=1, max_users=100)
    for user in range(1000):
        guard.check(user, now=float(user))
    assert len(guard._seen) <= 101


def test_vote_buttons_are_signed() -> None:
    signer = VoteSigner("123:secret")
    token, other = new_vote_token(), new_vote_token()
    assert token != other and len(token) == 16
    yes = signer.data(token, True)
    assert is_vote(yes) and len(yes.encode()) <= 64
    assert signer.parse(yes) == (token, True)
    assert signer.parse(signer.data(token, False)) == (token, False)
    assert signer.parse(yes.replace(token, other)) is None  # another entry: forged
    assert signer.parse("v1_42") is None
    assert signer.parse("v0" + yes[2:]) is None  # flipped vote
    assert VoteSigner("other-token").parse(yes) is None


def test_split_html_cuts_between_lines_and_keeps_tags_whole() -> None:
    line = "<b>Objectif</b> : " + "x" * 90
    text = "\n".join([line] * 200)
    chunks = split_html(text)
    assert len(chunks) > 1
    assert all(len(c) <= TELEGRAM_LIMIT for c in chunks)
    assert "\n".join(chunks) == text
    for c in chunks:
        assert c.count("<b>") == c.count("</b>")


def test_split_html_cuts_a_too_long_line_between_words_without_breaking_entities() -> None:
    text = "<i>" + ("mot &amp; " * 1200) + "</i>"
    chunks = split_html(text)
    assert all(len(c) <= TELEGRAM_LIMIT for c in chunks)
    assert all("<" not in c for c in chunks)  # tags dropped from an oversized line
    for c in chunks:
        assert c.count("&") == c.count("&amp;")


def test_settings_from_environment() -> None:
    s = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": " 123:abc ",
            "STAFF_USER_IDS": "12, 34;56",
            "PORT": "8080",
            "KNOWLEDGE_DIR": "/tmp/k",
            "RETENTION_DAYS": "30",
            "TELEGRAM_BASE_URL": "",
        }
    )
    assert s.token == "123:abc" and s.staff_user_ids == {12, 34, 56} and s.port == 8080
    assert s.knowledge_dir == Path("/tmp/k") and s.retention_days == 30
    assert s.base_url == "https://api.telegram.org/bot"
    assert "123:abc" not in repr(s)


@pytest.mark.parametrize(
    ("name", "value"), [("PORT", "http"), ("STAFF_USER_IDS", "@alice"), ("RETENTION_DAYS", "90j")]
)
def test_bad_settings_are_explained_in_french(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_secret_filter_removes_the_token_from_messages_and_tracebacks() -> None:
    token = "123456:SECRET-token"
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "calling %s/getMe",
        (f"https://api.telegram.org/bot{token}",),
        None,
    )
    try:
        raise RuntimeError(f"boom {token}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    SecretFilter([token]).filter(record)
    assert token not in record.getMessage()
    assert record.exc_text is not None and token not in record.exc_text
