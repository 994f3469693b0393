"""The learned danger detector: levels, long messages, its cache, and blind-set floors."""

from __future__ import annotations

import collections
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import disk_cache
from bot.answer import compose, most_specific_first
from bot.evaluation import offered as offers
from bot.knowledge.loader import load_knowledge
from bot.matching import danger_model, textmodel
from bot.matching.danger_model import danger_model_for, sentences
from bot.matching.matcher import Matcher
from bot.matching.textmodel import TextModel, file_name, fingerprint

ROOT = Path(__file__).resolve().parent.parent

TOY = {
    "violences-couple": (
        "mon mari me frappe",
        "il me tape tous les soirs",
        "mon copain m'a frappée hier",
        "il me bat et me menace",
        "mon mec me cogne",
        "mon mari me gifle devant les enfants",
    ),
    "sans-danger": (
        "je cherche du travail",
        "ou trouver un club de foot",
        "comment inscrire mon fils a la cantine",
        "il y a des ateliers de theatre",
        "je voudrais une aide pour mon loyer",
        "mon fils cherche un stage",
    ),
}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge(ROOT / "knowledge"))


def test_the_shipped_model_is_loaded_not_trained(matcher: Matcher) -> None:
    knowledge = matcher.knowledge
    name = file_name(danger_model.KIND, knowledge.danger_examples, danger_model.C)
    assert (textmodel.SHIPPED_DIR / name).is_file(), "run: python -m bot train --ship"
    assert matcher.danger is not None


@pytest.mark.parametrize(
    "text, level",
    [
        ("il m'a frappée hier soir, j'ai peur qu'il revienne", "sure"),
        ("ma petite de 2 ans est toute seule sur le rebord de la fenêtre ouverte", "sure"),
        ("je cherche du travail dans la logistique", "none"),
        ("il fait une chaleur à mourir dans ce bus", "none"),
        ("jen peu plus de la vie", "sure"),
        ("je manquerai à personne", "sure"),
        ("j'en peux plus de ce bruit", "none"),
        # Six words, not ten once « jvais », « l'air » and « jte » are split: too short for the
        # model to overrule the trigger (it got nothing, from a second independent review).
        ("jvais me foutre en l'air jte jure", "sure"),
    ],
)
def test_levels(matcher: Matcher, text: str, level: str) -> None:
    assert matcher.match(text).danger_level == level


@pytest.mark.parametrize(
    "text",
    [
        "il y a trois ans j'ai subi des violences, maintenant je voudrais aider d'autres femmes",
        "comment reconnaître les signes du harcèlement chez mon fils ? c'est pour en parler",
    ],
)
def test_a_past_event_or_a_prevention_question_is_never_sure(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).danger_level != "sure"


def test_danger_inside_a_job_question_is_found_and_the_question_still_answered(
    matcher: Matcher,
) -> None:
    result = matcher.match(
        "Bonjour, je cherche un stage dans la vente pour mon BTS, vous savez où chercher ? "
        "À la maison mon copain me tape dessus dès que je rentre tard. Merci d'avance"
    )
    assert result.danger_level == "sure"
    assert "violences-couple" in [s.id for s in result.emergencies]
    # The card under the emergency block offers the job question's objective among its
    # candidates. (The card is read without the danger's sentences only when those alone get
    # a decision, see test_the_card_answers_the_question_told_beside_a_danger: here they do
    # not, and the whole message is read. Doing it for every alarm lost up to 1.1 points of
    # top-1 on the question sets, where the danger is often the subject.)
    assert any(m.objective_id.startswith("2.") for m in result.matches[:3])


@pytest.mark.parametrize(
    "text",
    [
        "bonjour",
        "bonjour madame",
        "Bonsoir Monsieur",
        "salut",
        "re bonjour",
        "merci beaucoup",
        # with a name: read without personal details, still a greeting
        "bonsoir madame Martin",
        "salut Dupont",
        "bonsoir M. Martin 😊",
        "Salut Karim !",
        "slt cv",
    ],
)
def test_a_greeting_alone_never_raises_an_alarm(matcher: Matcher, text: str) -> None:
    """The examples of danger often open with « Bonjour madame »: alone, a greeting gave the
    model nothing else to read and it called « bonjour madame » suicidal thoughts."""
    result = matcher.match(text)
    assert result.smalltalk is not None
    assert result.danger_level == "none" and not result.emergencies


def test_a_call_for_help_is_no_goodbye(matcher: Matcher) -> None:
    """« a+ » (à plus) is read « a »: « à l'aide » was answered « Au revoir, bonne journée »."""
    assert matcher.match("à l'aide").smalltalk is None


