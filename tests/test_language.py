"""A message in another language gets the emergency number in several languages first: the bot
reads French only and cannot tell whether it speaks of danger (a second independent review)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.answer import compose
from bot.knowledge.models import Knowledge
from bot.matching.language import is_foreign
from bot.matching.matcher import Matcher
from bot.matching.normalize import words

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
LANGUAGES = DATA / "blind" / "danger-langues.yaml"


def foreign(text: str) -> bool:
    return is_foreign(text, words(text))


@pytest.mark.parametrize(
    "text",
    [
        "my husband hits me and I am scared",
        "I am looking for a job",
        "mi marido me pega",
        "meu filho não vai à escola",
        "kocam beni dövüyor, yardım edin",
        "ich suche Arbeit",
        "زوجي يضربني",
        # All in quotes, or quoted inside another language: read as written.
        "« my husband hits me »",
        'he said "I will kill you" please help me',
    ],
)
def test_other_languages_are_recognised(text: str) -> None:
    assert foreign(text)


@pytest.mark.parametrize(
    "text",
    [
        "je cherche du travail",
        "jsui o kartier, ya koi pr les jeunes",
        "wesh la famille",
        "Bonjour, je suis Mme Nuñez, je cherche une crèche",
        "ok merci",
        "mon fils joue au foot le mercredi",
        # What a French message quotes is not how it is written.
        "Rebonjour, vous pouvez me traduire « thank you very much » ?",
        'comment on dit "I love you my darling" en arabe',
        # Quotes never make a message foreign (« ya » and « ki » are on the foreign list: an
        # independent review found these read as foreign once their quotes were left out).
        "ya ki pour le « conseil citoyen » ?",
        'yo ya ki au "city stade" ce soir ?',
    ],
)
def test_french_is_french(text: str) -> None:
    assert not foreign(text)


def test_almost_no_french_test_message_is_taken_for_another_language() -> None:
    found, flagged = 0, []
    for path in [*DATA.glob("*.yaml"), *DATA.glob("blind/*.yaml"), *DATA.glob("fitting/*.yaml")]:
        if path == LANGUAGES:
            continue
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            found += 1
            if foreign(case["q"]):
                flagged.append(case["q"])
    assert found > 6000
    # measured: 2 (« cb d tem i vi 1 hamster », « francesservice sa ve dir koi »: « ve », « dir »)
    assert len(flagged) <= 2, flagged


def test_the_reply_opens_with_the_emergency_number_in_several_languages(
    matcher: Matcher, knowledge: Knowledge
) -> None:
    reply = compose(knowledge, matcher.match("my husband hits me and I am scared"))
    assert reply.danger_line == knowledge.text("autre_langue")
    assert "112" in reply.danger_line and "Emergency" in reply.danger_line
    # French gets no such line; a danger in broken French gets the block itself.
    assert compose(knowledge, matcher.match("je cherche du travail")).danger_line == ""
    assert compose(knowledge, matcher.match("mari taper moi")).emergency is not None


def test_floors_on_the_blind_set_in_other_languages(matcher: Matcher, knowledge: Knowledge) -> None:
    """Danger and ordinary messages in English, Arabic, Spanish, Portuguese, Turkish, Maghrebi
    Arabic in Latin letters and broken French, written without seeing the detector
    (docs/measurements.md). Before: an emergency number on 16 % of the danger messages."""
    cases = yaml.safe_load(LANGUAGES.read_text(encoding="utf-8"))
    danger = [c for c in cases if c["situation"]]
    assert len(danger) >= 100
    shown = 0
    for case in danger:
        reply = compose(knowledge, matcher.match(case["q"]))
        shown += reply.emergency is not None or bool(reply.danger_line)
    assert shown / len(danger) >= 0.83  # measured 85.0 %
