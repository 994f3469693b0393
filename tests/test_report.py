"""Staff report: grouping of unanswered questions, top objectives, votes, renderings."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.knowledge.models import Knowledge, Objective, Theme
from bot.staff.question_log import Entry, QuestionLog
from bot.staff.report import (
    QuestionGroup,
    VoteCount,
    build_report,
    group_similar,
    render_csv,
    render_stats,
    render_text,
)

NOW = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)


def make_knowledge() -> Knowledge:
    themes = (
        Theme("5", "FAMILLES", "Familles", "👨‍👩‍👧", False, "Parents et enfants."),
        Theme("2", "DÉVELOPPEMENT ÉCONOMIQUE ET EMPLOI", "Emploi", "💼", False, "Travail."),
    )
    objectives = (
        Objective(
            "5.1.2", "5", "5.1", "Accompagner les parents dans leur rôle éducatif", "", (), (), ()
        ),
        Objective(
            "2.1.1",
            "2",
            "2.1",
            "Repérer et accompagner les personnes éloignées de "
            "l'emploi vers une formation ou un travail durable dans le quartier",
            "",
            (),
            (),
            (),
        ),
    )
    return Knowledge(themes, (), objectives, (), {}, (), (), {})


_ids = iter(range(1, 10_000))


def entry(
    text: str,
    decision: str = "answer",
    objective: str | None = None,
    score: float = 0.9,
    helpful: bool | None = None,
    days: int = 0,
) -> Entry:
    return Entry(next(_ids), NOW - timedelta(days=days), text, decision, objective, score, helpful)


def sample() -> list[Entry]:
    return [
        entry("comment inscrire mon enfant au centre aere", "unknown", score=0.1, days=3),
        entry("inscrire enfant centre aere", "unknown", score=0.1),
        entry("comment inscrire mon enfant au centre aere", "unknown", score=0.2),
        entry("comment inscrire mon enfant au centre aere cet ete", "suggest", score=0.4),
        entry("ou jeter un vieux frigo", "unknown", score=0.0),
        entry("ou jeter un vieux frigo", "answer", "4.1.1", score=0.3),  # low confidence
        entry("aide aux devoirs", "answer", "5.1.2", 0.9, helpful=True),
        entry("soutien scolaire", "answer", "5.1.2", 0.8, helpful=True),
        entry("accompagnement scolaire", "answer", "5.1.2", 0.8, helpful=False),
        entry("trouver un travail", "answer", "2.1.1", 0.95, helpful=False),
        entry("cv", "answer", "2.1.1", 0.9),
        entry("urgence violence", "emergency", None, 1.0),
    ]


def test_counts_and_decisions() -> None:
    report = build_report(sample())
    assert report.total == 12
    # The danger message has a decision of its own, and is never among the groups.
    assert dict(report.decisions) == {"answer": 6, "suggest": 1, "unknown": 4, "emergency": 1}
    assert report.danger == 1
    assert report.unanswered_total == 6
    assert report.first == NOW - timedelta(days=3)
    assert report.last == NOW


def test_similar_questions_are_grouped_largest_first() -> None:
    report = build_report(sample())
    assert len(report.unanswered) == 2
    centre, frigo = report.unanswered
    assert centre.text == "comment inscrire mon enfant au centre aere"
    assert centre.count == 4
    assert set(centre.examples) == {
        "inscrire enfant centre aere",
        "comment inscrire mon enfant au centre aere cet ete",
    }
    assert frigo == QuestionGroup(
        "ou jeter un vieux frigo", 2, (), "4.1.1", members=("ou jeter un vieux frigo",)
    )


def test_dissimilar_questions_stay_apart_and_examples_are_capped() -> None:
    groups = group_similar(
        [
            "carte vitale perdue",
            "perdu ma carte vitale",
            "carte vitale perdue que faire",
            "j ai perdu ma carte vitale",
            "ma carte vitale est perdue",
            "horaires de la piscine",
        ]
    )
    assert [g.count for g in groups] == [5, 1]
    assert len(groups[0].examples) == 3
    assert groups[1].text == "horaires de la piscine"


def test_low_confidence_threshold_is_a_parameter() -> None:
    entries = [entry("question floue", "answer", "5.1.2", 0.6)]
    assert build_report(entries).unanswered == ()
    assert build_report(entries, low_confidence=0.7).unanswered[0].text == "question floue"


def test_top_objectives_and_votes() -> None:
    report = build_report(sample())
    assert report.top_objectives == (("5.1.2", 3), ("2.1.1", 2), ("4.1.1", 1))
    # Most "non" first (what needs rewording), then most votes.
    assert list(report.votes.items()) == [("5.1.2", VoteCount(2, 1)), ("2.1.1", VoteCount(0, 1))]


def test_report_from_the_real_log() -> None:
    log = QuestionLog(":memory:")
    first = log.record("Aide aux devoirs ?", "answer", "5.1.2", 0.9, now=NOW)
    log.record("comment avoir un logement social", "unknown", None, 0.1, now=NOW)
    log.vote(first, True)
    report = build_report(log.entries())
    assert report.total == 2
    assert report.votes["5.1.2"] == VoteCount(1, 0)
    assert report.unanswered[0].text == "comment avoir un logement social"


def test_render_text_in_french_with_objective_text() -> None:
    text = render_text(build_report(sample()), make_knowledge())
    assert "4 × « comment inscrire mon enfant au centre aere »" in text
    assert "5.1.2 — Accompagner les parents dans leur rôle éducatif : 3" in text
    assert "4.1.1 (objectif inconnu)" in text
    assert "2 oui, 1 non" in text
    assert "pas de réponse trouvée : 4" in text
    assert "…" in text  # the long objective text is shortened
    plain = render_text(build_report(sample()), None)
    assert "5.1.2 : 3" in plain


def test_render_text_empty() -> None:
    text = render_text(build_report([]), None)
    assert "Aucune question" in text


def test_csv_parses() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(build_report(sample())))))
    sections = [r["section"] for r in rows]
    assert sections == ["groupe_sans_reponse"] * 2 + ["objectif"] * 3 + ["vote"] * 2
    assert rows[0]["texte"] == "comment inscrire mon enfant au centre aere"
    assert rows[0]["nombre"] == "4"
    assert "inscrire enfant centre aere" in rows[0]["exemples"]
    assert (rows[2]["id"], rows[2]["nombre"]) == ("5.1.2", "3")
    vote = rows[-2]  # most "non" first, then most votes
    assert (vote["id"], vote["oui"], vote["non"]) == ("5.1.2", "2", "1")


def test_csv_neutralises_formulas() -> None:
    rows = list(
        csv.reader(io.StringIO(render_csv(build_report([entry("=cmd()", "unknown", score=0.0)]))))
    )
    assert rows[1][3] == "'=cmd()"


def test_render_stats_is_short_plain_french() -> None:
    for entries in (sample(), []):
        stats = render_stats(build_report(entries))
        lines = stats.splitlines()
        assert 5 <= len(lines) <= 8
        assert "<" not in stats and ">" not in stats
    stats = render_stats(build_report(sample()))
    assert "Questions reçues : 12" in stats
    assert "Avis : 2 oui, 2 non" in stats


def test_most_asked_counts_only_answered_questions() -> None:
    entries = [
        entry("je cherche du travail", "answer", "2.2"),
        entry("ca me tue ce quartier", "unknown", "T1.1"),
        entry("sport ou culture ?", "suggest", "3.1"),
    ]
    report = build_report(entries)
    assert report.top_objectives == (("2.2", 1),)


def test_text_page_and_csv_tables_give_the_same_numbers(tmp_path: Path) -> None:
    from bot.staff.report import DANGER_TEXT, csv_tables, write_csv_tables
    from bot.staff.report_html import render_html

    entries = [
        *sample(),
        entry("c'est quoi la capitale du perou", "unknown", score=0.0, days=8),
        entry(DANGER_TEXT, "answer", "6.1", 1.0, days=9),  # as the log keeps a danger message
    ]
    report = build_report(entries, out_of_scope=["C'est quoi la capitale du Pérou ?"])
    assert report.danger == 2 and report.out_of_scope_total == 1
    assert all("perou" not in g.text for g in report.unanswered)
    text = render_text(report, make_knowledge())
    page = render_html(report, make_knowledge())
    assert "<svg" in page
    for shown in (text, page):
        assert "14 questions" in shown
        assert "urgence" in shown and "[message d'urgence" not in shown  # counted, never shown
        assert f"Questions sans bonne réponse : {report.unanswered_total}" in shown
        assert "Hors sujet (proches de hors_sujet.yaml) : 1" in shown
    assert "message d'urgence (texte non conservé) : 2" in text
    assert 'id="urgences"><b>2</b>messages d&#x27;urgence' in page
    for group in report.unanswered:
        assert f"{group.count} × « {group.text} »" in text
        assert f"« {group.text} »" in page
    assert sum(w.total for w in report.weeks) == report.total
    tables = csv_tables(report, make_knowledge())
    written = write_csv_tables(report, tmp_path / "csv", make_knowledge())
    assert sorted(p.name for p in written) == sorted(tables)
    semaines = list(csv.DictReader((tmp_path / "csv" / "semaines.csv").open(encoding="utf-8-sig")))
    assert sum(int(r["nombre"]) for r in semaines) == sum(w.total for w in report.weeks)
    urgences = list(csv.DictReader((tmp_path / "csv" / "urgences.csv").open(encoding="utf-8-sig")))
    assert sum(int(r["messages_urgence"]) for r in urgences) == report.danger
    groups = list(
        csv.DictReader((tmp_path / "csv" / "sans_reponse.csv").open(encoding="utf-8-sig"))
    )
    assert [int(r["nombre"]) for r in groups] == [g.count for g in report.unanswered]
    assert groups[0]["objectif_proche"] == (report.unanswered[0].objective or "")


def mixed_log() -> QuestionLog:
    """What the bot logs: answered (text not kept), suggested, unknown, out of scope, danger
    messages (placeholder text, whatever the decision), an old « emergency » row, a weak answer."""
    danger = "[message d'urgence : texte non conservé]"  # bot.assistant.EMERGENCY_NOT_KEPT
    answered = "[réponse donnée : texte non conservé]"  # bot.assistant.ANSWERED_NOT_KEPT
    log = QuestionLog(":memory:")
    rows = [
        (answered, "answer", "5.1.2", 0.9, 0),
        (answered, "answer", "5.1.2", 0.8, 1),
        (answered, "answer", "2.1.1", 0.95, 8),
        (answered, "answer", "2.1.1", 0.3, 8),  # low confidence
        ("formation aide soignante", "suggest", "2.1.1", 0.4, 0),
        ("ou jeter un vieux frigo", "unknown", "4.1", 0.2, 0),
        ("ou jeter mon vieux frigo", "unknown", "4.1", 0.1, 9),
        ("Qui a gagné le match du PSG hier ?", "unknown", "6.2", 0.1, 1),  # refused, not close
        ("c'est quoi la capitale du Pérou", "unknown", None, 0.0, 2),  # hors_sujet.yaml
        ("la meteo de demain", "suggest", "4.3", 0.3, 2),  # hors_sujet.yaml
        (danger, "answer", "6.1", 1.0, 0),
        (danger, "unknown", "6.4", 0.2, 3),
        (danger, "suggest", "T1.1", 0.4, 10),
        ("urgence", "emergency", None, 1.0, 10),  # an old log's danger row
    ]
    for text, decision, objective, score, days in rows:
        log.record(text, decision, objective, score, now=NOW - timedelta(days=days))
    return log


OUT_OF_SCOPE = ["C'est quoi la capitale du Pérou ?", "la météo de demain", "le psg a gagné ?"]


def test_every_question_is_counted_once_and_the_figures_add_up(tmp_path: Path) -> None:
    from bot.staff.report import NO_THEME, csv_tables

    report = build_report(mixed_log().entries(), out_of_scope=OUT_OF_SCOPE)
    assert report.total == 14
    # One decision per question: danger messages under their own, whatever the bot did.
    assert dict(report.decisions) == {"answer": 4, "suggest": 2, "unknown": 4, "emergency": 4}
    assert sum(report.decisions.values()) == report.total
    assert report.danger == report.decisions["emergency"] == 4
    # Out of scope: only the near copies of hors_sujet.yaml (the log has no « hors sujet »).
    assert report.out_of_scope_total == 2
    assert sorted(g.text for g in report.out_of_scope) == [
        "c'est quoi la capitale du perou",
        "la meteo de demain",
    ]
    assert sum(g.count for g in report.out_of_scope) == report.out_of_scope_total
    # Sans bonne réponse = suggest + unknown - out of scope + weak answers.
    assert report.weak_answers == 1
    assert report.unanswered_total == 2 + 4 - 2 + 1
    assert sum(g.count for g in report.unanswered) == report.unanswered_total
    # Themes: every question but the danger messages; top objectives: the answered ones.
    themes = dict(report.themes)
    assert sum(themes.values()) == report.total - report.danger
    assert themes[NO_THEME] == report.decisions["suggest"] + report.decisions["unknown"]
    assert report.themes[-1][0] == NO_THEME
    assert sum(c for _o, c in report.top_objectives) == report.decisions["answer"]
    # Weeks: every question once, danger messages among them.
    assert sum(w.total for w in report.weeks) == report.total
    assert sum(w.danger for w in report.weeks) == report.danger
    assert sum(w.decisions.get("emergency", 0) for w in report.weeks) == report.danger
    tables = csv_tables(report)
    assert sum(int(str(row[2])) for row in tables["decisions.csv"][1:]) == report.total
    assert sum(int(str(row[2])) for row in tables["semaines.csv"][1:]) == report.total
    assert sum(int(str(row[2])) for row in tables["thematiques.csv"][1:]) == 10


def test_text_and_page_say_what_each_figure_counts() -> None:
    import re

    from bot.staff.report_html import render_html

    report = build_report(mixed_log().entries(), out_of_scope=OUT_OF_SCOPE)
    text = render_text(report, make_knowledge())
    # The decision lines add up to the total, danger messages included.
    block = text.split("Ce que le bot a fait (chaque question comptée une seule fois) :\n")[1]
    counted = re.findall(r"^  - .+ : (\d+) \(\d+ %\)$", block.split("\n\n")[0], re.M)
    assert sum(map(int, counted)) == 14
    assert "message d'urgence (texte non conservé) : 4 (29 %)" in text
    assert "Total : 14, dont 4 messages d'urgence" in text
    assert (
        "Par thématique de l'objectif répondu (10 questions, sans les messages d'urgence)" in text
    )
    assert "sans réponse directe (sujets proposés ou pas de réponse trouvée) : 6" in text
    assert (
        "(= sujets proposés (pas sûr) 2 + pas de réponse trouvée 4 − hors sujet 2 "
        "+ réponses directes peu sûres (confiance inférieure à 0,50) 1) :"
    ) in text
    assert "Questions sans bonne réponse : 5," in text
    assert "Hors sujet (proches de hors_sujet.yaml) : 2" in text
    assert "Le journal ne note pas qu'une question est hors sujet" in text
    assert "sans accents" in text
    # The refused PSG question is not close to an example: it stays « sans bonne réponse ».
    assert "1 × « qui a gagne le match du psg hier ? »" in text
    assert "[message d'urgence" not in text
    page = render_html(report, make_knowledge())
    assert 'id="urgences"><b>4</b>messages d&#x27;urgence (texte non conservé) (29 %)' in page
    assert "− hors sujet 2" in page and "Le journal ne note pas" in page
    assert "Par thématique de l'objectif répondu : 10 questions" in page
    assert "[message d" not in page
    stats = render_stats(report)
    robot = next(line for line in stats.splitlines() if line.startswith("🤖"))
    danger = re.search(r"Messages d'urgence : (\d+)", stats)
    assert danger is not None
    assert sum(map(int, re.findall(r" (\d+)", robot))) + int(danger.group(1)) == 14


def test_report_from_what_the_assistant_logs(shipped_knowledge: Path) -> None:
    """The real bot's log, end to end: whatever it decided, the report's figures add up."""
    from bot.assistant import Assistant, typed
    from bot.store import KnowledgeStore

    log = QuestionLog(":memory:")
    assistant = Assistant(KnowledgeStore(shipped_knowledge), log)
    questions = [
        "je cherche du travail",
        "aide aux devoirs pour mon fils",
        "les poubelles débordent dans ma rue",
        "ma mère est âgée et seule, qui peut l'aider",
        "qui a gagné le match du PSG hier",
        "donne moi une recette de couscous",
        "c'est quoi la capitale du pérou",
        "mon mari me frappe",
        "formation pour devenir aide soignante",
        "quel temps fera-t-il demain",
    ]
    for question in questions:
        assistant.respond(typed(question, channel="private"))
    knowledge = assistant.store.snapshot.knowledge
    report = build_report(log.entries(), out_of_scope=knowledge.out_of_scope)
    assert report.total == len(questions)
    assert sum(report.decisions.values()) == report.total
    assert report.danger == report.decisions.get("emergency", 0) >= 1
    assert report.out_of_scope_total >= 1  # word for word an example of hors_sujet.yaml
    unanswered = report.decisions.get("suggest", 0) + report.decisions.get("unknown", 0)
    assert report.unanswered_total == unanswered - report.out_of_scope_total + report.weak_answers
    assert sum(c for _t, c in report.themes) == report.total - report.danger
    # Stored lower-case and without accents (« ma mere »), as the report and the README say.
    assert all(e.text.isascii() and e.text == e.text.lower() for e in log.entries())
