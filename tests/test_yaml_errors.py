"""YAML mistakes explained in French by kind, at the line where they start; « vouliez-vous
dire » for ids; French phone formats. Each mistake kind has a fixture in
tests/data/erreurs-yaml/ (its first line says where the mistake is)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge.hints import did_you_mean, guess, phone_problem
from bot.knowledge.loader import check_knowledge
from bot.knowledge.yamlerrors import diagnose, hash_warnings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "erreurs-yaml"
KNOWLEDGE = ROOT / "knowledge"

# fixture -> (line where the mistake starts, words of the French message)
KINDS = {
    "indentation.yaml": (
        5,
        "indentation différente de la ligne du dessus (5 espaces au lieu de 4)",
    ),
    "indentation-liste.yaml": (6, "indentation différente de la ligne du dessus"),
    "tabulation.yaml": (4, "tabulation dans l'indentation"),
    "espace-deux-points.yaml": (4, "il manque une espace après les deux-points « : »"),
    "espace-tiret.yaml": (6, "il manque une espace après le tiret « - »"),
    "deux-points-texte.yaml": (4, "ce texte contient « : »"),
    "diese-texte.yaml": (4, "« # » dans un texte commence un commentaire"),
    "guillemet.yaml": (4, "guillemet ouvert mais jamais fermé"),
    "crochet-derniere-ligne.yaml": (4, "« [ » ouvert mais jamais fermé"),
}


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.yaml")) == sorted(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_mistake_kind_is_named_in_french_at_its_line(name: str) -> None:
    line, words = KINDS[name]
    found = diagnose((FIXTURES / name).read_text(encoding="utf-8"))
    assert found is not None
    assert found.line == line
    assert words in found.message
    # French only: none of PyYAML's English causes reach staff.
    for english in ("expected", "found", "while", "mapping values", "could not"):
        assert english not in found.message and english not in found.fix


@pytest.mark.parametrize("name", sorted(KINDS))
def test_check_reports_the_fixture_with_file_line_and_fix(tmp_path: Path, name: str) -> None:
    kdir = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    shutil.copy(FIXTURES / name, kdir / "objectifs" / "9-essai.yaml")
    _knowledge, report = check_knowledge(kdir)
    line, words = KINDS[name]
    errors = [str(p) for p in report.errors]
    assert errors == [errors[0]], errors
    assert errors[0].startswith(f"knowledge/objectifs/9-essai.yaml:{line}: erreur de syntaxe YAML")
    assert words in errors[0] and " — " in errors[0]


def test_unclosed_bracket_on_the_last_line_is_not_reported_past_the_end() -> None:
    text = 'objectifs:\n  - id: "2.1"\n    contacts: [a, b'  # no final newline either
    found = diagnose(text)
    assert found is not None and found.line == 3
    found = diagnose(text + "\n\n\n")
    assert found is not None and found.line == 3


def test_valid_yaml_has_no_diagnosis() -> None:
    assert diagnose('a: "b: c # d"\nliste: ["x #1", y]\n') is None


def test_hash_in_a_plain_text_is_a_warning() -> None:
    text = (
        "contacts:\n"
        "  - nom: Salle #2\n"  # dropped as a comment: warned
        '    pour: "Atelier #3"\n'  # quoted: fine
        "    horaires: |-\n"
        "      Salle #4\n"  # inside a block text: fine
        "    site: x # une vraie note\n"  # a real comment: fine
    )
    assert [w.line for w in hash_warnings(text)] == [2]


def test_shipped_knowledge_has_no_hash_warning() -> None:
    for path in KNOWLEDGE.rglob("*.yaml"):
        assert hash_warnings(path.read_text(encoding="utf-8")) == [], path


def test_did_you_mean_for_ids() -> None:
    assert guess("france-travai", ["france-travail", "mission-locale"]) == "france-travail"
    assert guess("5.14", ["5.1.4", "2.1"]) == "5.1.4"
    assert guess("zzz", ["france-travail"]) is None
    assert did_you_mean("plei", ["plie", "caf"]) == "vouliez-vous dire « plie » ?"
    assert did_you_mean("zzz", ["plie", "caf"]).startswith("identifiants possibles : plie")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_suggests_contact_objective_and_situation_ids(tmp_path: Path) -> None:
    kdir = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    emploi = kdir / "objectifs" / "2-emploi.yaml"
    _edit(emploi, ", france-travail,", ", france-travial,")
    _edit(emploi, 'id: "2.4"', 'id: "2.4.0"')
    danger = next((kdir / "danger").glob("exemples-*.yaml"))
    text = danger.read_text(encoding="utf-8")
    situation = next(line for line in text.splitlines() if line.startswith("  ") and ":" in line)
    sid = situation.strip().rstrip(":")
    _edit(danger, f"  {sid}:", f"  {sid[:-1]}:")
    _knowledge, report = check_knowledge(kdir)
    errors = "\n".join(str(p) for p in report.errors)
    assert "contact « france-travial » inconnu — vouliez-vous dire « france-travail » ?" in errors
    assert "objectif « 2.4.0 » inconnu du contrat — vouliez-vous dire « 2.4 » ?" in errors
    assert f"situation inconnue « {sid[:-1]} » — vouliez-vous dire « {sid} » ?" in errors


@pytest.mark.parametrize(
    "phone",
    [
        "01 23 45 67 89",
        "0123456789",
        "01.23.45.67.89",
        "0 800 23 13 13",
        "3919",
        "115",
        "15",
        "116 006",
        "+33 1 23 45 67 89",
        "+33 (0)1 23 45 67 89",
        "",
        "À COMPLÉTER",
    ],
)
def test_french_phone_formats_pass(phone: str) -> None:
    assert phone_problem(phone) is None


@pytest.mark.parametrize(
    "phone",
    [
        "01 23 45 67 8",
        "1234567890",
        "+33 01 23 45 67 89",
        "+33 1 23 45",
        "12345",
        "01 23 45 67 89 ou 06",
        "9999",
    ],
)
def test_other_phone_numbers_are_warned(phone: str) -> None:
    assert phone_problem(phone) is not None


def test_check_warns_on_a_nine_digit_phone(tmp_path: Path) -> None:
    kdir = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    _edit(
        kdir / "contacts" / "nationaux.yaml",
        'telephone: "09 69 39 00 00"',
        'telephone: "09 69 39 00 0"',
    )
    _knowledge, report = check_knowledge(kdir)
    assert report.ok
    warned = [str(p) for p in report.warnings if "09 69 39 00 0" in p.message]
    assert warned and "10 chiffres" in warned[0]