@pytest.mark.parametrize(
    "text",
    [
        "urgence",
        "URGENCE",
        "sos",
        "au secours",
        "numéro d'urgence",
        "bonjour, urgence svp",
        # Made of words the matcher otherwise ignores (« aide », « moi »).
        "à l'aide",
        "aidez-moi",
        "aidez moi svp",
    ],
)
def test_a_bare_call_for_help_gets_the_emergency_numbers(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.danger_level == "sure"
    assert "numeros-urgence" in [s.id for s in result.emergencies]


@pytest.mark.parametrize(
    "text",
    [
        "le service des urgences ferme à quelle heure",
        "le secours populaire distribue des colis quand ?",
        "il faut appeler la police pour le bruit ?",
        "c'est urgent, je cherche un logement pour septembre",
        "aidez-moi pour mon CV svp",
        "j'ai besoin d'aide pour remplir mon dossier CAF",
    ],
)
def test_help_words_inside_a_question_are_not_a_call_for_help(matcher: Matcher, text: str) -> None:
    assert "numeros-urgence" not in [s.id for s in matcher.match(text).emergencies]


def test_a_danger_no_objective_answers_gets_no_card(matcher: Matcher) -> None:
    """« ya le feu dans ma cuisine » got the card on the neighbourhood's quiet after the fire
    block; a fire told beside another question keeps that question's card."""
    fire = matcher.match("ya le feu dans ma cuisine")
    assert fire.danger_level == "sure" and fire.decision == "unknown"
    both = matcher.match(
        "Il y a le feu dans la cave. Et sinon je cherche du travail pour mon fils, il a 19 ans."
    )
    assert both.danger_level == "sure" and both.decision != "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "ya 1 atelier cuisine avc les enfants ?",  # « avc » is « avec » in SMS
        "jpeu plu avc le bruit des voisins",
        "Depuis le covid je bouge plus du tout, j'ai pris quinze kilos.",
    ],
)
def test_sms_and_first_person_words_are_not_a_medical_emergency(
    matcher: Matcher, text: str
) -> None:
    # No trigger: at most the model's doubt, never the emergency block.
    assert matcher.match(text).danger_level != "sure"


def test_a_stroke_told_as_one_still_is(matcher: Matcher) -> None:
    result = matcher.match("mon pere fait un avc")
    assert result.danger_level == "sure"
    assert "urgence-medicale" in [s.id for s in result.emergencies]


def test_sentences_are_scored_apart() -> None:
    assert sentences("je cherche un stage. mon copain me frappe") == [
        "je cherche un stage.",
        "mon copain me frappe",
    ]
    assert sentences("une seule phrase") == []


@pytest.fixture
def nothing_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textmodel, "_LOADED", {})


def test_training_is_deterministic_and_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nothing_in_memory: None
) -> None:
    monkeypatch.setenv(disk_cache.CACHE_DIR_ENV, str(tmp_path))
    first = danger_model_for(TOY)
    assert first is not None
    cached = list(tmp_path.glob("danger-*.npz"))
    assert len(cached) == 1

    def no_training(*_args: Any) -> TextModel:
        raise AssertionError("the cached model should have been used")

    monkeypatch.setattr(TextModel, "train", classmethod(no_training))
    textmodel._LOADED.clear()  # from the file, not from memory
    again = danger_model_for(TOY)
    assert again is not None
    assert again.score("mon mari me frappe") == first.score("mon mari me frappe")
    assert first.score("mon mari me frappe").danger > 0.5 > first.score("club de foot").danger


def test_a_damaged_cache_is_retrained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nothing_in_memory: None
) -> None:
    monkeypatch.setenv(disk_cache.CACHE_DIR_ENV, str(tmp_path))
    (tmp_path / file_name(danger_model.KIND, TOY, danger_model.C)).write_bytes(b"not a model")
    model = danger_model_for(TOY)
    assert model is not None and model.score("il me tape").danger > 0.5


def test_an_edit_to_the_examples_changes_the_fingerprint() -> None:
    edited = dict(TOY)
    edited["sans-danger"] = (*TOY["sans-danger"], "une question de plus")
    assert fingerprint("danger", edited, 1.0) != fingerprint("danger", TOY, 1.0)
    assert fingerprint("sujets", TOY, 1.0) != fingerprint("danger", TOY, 1.0)


