"""End to end: the real application (``handlers.app.build_application``) polling a fake Bot API
server, as a resident, a staff member and Telegram itself would exercise it.

Every test also checks, at teardown, that no exception reached the bot's error handler
(unless it asks for ``allow_handler_errors``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.logs import SecretFilter, setup_logging
from bot.matching.matcher import Matcher
from handlers.staff import NOT_STAFF
from tests.conftest import MakeApp
from tests.fake_botapi import (
    DEFAULT_GROUP_CHAT_ID,
    ApiError,
    Blocked,
    Call,
    Drop,
    FakeBotApi,
    JSONDict,
    NotModified,
    RetryAfter,
    ServerError,
    Timeout,
    parse_html,
)
from tests.harness import (
    ERROR_LOG,
    STAFF_ID,
    TOKEN,
    BotUnderTest,
    Sent,
    break_yaml,
    set_texts,
)
from tests.test_second_subject import with_second_subject

# PTB itself reads the deprecated int `retry_after` when it builds a RetryAfter error.
pytestmark = pytest.mark.filterwarnings("ignore:.*`retry_after`:DeprecationWarning")

TOKEN_SECRET_PART = TOKEN.split(":", 1)[1]


@pytest.fixture
def allow_handler_errors() -> None:
    """Requested by a test that provokes errors on purpose."""


@pytest.fixture(autouse=True)
def no_unexpected_errors(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    caplog.set_level(logging.INFO)
    yield
    if "allow_handler_errors" in request.fixturenames:
        return
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    errors = [r for r in records if ERROR_LOG in r.getMessage()]
    assert not errors, "exceptions reached the error handler:\n" + "\n".join(
        logging.Formatter().format(r) for r in errors
    )


async def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)


def only(replies: list[Sent]) -> Sent:
    assert len(replies) == 1, [r.text[:80] for r in replies]
    return replies[0]


async def welcome(bot: BotUnderTest, payload: str = "") -> tuple[Sent, Sent]:
    """/start in a private chat: the welcome, which sets the persistent 🆘 keyboard (a message
    carries one keyboard), then the theme menu with its buttons."""
    text = f"/start {payload}".strip()
    greeting, menu = await bot.ask(text, replies=2)
    return greeting, menu


def first_line(text: str) -> str:
    return text.strip().splitlines()[0]


def calls_for_chat(api: FakeBotApi, method: str, chat_id: int) -> list[Call]:
    return [c for c in api.calls_of(method) if str(c.params.get("chat_id")) == str(chat_id)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ----------------------------------------------------------------------------- /start


async def test_start_shows_welcome_and_theme_menu(running_bot: BotUnderTest) -> None:
    greeting, reply = await welcome(running_bot)
    assert first_line(running_bot.text("accueil")) in greeting.text
    themes = [t.slug for t in running_bot.services.store.snapshot.knowledge.themes]
    assert len(themes) == 8
    assert set(themes) <= set(reply.callback_data)


async def test_deep_link_opens_objective(running_bot: BotUnderTest) -> None:
    reply = only(await running_bot.ask("/start obj_2-2"))
    assert "Objectif 2.2" in reply.text
    assert "menu" in reply.callback_data  # "Tous les sujets"


async def test_deep_link_opens_theme(running_bot: BotUnderTest) -> None:
    reply = only(await running_bot.ask("/start th_5"))
    theme = running_bot.services.store.snapshot.knowledge.theme("5")
    assert theme is not None
    assert reply.text.startswith(theme.label)
    assert any(d.startswith(("or_5-", "obj_5-")) for d in reply.callback_data)


async def test_a_part_of_the_contract_named_in_a_message_opens_its_page(
    running_bot: BotUnderTest,
) -> None:
    """« thématique 6 » as its deep link would show it; « objectif 6.3 » gets its card."""
    page = only(await running_bot.ask("c koi la thématique 6 du contrat ?"))
    linked = only(await running_bot.ask("/start th_6"))
    assert page.text == linked.text and page.callback_data == linked.callback_data
    card = only(await running_bot.ask("objectif 6.3 svp"))
    assert "Objectif 6.3" in card.text


async def test_a_question_about_what_a_word_means_gets_its_definition(
    running_bot: BotUnderTest,
) -> None:
    """« c koi un QPV ? » through the Bot API: the glossary's definition, then the themes."""
    reply = only(await running_bot.ask("c koi un QPV ?"))
    assert reply.text.startswith("📖 QPV")
    assert "quartier prioritaire de la politique de la ville" in reply.text
    assert "th_1" in reply.callback_data and "th_6" in reply.callback_data


