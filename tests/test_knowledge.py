"""The shipped knowledge passes the check; each kind of broken file fails with the expected
message, file and line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.knowledge.contract import canonical, load_contract
from bot.knowledge.ids import is_link_safe, parse_slug, slug
from bot.knowledge.loader import check_knowledge, load_knowledge
from bot.knowledge.problems import KnowledgeError

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
EMPLOI = "objectifs/2-emploi.yaml"


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def edit(kdir: Path, rel: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` by ``new`` in one file; return the 1-based line of the first change."""
    path = kdir / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def errors_of(kdir: Path) -> list[str]:
    knowledge, report = check_knowledge(kdir)
    assert knowledge is None
    return [str(p) for p in report.errors]


def test_shipped_knowledge_has_no_error() -> None:
    knowledge, report = check_knowledge(KNOWLEDGE)
    assert report.errors == []
    assert knowledge is not None
    assert len(knowledge.objectives) == 40
    assert len(knowledge.themes) == 8
    assert len(knowledge.orientations) == 5


def test_objective_texts_equal_the_contract() -> None:
    knowledge = load_knowledge(KNOWLEDGE)
    contract = load_contract()
    assert [o.id for o in knowledge.objectives] == list(contract.objectives)
    for o in knowledge.objectives:
        assert canonical(o.text) == contract.objectives[o.id]


def test_every_objective_is_complete() -> None:
    knowledge = load_knowledge(KNOWLEDGE)
    for o in knowledge.objectives:
        assert len(o.examples) >= 8, o.id
        assert len(o.vocabulary) >= 10, o.id
        assert o.explanation and o.contact_ids, o.id


def test_contract_parser_finds_the_whole_contract() -> None:
    contract = load_contract()
    assert len(contract.objectives) == 40
    assert list(contract.themes) == ["1", "2", "3", "4", "5", "6", "T1", "T2"]
    assert list(contract.orientations) == ["1.1", "1.2", "1.3", "5.1", "5.2"]
    # Wrapped over two lines in the contract's text.
    assert contract.objectives["1.2.1"].endswith("vie sociale de leur quartier")


@pytest.mark.parametrize(
    "rel", sorted(str(p.relative_to(KNOWLEDGE)) for p in KNOWLEDGE.rglob("*.yaml"))
)
def test_syntax_error_appended_to_any_file_names_file_and_line(kdir: Path, rel: str) -> None:
    path = kdir / rel
    lines_before = path.read_text(encoding="utf-8").count("\n")
    with path.open("a", encoding="utf-8") as f:
        f.write("\n  cassé: : [\n")
    errors = errors_of(kdir)
    assert len(errors) == 1
    where, _, message = errors[0].partition(": ")
    file, line = where.rsplit(":", 1)
    assert file == f"knowledge/{rel}"
    assert int(line) > lines_before
    assert "syntaxe YAML" in message and " — " in message


