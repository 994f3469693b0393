"""Whatever a resident (or a forger) sends, nothing raises and every reply is valid Telegram HTML.

Property tests (hypothesis) drive the pure pipeline: matcher → compose → reply_html → split_html,
and the slug parser. A lighter end-to-end test pushes random texts, button data and deep-link
payloads through the running bot and checks that no exception reaches its error handler.
"""

from __future__ import annotations

import asyncio
import logging
import random
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer import (
    Candidate,
    ContactCard,
    EmergencyBlock,
    Heading,
    ObjectiveCard,
    Reply,
    compose,
)
from bot.knowledge.ids import KINDS, LINK_SAFE, parse_slug, slug
from bot.knowledge.loader import load_knowledge
from bot.knowledge.models import Knowledge
from bot.matching.matcher import Matcher
from bot.render.html import TELEGRAM_LIMIT, e, reply_html, split_html
from tests.fake_botapi import Call, parse_html
from tests.harness import BotUnderTest

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ----------------------------------------------------------------------------- nasty text

CONTROL_CHARS = [chr(c) for c in range(0x20)] + list("\x7f\u0085\u200b\u200e\u202e\ufeff\u2028")
EMOJI = ["👨‍👩‍👧", "🇫🇷", "💼", "🏳️‍🌈", "👍🏽", "😀", "❤️", "🚨", "\U0001f9d1\u200d\U0001f4bb"]
MARKUP = [
    "<b>", "</b>", "<script>", "</script>", "&", "&amp;", "&lt;", "&#0;", "&#xD800;", "&#1114112;",
    "<a href='x'>", "</a>", "<tg-spoiler>", "<span>", "</", "<!--", "-->", "<![CDATA[", "]]>",
    "**", "__", "`", "```", "[x](http://y)", "||", "~~", "<", ">", "\\", "{jours}", "%s", "{}",
    "@cdv_test_bot", "/start", "obj_2-2", "v1_1_AAAAAAAAAAAA", "\r\n", "\t",
]  # fmt: skip
WORDS = [
    "je", "cherche", "du", "travail", "logement", "école", "mon", "mari", "me", "frappe",
    "aide", "CAF", "taf", "santé", "urgence", "bonjour", "merci", "suicide", "drogue", "bruit",
    "İstanbul", "straße", "ǅ", "ﬁ", "Ⅻ", "١٢٣", "ｔｒａｖａｉｌ",
]  # fmt: skip
PIECES: list[str] = CONTROL_CHARS + EMOJI + MARKUP + WORDS + [" ", "\n", "  ", "\n\n"]