async def test_a_question_about_which_number_to_call_gets_the_numbers(
    running_bot: BotUnderTest,
) -> None:
    """« c'est quoi le numéro pour les violences conjugales ? » through the Bot API: the
    numbers of violence in a couple (3919, 17), then the themes; no card, no « pas trouvé »."""
    reply = only(await running_bot.ask("c'est quoi le numéro pour les violences conjugales ?"))
    assert "3919" in reply.text and "17" in reply.text
    assert first_line(running_bot.text("pas_compris")) not in reply.text
    assert "th_1" in reply.callback_data and "th_6" in reply.callback_data


@pytest.mark.parametrize("payload", ["zzz", "obj_9-9-9", "th_"])
async def test_unknown_deep_link_falls_back_to_welcome(
    running_bot: BotUnderTest, payload: str
) -> None:
    greeting, reply = await welcome(running_bot, payload)
    assert first_line(running_bot.text("accueil")) in greeting.text
    assert "th_1" in reply.callback_data


# ----------------------------------------------------------------------------- persistent keyboard


def sent_markup(bot: BotUnderTest, message: Sent) -> JSONDict:
    """The ``reply_markup`` the bot sent with a message (a reply keyboard is not part of the
    returned Message, so it is read from the call)."""
    (call,) = [
        c
        for c in bot.api.calls_of("sendMessage")
        if c.processed and (c.result or {}).get("message_id") == message.message_id
    ]
    markup = call.params.get("reply_markup")
    assert isinstance(markup, dict), markup
    return markup


async def test_help_is_one_tap_away_in_a_private_chat(running_bot: BotUnderTest) -> None:
    sos, themes = running_bot.text("bouton_urgences"), running_bot.text("bouton_themes")
    greeting, _menu = await welcome(running_bot)
    keyboard = sent_markup(running_bot, greeting)
    assert keyboard["is_persistent"] is True and keyboard["resize_keyboard"] is True
    near = running_bot.text("bouton_pres")
    assert [b["text"] for row in keyboard["keyboard"] for b in row] == [near, sos, themes]
    assert keyboard["keyboard"][0][0].get("request_location") is True

    # Tapping « 🆘 Urgences » sends its text: the emergency numbers, as with /urgence.
    numbers = only(await running_bot.ask(sos))
    assert numbers.text.startswith(running_bot.text("urgence_commande"))
    for number in ("17", "112", "3919", "119", "3114"):
        assert re.search(rf"\b{number}\b", numbers.text), number
    assert numbers.text == only(await running_bot.ask("/urgence")).text
    menu = only(await running_bot.ask(themes))
    assert "th_1" in menu.callback_data

    # Answers without buttons of their own set the keyboard again; none removes it.
    aide = only(await running_bot.ask("/aide"))
    assert sent_markup(running_bot, aide)["keyboard"] == keyboard["keyboard"]
    danger = only(await running_bot.ask("mon mari me frappe, 3 rue des lilas"))
    assert danger.text.startswith(running_bot.text("urgence_titre"))
    assert running_bot.question_log is not None
    stored = [entry.text for entry in running_bot.question_log.entries()]
    assert stored and all("mari" not in t and "lilas" not in t for t in stored)
    assert not any("remove_keyboard" in str(c.params) for c in running_bot.api.calls)


async def test_no_persistent_keyboard_in_groups(running_bot: BotUnderTest) -> None:
    reply = only(await running_bot.ask("/start", group=True))
    assert "th_1" in reply.callback_data
    assert first_line(running_bot.text("accueil")) in reply.text


# ----------------------------------------------------------------------------- free text


