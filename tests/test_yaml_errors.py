"""YAML mistakes explained in French by kind, at the line where they start; « vouliez-vous
dire » for ids; French phone formats. Each mistake kind has a fixture in
tests/data/erreurs-yaml/ (its first line says where the mistake is)."""

from __future__ import annotations

import re
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
    # The first line of a list (or of a text) sets the indentation of the lines after it:
    # PyYAML notices on the next line, the line named is the one that differs from the others.
    "indentation-premier-element.yaml": (
        6,
        "indentation différente des lignes voisines (5 espaces au lieu de 6)",
    ),
    "indentation-bloc.yaml": (6, "les lignes 6 à 8 en ont 5"),
    "indentation-tiret.yaml": (4, "le champ après le tiret commence à 5 espaces"),
    "indentation-texte.yaml": (7, "moins indentée que sa première ligne (4 espaces au lieu de 6)"),
    "indentation-cle-gauche.yaml": (5, "(2 espaces au lieu de 4)"),
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


def _first_list_item(text: str, key: str) -> int:
    """0-based index of the first item under the first « key: » of ``text``."""
    lines = text.splitlines()
    opener = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    return next(i for i in range(opener + 1, len(lines)) if lines[i].strip().startswith("- "))


def test_first_item_one_space_left_is_named_with_the_indentation_of_its_neighbours(
    tmp_path: Path,
) -> None:
    # The reviewer's case: the first example of an objective moved one space left. PyYAML
    # notices on the next line; naming that line, with the moved line as the model, made the
    # file worse when followed.
    kdir = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    path = kdir / "objectifs" / "4-cadre-de-vie.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = _first_list_item("\n".join(lines), "exemples")
    width = len(lines[first]) - len(lines[first].lstrip())
    assert width == len(lines[first + 1]) - len(lines[first + 1].lstrip())
    moved = list(lines)
    moved[first] = lines[first][1:]
    path.write_text("\n".join(moved) + "\n", encoding="utf-8")
    _knowledge, report = check_knowledge(kdir)
    errors = [str(p) for p in report.errors]
    assert errors == [
        f"knowledge/objectifs/4-cadre-de-vie.yaml:{first + 1}: erreur de syntaxe YAML : "
        f"indentation différente des lignes voisines ({width - 1} espaces au lieu de {width}) — "
        f"alignez le début de la ligne sur celui de la ligne {first + 2} ({width} espaces), "
        "avec des espaces seulement"
    ]
    # Following the advice gives the file back.
    found = diagnose("\n".join(moved) + "\n")
    assert found is not None
    moved[found.line - 1] = " " * width + moved[found.line - 1].lstrip()
    assert diagnose("\n".join(moved) + "\n") is None


# A fiche with the shapes of the knowledge files: fields, « - id: » items, lists of texts,
# lists in brackets over two lines, « |- » texts, nested keys.
_SAMPLE = """\
objectifs:
  - id: "9.1"
    texte: "Un objectif"
    explication: |-
      Première ligne.
      Deuxième ligne.
    vocabulaire:
      - mot
      - autre mot
    exemples:
      - "premier exemple"
      - "deuxième exemple"
      - "troisième exemple"
    contacts: [mairie, centre-social,
               caf]
  - id: "9.2"
    texte: "Un autre objectif"
    exemples:
      - "un exemple"
      - "encore un"
    contacts: [mairie]
bavardage:
  salutation:
    mots: [bonjour, salut]
    reponse: "Bonjour !"
  merci:
    mots: [merci]
    reponse: "Avec plaisir."
"""


def _slips() -> list[tuple[int, int]]:
    lines = _SAMPLE.splitlines()
    return [
        (i, shift)
        for i, line in enumerate(lines)
        if line.startswith(" ") and not line.strip().startswith("caf")
        for shift in (-2, -1, 1, 2)
    ]


@pytest.mark.parametrize(("index", "shift"), _slips())
def test_a_line_moved_by_one_or_two_spaces_is_named_with_its_right_indentation(
    index: int, shift: int
) -> None:
    lines = _SAMPLE.splitlines()
    width = len(lines[index]) - len(lines[index].lstrip())
    lines[index] = " " * (width + shift) + lines[index].lstrip()
    found = diagnose("\n".join(lines) + "\n")
    if found is None:
        return  # still valid YAML (a text that goes on, a deeper first line)
    assert found.line == index + 1, found
    # The advice puts the line back where it was: « (4 espaces) » or « de 2 espaces vers la
    # droite » (the dash of « - id: » moves with its field).
    moves = re.search(r"de (\d+) espaces? vers la (droite|gauche)", found.fix)
    if moves:
        assert int(moves.group(1)) * (1 if moves.group(2) == "droite" else -1) == -shift
    else:
        assert re.findall(r"\((?:[^()]*: )?(\d+) espaces?\)", found.fix)[-1] == str(width)


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


def test_did_you_mean_reads_look_alike_characters_alike() -> None:
    # Short ids: one wrong character out of three scores as low as a different id (67), so
    # « 4.l » (letter l) got no suggestion. Look-alikes are compared as the same character.
    objectives = ["4.1", "4.2", "4.3", "4.4", "T1.1", "T1.2", "5.1.4"]
    assert guess("4.l", objectives) == "4.1"
    assert guess("4.I", objectives) == "4.1"
    assert guess("4,1", objectives) == "4.1"
    assert guess("t1.l", objectives) == "T1.1"
    assert guess("5.l.4", objectives) == "5.1.4"
    assert did_you_mean("4.l", objectives) == "vouliez-vous dire « 4.1 » ?"
    # A different id stays without a guess: « 4.5 » is as close to 4.1 as to 4.4.
    assert guess("4.5", objectives) is None


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


def test_check_suggests_an_objective_id_typed_with_a_letter_for_a_digit(tmp_path: Path) -> None:
    kdir = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    cadre = kdir / "objectifs" / "4-cadre-de-vie.yaml"
    _edit(cadre, 'id: "4.1"', 'id: "4.l"')
    line = cadre.read_text(encoding="utf-8").splitlines().index('  - id: "4.l"') + 1
    local = kdir / "contacts" / "locaux.yaml"
    _edit(local, 'sert: ["', 'sert: ["4.l", "')
    _knowledge, report = check_knowledge(kdir)
    errors = "\n".join(str(p) for p in report.errors)
    assert (
        f"knowledge/objectifs/4-cadre-de-vie.yaml:{line}: objectif « 4.l » inconnu du contrat "
        "— vouliez-vous dire « 4.1 » ?"
    ) in errors
    assert "« 4.l » n'est ni une thématique, ni une orientation, ni un objectif — " in errors
    assert errors.count("vouliez-vous dire « 4.1 » ?") == 2


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


def test_check_rejects_a_nine_digit_phone(tmp_path: Path) -> None:
    # An error since residents would dial it (the bot keeps its last good knowledge).
    kdir = shutil.copytree(KNOWLEDGE, tmp_path / "knowledge")
    _edit(
        kdir / "contacts" / "nationaux.yaml",
        'telephone: "09 69 39 00 00"',
        'telephone: "09 69 39 00 0"',
    )
    _knowledge, report = check_knowledge(kdir)
    errors = [str(p) for p in report.errors if "09 69 39 00 0" in p.message]
    assert len(report.errors) == 1 and errors and "10 chiffres" in errors[0]
