"""Phrases that frame a question (bot/matching/frames.py) are not its subject."""

from __future__ import annotations

import pytest

from bot.matching.frames import frame_at
from bot.matching.matcher import Matcher
from bot.matching.normalize import words


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("mon but c'est de trouver", 5),
        ("mon rêve ce serait d'ouvrir", 5),
        ("ma question c'est", 4),
        ("mon souci cest que", 4),
        ("mon but c de", 4),
        ("est-ce que ce serait possible de", 7),
        ("c'est possible de", 4),
        ("serait-il possible d'avoir", 4),
        ("ce que je voudrais c'est", 6),
        ("g envie de", 3),
        ("je me demandais si", 4),
    ],
)
def test_frames_are_found_whole(text: str, size: int) -> None:
    assert frame_at(words(text), 0) == size


@pytest.mark.parametrize(
    "text",
    [
        "mon projet associatif",  # no « c'est »: « projet » is the subject
        "mon but",
        "est-ce que vous avez",
        "ma demande de logement",
        "j'aimerais trouver",  # measured: left in (see FRAMES)
    ],
)
def test_what_is_no_frame_stays(text: str) -> None:
    assert frame_at(words(text), 0) == 0


@pytest.mark.parametrize(
    "frame",
    ["mon but c'est de", "mon rêve c'est de", "mon objectif c'est de", "mon objectif c de"],
)
def test_a_framed_question_is_answered_as_the_plain_one(matcher: Matcher, frame: str) -> None:
    # « but », « rêve » and « objectif » made the topic model read football and holidays:
    # « pas trouvé » for each before.
    plain = matcher.match("trouver un travail")
    framed = matcher.match(f"{frame} trouver un travail")
    assert framed.decision == plain.decision == "answer"
    assert framed.matches[0].objective_id == plain.matches[0].objective_id == "2.2"


def test_the_danger_detectors_read_the_frame_words(matcher: Matcher) -> None:
    # Frames leave the matcher's content words only: « j'ai envie d'en finir » stays a danger.
    found = matcher.match("j'ai envie d'en finir ce soir")
    assert found.danger_level == "sure"