async def test_free_text_answer_has_objective_and_vote_buttons(running_bot: BotUnderTest) -> None:
    reply = only(await running_bot.ask("je cherche du travail"))
    assert "Objectif 2.2" in reply.text
    assert any(d.startswith("v1_") for d in reply.callback_data)
    assert any(d.startswith("v0_") for d in reply.callback_data)
    assert reply.html.count("<b>") == reply.html.count("</b>")


def suggest_question(bot: BotUnderTest) -> str:
    """A question the current matcher is unsure about (``python -m bot ask --json`` gives
    ``"decision": "suggest"`` for these); the knowledge evolves, so it is looked up."""
    matcher: Matcher = bot.services.store.snapshot.matcher
    topics = ["travail", "santé", "logement", "école", "sport", "argent", "famille", "sécurité"]
    questions = ["travail et santé", "école", "argent", "jeunes", "enfants"]
    questions += [f"{a} et {b}" for i, a in enumerate(topics) for b in topics[i + 1 :]]
    for question in questions:
        if matcher.match(question).decision == "suggest":
            return question
    pytest.skip("no sample question yields a 'suggest' decision with this knowledge")


async def test_a_second_subject_gets_a_button_that_opens_its_card(
    running_bot: BotUnderTest,
) -> None:
    """Two subjects in one message (tests/test_second_subject.py): the card for one, and the
    other one button away, through the real stack."""
    expected = with_second_subject(running_bot.services.store.snapshot.matcher)
    assert expected.also is not None
    first, second = expected.matches[0].objective_id, expected.also.objective_id
    reply = only(await running_bot.ask(expected.question))
    assert f"Objectif {first}" in reply.text
    others = [d for d in reply.callback_data if d.startswith("obj_")]
    button = "obj_" + second.replace(".", "-")
    assert len(others) == 3 and others[-1] == button
    await running_bot.press(button, message_id=reply.message_id)
    edited = running_bot.api.get_message(reply.message_id)
    latest = running_bot.sent(42)[-1].text
    assert f"Objectif {second}" in (edited or {}).get("text", "") or f"Objectif {second}" in latest


async def test_ambiguous_question_suggests_candidates(running_bot: BotUnderTest) -> None:
    reply = only(await running_bot.ask(suggest_question(running_bot)))
    assert running_bot.text("suggestion") in reply.text
    candidates = [d for d in reply.callback_data if d.startswith("obj_")]
    assert len(candidates) >= 2
    assert not any(d.startswith(("v1_", "v0_")) for d in reply.callback_data)


async def test_unknown_question_says_so_and_offers_menu_and_contact(
    running_bot: BotUnderTest,
) -> None:
    reply = only(await running_bot.ask("meteo"))
    assert first_line(running_bot.text("pas_compris")) in reply.text
    assert running_bot.text("contact_general") in reply.text
    assert "th_1" in reply.callback_data and "th_T2" in reply.callback_data
    assert "Objectif" not in reply.text


async def test_emergency_block_comes_first(running_bot: BotUnderTest) -> None:
    reply = only(await running_bot.ask("mon mari me frappe"))
    assert reply.text.startswith(running_bot.text("urgence_titre"))
    assert "3919" in reply.text and "17" in reply.text
    if "Objectif" in reply.text:
        objective = reply.text.index("Objectif")
        assert reply.text.index("3919") < objective
        assert reply.text.index("17") < objective


async def test_the_text_of_a_danger_message_is_not_kept(running_bot: BotUnderTest) -> None:
    only(await running_bot.ask("mon mari me frappe, j'habite 3 rue des lilas"))
    log = running_bot.services.question_log
    assert log is not None
    stored = [entry.text for entry in log.entries()]
    assert stored and all("lilas" not in t and "mari" not in t for t in stored)


# ----------------------------------------------------------------------------- buttons