# Floors on the blind sets (written by helpers who saw neither the triggers nor the examples),
# at the figures measured now (docs/measurements.md). The targets (shown first ≥ 92 %,
# « sure » on harmless ≤ 5 %, any level on harmless ≤ 15 %) were met on set 3 before any
# tuning on it; past events told in the first person still raise the most alarms.
BLIND_FLOORS = {
    # file: (shown first on danger, « sure » on harmless, any level on harmless)
    # Sets 1 and 2 were blind when first measured and have since been tuned on (the levels'
    # thresholds); set 3 was measured once before any tuning on it.
    "danger-aveugle.yaml": (0.98, 0.02, 0.14),  # measured 100 %, 1.3 %, 11.0 %
    "danger-aveugle-2.yaml": (0.97, 0.04, 0.18),  # measured 98.3 %, 3.9 %, 12.2 %
    # set 3: 98.8 %, 3.6 %, 14.0 % before tuning; now 99.2 %, 4.0 %, 11.6 %
    "danger-aveugle-3.yaml": (0.97, 0.05, 0.15),
    # set 4 (greetings alone, bare calls for help, SMS and indirect danger): 91.0 %, 3.2 %,
    # 10.0 % before any change this round; 93.3 %, 1.6 %, 6.8 % after the greeting gate,
    # the bare-call rule and the « avc » fix, which came from an independent review, not
    # from this set (docs/measurements.md)
    "danger-aveugle-4.yaml": (0.92, 0.03, 0.09),
    # set 5 (danger in passing, self-introductions with « M. », hardship, smoking, thanks):
    # 99.4 %, 3.2 %, 7.7 % before any change this round; 98.3 %, 1.4 %, 4.5 % after the
    # title-safe sentence split, the self-harm and overdose triggers, the thanks phrases and
    # 220 new training examples, which came from an independent review, not from this set
    "danger-aveugle-5.yaml": (0.97, 0.025, 0.06),
}


@pytest.mark.parametrize("name", BLIND_FLOORS)
def test_blind_danger_set_floors(matcher: Matcher, name: str) -> None:
    cases: list[dict[str, Any]] = yaml.safe_load(
        (ROOT / "tests" / "data" / "blind" / name).read_text(encoding="utf-8")
    )
    shown_min, sure_max, any_max = BLIND_FLOORS[name]
    count: collections.Counter[str] = collections.Counter()
    missed = []
    alarms = []
    for case in cases:
        level = matcher.match(case["q"]).danger_level
        if case["situation"]:
            count["danger"] += 1
            count["shown"] += level != "none"
            if level == "none":
                missed.append(case["q"])
        else:
            count["harmless"] += 1
            count["sure"] += level == "sure"
            count["any"] += level != "none"
            if level != "none":
                alarms.append((level, case["q"]))
    assert count["danger"] >= 180 and count["harmless"] >= 200
    assert count["shown"] / count["danger"] >= shown_min, missed
    assert count["sure"] / count["harmless"] <= sure_max, alarms
    assert count["any"] / count["harmless"] <= any_max, alarms


def test_a_title_or_an_initial_ends_no_sentence(matcher: Matcher) -> None:
    """Read apart, « je suis M. » looked like the start of a confession: « je suis M. Martin et
    je cherche du travail » got the suicide-prevention block (an independent review)."""
    assert sentences("je suis M. Martin et je cherche du travail. Merci beaucoup") == [
        "je suis M. Martin et je cherche du travail.",
        "Merci beaucoup",
    ]
    assert sentences("Bonjour, Mme. Diallo. Je cherche une crèche") == [
        "Bonjour, Mme. Diallo.",
        "Je cherche une crèche",
    ]
    assert sentences("j'ai appelé la CAF. Ils répondent pas") == [
        "j'ai appelé la CAF.",
        "Ils répondent pas",
    ]
    for text in (
        "je suis M. Martin et je cherche du travail",
        "je suis M. Dupont, je cherche un club de foot",
    ):
        assert matcher.match(text).danger_level == "none", text


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        # Self-harm and an overdose, told in passing (missed by an independent review).
        (
            "elle s'est coupée exprès les bras, ma fille de 13 ans, je sais pas à qui parler",
            "idees-suicidaires",
        ),
        ("ma copine a pris plein de médicaments", "urgence-medicale"),
    ],
)
def test_self_harm_and_an_overdose_raise_the_alarm(
    matcher: Matcher, text: str, situation: str
) -> None:
    result = matcher.match(text)
    assert result.danger_level == "sure"
    assert situation in [s.id for s in result.emergencies]


