"""A message that raises two subjects gets the second one as a button (issue 13, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer import compose
from bot.evaluation import evaluate, load_questions, offered
from bot.knowledge.models import Knowledge
from bot.matching.clean import MAX_CLAUSES, clauses
from bot.matching.matcher import SHOWN, Matcher

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "data" / "blind" / "deux-sujets-aveugle.yaml"

JOB_THEN_HOMEWORK = (
    "Bonjour, je cherche du travail depuis six mois. Et sinon mon fils a besoin d'aide aux "
    "devoirs, vous pouvez m'aider ?"
)


def test_clauses_split_at_sentences_and_at_a_change_of_subject() -> None:
    assert clauses("ya du deal dans le hall. et sinon je cherche du taf") == [
        "ya du deal dans le hall.",
        "je cherche du taf",
    ]
    assert clauses("je cherche un taf et aussi une creche pr mon bebe") == [
        "je cherche un taf",
        "une creche pr mon bebe",
    ]
    assert clauses("Je voudrais m'inscrire au foot. Par ailleurs, le conseil citoyen ?") == [
        "Je voudrais m'inscrire au foot.",
        "le conseil citoyen ?",
    ]
    assert clauses("je cherche du travail") == []
    assert len(clauses(". ".join(["une phrase de plus"] * 50))) == MAX_CLAUSES


def test_a_second_subject_ranked_under_the_shown_ones_gets_its_button(
    matcher: Matcher, knowledge: Knowledge
) -> None:
    result = matcher.match(JOB_THEN_HOMEWORK)
    assert result.decision == "answer" and result.matches[0].objective_id == "5.1.3"
    # The job question: ranked under the three shown, first in its own sentence.
    assert result.also is not None and result.also.objective_id == "2.2"
    assert "2.2" not in [m.objective_id for m in result.matches[:SHOWN]]
    reply = compose(knowledge, result)
    assert reply.card is not None and reply.card.objective_id == "5.1.3"
    # After the two others the whole message ranks next, so the ranking stays as it was.
    assert [c.objective_id for c in reply.candidates] == [
        *(m.objective_id for m in result.matches[1:SHOWN]),
        "2.2",
    ]
    assert offered(result)[-1] == "2.2"


def test_a_second_subject_is_offered_among_the_choices_too(
    matcher: Matcher, knowledge: Knowledge
) -> None:
    result = matcher.match(
        "Bonjour, je n'arrive pas à faire mes papiers CAF. Et sinon je voudrais faire du sport "
        "le soir, vous pouvez m'aider ?"
    )
    assert result.decision == "suggest" and result.also is not None
    choices = [c.objective_id for c in compose(knowledge, result).candidates]
    assert len(choices) == SHOWN + 1 and choices[-1] == result.also.objective_id


@pytest.mark.parametrize(
    "text",
    [
        "je cherche du travail",
        "jcherche un taf et aussi une creche pr mon bebe",  # both in the shown three already
        "Bonjour, je suis maman de trois enfants. Où inscrire ma fille au judo ?",
    ],
)
def test_no_second_button_without_a_second_subject_below(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).also is None


def test_an_unknown_message_offers_no_second_subject(matcher: Matcher) -> None:
    result = matcher.match("c'est quoi la meilleure console de jeux ? et le meilleur jeu ?")
    assert result.decision == "unknown" and result.also is None and offered(result) == []


def test_floors_on_the_blind_two_subject_set(matcher: Matcher) -> None:
    """Written from the contract only and measured before the second subject existed (docs/
    measurements.md): both subjects offered 77.7 %; after, tuned on another set, 88.5 %."""
    questions = load_questions(BLIND)
    two = [q for q in questions if q.subjects is not None]
    one = [q for q in questions if q.subjects is None]
    assert len(two) >= 120 and len(one) >= 80
    result = evaluate(matcher, two)
    # measured 88.5 %; 87.7 % once the card follows the question told beside a danger
    assert result.both_rate >= 0.86
    assert result.unknown_rate <= 0.01  # measured 0.0 %
    single = evaluate(matcher, one)
    assert single.top1_rate >= 0.85  # measured 86.2 %
    # One more button for some long messages with one subject: measured 0.41 per message.
    extra = sum(len(offered(matcher.match(q.q))) > SHOWN for q in one)
    assert extra / len(one) <= 0.5