async def test_button_navigation_edits_message_with_back_buttons(
    running_bot: BotUnderTest,
) -> None:
    api = running_bot.api
    _greeting, menu = await welcome(running_bot)
    sent_before = api.sent_count(42)

    await running_bot.press("th_1", message_id=menu.message_id)
    theme = api.get_message(menu.message_id)
    assert theme is not None and theme["text"].startswith("🤝")
    theme_data = Sent(42, menu.message_id, "", theme["text"], theme["reply_markup"]).callback_data
    assert "or_1-2" in theme_data and "menu" in theme_data

    await running_bot.press("or_1-2", message_id=menu.message_id)
    orientation = api.get_message(menu.message_id)
    assert orientation is not None and "Orientation 1.2" in orientation["text"]
    data = Sent(42, 0, "", "", orientation["reply_markup"]).callback_data
    assert "obj_1-2-2" in data and "th_1" in data and "menu" in data

    await running_bot.press("obj_1-2-2", message_id=menu.message_id)
    objective = api.get_message(menu.message_id)
    assert objective is not None and "Objectif 1.2.2" in objective["text"]
    data = Sent(42, 0, "", "", objective["reply_markup"]).callback_data
    assert "or_1-2" in data and "menu" in data

    assert api.sent_count(42) == sent_before  # edited in place, nothing new sent
    assert len(api.calls_of("editMessageText")) == 3


@pytest.mark.parametrize(
    "data",
    ["x" * 64, "obj_9-9-9", "v1_abc", "", "th_", "or_1-9", "v0_", "v1_²", "v1_" + "9" * 40],
    ids=["64x", "obj_9-9-9", "v1_abc", "empty", "th_", "or_1-9", "v0_", "v1_sup2", "v1_huge"],
)
async def test_forged_callback_data_is_answered_politely(
    running_bot: BotUnderTest, handler_errors: Callable[[], list[logging.LogRecord]], data: str
) -> None:
    answer = await running_bot.press(data)
    assert answer.status == 200
    assert answer.params.get("text") == running_bot.text("lien_perime")[:200]
    assert handler_errors() == []


async def test_vote_button_stores_vote(running_bot: BotUnderTest) -> None:
    reply = only(await running_bot.ask("je cherche du travail"))
    yes = next(d for d in reply.callback_data if d.startswith("v1_"))
    answer = await running_bot.press(yes, message_id=reply.message_id)
    assert answer.params.get("text") == running_bot.text("vote_merci")
    assert running_bot.question_log is not None
    vote = running_bot.services.votes.parse(yes)
    assert vote is not None and vote[1] is True
    assert running_bot.services.assistant.flush()
    [voted] = running_bot.question_log.entries()
    assert voted.helpful is True and voted.objective == "2.2"
    # A vote button for another entry, with a signature that does not match, is refused.
    forged = yes.replace(vote[0], vote[0][::-1])
    answer = await running_bot.press(forged, message_id=reply.message_id)
    assert answer.params.get("text") == running_bot.text("lien_perime")[:200]


# ----------------------------------------------------------------------------- inline mode


async def inline_answer(bot: BotUnderTest, query: str) -> list[JSONDict]:
    update = bot.api.inline_query(42, query)
    query_id = update["inline_query"]["id"]
    bot.api.push(update)
    calls = await bot.api.wait_for(
        lambda calls: any(
            c.method == "answerInlineQuery" and c.params.get("inline_query_id") == query_id
            for c in calls
            if c.status
        )
    )
    call = next(
        c
        for c in calls
        if c.method == "answerInlineQuery" and c.params.get("inline_query_id") == query_id
    )
    assert call.status == 200, call.error
    results = call.params["results"]
    assert isinstance(results, list)
    return results


async def test_inline_query_returns_valid_html_articles(running_bot: BotUnderTest) -> None:
    results = await inline_answer(running_bot, "taf")
    assert results
    for article in results:
        assert article["type"] == "article"
        content = article["input_message_content"]
        assert content["parse_mode"] == "HTML"
        text, _entities = parse_html(content["message_text"])  # raises on invalid HTML
        assert 0 < len(text) <= 4096
        urls = [b.get("url", "") for row in article["reply_markup"]["inline_keyboard"] for b in row]
        assert any("start=obj_" in url for url in urls), urls
    assert any("2.2" in r["title"] for r in results)


async def test_empty_inline_query_lists_the_themes(running_bot: BotUnderTest) -> None:
    results = await inline_answer(running_bot, "")
    assert len(results) == 8
    assert [r["id"] for r in results] == [
        t.slug for t in running_bot.services.store.snapshot.knowledge.themes
    ]
    for article in results:
        parse_html(article["input_message_content"]["message_text"])