def wall(seed: str) -> str:
    """A 4,096-character message made of ``seed`` repeated."""
    seed = seed or "x"
    return (seed * (TELEGRAM_LIMIT // len(seed) + 1))[:TELEGRAM_LIMIT]


piece = st.one_of(st.text(max_size=30), st.sampled_from(PIECES))
texts = st.one_of(
    st.text(max_size=300),
    st.lists(piece, max_size=60).map("".join),
    st.lists(piece, min_size=1, max_size=10).map(lambda parts: wall("".join(parts))),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
)


@pytest.fixture(scope="module")
def knowledge(shipped_knowledge: Path) -> Knowledge:
    return load_knowledge(shipped_knowledge)


@pytest.fixture(scope="module")
def matcher(knowledge: Knowledge) -> Matcher:
    return Matcher(knowledge)


def assert_sendable(html: str) -> list[str]:
    """Split as the bot does and check what Telegram would check of each message."""
    chunks = split_html(html)
    assert chunks
    for chunk in chunks:
        assert len(chunk) <= TELEGRAM_LIMIT
        text, _entities = parse_html(chunk)  # raises on anything "can't parse entities"
        assert text.strip(), "Telegram refuses an empty message"
        assert len(text) <= TELEGRAM_LIMIT
    return chunks


# ----------------------------------------------------------------------------- properties


@PROPERTY
@given(text=texts, footer=st.one_of(st.just(""), st.text(max_size=50), st.sampled_from(MARKUP)))
def test_any_text_gets_a_sendable_reply(
    knowledge: Knowledge, matcher: Matcher, text: str, footer: str
) -> None:
    result = matcher.match(text)
    assert result.decision in ("answer", "suggest", "unknown")
    reply = compose(knowledge, result)
    assert_sendable(reply_html(reply, footer or knowledge.text("vote_question")))


# What the loader hands over: record fields are whitespace-collapsed and never empty (so the
# ones the renderer wraps in <b> or <i> are single lines); bot phrases are stripped paragraphs.
def _one_line(text: str) -> str:
    return " ".join(text.split()) or "x"


def _repeat(seed_and_count: tuple[str, int]) -> str:
    seed, count = seed_and_count
    return " ".join([seed] * count)


LINE_SEEDS = [w for w in WORDS + MARKUP if w.strip() and "\n" not in w]  # one line, not blank
raw_text = st.one_of(st.text(max_size=60), st.lists(piece, max_size=15).map("".join))
one_line = raw_text.map(_one_line)
long_line = st.tuples(st.sampled_from(LINE_SEEDS), st.integers(100, 1500)).map(_repeat)
paragraph = st.one_of(
    one_line,
    long_line,
    st.lists(st.one_of(one_line, long_line, st.just("")), min_size=1, max_size=5).map(
        lambda lines: "\n".join(lines).strip() or "x"
    ),
)
contact_cards = st.builds(
    ContactCard,
    name=one_line,
    purpose=one_line | st.just(""),
    phone=one_line | st.just(""),
    website=one_line | st.just(""),
    address=one_line | st.just(""),
    hours=one_line | st.just(""),
)
cards = st.builds(
    ObjectiveCard,
    objective_id=one_line,
    theme_id=one_line,
    theme_label=one_line,
    theme_title=one_line,
    orientation_id=st.none() | one_line,
    orientation_title=st.none() | one_line,
    text=one_line | long_line,
    explanation=one_line | long_line,
    contacts=st.lists(contact_cards, max_size=4).map(tuple),
)
replies = st.builds(
    Reply,
    kind=st.sampled_from(["answer", "suggest", "unknown", "smalltalk"]),
    intro=paragraph,
    emergency=st.none()
    | st.builds(
        EmergencyBlock,
        title=one_line,
        messages=st.lists(one_line | long_line, max_size=3).map(tuple),
        contacts=st.lists(contact_cards, max_size=3).map(tuple),
    ),
    card=st.none() | cards,
    candidates=st.lists(st.builds(Candidate, one_line, one_line), max_size=3).map(tuple),
    general_contacts=st.lists(contact_cards, max_size=3).map(tuple),
    general_title=one_line,
    danger_line=st.just("") | one_line,
    heading=st.none()
    | st.builds(
        Heading,
        theme_label=one_line,
        theme_title=one_line | st.just(""),
        orientation_id=st.none() | one_line,
        orientation_title=st.none() | one_line,
        explanation=st.just("") | paragraph,
    ),
    footer=st.just("") | paragraph,
)


@PROPERTY
@given(reply=replies, footer=st.just("") | paragraph)
def test_hostile_knowledge_text_is_escaped_and_split(reply: Reply, footer: str) -> None:
    """Knowledge is edited by staff in YAML: "<", "&", 5,000-character paragraphs..."""
    assert_sendable(reply_html(reply, footer))


line_segment = st.one_of(
    one_line.map(e),
    one_line.map(lambda t: f"<b>{e(t)}</b>"),
    one_line.map(lambda t: f"<i>{e(t)}</i>"),
    long_line.map(e),
    long_line.map(lambda t: f"<b>{e(t)}</b>"),
    st.integers(1, 5000).map(lambda n: e("&" * n)),
    st.integers(1, 5000).map(lambda n: "é" * n),
)
html_lines = st.lists(st.lists(line_segment, min_size=1, max_size=4).map("".join), max_size=8)


@PROPERTY
@given(lines=html_lines)
def test_split_html_keeps_every_chunk_valid(lines: list[str]) -> None:
    """Tags never span a line in the bot's HTML; any such text splits into valid chunks."""
    html = "\n".join(lines)
    for chunk in split_html(html):
        assert len(chunk) <= TELEGRAM_LIMIT
        parse_html(chunk)


@PROPERTY
@given(text=st.one_of(st.text(), st.text(alphabet=string.printable), st.binary().map(repr)))
def test_parse_slug_never_raises(text: str) -> None:
    parsed = parse_slug(text)
    if parsed is not None:
        assert parsed[0] in KINDS
        assert LINK_SAFE.match(text)


@PROPERTY
@given(
    kind=st.sampled_from(KINDS),
    item_id=st.from_regex(r"[A-Za-z0-9]{1,6}(\.[A-Za-z0-9]{1,6}){0,3}", fullmatch=True),
)
def test_slug_round_trip(kind: str, item_id: str) -> None:
    made = slug(kind, item_id)  # type: ignore[arg-type]
    assert LINK_SAFE.match(made) and len(made.encode()) <= 64
    assert parse_slug(made) == (kind, item_id)


# ----------------------------------------------------------------------------- end to end


def random_text(rng: random.Random) -> str:
    mode = rng.random()
    if mode < 0.2:
        text = "".join(chr(rng.choice([rng.randrange(32, 0xD7FF), rng.randrange(0xE000, 0x10FFFF)]))
                       for _ in range(rng.randrange(1, 80)))  # fmt: skip
    elif mode < 0.3:
        text = wall("".join(rng.choices(PIECES, k=rng.randrange(1, 6))))
    else:
        text = "".join(rng.choices(PIECES, k=rng.randrange(1, 40)))
    text = text.strip().lstrip("/")  # Telegram trims messages; "/x" would be a command
    return text or "?"


def random_callback_data(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "_-.:/ é€😀\x00"
    data = rng.choice(["obj_", "th_", "or_", "v1_", "v0_", "", "menu", "urgence"])
    data += "".join(rng.choices(alphabet, k=rng.randrange(0, 64)))
    return data.encode()[:64].decode("utf-8", "ignore")


def random_payload(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "_-"
    payload = rng.choice(["obj_", "th_", "or_", "", "inline"])
    payload += "".join(rng.choices(alphabet, k=rng.randrange(1, 60)))
    return payload[:64]


async def test_random_updates_never_reach_the_error_handler(
    running_bot: BotUnderTest, handler_errors: Callable[[], list[logging.LogRecord]]
) -> None:
    api = running_bot.api
    rng = random.Random(20240611)
    expected_chats: list[int] = []
    query_ids: list[str] = []
    for i in range(20):
        user = 1000 + i
        api.push(api.message(user, random_text(rng)))
        expected_chats.append(user)
    for i in range(15):
        user = 2000 + i
        api.push(api.message(user, f"/start {random_payload(rng)}"))
        expected_chats.append(user)
    for i in range(15):
        update = api.callback_query(3000 + i, random_callback_data(rng))
        query_ids.append(update["callback_query"]["id"])
        api.push(update)

    def all_answered(_calls: list[Call]) -> bool:
        answered = {c.params.get("callback_query_id") for c in api.calls_of("answerCallbackQuery")}
        return all(api.sent_count(chat) for chat in expected_chats) and answered >= set(query_ids)

    await api.wait_for(all_answered, timeout=20, what="an answer to every random update")
    await asyncio.sleep(0.3)
    assert handler_errors() == []
    for call in api.calls:
        if call.method != "getUpdates":
            assert call.status == 200, (call.method, call.error)