def test_cli_check_passes_on_shipped_knowledge() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(KNOWLEDGE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stdout
    assert "0 erreur(s)" in run.stdout


def test_cli_check_fails_with_errors_first(kdir: Path) -> None:
    edit(kdir, EMPLOI, 'id: "2.3"', 'id: "2.2"')
    run = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(kdir)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 1
    assert run.stdout.index("Erreurs") < run.stdout.index("Avertissements")
    assert "en double" in run.stdout


Mutation = Callable[[Path], int]

BROKEN: dict[str, tuple[str, str, str, str]] = {
    # name: (file, old, new, expected words in the message)
    "missing_field": (
        EMPLOI,
        "    explication: |-\n      Vous cherchez un travail ?",
        "    autre: |-\n      Vous cherchez un travail ?",
        "le champ « explication » manque",
    ),
    "unknown_field_with_hint": (
        EMPLOI,
        "    vocabulaire:\n      - femme au foyer",
        "    vocabulair:\n      - femme au foyer",
        "vouliez-vous dire « vocabulaire »",
    ),
    "wrong_type": (
        EMPLOI,
        "    contacts: [agence-france-travail",
        '    contacts: "agence-france-travail"\n    autre_contacts: [agence-france-travail',
        "« contacts » doit être une liste",
    ),
    "duplicate_id": (EMPLOI, 'id: "2.3"', 'id: "2.2"', "objectif « 2.2 » en double"),
    "unknown_objective_id": (EMPLOI, 'id: "2.3"', 'id: "2.9"', "objectif « 2.9 » inconnu"),
    "wording_changed": (
        EMPLOI,
        "Créer des accompagnements personnalisés",
        "Créer des accompagnements",
        "ne correspond plus au contrat",
    ),
    "theme_title_changed": (
        "thematiques.yaml",
        'titre: "FAMILLES"',
        'titre: "FAMILLE"',
        "ne correspond plus au contrat",
    ),
    "unknown_contact": (
        EMPLOI,
        "contacts: [agence-france-travail",
        "contacts: [pole-emploi",
        "contact « pole-emploi » inconnu",
    ),
    "contact_id_unusable_in_links": (
        "contacts/nationaux.yaml",
        "id: samu\n",
        "id: Samu Social!\n",
        "identifiant de contact",
    ),
    "empty_text": (
        "textes.yaml",
        'vote_merci: "Merci pour votre avis !"',
        'vote_merci: ""',
        "le texte « vote_merci » est vide",
    ),
    "bad_scope": (
        "contacts/locaux.yaml",
        'sert: ["T2.3", "6.2"]',
        'sert: ["T9"]',
        "« T9 » n'est ni une thématique",
    ),
    "bad_boolean": (
        "thematiques.yaml",
        "transversale: false",
        "transversale: peut-être",
        "doit être true ou false",
    ),
    "unknown_situation_contact": (
        "securite.yaml",
        "contacts: [",
        "contacts: [inconnu, ",
        "contact « inconnu » inconnu",
    ),
    "trigger_too_broad": (
        "securite.yaml",
        # Not the first situation's: numeros-urgence may have such triggers (they count
        # only in a message that says nothing else).
        "    declencheurs:\n      # la personne du couple",
        '    declencheurs:\n      - "il me"\n      # la personne du couple',
        "est trop large",
    ),
    "tab_indentation": (
        "textes.yaml",
        '  vote_merci: "Merci',
        '\tvote_merci: "Merci',
        "tabulation dans l'indentation",
    ),
    "duplicated_key": (
        EMPLOI,
        '  - id: "2.3"\n',
        '  - id: "2.3"\n    id: "2.3"\n',
        "apparaît deux fois",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_is_reported_with_file_and_line(kdir: Path, name: str) -> None:
    rel, old, new, expected = BROKEN[name]
    line = edit(kdir, rel, old, new)
    errors = errors_of(kdir)
    matching = [e for e in errors if expected in e]
    assert matching, errors
    where = matching[0].split(": ", 1)[0]
    assert where.startswith(f"knowledge/{rel}:")
    assert abs(int(where.rsplit(":", 1)[1]) - line) <= 3, (matching[0], line)
    assert " — " in matching[0]  # every error says how to fix it


def test_example_under_two_objectives_is_an_error(kdir: Path) -> None:
    knowledge = load_knowledge(kdir)
    example = knowledge.objective("2.2").examples[0]  # type: ignore[union-attr]
    edit(kdir, EMPLOI, "    exemples:\n", f'    exemples:\n      - "{example}"\n', count=1)
    errors = errors_of(kdir)
    assert any("présent sous 2.1 et sous 2.2" in e for e in errors), errors


def test_keyword_under_two_objectives_is_an_error(kdir: Path) -> None:
    edit(
        kdir,
        EMPLOI,
        "    vocabulaire:\n      - femme au foyer",
        "    vocabulaire:\n      - femme au foyer\n      - décrochage scolaire",
    )
    assert any("décrochage scolaire" in e and "sous" in e for e in errors_of(kdir))


def test_missing_objective_is_reported(kdir: Path) -> None:
    path = kdir / "objectifs" / "T2-laicite.yaml"
    path.unlink()
    errors = errors_of(kdir)
    assert sum("l'objectif « T2." in e and "manque" in e for e in errors) == 3


def test_every_problem_is_reported_in_one_pass(kdir: Path) -> None:
    edit(kdir, EMPLOI, 'id: "2.3"', 'id: "2.9"')
    edit(kdir, "textes.yaml", 'vote_merci: "Merci pour votre avis !"', 'vote_merci: ""')
    with (kdir / "lexique.yaml").open("a", encoding="utf-8") as f:
        f.write("\n  : [\n")
    files = {e.split(":", 1)[0] for e in errors_of(kdir)}
    assert {
        "knowledge/objectifs/2-emploi.yaml",
        "knowledge/textes.yaml",
        "knowledge/lexique.yaml",
    } <= files


def test_warnings_do_not_block(kdir: Path) -> None:
    knowledge, report = check_knowledge(kdir)
    assert knowledge is not None
    texts = [str(w) for w in report.warnings]
    assert any("fiche locale" in w and "à remplir" in w for w in texts)
    assert any("aucun contact local" in w for w in texts)


def test_few_examples_is_a_warning(kdir: Path) -> None:
    path = kdir / EMPLOI
    text = path.read_text(encoding="utf-8")
    head, _, tail = text.partition('  - id: "2.4"')
    block_start = tail.index("    exemples:\n")
    block_end = tail.index("    contacts:")
    tail = tail[:block_start] + '    exemples: ["pas de voiture pour bosser"]\n' + tail[block_end:]
    path.write_text(head + '  - id: "2.4"' + tail, encoding="utf-8")
    knowledge, report = check_knowledge(kdir)
    assert knowledge is not None
    assert any("objectif 2.4 : seulement 1 exemple" in str(w) for w in report.warnings)


def test_load_knowledge_raises_with_report(kdir: Path) -> None:
    edit(kdir, EMPLOI, 'id: "2.3"', 'id: "2.9"')
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(kdir)
    assert info.value.report.errors


def test_unverified_or_empty_contacts_never_reach_residents(kdir: Path) -> None:
    edit(
        kdir,
        "contacts/nationaux.yaml",
        'vosdroits/F34421"\n    verifie: true',
        'vosdroits/F34421"\n    verifie: false',
    )
    knowledge = load_knowledge(kdir)
    for o in knowledge.objectives:
        for c in knowledge.contacts_for(o):
            assert c.verified and c.name
            assert c.id != "france-renov"
    assert not any(c.local for o in knowledge.objectives for c in knowledge.contacts_for(o))


def test_filled_local_contact_comes_first(kdir: Path) -> None:
    edit(
        kdir,
        "contacts/locaux.yaml",
        '  - id: plie\n    type: "PLIE (plan local pour l\'insertion et l\'emploi)"\n    nom: ""',
        "  - id: plie\n    type: \"PLIE (plan local pour l'insertion et l'emploi)\"\n"
        '    nom: "PLIE du Val"',
    )
    edit(
        kdir,
        "contacts/locaux.yaml",
        'pour: "Un suivi personnalisé vers l\'emploi."\n    verifie: false',
        'pour: "Un suivi personnalisé vers l\'emploi."\n    verifie: true',
    )
    # A name alone is not enough: a way to reach the structure is needed too.
    knowledge = load_knowledge(kdir)
    assert all(c.name != "PLIE du Val" for c in knowledge.contacts_for(knowledge.objective("2.2")))  # type: ignore[arg-type]
    text = (kdir / "contacts/locaux.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: plie")
    text = text[:start] + text[start:].replace('telephone: ""', 'telephone: "01 00 00 00 00"', 1)
    (kdir / "contacts/locaux.yaml").write_text(text, encoding="utf-8")
    knowledge = load_knowledge(kdir)
    shown = knowledge.contacts_for(knowledge.objective("2.2"))  # type: ignore[arg-type]
    assert shown[0].name == "PLIE du Val"
    assert all(not c.local for c in shown[1:])


def test_ids_are_link_safe_and_round_trip() -> None:
    knowledge = load_knowledge(KNOWLEDGE)
    items = [("th", t.id) for t in knowledge.themes] + [
        ("or", o.id) for o in knowledge.orientations
    ]
    items += [("obj", o.id) for o in knowledge.objectives]
    for kind, item_id in items:
        s = slug(kind, item_id)  # type: ignore[arg-type]
        assert is_link_safe(s) and len(s.encode()) <= 64
        assert parse_slug(s) == (kind, item_id)


@pytest.mark.parametrize(
    "bad", ["", "obj_", "obj_2.2", "xx_1", "th_" + "1" * 60, "obj_2-2 ", "<b>", "obj_2-2\n", "é"]
)
def test_parse_slug_rejects_malformed(bad: str) -> None:
    assert parse_slug(bad) is None


def test_a_number_nobody_can_dial_is_an_error(kdir: Path) -> None:
    """A mistyped number would reach residents: the knowledge is refused (the bot keeps its
    last good one) until it is fixed. « SMS au 114 » is a number written for texting."""
    line = edit(
        kdir, "contacts/nationaux.yaml", 'telephone: "SMS au 114"', 'telephone: "01 23 45 67"'
    )
    errors = errors_of(kdir)
    assert any(f"nationaux.yaml:{line}:" in e and "01 23 45 67" in e for e in errors), errors


def test_a_number_written_for_texting_is_accepted() -> None:
    _knowledge, report = check_knowledge(KNOWLEDGE)
    assert not any("SMS au 114" in str(p) for p in report.errors + report.warnings)


def test_no_local_contact_yet_is_said_only_while_there_is_none(kdir: Path) -> None:
    """The mairie's card says « Pas encore de contact local ici »: once a local contact of the
    objective is filled and checked, it would contradict it, and is left out."""
    objective = "5.2.2"

    def shown_ids() -> list[str]:
        knowledge = load_knowledge(kdir)
        return [c.id for c in knowledge.contacts_for(knowledge.objective(objective))]  # type: ignore[arg-type]

    assert "accueil-mairie" in shown_ids()
    edit(
        kdir,
        "contacts/locaux.yaml",
        '  - id: centre-social\n    type: "Centre social / maison de quartier"\n    nom: ""\n'
        '    adresse: ""\n    telephone: ""',
        '  - id: centre-social\n    type: "Centre social / maison de quartier"\n'
        '    nom: "Centre social des Tilleuls"\n    adresse: ""\n    telephone: "01 00 00 00 00"',
    )
    edit(
        kdir,
        "contacts/locaux.yaml",
        'soutien aux familles près de chez vous."\n    verifie: false',
        'soutien aux familles près de chez vous."\n    verifie: true',
    )
    ids = shown_ids()
    assert ids[0] == "centre-social" and "accueil-mairie" not in ids


def test_every_objective_has_a_short_plain_name_for_its_buttons() -> None:
    """Choice buttons showed the start of the contract's wording, cut (« Renforcer les
    partenariats entre acteurs et avec les… »): each objective has a short name instead."""
    from bot.answer import objective_label
    from bot.knowledge.kinds.objectives import BUTTON_MAX

    knowledge = load_knowledge(KNOWLEDGE)
    for o in knowledge.objectives:
        assert o.button and len(o.button) <= BUTTON_MAX, o.id
        assert objective_label(knowledge, o).endswith(f"{o.id} · {o.button}")


def test_without_a_short_name_the_button_shows_the_contract_wording(kdir: Path) -> None:
    from bot.answer import objective_label

    edit(kdir, EMPLOI, '    bouton: "Les entreprises et l\'emploi, ensemble"\n', "")
    knowledge = load_knowledge(kdir)
    label = objective_label(knowledge, knowledge.objective("2.1"))  # type: ignore[arg-type]
    assert "2.1 · Renforcer les partenariats" in label and label.endswith("…")


def test_a_long_short_name_is_a_warning(kdir: Path) -> None:
    line = edit(kdir, EMPLOI, "Les entreprises et l'emploi, ensemble", "x" * 80)
    _knowledge, report = check_knowledge(kdir)
    assert any(f"2-emploi.yaml:{line}:" in str(w) and "bouton" in str(w) for w in report.warnings)