async def test_inline_query_about_danger_puts_emergency_numbers_first(
    running_bot: BotUnderTest,
) -> None:
    results = await inline_answer(running_bot, "y a le feu dans l'immeuble")
    first = results[0]
    assert first["id"] == "urgence"
    text, _ = parse_html(first["input_message_content"]["message_text"])
    assert "18" in text and "112" in text


async def test_inline_query_with_no_answer_offers_the_themes(running_bot: BotUnderTest) -> None:
    results = await inline_answer(running_bot, "meteo de demain")
    assert [r["id"] for r in results][:8] == [
        t.slug for t in running_bot.services.store.snapshot.knowledge.themes
    ]


async def test_chosen_inline_result_is_handled(
    running_bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    running_bot.api.push(running_bot.api.chosen_inline_result(42, "obj_2-2", "taf"))
    await wait_until(lambda: any("obj_2-2" in r.getMessage() for r in caplog.records))
    shared = next(r for r in caplog.records if "obj_2-2" in r.getMessage())
    assert "42" not in shared.getMessage()  # which card, never who


# ----------------------------------------------------------------------------- odd messages


@pytest.mark.parametrize("kind", ["photo", "voice", "sticker", "document"])
async def test_non_text_messages_get_the_text_only_reply(
    running_bot: BotUnderTest, kind: str
) -> None:
    api = running_bot.api
    api.push(getattr(api, kind)(42))
    await api.wait_for_sent(1, 42)
    reply = only(running_bot.sent(42))
    assert reply.text == running_bot.text("seulement_texte")
    assert "messages écrits" in reply.text


async def test_group_plain_text_ignored_but_mention_answered(running_bot: BotUnderTest) -> None:
    assert await running_bot.ask_silent("je cherche du travail", group=True) == []
    assert await running_bot.ask_silent("🎉", group=True) == []
    running_bot.api.push(running_bot.api.photo(42, chat_type="group"))
    reply = only(await running_bot.ask("@cdv_test_bot je cherche du travail", group=True))
    assert reply.chat_id == DEFAULT_GROUP_CHAT_ID
    assert "Objectif 2.2" in reply.text


async def test_group_mention_after_case_changing_letters(running_bot: BotUnderTest) -> None:
    # "İ".lower() is two characters: the mention must still be cut at the right place, and
    # the question itself left whole (the anonymous log shows what the matcher was given).
    assert only(await running_bot.ask("İİİİ @CDV_test_bot je cherche du travail", group=True))
    assert running_bot.question_log is not None
    (entry,) = running_bot.question_log.entries()
    assert "je cherche du travail" in entry.text
    assert "cdv" not in entry.text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</b> & <script>",
        "</b><i>travail & <a href='x'>emploi",
        "**gras** _italique_ `code` [lien](http://x) &amp; &lt; &#0; &#xD800;",
        "<tg-spoiler>logement</tg-spoiler> < > & \" '",
    ],
)
async def test_html_in_user_text_never_breaks_the_reply(
    running_bot: BotUnderTest, text: str
) -> None:
    reply = only(await running_bot.ask(text))
    call = calls_for_chat(running_bot.api, "sendMessage", 42)[-1]
    assert call.status == 200 and call.params["parse_mode"] == "HTML"
    parse_html(reply.html)


async def test_4096_character_message_is_answered_within_limits(
    running_bot: BotUnderTest,
) -> None:
    wall = ("je cherche du travail et un logement pour ma famille " * 100)[:4096]
    assert len(wall) == 4096
    replies = await running_bot.ask(wall, settle=0.3)
    assert replies
    for reply in replies:
        assert len(reply.html) <= 4096
        parse_html(reply.html)
    one_word = "é" * 4096
    replies = await running_bot.ask(one_word, user_id=43, settle=0.3)
    assert replies and all(len(r.html) <= 4096 for r in replies)


