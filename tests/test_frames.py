"""Phrases that frame a question (bot/matching/frames.py) are not its subject, and only the
matcher drops them: the danger detectors read every word."""

from __future__ import annotations

import random

import pytest

from bot.answer import most_specific_first
from bot.matching import frames
from bot.matching.frames import frame_at, frame_starts, plainly, without_reassurance
from bot.matching.matcher import Matcher
from bot.matching.normalize import words


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("mon but c'est de trouver", 5),
        ("mon rêve ce serait d'ouvrir", 5),
        ("mon but est de trouver", 4),
        ("ma question c'est", 4),
        ("mon souci cest que", 4),
        ("mon but c de", 4),
        ("mn but c de", 4),
        ("est-ce que ce serait possible de", 7),
        ("est-ce possible de venir", 4),  # « est » in the verb's slot, not the first one
        ("est-ce qu'il est possible de", 7),
        ("il est possible de venir", 4),
        ("c'est possible de", 4),
        ("serait-il possible d'avoir", 4),
        ("ce que je voudrais c'est", 6),
        ("je me demandais si", 4),
        ("c'est pour", 3),
        ("c'était pour", 3),
        ("cest pour", 2),
        ("c'est au sujet d'un", 5),
        ("au sujet des", 3),
        ("c'est concernant", 3),
        ("concernant", 1),
        ("c'est par rapport à", 5),
        ("par rapport aux", 3),
        ("à propos de", 3),
        ("je vous écris pour", 4),
        ("j'vous contacte car", 4),
        ("je t'écris", 3),
        ("j'appelle pour", 3),
        ("une petite question pour", 4),
        ("des renseignements sur", 3),
        ("une info svp", 3),
        ("franchement", 1),
        ("par curiosité", 2),
        ("du coup", 2),
        ("en fait", 2),
        ("c'est encore moi", 4),
        ("petite question", 2),
        ("question bête", 2),
        ("excusez-moi", 2),
        ("désolé de vous déranger", 4),
        ("dsl de t'embêter", 4),
        ("je me permets de vous écrire", 6),
        ("je sais pas si c'est le bon endroit mais", 10),
    ],
)
def test_frames_are_found_whole(text: str, size: int) -> None:
    assert frame_at(words(text), 0) == size


@pytest.mark.parametrize(
    "text",
    [
        "mon projet associatif",
        "mon but",
        "est-ce que vous avez",
        "ma demande de logement",
        "ma demande est urgente",  # a bare verb only before « de » or « que »
        "mon souci est réglé",
        "son objectif est de me faire peur",  # someone else's aim is the subject
        "leur projet est de",
        "mon projet c'est de",  # support for residents' projects is an objective
        "j'ai envie de",  # « envie de mourir »: 3.4 reads it
        # Measured and left in (see FRAMES):
        "j'aimerais trouver",
        "je voudrais savoir si",
        "il me faudrait un logement",
        # « je m'appelle » gives a name, not « j'appelle pour »; « information », « rapport »
        # and « sujet » alone are words of the subject.
        "je m'appelle Awa",
        "des informations sur mes droits",
        "le rapport du conseil citoyen",
        "le sujet du débat",
    ],
)
def test_what_is_no_frame_stays(text: str) -> None:
    assert frame_at(words(text), 0) == 0


@pytest.mark.parametrize(
    "frame",
    ["mon but c'est de", "mon rêve c'est de", "mon objectif c'est de", "mon objectif c de"],
)
def test_a_framed_question_is_answered_as_the_plain_one(matcher: Matcher, frame: str) -> None:
    # « but », « rêve » and « objectif » gave « hors sujet » a third of the topic model's
    # probability: « pas trouvé » for each before.
    plain = matcher.match("trouver un travail")
    framed = matcher.match(f"{frame} trouver un travail")
    assert framed.decision == plain.decision == "answer"
    assert framed.matches[0].objective_id == plain.matches[0].objective_id == "2.2"


