"""What residents read is true and fits them: corrected facts (Pass'Sport, 114, gas), the
contacts each situation of issue 15 gets, the /urgence order and the honest fallback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answer import all_emergencies, compose, general_contacts
from bot.knowledge.models import Contact, Knowledge
from bot.matching.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
EMERGENCY_IDS = {"samu", "police-secours", "pompiers", "numero-urgence-europeen", "urgence-sms-114"}
# Services with an age limit: never the first contact of an objective, whoever asks.
AGE_LIMITED = {"mission-locale", "fil-sante-jeunes", "pass-sport"}


def contact(knowledge: Knowledge, cid: str) -> Contact:
    c = knowledge.contact(cid)
    assert c is not None and c.shown, cid
    return c


# -- corrected facts ---------------------------------------------------------------------------
def test_pass_sport_is_70_euros_for_14_to_17_year_olds(knowledge: Knowledge) -> None:
    c = contact(knowledge, "pass-sport")
    assert "70 €" in c.purpose and "14-17 ans" in c.purpose
    assert "allocation de rentrée scolaire" in c.purpose
    assert "50 €" not in c.purpose and "6-17" not in c.purpose
    assert c.website == "https://www.pass.sports.gouv.fr"
    assert "14 à 17 ans" in c.name  # the age limit shows before anything else


def test_114_is_written_to_never_called(knowledge: Knowledge) -> None:
    c = contact(knowledge, "urgence-sms-114")
    assert c.phone == "SMS au 114"
    assert "ne prend pas les appels" in c.purpose
    assert c.hours == "24h/24, 7j/7, gratuit"


def test_gas_has_its_own_advice_and_numbers(knowledge: Knowledge, matcher: Matcher) -> None:
    gas = next(s for s in knowledge.situations if s.id == "fuite-de-gaz")
    fire = next(s for s in knowledge.situations if s.id == "incendie")
    assert "odeur de gaz" in gas.triggers and "fuite de gaz" in gas.triggers
    assert not any("gaz" in t for t in fire.triggers if "explos" not in t)
    for advice in (
        "Ouvrez grand les fenêtres",
        "aucun interrupteur",
        "N'appelez pas de l'intérieur",
    ):
        assert advice in gas.message
    assert "Sortez" in gas.message and "0 800 47 33 33" in gas.message
    assert "fermez la porte" not in gas.message.lower()
    assert gas.contact_ids[:2] == ("urgence-gaz-grdf", "pompiers")
    assert contact(knowledge, "urgence-gaz-grdf").phone == "0 800 47 33 33"
    result = matcher.match("ça sent le gaz dans l'escalier")
    assert [s.id for s in result.emergencies] == ["fuite-de-gaz"]
    # The fire advice still says to close the door behind you, and to stay in if the fire is
    # elsewhere: it is no longer shown for gas.
    assert "fermez la porte derrière vous" in fire.message
    assert [s.id for s in matcher.match("il y a le feu dans l'immeuble").emergencies] == [
        "incendie"
    ]


def test_sexual_violence_has_its_own_situation(knowledge: Knowledge, matcher: Matcher) -> None:
    situation = next(s for s in knowledge.situations if s.id == "violences-sexuelles")
    assert situation.contact_ids[:3] == (
        "police-secours",
        "violences-femmes-info",
        "france-victimes",
    )
    others = [s for s in knowledge.situations if s.id != "violences-sexuelles"]
    assert not any(t in s.triggers for s in others for t in ("violée", "viol conjugal"))
    for text in ("il m'a violée", "j'ai été violée hier soir", "mon oncle touche ma fille"):
        assert "violences-sexuelles" in [s.id for s in matcher.match(text).emergencies], text


def test_every_national_contact_has_an_official_source_and_a_recent_date() -> None:
    path = ROOT / "knowledge" / "contacts" / "nationaux.yaml"
    blocks = path.read_text(encoding="utf-8").split("\n  - id: ")[1:]
    assert len(blocks) >= 30
    for block in blocks:
        cid = block.split("\n")[0]
        source = next(line for line in block.split("\n") if line.startswith("    source:"))
        assert "https://" in source, cid
        for unofficial in ("lamutuellegenerale", "madinin-art", "goodassur", "imazpress"):
            assert unofficial not in source, cid
        for unofficial in ("lepointdujour", "pessac.fr", "e-sante.fr", "verslehaut"):
            assert unofficial not in source, cid
        checked = next(line for line in block.split("\n") if "verifie_le:" in line)
        when = date.fromisoformat(checked.split('"')[1])
        assert (date(2026, 12, 1) - when).days <= 365, cid


# -- /urgence and the fallback -------------------------------------------------------------------
def test_urgence_lists_the_emergency_numbers_first_then_listening_lines(
    knowledge: Knowledge,
) -> None:
    block = all_emergencies(knowledge)
    phones = [c.phone for c in block.contacts]
    assert phones[:5] == ["15", "17", "18", "112", "SMS au 114"]
    listening = phones.index("3919")
    assert phones.index("3114") > listening and phones.index("3018") > listening
    # Every number says when it answers: the heading no longer says « tous 24h/24 ».
    assert all(c.hours for c in block.contacts if c.phone)
    assert "24h/24" not in block.title
    assert next(c for c in block.contacts if c.phone == "3018").hours.startswith(
        "Tous les jours de 9h à 23h"
    )


def test_general_fallback_is_honest(knowledge: Knowledge) -> None:
    names = [c.name for c in general_contacts(knowledge)]
    assert "Accueil de votre mairie" in names
    assert "Allô Service Public" not in names
    mairie = contact(knowledge, "accueil-mairie")
    assert mairie.purpose.startswith("Pas encore de contact local ici : demandez à l'accueil")


# -- contacts that fit -----------------------------------------------------------------------------
SITUATIONS = [
    # question, objective, first contacts shown, contacts that must not be shown
    (
        "il y a du bruit dans le hall tous les soirs",
        "6.3",
        ["Accueil de votre mairie", "3039 – point-justice"],
        set(),
    ),
    (
        "je suis à bout avec mes enfants",
        "5.1.4",
        ["SOS Amitié", "Mon soutien psy"],
        {"CAF (allocations familiales)"},
    ),
    (
        "mon fils de 13 ans ne va plus au collège",
        "5.1.2",
        ["Accueil de votre mairie"],
        set(),
    ),
    (
        "je veux porter plainte",
        "6.2",
        ["Ma Sécurité – police et gendarmerie en ligne", "116 006 – aide aux victimes"],
        set(),
    ),
    (
        "je suis stressée",
        "3.4",
        ["Mon soutien psy", "SOS Amitié"],
        set(),
    ),
    (
        "des encombrants dans la rue",
        "4.1",
        ["Accueil de votre mairie"],
        {"France Services", "Allô Service Public"},
    ),
    (
        "les bancs du square sont cassés",
        "4.2",
        ["Accueil de votre mairie"],
        {"France Services", "Allô Service Public"},
    ),
]


@pytest.mark.parametrize(("question", "objective", "first", "never"), SITUATIONS)
def test_issue_situations_get_contacts_that_fit(
    knowledge: Knowledge,
    matcher: Matcher,
    question: str,
    objective: str,
    first: list[str],
    never: set[str],
) -> None:
    result = matcher.match(question)
    assert not result.emergency
    reply = compose(knowledge, result)
    assert reply.card is not None and reply.card.objective_id == objective
    names = [c.name for c in reply.card.contacts]
    assert names[: len(first)] == first
    assert not never & set(names)
    emergency_names = {contact(knowledge, cid).name for cid in EMERGENCY_IDS}
    assert set(names) - emergency_names, "an emergency number is not an answer here"


def test_stress_does_not_open_on_the_suicide_line(knowledge: Knowledge) -> None:
    o = knowledge.objective("3.4")
    assert o is not None
    ids = [c.id for c in knowledge.contacts_for(o)]
    assert ids[-1] == "prevention-suicide"


def test_school_dropout_puts_the_16_25_service_last(knowledge: Knowledge) -> None:
    o = knowledge.objective("5.1.2")
    assert o is not None
    ids = [c.id for c in knowledge.contacts_for(o)]
    assert ids[-1] == "mission-locale"
    assert "16-25 ans" in contact(knowledge, "mission-locale").name


def test_radicalisation_line_only_for_radicalisation(knowledge: Knowledge) -> None:
    users = [o.id for o in knowledge.objectives if "cnapr-radicalisation" in o.contact_ids]
    assert users == ["6.4"]
    o = knowledge.objective("6.4")
    assert o is not None
    assert [c.id for c in knowledge.contacts_for(o)][-1] == "cnapr-radicalisation"
    assert contact(knowledge, "cnapr-radicalisation").purpose.startswith("Seulement si")


def test_violence_against_women_gets_no_discrimination_or_shelter_line(
    knowledge: Knowledge,
) -> None:
    o = knowledge.objective("T1.1")
    assert o is not None
    ids = [c.id for c in knowledge.contacts_for(o)]
    assert ids[0] == "violences-femmes-info"
    assert "defenseur-droits-discriminations" not in ids and "samu-social" not in ids


def test_every_objective_opens_on_a_fitting_contact(knowledge: Knowledge) -> None:
    for o in knowledge.objectives:
        shown = knowledge.contacts_for(o)
        assert shown, o.id
        assert shown[0].id not in AGE_LIMITED | EMERGENCY_IDS, o.id
        assert {c.id for c in shown} - EMERGENCY_IDS, o.id