async def _flood(running_bot: BotUnderTest, user_id: int, count: int) -> list[str]:
    """``count`` questions at once from one resident: the texts the bot sent back."""
    api = running_bot.api
    api.push_all(api.message(user_id, f"je cherche du travail {i}") for i in range(count))
    await api.wait_for_sent(21, user_id, timeout=10)
    await asyncio.sleep(0.5)  # anything else would arrive now
    return [s.text for s in running_bot.sent(user_id)]


async def test_flooding_user_is_warned_once_and_others_unaffected(
    running_bot: BotUnderTest,
) -> None:
    texts = await _flood(running_bot, 50, 30)
    slow_down = running_bot.text("ralentir")
    assert texts.count(slow_down) == 1
    assert len(texts) < 30
    other = only(await running_bot.ask("je cherche du travail", user_id=51))
    assert "Objectif 2.2" in other.text


async def test_a_danger_message_is_answered_even_from_a_flooding_user(
    running_bot: BotUnderTest,
) -> None:
    before = len(await _flood(running_bot, 52, 25))
    api = running_bot.api
    api.push_all([api.message(52, "au secours mon mari me frappe")])
    await api.wait_for_sent(before + 1, 52, timeout=10)
    assert "17" in running_bot.sent(52)[-1].text


# ----------------------------------------------------------------------------- Bot API faults


async def test_429_retry_after_is_waited_then_delivered(running_bot: BotUnderTest) -> None:
    api = running_bot.api
    api.fail_next("sendMessage", RetryAfter(1))
    reply = only(await running_bot.ask("je cherche du travail", timeout=10))
    assert "Objectif 2.2" in reply.text
    failed, delivered = calls_for_chat(api, "sendMessage", 42)
    assert failed.status == 429 and delivered.status == 200
    assert delivered.at - failed.at >= 1.0


async def test_500_is_retried_and_delivered(running_bot: BotUnderTest) -> None:
    api = running_bot.api
    api.fail_next("sendMessage", ServerError())
    reply = only(await running_bot.ask("je cherche du travail", timeout=10))
    assert "Objectif 2.2" in reply.text
    statuses = [c.status for c in calls_for_chat(api, "sendMessage", 42)]
    assert statuses == [500, 200]


async def test_dropped_connection_is_retried_and_delivered(running_bot: BotUnderTest) -> None:
    api = running_bot.api
    api.fail_next("sendMessage", Drop())
    reply = only(await running_bot.ask("je cherche du travail", timeout=10))
    assert "Objectif 2.2" in reply.text
    assert len(calls_for_chat(api, "sendMessage", 42)) == 2


@pytest.mark.parametrize("processed", [False, True], ids=["lost", "delivered-then-timeout"])
async def test_client_timeout_is_retried(make_app: MakeApp, processed: bool) -> None:
    bot = await make_app(read_timeout=0.5)
    api = bot.api
    api.fail_next("sendMessage", Timeout(1.0), deliver_then_fail=processed)
    api.push(api.message(42, "je cherche du travail"))
    await api.wait_for(
        lambda _: (
            sum(c.status == 200 for c in calls_for_chat(api, "sendMessage", 42)) >= 1
            and len(calls_for_chat(api, "sendMessage", 42)) >= 2
        ),
        timeout=10,
    )
    await asyncio.sleep(0.2)
    calls = calls_for_chat(api, "sendMessage", 42)
    assert calls[0].fault == Timeout(1.0)
    texts = bot.sent(42)
    assert 1 <= len(texts) <= 2  # delivered at least once; twice when the first was hidden
    assert all("Objectif 2.2" in t.text for t in texts)