@pytest.mark.parametrize(
    "text",
    ["merci bcp c gentil", "super merci ça m'aide beaucoup, bonne journée", "merci pour l'info"],
)
def test_thanks_get_thanks(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.smalltalk == "remerciement" and result.danger_level == "none"


def test_the_card_answers_the_question_told_beside_a_danger(matcher: Matcher) -> None:
    """The emergency block answers the danger; the card answers the question beside it, and
    the objective the danger's words point to stays one button away."""
    result = matcher.match(
        "un mec m'a menacé avec un couteau hier soir, et sinon ya du sport le soir pour les "
        "adultes ?"
    )
    assert result.danger_level == "sure" and result.decision == "answer"
    assert result.matches[0].objective_id == "3.1"
    assert result.also is not None and result.also.objective_id == "T1.1"
    # Not for an alarm raised by the model alone: it may be wrong, and its words may be the
    # question's.
    assert matcher.match("je cherche du travail").also is None


def test_floors_on_the_blind_danger_and_question_set(matcher: Matcher) -> None:
    """A current danger and an ordinary question in one message, written from the contract
    only (docs/measurements.md): before, the card answered the question 85.0 % of the time."""
    path = ROOT / "tests" / "data" / "blind" / "danger-et-question.yaml"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(cases) >= 120
    shown = right = offered = 0
    for case in cases:
        result = matcher.match(case["q"])
        shown += result.danger_level != "none"
        card = result.matches[0].objective_id if result.decision == "answer" else None
        right += card in case["expect"]
        offered += bool(set(case["expect"]) & set(offers(result)))
    assert shown / len(cases) >= 0.99  # measured 100 %
    assert right / len(cases) >= 0.92  # measured 93.3 % (85.0 % before)
    assert offered / len(cases) >= 0.96  # measured 98.3 % (95.0 % before)


def test_the_situation_the_model_is_sure_of_leads_the_block(matcher: Matcher) -> None:
    """« poussée par terre » is a trigger of violence in a couple; the whole message tells an
    assault in the street, and the model reads it so: its numbers come first."""
    result = matcher.match(
        "un gars m'a poussée par terre et m'a pris mon portefeuille, il court vers la gare"
    )
    assert {"violences-couple", "danger-immediat"} <= {s.id for s in result.emergencies}
    assert result.lead == "danger-immediat"
    knowledge = matcher.knowledge
    block = compose(knowledge, result).emergency
    assert block is not None and block.contacts[0].phone == "17"
    assert "3919" not in block.messages[0]
    # Where the model and the trigger agree, nothing moves: the couple's 3919 before 112.
    block = compose(knowledge, matcher.match("mon mari me frappe")).emergency
    assert block is not None and "3919" in block.messages[0]


def danger_and_harmless(name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The danger messages and the harmless ones (``situation: null``) of a blind set."""
    path = ROOT / "tests" / "data" / "blind" / name
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [c for c in cases if c["situation"]], [c for c in cases if not c["situation"]]


def shown_and_right(matcher: Matcher, danger: list[dict[str, Any]]) -> tuple[int, int]:
    """Of these danger messages, how many raise an alarm, and how many show first a situation
    whose numbers fit: the labelled one or one of its ``also``."""
    shown = right = 0
    for case in danger:
        result = matcher.match(case["q"])
        shown += result.danger_level != "none"
        first = most_specific_first(matcher.knowledge, result.emergencies, result.lead)
        right += bool(first) and first[0].id in {case["situation"], *case["also"]}
    return shown, right


def test_floors_on_the_blind_danger_situation_set(matcher: Matcher) -> None:
    """240 danger messages labelled with their situation (and the others whose numbers would
    fit too), and 119 hardships, nuisances and harmless uses of danger words, written without
    seeing the bot (docs/measurements.md). Before the situation the model is sure of led the
    block, the right situation came first for 89.2 % of the danger messages."""
    danger, harmless = danger_and_harmless("danger-situations.yaml")
    assert len(danger) >= 240 and len(harmless) >= 119
    shown, right = shown_and_right(matcher, danger)
    alarms = sum(matcher.match(c["q"]).danger_level != "none" for c in harmless)
    assert shown / len(danger) >= 0.95  # measured 95.8 % (95.8 % before)
    assert right / len(danger) >= 0.90  # measured 92.1 % (89.2 % before)
    assert alarms / len(harmless) <= 0.13  # measured 11.8 % (10.1 % before)


def test_floors_on_the_blind_set_of_danger_words_in_harmless_messages(matcher: Matcher) -> None:
    """Danger and no danger in the same words, written without seeing the bot
    (docs/measurements.md): a person who smokes and a fire, money trouble and despair, a
    threat by a stranger, by a partner, and one long settled. Before the examples of
    knowledge/danger/*-g.yaml, 23.6 % of the harmless messages raised an alarm (35 % of those
    about someone smoking), 12.7 % a `sure` one."""
    danger, harmless = danger_and_harmless("danger-voisins.yaml")
    assert len(danger) >= 120 and len(harmless) >= 110
    shown, right = shown_and_right(matcher, danger)
    levels = [matcher.match(c["q"]).danger_level for c in harmless]
    asked = [c for c in harmless if c["expect"]]
    offered = sum(bool(set(c["expect"]) & set(offers(matcher.match(c["q"])))) for c in asked)
    assert shown / len(danger) >= 0.97  # measured 98.5 % (98.5 % before)
    assert right / len(danger) >= 0.92  # measured 95.4 % (92.3 % before)
    assert sum(lv != "none" for lv in levels) / len(harmless) <= 0.20  # 16.4 % (23.6 % before)
    assert sum(lv == "sure" for lv in levels) / len(harmless) <= 0.09  # 5.5 % (12.7 % before)
    assert offered / len(asked) >= 0.62  # measured 65.4 % (64.5 % before)


def test_the_model_alone_on_a_handful_of_words_raises_no_block(matcher: Matcher) -> None:
    """« je n'ai plus d'argent » scored 0.93 and got the suicide-prevention block instead of an
    answer. On four words the model alone says `possible`: a line of numbers above the card
    of access to rights. A trigger on as few words stays `sure`."""
    text = "je n'ai plus d'argent"
    assert matcher.danger is not None and matcher.danger.score(text).danger >= danger_model.SURE
    result = matcher.match(text)
    assert result.danger_level == "possible"
    assert result.decision == "answer" and result.matches[0].objective_id == "1.2.3"
    # A greeting is no word more to read (an independent review of the code).
    assert matcher.match("bonjour madame je n'ai plus d'argent").danger_level == "possible"
    assert matcher.match("il me frappe").danger_level == "sure"


def test_floors_on_the_blind_set_of_everyday_evenings(matcher: Matcher) -> None:
    """Ordinary messages in the words danger messages also use (« hier soir », « ce soir »,
    « dort chez », « dehors », « rentré tard »), and dangers told in them, written without
    seeing the bot after an independent review found « ma fille dort chez sa copine ce soir »
    raising the homeless block (docs/measurements.md). Before the examples of
    knowledge/danger/*-h.yaml, 25.0 % of the ordinary messages raised an alarm, 15.0 % a
    `sure` one."""
    danger, harmless = danger_and_harmless("danger-quotidien.yaml")
    assert len(danger) >= 120 and len(harmless) >= 180
    shown, right = shown_and_right(matcher, danger)
    levels = [matcher.match(c["q"]).danger_level for c in harmless]
    assert shown / len(danger) >= 0.96  # measured 97.5 % (98.3 % before)
    assert right / len(danger) >= 0.90  # measured 92.5 % (92.5 % before)
    assert sum(lv != "none" for lv in levels) / len(harmless) <= 0.15  # 12.8 % (25.0 % before)
    assert sum(lv == "sure" for lv in levels) / len(harmless) <= 0.06  # 4.4 % (15.0 % before)


@dataclass(frozen=True)
class _Levels:
    """How a blind set written with ``danger: true/false`` fares: shares of its danger
    messages shown and `sure`, of its harmless ones `sure` and with any alarm."""

    danger: int
    harmless: int
    shown: float
    sure: float
    harmless_sure: float
    harmless_any: float


def _levels(matcher: Matcher, name: str) -> _Levels:
    cases = yaml.safe_load((ROOT / "tests" / "data" / "blind" / name).read_text(encoding="utf-8"))
    danger = [matcher.match(c["q"]).danger_level for c in cases if c["danger"]]
    harmless = [matcher.match(c["q"]).danger_level for c in cases if not c["danger"]]
    return _Levels(
        len(danger),
        len(harmless),
        sum(lv != "none" for lv in danger) / len(danger),
        sum(lv == "sure" for lv in danger) / len(danger),
        sum(lv == "sure" for lv in harmless) / len(harmless),
        sum(lv != "none" for lv in harmless) / len(harmless),
    )


def test_floors_on_the_blind_set_of_danger_among_the_contracts_words(matcher: Matcher) -> None:
    """Danger told with the words of the contract and the neighbourhood (« le feu au bâtiment B
    de la résidence, c'est un QPV »), and harmless messages with the same words: written from
    the contract only, measured once and not tuned on (docs/measurements.md): 93.6 % shown,
    harmless « sure » 6.4 %, any level 12.8 %; the misses were dangers no trigger names and
    the model did not know (a flood, a balcony giving way, a car driving at children). With the
    « accident » situation and its examples (written by a helper who never saw this set): 97.1 %
    shown (« sure » 90.0 % with the examples of fire among the contract's words), harmless
    « sure » and any level unchanged."""
    found = _levels(matcher, "danger-contrat-aveugle.yaml")
    assert found.danger >= 130 and found.harmless >= 90
    assert found.shown >= 0.96
    assert found.harmless_sure <= 0.07
    assert found.harmless_any <= 0.14


def test_floors_on_blind_danger_set_6(matcher: Matcher) -> None:
    """Physical hazards at home and in the street (floods, collapses, live wires, carbon
    monoxide, vehicles, drowning, dogs), violence, suicidal thoughts told indirectly, and
    harmless messages with the same words: written from the contract and the situations' names
    only, measured once before any change (docs/measurements.md): shown 94.6 % (« sure »
    83.8 %), harmless « sure » 0.9 %, any level 7.0 %. With the « accident » situation and its
    260 examples, written by another helper who never saw this set: 97.8 % (90.8 %), 0.9 %,
    6.1 %; with 26 more of fire and assault among the contract's words: 98.4 % (91.9 %), 0.9 %,
    7.8 %."""
    found = _levels(matcher, "danger-aveugle-6.yaml")
    assert found.danger >= 180 and found.harmless >= 110
    assert found.shown >= 0.96 and found.sure >= 0.89
    assert found.harmless_sure <= 0.02 and found.harmless_any <= 0.085


def test_floors_on_blind_danger_set_7(matcher: Matcher) -> None:
    """Physical hazards and accidents happening now (water, structures, electricity, vehicles,
    heights, animals, weather, fumes, lifts, falls, fireworks, crowds), and harmless messages
    with the same words: written from the contract only and measured on the version before the
    « accident » situation: shown 72.0 % (« sure » 56.0 %), harmless « sure » 2.9 %, any level
    7.4 %. After it, with examples written by a helper who never saw this set, and not tuned
    on it: 85.5 % (71.5 %), 3.4 %, 7.4 %; with 26 more of fire and assault among the
    contract's words: 85.5 % (73.1 %), 4.0 %, 7.4 %. Then examples of the kinds it found weak
    (vehicles, crowds, animals; its sentences never read): 90.2 % (76.2 %), 2.9 %, 6.3 %; with
    series l (wishes to die told as plans): 89.6 % (76.2 %), 3.4 %, 6.3 %; with plans read
    plainly and series m, n and o (short dangers, short ordinary questions): 92.2 % (85.0 %),
    3.4 %, 5.7 % (docs/measurements.md)."""
    found = _levels(matcher, "danger-aveugle-7.yaml")
    assert found.danger >= 190 and found.harmless >= 170
    assert found.shown >= 0.91 and found.sure >= 0.83
    assert found.harmless_sure <= 0.04 and found.harmless_any <= 0.075


def test_floors_on_blind_danger_set_8(matcher: Matcher) -> None:
    """Dangers happening now over every situation, half told without an alarm word, and
    harmless messages with the same words, written from the contract only. Measured before
    this round's examples: shown 97.1 % (« sure » 92.1 %), harmless « sure » 5.6 %, any level
    12.5 %. After the examples of series j and k (written by helpers who never saw it; series
    k is about animals and crowds, kinds its figures showed weak): 97.5 % (92.5 %), 3.8 %,
    11.2 %; with series l: 97.9 % (92.1 %), 4.4 %, 11.2 %; with plans read plainly and series
    m, n and o: 100.0 % (97.5 %), 4.4 %, 11.2 % (docs/measurements.md)."""
    found = _levels(matcher, "danger-aveugle-8.yaml")
    assert found.danger >= 240 and found.harmless >= 160
    assert found.shown >= 0.99 and found.sure >= 0.96
    assert found.harmless_sure <= 0.05 and found.harmless_any <= 0.125


def test_floors_on_the_blind_set_of_dangers_told_as_wishes(matcher: Matcher) -> None:
    """A wish to die or a threat told as a plan, a wish, a goal or a question to oneself (« mon
    projet c'est de… », « ce que je voudrais c'est… », « son but c'est de… »), and harmless
    messages in the same frames: written from the contract only after an independent review
    found such messages missed. Measured before series l: shown 77.1 % (« sure » 60.0 %),
    harmless « sure » 2.9 %, any level 10.0 %. After series l (written by a helper who never
    saw it) and 18 examples of « me tuer » said of oneself: 90.0 % (74.3 %), 2.9 %, 12.9 %;
    with plans read plainly and series m, n and o: 95.7 % (85.7 %), 2.9 %, 12.9 %
    (docs/measurements.md)."""
    found = _levels(matcher, "danger-souhaits-aveugle.yaml")
    assert found.danger >= 70 and found.harmless >= 70
    assert found.shown >= 0.94 and found.sure >= 0.84
    assert found.harmless_sure <= 0.045 and found.harmless_any <= 0.145


def test_floors_on_the_blind_set_of_short_framed_dangers(matcher: Matcher) -> None:
    """Short messages (6 to 13 words) where a danger of any kind is told as a plan, an aim, a
    wish or a wondering, the writer's or someone else's (« mon projet c'est de… », « son but
    c'est de… », « je me demande si… »), and harmless messages in the same frames: written from
    the contract only. Measured first: shown 61.9 % (« sure » 39.7 %), harmless « sure » 0.8 %,
    any level 5.6 %. Its figures, never its sentences, then chose among the ways of reading a
    plan plainly and what series n was about: with series m (written by a helper who never saw
    it) 69.8 % (50.8 %), 1.6 %, 5.6 %; with plans read plainly 75.4 % (56.3 %), 1.6 %, 6.3 %;
    with series n and o 81.0 % (62.7 %), 1.6 %, 6.3 %; after an independent review's fixes
    (« de » required after a plan's verb, a bare call for help read as written only): 81.0 %
    (61.1 %), 1.6 %, 5.6 % (docs/measurements.md)."""
    found = _levels(matcher, "danger-cadres-aveugle.yaml")
    assert found.danger >= 126 and found.harmless >= 126
    assert found.shown >= 0.80 and found.sure >= 0.60
    assert found.harmless_sure <= 0.025 and found.harmless_any <= 0.065


def test_floors_on_the_blind_set_of_short_physical_dangers(matcher: Matcher) -> None:
    """Short messages (4 to 14 words) about physical dangers happening now (animals, vehicles,
    crowds, water, wires and fumes, children, fire, gas, medical, collapses, assault), and
    harmless look-alikes: written from the contract only, and never tuned on. On the version
    before this round: shown 77.3 % (« sure » 62.0 %), harmless « sure » 0.7 %, any level 4.7 %;
    measured again before series n and o: 87.3 % (74.7 %), 1.3 %, 4.7 %; after them (written
    by helpers who never saw it): 97.3 % (89.3 %), 1.3 %, 5.4 % (docs/measurements.md). One
    harmless message was left out, a near copy of an older training example (149 left)."""
    found = _levels(matcher, "danger-courts-aveugle.yaml")
    assert found.danger >= 150 and found.harmless >= 149
    assert found.shown >= 0.96 and found.sure >= 0.88
    assert found.harmless_sure <= 0.02 and found.harmless_any <= 0.065


def test_floors_on_the_blind_set_of_third_person_plans_and_very_short_messages(
    matcher: Matcher,
) -> None:
    """Short messages telling what someone else plans (« son copain a prévu de… », « elle a
    décidé de… »: threats, a relative's suicide plan, arson; and harmless moves, holidays,
    figurative threats), very short harmless messages (1 to 4 words: « ma mère », « c long »)
    and very short dangers: written from the contract only (35 entries that repeated an
    example of the writer's brief word for word were removed). Measured first: shown 92.2 %
    (« sure » 75.0 %), harmless « sure » 1.4 %, any level 6.5 %. Then one or two small words
    alone are no alarm (TINY_WORDS): 92.2 % (75.0 %), 1.4 %, 6.0 %. Training series of very
    short and third-person harmless messages were tried and not kept: they cost up to 5 points
    of framed dangers found (docs/measurements.md)."""
    found = _levels(matcher, "danger-tiers-aveugle.yaml")
    assert found.danger >= 128 and found.harmless >= 217
    assert found.shown >= 0.92 and found.sure >= 0.74
    assert found.harmless_sure <= 0.015 and found.harmless_any <= 0.065


@pytest.mark.parametrize(
    "text",
    [
        "mon",
        "elle",
        "nous",
        "tous",
        "plus",
        "et moi ?",
        # A greeting and « je suis là », « merci » said at length (a second review).
        "bonjour je suis là",
        "bonsoir on est la",
        "bonjour je voulais juste dire merci",
    ],
)
def test_a_small_word_alone_is_no_alarm(matcher: Matcher, text: str) -> None:
    # The model read « mon » as harassment (0.62) and « nous » as a night without a roof: a
    # message with no word that says something leaves it nothing to read.
    assert matcher.match(text).danger_level == "none"


@pytest.mark.parametrize("text", ["au feu", "à l'aide", "il me frappe", "jveux mourir"])
def test_a_short_danger_still_is_one(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).danger_level == "sure"


@pytest.mark.parametrize(
    "text",
    [
        "je veux plus être là",
        "je ne suis plus là",
        "ils sont chez moi",
        "ils sont là",
        "je suis chez moi et il est là",
        "Bonjour Madame je suis Seule",
        "on a décidé de me tuer",
        # After a greeting too (an independent review): more than a word or two beside it is
        # no greeting alone.
        "bonjour je veux plus être là",
        "salut ils sont la",
    ],
)
def test_dangers_told_in_small_words_are_still_seen(matcher: Matcher, text: str) -> None:
    # An independent review: silencing every message without a word that says something
    # silenced these; only one or two small words are nothing to read.
    assert matcher.match(text).danger_level != "none"


def test_floors_on_the_blind_set_of_urgency_and_seriousness(matcher: Matcher) -> None:
    """Ordinary questions said not to be urgent (« c'est pas urgent mais… »), ordinary requests
    said to be urgent (« urgent : mon RSA n'est pas tombé »), dangers told while minimised
    (« rien d'urgent, juste… ») and dangers told as urgent: written from the contract only.
    Measured first: shown 100.0 % (« sure » 99.3 %), harmless « sure » 10.4 %, any level 18.2 %
    (not urgent: 8.0 % / 12.8 %; urgent requests: 14.9 % / 28.4 %). With the model reading a
    message without what says it is not urgent (frames.without_reassurance): the same dangers,
    harmless 5.2 % / 10.4 % (not urgent: 0.0 % / 0.8 %). Urgent requests still alarm: reading
    them without « urgent » lost dangers the model knows badly (docs/measurements.md)."""
    found = _levels(matcher, "danger-urgence-aveugle.yaml")
    assert found.danger >= 135 and found.harmless >= 192
    assert found.shown >= 0.99 and found.sure >= 0.98
    assert found.harmless_sure <= 0.06 and found.harmless_any <= 0.11


def test_floors_on_the_blind_set_of_nuances_of_urgency(matcher: Matcher) -> None:
    """Dangers minimised (« pas urgent mais… ») or told with urgency as emphasis or a question
    (« c'est pas urgent ça ?? »), ordinary questions said not to be urgent (« il n'y a aucune
    urgence »), urgent ordinary requests: written from the contract only, after an independent
    review of the reading without « pas urgent ». Measured first: shown 100.0 % (« sure »
    96.4 %), harmless « sure » 4.5 %, any level 10.0 %. With « il n'y a … » read whole, the
    phrases looked for within a clause and not when asked: 100.0 % (97.3 %), 3.6 %, 7.3 %."""
    found = _levels(matcher, "danger-nuances-aveugle.yaml")
    assert found.danger >= 110 and found.harmless >= 110
    assert found.shown >= 0.99 and found.sure >= 0.96
    assert found.harmless_sure <= 0.04 and found.harmless_any <= 0.08


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("ce n'est pas une urgence, mais mon fils sèche les cours", "none"),
        ("c pas urgent", "none"),
        ("c'est pas urgent mais mon mari me frappe", "sure"),
        ("y a pas d'urgence mais il a un couteau et il me menace", "sure"),
        # An independent review: « Il n'y a » left « il n », read as a man's violence.
        ("Je cherche un stage de 3e pour mon fils. Il n'y a aucune urgence.", "none"),
        # « pas urgent » is no context for doubting a trigger.
        ("je veux me tuer, c'est pas urgent mais bon", "sure"),
        # Said as a question, a condition, or across a comma, it is no reassurance.
        ("si c'est pas une urgence je sais pas ce que c'est, il a un couteau", "sure"),
        # A second review: a short danger beside it keeps its alarm (the part left had too few
        # words and was not read), and an ordinary question or statement stays calm.
        ("c pas urgent il m'a menacée", "sure"),
        ("je saigne, pas urgent", "sure"),
        ("il m'a enfermée ya pas urgence", "sure"),
        ("c pas urgent ?", "none"),
        ("ma demande est pas urgente", "none"),
        ("bonjour, si c'est pas urgent vous pouvez me rappeler", "none"),
        ("c pas du tout urgent", "none"),
    ],
)
def test_not_urgent_is_no_alarm_and_hides_no_danger(
    matcher: Matcher, text: str, level: str
) -> None:
    # « ce n'est pas une urgence » read as an emergency (0.95) put the emergency block first.
    assert matcher.match(text).danger_level == level


def test_floors_on_the_blind_set_of_dangers_told_through_words(matcher: Matcher) -> None:
    """Threats reported word for word or quoted (« il m'a dit "je vais te tuer" », « t'es
    morte » by SMS), suicidal intent told through words or questions about lethal means, and
    harmless look-alikes (jokes, films, songs, games, old settled threats, ordinary questions
    about doses): written from the contract only, measured before any change and not tuned on:
    shown 86.7 % (« sure » 80.0 %), harmless « sure » 15.0 %, any level 31.7 %. Triggers for
    « vais te tuer / buter / crever… » were tried on it: +1 danger shown, +6 harmless alarms;
    not kept (docs/measurements.md). A floor, and a known weak spot: its harmless alarms are
    the highest of all the blind sets."""
    found = _levels(matcher, "danger-paroles-aveugle.yaml")
    assert found.danger >= 120 and found.harmless >= 120
    assert found.shown >= 0.85 and found.sure >= 0.78
    assert found.harmless_sure <= 0.16 and found.harmless_any <= 0.33
