"""A message that raises two subjects gets the second one as a button (issue 13, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer import compose
from bot.evaluation import evaluate, load_questions, offered
from bot.knowledge.models import Knowledge
from bot.matching.clean import MAX_CLAUSES, clauses
from bot.matching.matcher import SHOWN, Match, Matcher, MatchResult

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "data" / "blind" / "deux-sujets-aveugle.yaml"

# Two subjects in one message, the second ranked just under the shown three by the whole
# message with the shipped knowledge: what ranks 4th or 5th moves when the knowledge is
# retrained, so the tests take the first of these that shows it (at least one must).
TWO_SUBJECTS = (
    "slt mon fils sèche les cours et aussi je cherche du travail depuis six mois",
    "je cherche du travail depuis six mois. Par ailleurs je voudrais des pistes cyclables.",
    "slt je cherche du travail depuis six mois et aussi mon fils sèche les cours",
    "on voudrait un jardin partagé. Par ailleurs je cherche du travail depuis six mois.",
    "Bonjour, ma fille veut faire du théâtre. Et sinon mon fils de 16 ans veut partir en colo, "
    "vous pouvez m'aider ?",
)


def with_second_subject(matcher: Matcher) -> MatchResult:
    for text in TWO_SUBJECTS:
        result = matcher.match(text)
        if result.also is not None and result.decision == "answer":
            return result
    raise AssertionError("no message of TWO_SUBJECTS gets a second subject any more")


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
    result = with_second_subject(matcher)
    assert result.also is not None
    second = result.also.objective_id
    assert second not in [m.objective_id for m in result.matches[:SHOWN]]
    reply = compose(knowledge, result)
    assert reply.card is not None and reply.card.objective_id == result.matches[0].objective_id
    # After the two others the whole message ranks next, so the ranking stays as it was.
    assert [c.objective_id for c in reply.candidates] == [
        *(m.objective_id for m in result.matches[1:SHOWN]),
        second,
    ]
    assert offered(result)[-1] == second


def test_the_second_subject_is_what_a_clause_ranks_first(matcher: Matcher) -> None:
    """Whatever the whole message ranks: « je cherche du travail » alone ranks 2.2 first."""
    position = {o: i for i, o in enumerate(matcher.index.objective_ids)}
    subject = "je cherche du travail. Par ailleurs mon fils sèche les cours"
    job, quiet = position["2.2"], position["6.1"]
    assert matcher.second_subject(subject, [quiet, job]) == job
    assert matcher.second_subject(subject, [quiet]) is None
    assert matcher.second_subject("je cherche du travail", [job]) is None  # one clause


def test_a_second_subject_is_offered_among_the_choices_too(knowledge: Knowledge) -> None:
    ids = ["2.2", "2.4", "2.1"]
    result = MatchResult(
        "…", "suggest", tuple(Match(i, 0.3) for i in ids), also=Match("5.1.3", 0.2)
    )
    choices = [c.objective_id for c in compose(knowledge, result).candidates]
    assert choices == [*ids, "5.1.3"]


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