@pytest.mark.parametrize(
    "opener",
    [
        "c'est pour",
        "cest pour",
        "c'est au sujet de",
        "concernant",
        "c'est par rapport à",
        "je vous écris pour",
        "je vous contacte pour",
        "une info pour",
        "j'appelle pour",
        "franchement,",
        "excusez-moi,",
        "désolé de vous déranger,",
        "je me permets de vous écrire pour",
        "petite question :",
    ],
)
@pytest.mark.parametrize("subject", ["une formation", "un logement", "des cours de français"])
def test_what_announces_a_subject_is_not_the_subject(
    matcher: Matcher, opener: str, subject: str
) -> None:
    # « c'est pour une formation » was « pas trouvé » (the topic model read « c'est » as the
    # start of a general-knowledge question), as were « je vous écris pour un logement »,
    # « c'est par rapport à… » and « franchement, … » (a word the knowledge lacks).
    plain = matcher.match(subject)
    framed = matcher.match(f"{opener} {subject}")
    assert plain.decision == framed.decision == "answer"
    assert framed.matches[:3] == plain.matches[:3]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Read without its frame, « urgent » or « pompiers » would stand alone: a bare call
        # for help, and the emergency block (found by an independent review).
        ("ma demande c'est urgent svp", "none"),
        ("mon problème c'est les pompiers", "none"),
        ("mon souci c'est le danger", "none"),
        # Its words are counted whole: two that say something make the model's alarm `sure`.
        ("mon rêve ce serait de disparaître", "sure"),
        ("j'ai envie d'en finir ce soir", "sure"),
    ],
)
def test_the_danger_detectors_read_the_frame_words(matcher: Matcher, text: str, level: str) -> None:
    assert matcher.match(text).danger_level == level


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        # The writer's own plan: its frame is dropped.
        ("mon projet c'est de me tuer", "me tuer"),
        ("mn seul but c de partir pr de bon", "partir pr de bon"),
        ("mon souhait ce serait de disparaitre", "disparaitre"),
        ("tout ce que je veux c'est dormir", "dormir"),
        ("j'ai décidé d'en finir", "en finir"),
        ("jai prevu de sauter", "sauter"),
        ("je me demande si je saute", "je saute"),
        ("jme demande si jsaute", "jsaute"),
        # Someone else's: what that person wants or will do, a threat the triggers name.
        ("son but c'est de me tuer", "il veut me tuer"),
        ("leur plan c'est de nous frapper", "ils veulent nous frapper"),
        ("elle a prévu de le frapper", "il va le frapper"),
        ("il a décidé de me tuer", "il va me tuer"),
        ("on a décidé de me tuer", "il va me tuer"),  # « on va me tuer » is no trigger
        ("ils ont prévu de brûler la voiture", "ils vont bruler la voiture"),
    ],
)
def test_a_plan_is_read_plainly_by_the_danger_detectors(text: str, plain: str) -> None:
    assert plainly(words(text)) == words(plain)


@pytest.mark.parametrize(
    "text",
    [
        "mon projet me tue",  # the verb slot is required: tiredness, not a plan
        "mon projet est urgent",  # « de » or « que » is required after a bare verb
        "ma priorité c'est l'urgence",
        "mon plan c'était de sauter mais j'ai appelé le 3114",  # a plan told in the past
        "je compte sur la police",
        "mon projet associatif",
        "je cherche du travail",
    ],
)
def test_no_plan_no_change(text: str) -> None:
    seq = words(text)
    assert plainly(seq) is seq


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        # Before: « pas trouvé », no alarm (the frame's words outweighed the danger's).
        ("mon projet c'est de me tuer", "idees-suicidaires"),
        # A threat: the trigger « veut me tuer » names the danger, and it leads (the model
        # reads « me tuer » as a wish to die: its block, 3114, led, and the 17 came fourth).
        ("son but c'est de me tuer", "danger-immediat"),
        ("leur but c'est de me tuer", "danger-immediat"),
        ("tout ce qu'il veut c'est me tuer", "danger-immediat"),
        # Read as written too: « veux mourir » stays a trigger (the plain reading drops « veux »).
        ("tout ce que je veux c'est mourir", "idees-suicidaires"),
    ],
)
def test_a_danger_told_as_a_plan_is_sure(matcher: Matcher, text: str, situation: str) -> None:
    result = matcher.match(text)
    assert result.danger_level == "sure"
    shown = most_specific_first(matcher.knowledge, result.emergencies, result.lead)
    assert shown[0].id == situation


