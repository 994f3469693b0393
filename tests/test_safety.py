"""Danger detection on tests/data/danger.yaml: 90 danger messages and 50 harmless ones written
without looking at the triggers (idioms, topic questions, everyday questions)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import load_knowledge
from bot.knowledge.models import Situation
from bot.matching.matcher import Matcher
from bot.matching.safety import SafetyDetector

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "data" / "danger.yaml").read_text(encoding="utf-8"))

# Floors measured on the shipped triggers (README, "Danger first"); raise them with the triggers.
MIN_RECALL = 0.78  # measured: 73 of 90
MAX_FALSE_ALARMS = 0.06  # measured: 2 of 50


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge(ROOT / "knowledge"))


def test_danger_messages_raise_the_alarm(matcher: Matcher) -> None:
    dangers = [c for c in CASES if c["situation"]]
    flagged = [c for c in dangers if matcher.match(c["q"]).emergency]
    assert len(dangers) >= 80
    assert len(flagged) / len(dangers) >= MIN_RECALL, [c["q"] for c in dangers if c not in flagged]


def test_harmless_messages_do_not(matcher: Matcher) -> None:
    harmless = [c for c in CASES if not c["situation"]]
    alarms = [c["q"] for c in harmless if matcher.match(c["q"]).emergency]
    assert len(harmless) >= 40
    assert len(alarms) / len(harmless) <= MAX_FALSE_ALARMS, alarms


def _detector(*triggers: str, idioms: tuple[str, ...] = (), **lexicon: str) -> SafetyDetector:
    situation = Situation("test", "Test", "Appelez le 17.", ("police-secours",), triggers)
    return SafetyDetector((situation,), idioms, {k: (v,) for k, v in lexicon.items()})


def test_a_glued_elision_counts_as_two_words_between_trigger_words() -> None:
    detector = _detector("mari frappe", "ecole brule")  # « ecole » lets « lecole » split
    assert detector.detect("mari x lecole frappe")  # x, l, ecole: three words between
    assert not detector.detect("mari x y lecole frappe")  # four words between


def test_an_idiom_blanks_every_meaning_of_its_words() -> None:
    detector = _detector("veux mourir", idioms=("crever de faim",), crever="mourir")
    assert detector.detect("je veux crever")  # « crever » means « mourir » (lexicon)
    assert not detector.detect("je veux crever de faim")
    assert detector.detect("je veux crever de faim, je veux mourir")


def test_a_trigger_written_with_an_apostrophe_also_matches_sms_spelling() -> None:
    detector = _detector("m'a frappée", "l'a étranglée")
    assert detector.detect("il ma frappée hier soir")
    assert detector.detect("il m'a frappée")
    assert detector.detect("il la étranglée")
    assert not detector.detect("ma fille est frappée de stupeur")  # no « a » after « ma »
