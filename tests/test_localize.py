"""``python -m bot localize``: the generated contacts/officiels.yaml, its check, the staff's
override and « masquer », and what residents then read. Always into a copy of the knowledge:
the shipped knowledge names no city."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answer import objective_reply
from bot.assistant import Assistant, Request, welcome_reply
from bot.cli import main
from bot.knowledge.loader import OFFICIAL_FILE, check_knowledge
from bot.knowledge.models import Knowledge
from bot.render.text import render_text as reply_text
from bot.store import KnowledgeStore

ROOT = Path(__file__).resolve().parent.parent
CAF = "j'ai besoin d'aide pour mes papiers de la CAF"
SOURCE_LINE = "Source : ANCT – Liste des structures France Services, data.gouv.fr (01/08/2024)"


def localize(knowledge_dir: Path, commune: str) -> int:
    return main(["localize", "--commune", commune, "--knowledge", str(knowledge_dir)])


def loaded(knowledge_dir: Path) -> Knowledge:
    knowledge, report = check_knowledge(knowledge_dir)
    assert knowledge is not None, report.errors
    return knowledge


def card_text(knowledge: Knowledge, objective_id: str) -> str:
    reply = objective_reply(knowledge, objective_id)
    assert reply is not None
    return reply_text(reply)


def test_shipped_knowledge_names_no_city() -> None:
    assert not (ROOT / "knowledge" / OFFICIAL_FILE).exists()


def test_localize_writes_a_generated_file_that_checks(
    knowledge_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = check_knowledge(knowledge_dir)[1]
    assert localize(knowledge_dir, "93066") == 0
    out = capsys.readouterr().out
    assert "Saint-Denis" in out and "officiels.yaml" in out
    text = (knowledge_dir / OFFICIAL_FILE).read_text(encoding="utf-8")
    header = text.split("commune:")[0]
    assert "FICHIER GÉNÉRÉ" in header and "Licence Ouverte" in header
    assert "ANCT – Liste des structures France Services" in header and "01/08/2024" in header
    assert "python -m bot localize --commune 93066" in header
    knowledge, report = check_knowledge(knowledge_dir)
    assert knowledge is not None and report.ok
    # The France Services slot is no longer an empty slot, and the objectives that ask for it
    # now have a local contact.
    slot = [w.message for w in report.warnings if "france-services-local" in w.message]
    assert slot == [] and len(report.warnings) < len(before.warnings)
    assert not [w for w in report.warnings if "1.2.2 : aucun contact local" in w.message]
    assert knowledge.locality is not None and knowledge.locality.name == "Saint-Denis"


def test_a_generated_contact_is_shown_with_its_source(knowledge_dir: Path) -> None:
    localize(knowledge_dir, "93066")
    knowledge = loaded(knowledge_dir)
    card = card_text(knowledge, "1.2.2")
    assert "France services La Poste de Saint-Denis : 01 58 34 34 27" in card
    assert "1 Square de l'Ile de France, Centre commercial, 93200 Saint-Denis" in card
    assert SOURCE_LINE in card
    # Local official entries come first; the mairie's « pas encore de contact local ici »
    # would contradict them and is left out.
    assert card.index("La Poste de Saint-Denis") < card.index("• France Services\n")
    assert "Accueil de votre mairie" not in card


def test_without_a_commune_the_national_service_stands_in(knowledge_dir: Path) -> None:
    card = card_text(loaded(knowledge_dir), "1.2.2")
    assert "France Services" in card and "france-services.gouv.fr" in card
    assert "Source :" not in card


def test_name_and_postal_code_agree(knowledge_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "autre"
    other.mkdir()
    (other / "contacts").mkdir()
    assert localize(knowledge_dir, "Lille") == 0
    by_name = (knowledge_dir / OFFICIAL_FILE).read_text(encoding="utf-8")
    assert localize(knowledge_dir, "59000") == 0
    assert (knowledge_dir / OFFICIAL_FILE).read_text(encoding="utf-8") == by_name
    assert "59350" in by_name and "France services La Poste de Lille - Bois Blancs" in by_name


def test_ambiguous_and_unknown_communes_write_nothing(
    knowledge_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert localize(knowledge_dir, "Saint-Denis") == 2
    err = capsys.readouterr().err
    assert "plusieurs communes" in err and "93066" in err and "97411" in err
    assert localize(knowledge_dir, "Lile") == 2
    err = capsys.readouterr().err
    assert "Commune inconnue : « Lile »" in err and "Vouliez-vous dire : Lille" in err
    assert not (knowledge_dir / OFFICIAL_FILE).exists()


def test_a_commune_without_france_services_gets_the_nearest(knowledge_dir: Path) -> None:
    assert localize(knowledge_dir, "01031") == 0  # Bellignat
    knowledge = loaded(knowledge_dir)
    official = [c for c in knowledge.contacts if c.service == "france-services"]
    assert len(official) == 3
    assert all(c.purpose.startswith("La plus proche de Bellignat") for c in official)


def _append_local(knowledge_dir: Path, entry: str) -> None:
    path = knowledge_dir / "contacts" / "locaux.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n" + entry, encoding="utf-8")


def test_staff_override_a_generated_entry_by_id(knowledge_dir: Path) -> None:
    localize(knowledge_dir, "93066")
    _append_local(
        knowledge_dir,
        '  - id: france-services-668\n    telephone: "01 02 03 04 05"\n'
        '    horaires: "Sur rendez-vous"\n',
    )
    knowledge = loaded(knowledge_dir)
    c = knowledge.contact("france-services-668")
    assert c is not None and c.phone == "01 02 03 04 05" and c.hours == "Sur rendez-vous"
    assert c.name == "France services La Poste de Saint-Denis" and c.shown
    assert "01 02 03 04 05" in card_text(knowledge, "1.2.2")


def test_masquer_hides_a_generated_entry(knowledge_dir: Path) -> None:
    localize(knowledge_dir, "93066")
    _append_local(knowledge_dir, "  - id: france-services-2852\n    masquer: true\n")
    knowledge, report = check_knowledge(knowledge_dir)
    assert knowledge is not None and report.ok
    assert knowledge.contact("france-services-2852") is None
    assert "Pimms" not in card_text(knowledge, "1.2.2")
    # Re-run localize: the staff's choice stays (it lives in locaux.yaml).
    localize(knowledge_dir, "93066")
    assert loaded(knowledge_dir).contact("france-services-2852") is None


def test_masquer_on_an_unknown_id_is_reported(knowledge_dir: Path) -> None:
    _append_local(knowledge_dir, "  - id: france-services-1\n    masquer: true\n")
    knowledge, report = check_knowledge(knowledge_dir)
    assert knowledge is not None
    assert any("masquer" in w.message and "france-services-1" in w.message for w in report.warnings)


def test_check_validates_the_generated_file(knowledge_dir: Path) -> None:
    localize(knowledge_dir, "93066")
    path = knowledge_dir / OFFICIAL_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("service: france-services", "service: pole-emploi", 1).replace(
            'date: "2024-08-01"', 'date: "hier"', 1
        ),
        encoding="utf-8",
    )
    knowledge, report = check_knowledge(knowledge_dir)
    assert knowledge is None
    messages = " ".join(e.message for e in report.errors)
    assert "service « pole-emploi » inconnu" in messages
    path.write_text(text.replace("officiels:", "officiel:"), encoding="utf-8")
    _knowledge, report = check_knowledge(knowledge_dir)
    assert any("officiels" in e.message for e in report.errors)
    assert all(e.file.endswith(OFFICIAL_FILE) for e in report.errors)


def test_welcome_names_the_neighbourhoods(knowledge_dir: Path) -> None:
    assert "Floréal" not in welcome_reply(loaded(knowledge_dir)).intro
    localize(knowledge_dir, "93066")
    welcome = welcome_reply(loaded(knowledge_dir)).intro
    assert "Quartiers prioritaires de Saint-Denis" in welcome
    assert "Floréal Saussaie Allende" in welcome


def test_the_assistant_answers_with_the_commune(knowledge_dir: Path) -> None:
    localize(knowledge_dir, "93066")
    assistant = Assistant(KnowledgeStore(knowledge_dir))
    outcome = assistant.respond(Request("text", CAF, channel="terminal"))
    assert outcome.reply is not None
    text = reply_text(outcome.reply)
    assert "Saint-Denis" in text and SOURCE_LINE in text


def test_from_the_command_line_as_staff_do(knowledge_dir: Path) -> None:
    """The README's steps, in separate processes, with the knowledge folder of the settings."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(knowledge_dir)}

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=knowledge_dir.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    run("localize", "--commune", "93066")
    answer = run("ask", CAF)
    assert "France services La Poste de Saint-Denis : 01 58 34 34 27" in answer
    assert "93200 Saint-Denis" in answer and SOURCE_LINE in answer
    assert "0 erreur(s)" in run("check", str(knowledge_dir))
