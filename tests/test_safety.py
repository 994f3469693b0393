"""Danger detection on tests/data/danger.yaml: 90 danger messages and 50 harmless ones written
without looking at the triggers (idioms, topic questions, everyday questions)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import load_knowledge
from bot.matching.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "data" / "danger.yaml").read_text(encoding="utf-8"))

# Floors measured on the shipped triggers (README, "Danger first"); raise them with the triggers.
MIN_RECALL = 0.78  # measured: 72 of 90
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
