"""Readability measures, the warnings ``check`` gives with file and line, and the contacts'
verification dates."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.knowledge import readability as r
from bot.knowledge.loader import check_knowledge

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
TODAY = date(2026, 12, 1)


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


def warnings_of(kdir: Path, today: date = TODAY) -> list[str]:
    knowledge, report = check_knowledge(kdir, today)
    assert knowledge is not None, [str(e) for e in report.errors]
    return [str(w) for w in report.warnings]


def replace_in(kdir: Path, rel: str, old: str, new: str) -> int:
    """Replace ``old`` once; return the 1-based line where it started."""
    path = kdir / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


# -- the measures ------------------------------------------------------------------------------
def test_sentences_end_at_punctuation_and_at_each_line() -> None:
    text = "Vous cherchez un travail ? Le contrat aide.\n• faire un CV ;\n• trouver une formation."
    assert r.sentences(text) == [
        "Vous cherchez un travail ?",
        "Le contrat aide.",
        "faire un CV ;",
        "trouver une formation.",
    ]
    assert r.sentences("Appelez le 3919 (24h/24, 7j/7). C'est gratuit.")[1] == "C'est gratuit."


def test_words_keep_elisions_and_numbers_and_skip_punctuation() -> None:
    assert r.words("L'école — 3919 : aujourd'hui !") == ["L'école", "3919", "aujourd'hui"]


@pytest.mark.parametrize(
    ("word", "count"),
    [("école", 2), ("écoles", 2), ("parlent", 1), ("travail", 2), ("eau", 1), ("logement", 2)],
)
def test_syllables_by_rule(word: str, count: int) -> None:
    assert r.syllables(word) == count


def test_kandel_moles_prefers_short_sentences_and_short_words() -> None:
    easy = "Vous cherchez un travail ? On peut vous aider. Venez nous voir."
    hard = (
        "Le contrat veut que chaque personne qui recherche une activité professionnelle "
        "bénéficie d'un accompagnement personnalisé et individualisé jusqu'à l'insertion durable."
    )
    assert r.kandel_moles(easy) > 80 > r.MIN_SCORE > r.kandel_moles(hard)


def test_review_names_each_problem() -> None:
    long = " ".join(["mot"] * 23) + "."
    found = r.review(long, "objectif 9", needs_you=True, needs_score=True)
    messages = [f.message for f in found]
    assert any("phrase de 23 mots" in m for m in messages)
    assert any("ne s'adresse pas au lecteur" in m for m in messages)
    assert r.review("Vous pouvez venir.", "x", needs_you=True, needs_score=True) == []


def test_line_of_sentence_follows_a_sentence_over_line_breaks() -> None:
    lines = ["a:", "  explication: >-", "    Première phrase. Une phrase", "    longue ici."]
    assert r.line_of_sentence(lines, 2, "Une phrase longue ici.") == 3


# -- the check ---------------------------------------------------------------------------------
def test_shipped_knowledge_has_no_readability_or_date_warning() -> None:
    noisy = ("phrase de", "lecteur", "difficile à lire", "vérification", "vérifié le")
    assert [w for w in warnings_of(KNOWLEDGE) if any(n in w for n in noisy)] == []


def test_shipped_explanations_average_fifteen_words_at_most() -> None:
    knowledge, _ = check_knowledge(KNOWLEDGE, TODAY)
    assert knowledge is not None
    figures = r.figures(o.explanation for o in knowledge.objectives)
    assert figures.texts == 40
    assert figures.average_words <= r.TARGET_AVERAGE
    assert figures.longest <= r.MAX_WORDS and figures.over_limit == 0
    assert figures.lowest_score >= r.MIN_SCORE


def test_long_sentence_is_a_warning_with_its_line(kdir: Path) -> None:
    sentence = "Vous pouvez " + " ".join(["toujours"] * 22) + " venir."
    line = replace_in(kdir, "objectifs/2-emploi.yaml", "Vous cherchez un travail ?", sentence)
    found = [w for w in warnings_of(kdir) if "phrase de 25 mots" in w]
    assert found == [
        f"knowledge/objectifs/2-emploi.yaml:{line}: objectif 2.2 : phrase de 25 mots "
        "(« Vous pouvez toujours toujours toujours toujours… ») — coupez-la en phrases de 22 "
        "mots au plus (15 en moyenne)"
    ]


def test_explanation_without_vous_is_a_warning(kdir: Path) -> None:
    path = kdir / "objectifs/3-sante-sport.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index('  - id: "3.2"')
    end = text.index("    vocabulaire:", start)
    block = text[start:end]
    plain = block.split("explication: |-")[0] + "explication: Le contrat aide à bien manger.\n"
    path.write_text(text[:start] + plain + text[end:], encoding="utf-8")
    assert any(
        "objectif 3.2 : le texte ne s'adresse pas au lecteur" in w for w in warnings_of(kdir)
    )


def test_hard_explanation_is_a_warning(kdir: Path) -> None:
    replace_in(
        kdir,
        "objectifs/4-cadre-de-vie.yaml",
        "Le contrat soutient les projets des habitants et des associations.",
        "Le contrat soutient systématiquement les initiatives associatives environnementales "
        "intercommunautaires.",
    )
    assert any("objectif 4.4 : texte difficile à lire" in w for w in warnings_of(kdir))


def test_bot_text_with_a_long_sentence_is_a_warning(kdir: Path) -> None:
    replace_in(
        kdir,
        "textes.yaml",
        '"Choisissez un sujet :"',
        '"' + " ".join(["Choisissez"] * 23) + '"',
    )
    assert any("texte « menu_thematiques » : phrase de 23 mots" in w for w in warnings_of(kdir))


def test_contact_checked_over_a_year_ago_is_a_warning(kdir: Path) -> None:
    line = replace_in(
        kdir,
        "contacts/nationaux.yaml",
        'verifie_le: "2026-12-01"',
        'verifie_le: "2025-11-30"',
    )
    assert (
        f"knowledge/contacts/nationaux.yaml:{line}: contact « samu » vérifié le 2025-11-30, "
        "il y a plus de 12 mois — revérifiez numéro, horaires et coût sur le site officiel "
        "(champ « source »), puis mettez la date du jour"
    ) in warnings_of(kdir)
    # A year to the day is still fresh.
    assert not any("« samu » vérifié" in w for w in warnings_of(kdir, date(2026, 11, 30)))


def test_missing_or_unreadable_verification_date_is_a_warning(kdir: Path) -> None:
    replace_in(kdir, "contacts/nationaux.yaml", '    verifie_le: "2026-12-01"\n', "")
    replace_in(kdir, "contacts/nationaux.yaml", 'verifie_le: "2026-12-01"', 'verifie_le: "hier"')
    found = warnings_of(kdir)
    assert any("contact « samu » : date de vérification manquante" in w for w in found)
    assert any("« police-secours » : date de vérification « hier » illisible" in w for w in found)