@pytest.mark.parametrize(
    "text",
    [
        # Read plainly, these are bare calls for help (« appeler la police », « urgent »); a
        # bare call counts only as written.
        "j'ai prévu d'appeler la police",
        "mon rêve c'est les pompiers",
        "ma priorité c'est l'urgence",
    ],
)
def test_a_plan_read_plainly_is_no_bare_call_for_help(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).danger_level == "none"


def _plainly_everywhere(seq: list[str]) -> list[str]:
    """plainly() as the frames' definition reads: every position tried, left to right."""
    out: list[str] = []
    i = 0
    while i < len(seq):
        best, plain = 0, ()
        for number, slots in enumerate(frames._EVERY_PLAN.frames):
            if (size := frames._longest(seq, i, slots)) > best:
                best, plain = size, frames._EVERY_PLAN.plain[number]
        out += plain if best else [seq[i]]
        i += best or 1
    return out


def test_frames_are_looked_for_only_where_they_can_stand() -> None:
    # frame_starts() and plainly() look only near a frame's anchor word (« projet »,
    # « possible »…): on word sequences made of the frames' own words, each holding instances
    # of frames (their optional slots taken or not), they find every frame that trying every
    # position finds.
    every = frames._EVERY_PLAN.frames + frames._PARSED
    vocabulary = sorted({w for frame in every for alts, _optional in frame for w in alts})
    rng = random.Random(7)
    found = 0
    for _ in range(20_000):
        seq = [rng.choice(vocabulary) for _ in range(rng.randint(0, 4))]
        for frame in rng.sample(every, rng.randint(1, 2)):
            seq += [
                rng.choice(sorted(alts)) for alts, opt in frame if not opt or rng.random() < 0.5
            ]
            seq += [rng.choice(vocabulary) for _ in range(rng.randint(0, 3))]
        assert plainly(seq) == _plainly_everywhere(seq), seq
        starts = frame_starts(seq)
        assert all(i in starts for i in range(len(seq)) if frame_at(seq, i)), seq
        found += plainly(seq) is not seq
    assert found > 5_000  # the sequences do hold plans


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("c pas urgent", ""),
        (
            "ce n'est pas une urgence, mais mon fils sèche les cours",
            "mais mon fils seche les cours",
        ),
        ("sans urgence je voudrais savoir", "je voudrais savoir"),
        ("y a pas d'urgence", ""),
        ("rien d'urgent", ""),
        ("c'est pas très pressé", ""),
        # What says more, or danger, stays.
        ("rien de plus urgent", "rien de plus urgent"),
        ("c'est urgent", "c est urgent"),
        ("c'est pas grave mais il me frappe", "c est pas grave mais il me frappe"),
        ("je me suis cogné, rien de grave", "je me suis cogne rien de grave"),
        # « il n'y a … » whole: « il n » left behind read as a man's violence.
        ("Il n'y a aucune urgence.", ""),
        ("il n'y a rien d'urgent pour mon fils", "pour mon fils"),
        # Inside a clause only: « pas, urgent » says no « pas urgent ».
        ("il ne dort pas, urgent svp", "il ne dort pas urgent svp"),
        # Asked with « ça » or as « n'est-ce pas », it says it is urgent; other questions and
        # statements reassure (a second independent review).
        ("c'est pas urgent ça ??", "c est pas urgent ca"),
        ("n'est-ce pas urgent ?", "n est ce pas urgent"),
        ("c pas urgent ça", "ca"),
        ("c pas urgent ?", ""),
        ("ma demande est pas urgente", "ma demande est"),
        ("ma demande est pas urgente ?", "ma demande est"),
        ("si c'est pas urgent vous pouvez me rappeler", "si vous pouvez me rappeler"),
        ("c'est pas du tout urgent", ""),
        ("c pas hyper urgent", ""),
        ("pas durgence", ""),
    ],
)
def test_the_danger_model_reads_a_message_without_saying_it_is_not_urgent(
    text: str, left: str
) -> None:
    assert without_reassurance(text) == (left.split(), left != " ".join(words(text)))