async def test_blocked_user_does_not_stop_the_bot(
    running_bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    api = running_bot.api
    api.blocked_chats.add(43)
    api.push(api.message(43, "je cherche du travail"))
    await api.wait_for(lambda _: any(c.status == 403 for c in api.calls_of("sendMessage")))
    api.fail_next("sendMessage", Blocked())
    api.push(api.message(45, "bonjour"))
    reply = only(await running_bot.ask("je cherche du travail", user_id=44))
    assert "Objectif 2.2" in reply.text
    assert any("bloqué" in r.getMessage() for r in caplog.records)


async def test_message_not_modified_is_ignored_and_query_answered(
    running_bot: BotUnderTest,
) -> None:
    api = running_bot.api
    _greeting, menu = await welcome(running_bot)
    api.fail_next("editMessageText", NotModified())
    answer = await running_bot.press("th_1", message_id=menu.message_id)
    assert answer.status == 200
    assert api.calls_of("editMessageText")[-1].status == 400
    # The real thing: pressing the same button twice asks for an edit that changes nothing.
    await running_bot.press("th_2", message_id=menu.message_id)
    answer = await running_bot.press("th_2", message_id=menu.message_id)
    assert answer.status == 200
    last_edit = api.calls_of("editMessageText")[-1]
    assert last_edit.status == 400 and "not modified" in str(last_edit.error)


# ----------------------------------------------------------------------------- staff


async def test_reload_with_broken_yaml_keeps_the_old_knowledge(
    running_bot: BotUnderTest, knowledge_dir: Path
) -> None:
    before = running_bot.services.store.snapshot
    break_yaml(knowledge_dir)
    reply = only(await running_bot.ask("/reload", user_id=STAFF_ID))
    assert reply.text.startswith("❌")
    assert re.search(r"textes\.yaml:\d+", reply.text), reply.text
    assert running_bot.services.store.snapshot is before
    answer = only(await running_bot.ask("je cherche du travail"))
    assert "Objectif 2.2" in answer.text
    unknown = only(await running_bot.ask("meteo"))
    assert first_line(before.knowledge.text("pas_compris")) in unknown.text


async def test_reload_with_a_good_edit_uses_the_new_text(
    running_bot: BotUnderTest, knowledge_dir: Path
) -> None:
    new = "Texte modifié pour le test : je ne connais pas la réponse."
    set_texts(knowledge_dir, pas_compris=new)
    reply = only(await running_bot.ask("/reload", user_id=STAFF_ID))
    assert reply.text.startswith("✅"), reply.text
    unknown = only(await running_bot.ask("meteo"))
    assert new in unknown.text


async def test_reload_and_stats_refused_to_non_staff(
    running_bot: BotUnderTest, knowledge_dir: Path
) -> None:
    before = running_bot.services.store.snapshot
    set_texts(knowledge_dir, pas_compris="Ne doit pas être chargé.")
    assert only(await running_bot.ask("/reload")).text == NOT_STAFF
    assert only(await running_bot.ask("/stats")).text == NOT_STAFF
    assert running_bot.services.store.snapshot is before


async def test_stats_for_staff(running_bot: BotUnderTest) -> None:
    for user, question in enumerate(["je cherche du travail", "meteo", "logement"]):
        await running_bot.ask(question, user_id=100 + user)
    reply = only(await running_bot.ask("/stats", user_id=STAFF_ID))
    assert "Questions reçues : 3" in reply.text
    assert "Avis" in reply.text


async def test_set_my_commands_registers_the_french_commands(running_bot: BotUnderTest) -> None:
    assert len(running_bot.api.calls_of("setMyCommands")) == 1
    (commands,) = running_bot.api.commands.values()
    names = {c["command"] for c in commands}
    assert {"start", "themes", "contacts", "urgence", "aide", "confidentialite"} <= names
    assert all(c["description"] for c in commands)
    assert "reload" not in names and "stats" not in names  # staff commands stay hidden


# ----------------------------------------------------------------------------- webhook


async def start_webhook(make_app: MakeApp) -> BotUnderTest:
    bot = await make_app(polling=False)
    port = free_port()
    assert bot.app.updater is not None
    await bot.app.updater.start_webhook(
        listen="127.0.0.1",
        port=port,
        url_path="hook",
        webhook_url=f"http://127.0.0.1:{port}/hook",
        secret_token="s3cret",
    )
    return bot


async def test_webhook_mode_answers(make_app: MakeApp, botapi: FakeBotApi) -> None:
    bot = await start_webhook(make_app)
    assert botapi.webhook_url and botapi.webhook_url.endswith("/hook")
    assert botapi.webhook_secret == "s3cret"
    status = await botapi.deliver(botapi.message(42, "je cherche du travail"))
    assert status == 200
    await botapi.wait_for_sent(1, 42)
    assert "Objectif 2.2" in only(bot.sent(42)).text


async def test_webhook_with_a_wrong_secret_is_refused(
    make_app: MakeApp, botapi: FakeBotApi
) -> None:
    bot = await start_webhook(make_app)
    assert await botapi.deliver(botapi.message(42, "je cherche du travail"), "wrong") == 403
    assert await botapi.deliver(botapi.message(42, "je cherche du travail"), "") == 403
    await asyncio.sleep(0.3)
    assert bot.sent(42) == []


# ----------------------------------------------------------------------------- secrets


async def test_the_token_never_reaches_the_logs(
    make_app: MakeApp,
    botapi: FakeBotApi,
    caplog: pytest.LogCaptureFixture,
    allow_handler_errors: None,
) -> None:
    caplog.set_level(logging.DEBUG)
    httpx_logger = logging.getLogger("httpx")
    httpx_level = httpx_logger.level
    root_handlers = list(logging.getLogger().handlers)
    secret_filter: SecretFilter | None = None
    try:
        secret_filter = setup_logging([TOKEN], level=logging.DEBUG)
        logging.getLogger().setLevel(logging.DEBUG)
        bot = await make_app(read_timeout=0.5)
        botapi.fail_next("getUpdates", ServerError())
        botapi.fail_next("sendMessage", ServerError())
        botapi.fail_next("sendMessage", Drop())
        botapi.fail_next("sendMessage", Timeout(1.0), deliver_then_fail=True)
        botapi.fail_next("sendMessage", RetryAfter(1))
        botapi.fail_next("sendMessage", ApiError(400, "Bad Request: chat not found"))
        botapi.fail_next("sendMessage", Blocked())
        botapi.fail_next("answerCallbackQuery", ServerError())
        for user in range(60, 66):
            botapi.push(botapi.message(user, "je cherche du travail"))
        botapi.push(botapi.callback_query(70, "obj_9-9-9"))
        botapi.push(botapi.inline_query(71, "taf"))
        await wait_until(lambda: any(ERROR_LOG in r.getMessage() for r in caplog.records), 10)
        await botapi.wait_for(
            lambda _: sum(c.status == 200 for c in botapi.calls_of("sendMessage")) >= 5,
            timeout=10,
        )
        reply = only(await bot.ask("je cherche du travail", user_id=72))
        assert "Objectif 2.2" in reply.text
    finally:
        httpx_logger.setLevel(httpx_level)
        for handler in logging.getLogger().handlers:
            if handler not in root_handlers:  # basicConfig's, if there was no handler
                logging.getLogger().removeHandler(handler)
            elif secret_filter is not None:
                handler.removeFilter(secret_filter)
    records = caplog.records
    assert len(records) > 50
    assert any(r.exc_info for r in records)  # tracebacks were logged, and checked below
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    for record in records:
        line = formatter.format(record)  # includes the formatted exc_info
        assert TOKEN_SECRET_PART not in line, line
        assert TOKEN_SECRET_PART not in record.getMessage()
    assert TOKEN_SECRET_PART not in caplog.text


# ----------------------------------------------------------------------------- live reload


async def test_live_reload_uses_new_text_and_survives_a_broken_file(
    make_app: MakeApp, knowledge_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await make_app(watch_knowledge=True)
    await asyncio.sleep(0.3)  # let the watcher start
    users = iter(range(200, 300))

    async def unknown_reply() -> str:
        return only(await bot.ask("meteo", user_id=next(users))).text

    new = "Nouvelle phrase chargée à chaud."
    set_texts(knowledge_dir, pas_compris=new)
    edited = time.monotonic()
    while new not in await unknown_reply():
        assert time.monotonic() - edited < 2.0, "the edit was not picked up within 2 s"
        await asyncio.sleep(0.1)

    good = bot.services.store.snapshot
    break_yaml(knowledge_dir)
    await wait_until(lambda: any("Rechargement refusé" in r.getMessage() for r in caplog.records))
    assert bot.services.store.snapshot is good
    assert new in await unknown_reply()
    assert "Objectif 2.2" in only(await bot.ask("je cherche du travail", user_id=301)).text
