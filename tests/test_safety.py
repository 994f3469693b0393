"""Danger detection, measured on two sets written without looking at the triggers:
tests/data/danger.yaml (90 danger messages, 50 harmless ones) and tests/data/danger-2.yaml (80
and 50, written later by someone who had seen neither the triggers nor the first set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge.loader import load_knowledge
from bot.knowledge.models import Situation
from bot.matching.matcher import Matcher
from bot.matching.safety import SafetyDetector

ROOT = Path(__file__).resolve().parent.parent

# Floors measured on the shipped triggers (README, "Danger first"); raise them with the triggers.
# danger.yaml helped choose triggers and idioms; danger-2.yaml never did, and shows how the
# triggers generalise.
SETS = {
    # file: (minimum recall, maximum false alarms), at any level (« possible » or « sure »),
    # with the learned danger model beside the triggers (docs/measurements.md).
    "danger.yaml": (0.95, 0.08),  # measured: 87 of 90, 3 of 50
    "danger-2.yaml": (0.95, 0.10),  # measured: 79 of 80, 5 of 50
}


def _cases(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(
        (ROOT / "tests" / "data" / name).read_text(encoding="utf-8")
    )
    return cases


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge(ROOT / "knowledge"))


@pytest.mark.parametrize("name", SETS)
def test_danger_messages_raise_the_alarm(matcher: Matcher, name: str) -> None:
    dangers = [c for c in _cases(name) if c["situation"]]
    flagged = [c for c in dangers if matcher.match(c["q"]).emergency]
    assert len(dangers) >= 80
    missed = [c["q"] for c in dangers if c not in flagged]
    assert len(flagged) / len(dangers) >= SETS[name][0], missed


@pytest.mark.parametrize("name", SETS)
def test_harmless_messages_do_not(matcher: Matcher, name: str) -> None:
    harmless = [c for c in _cases(name) if not c["situation"]]
    alarms = [c["q"] for c in harmless if matcher.match(c["q"]).emergency]
    assert len(harmless) >= 40
    assert len(alarms) / len(harmless) <= SETS[name][1], alarms


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


def test_a_word_the_triggers_cannot_use_is_skipped_without_being_stemmed() -> None:
    """The detector skips the stemming of a word whose first letters no trigger's stem starts
    with (normalize.may_stem_to): right only if a stem of four letters or more always starts
    with its word's first three letters, and a shorter one with its first two or one (« i »
    for a final « y »). Checked on the frequency list's 30,000 words, on every word of the
    knowledge and the test sets, and on made-up words ending in each suffix Snowball cuts or
    replaces, after one or two letters (where its regions start)."""
    from bot.matching.common_words import COMMON_FILE
    from bot.matching.normalize import may_stem_to, stem, stem_heads, words
    from bot.matching.word_lists import read_words

    found = set(read_words(COMMON_FILE)) - {""}
    for folder in (ROOT / "knowledge", ROOT / "tests" / "data"):
        for path in folder.rglob("*.yaml"):
            found.update(words(path.read_text(encoding="utf-8", errors="replace")))
    assert len(found) > 30_000
    suffixes = [
        "logie",
        "logies",
        "usion",
        "ution",
        "ence",
        "ences",
        "euse",
        "euses",
        "amment",
        "emment",
        "ement",
        "ements",
        "ments",
        "eaux",
        "aux",
        "ation",
        "atrice",
        "ateur",
        "ication",
        "abilite",
        "iste",
        "isme",
        "able",
        "ic",
        "ique",
        "icite",
        "ier",
        "iere",
        "ive",
        "if",
        "eux",
        "issement",
        "ite",
        "ance",
        "ante",
        "ant",
        "yer",
        "elle",
        "enne",
        "onne",
        "ette",
        "eille",
        "s",
        "x",
        "es",
        "ent",
        "ons",
        "ez",
        "aient",
        "erent",
        "issent",
        "ir",
        "is",
        "it",
        "issant",
        "isse",
        "irait",
        "er",
        "ee",
        "ees",
        "eur",
        "i",
        "y",
    ]
    made_up = {
        a + middle + suffix
        for a in ("a", "b", "e", "j", "o", "qu", "t", "y")
        for middle in ("", "a", "y", "r", "ay", "ry", "ri", "ar")
        for suffix in suffixes
    }
    assert len(made_up) > 3_900
    wrong = [w for w in found | made_up if not may_stem_to(w, stem_heads({stem(w)}))]
    assert wrong == []
    assert not may_stem_to("zqxwv", stem_heads({"frapp", "tu", "a"}))
    # Three letters skip more: « frite » cannot stem to « frapp ».
    assert not may_stem_to("frite", stem_heads({"frapp"}))
    assert may_stem_to("frappe", stem_heads({"frapp"}))
    assert may_stem_to("ayissement", stem_heads({"ai"}))  # « ai », from « aY »
    assert may_stem_to("tuer", stem_heads({"frapp", "tu"}))


@pytest.mark.parametrize(
    "text",
    [
        "ma voisine crie à l'aide",
        # Told not urgent, a cry for help is still one (an independent review).
        "c'est pas urgent mais ma voisine crie à l'aide",
        "j'entends une femme qui crie a l'aide dans l'escalier",
        "la dame du 3e hurlait à l'aide cette nuit",
    ],
)
def test_someone_crying_for_help_is_a_danger_for_the_police(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.danger_level == "sure"
    assert result.emergencies[0].id == "danger-immediat"


@pytest.mark.parametrize(
    "text",
    [
        "ça fait des années que les habitants crient à l'aide pour la rénovation de la tour",
        "les associations crient à l'aide, elles n'ont plus de subventions pour les devoirs",
        # A threat in jest or in a film (guards kept from a trigger tried and dropped).
        "si tu finis la glace je vais te tuer mdr",
        "dans le film le méchant dit je vais te buter",
        "le boss du jeu crie je vais te tuer",
    ],
)
def test_figures_of_speech_jokes_and_films_are_no_danger(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).danger_level == "none"
