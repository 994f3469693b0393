"""The staff report as one self-contained HTML page: charts drawn by matplotlib as inline SVG,
tables of the same numbers, no script, no font and no file fetched (it opens offline, and
can be sent as a Telegram document).

Everything comes from one :class:`~bot.staff.report.ReportData`, so the page, the text report
and the CSV tables always agree.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal

from bot.knowledge.models import Knowledge
from bot.staff.report import (
    DANGER_DECISION,
    DECISION_LABELS,
    OUT_OF_SCOPE_NOTE,
    TEXT_NOTE,
    ReportData,
    _percent,
    _period,
    _plural,
    _theme_name,
    unanswered_sum,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# One colour per decision, the same in every chart (colour-blind-safe Okabe-Ito hues).
DANGER_COLOUR: Final = "#CC79A7"
COLOURS: Final = {
    "answer": "#009E73",
    "suggest": "#E69F00",
    "unknown": "#999999",
    DANGER_DECISION: DANGER_COLOUR,
}
YES_COLOUR: Final = "#009E73"
NO_COLOUR: Final = "#D55E00"
MAX_VOTED: Final = 15
MAX_ROWS: Final = 50

_STYLE: Final = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; font-size: 1.25rem; }
.meta { color: #555; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1.2rem 0; }
.card { border: 1px solid #ddd; border-radius: .5rem; padding: .6rem .9rem; min-width: 9rem; }
.card b { display: block; font-size: 1.5rem; }
.card.danger { border-color: #CC79A7; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .95rem; }
th, td { border-bottom: 1px solid #e4e4e4; padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
.also { color: #666; font-size: .85rem; }
"""


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    # Figure() directly: no pyplot global state, safe from the bot's worker threads.
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


@contextmanager
def _reproducible() -> Iterator[None]:
    """Same data, same SVG: fixed ids, no creation date (the page can be compared)."""
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "rapport", "font.size": 10}):
        yield


def _svg(fig: Figure, title: str) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Title": title})
    text = out.getvalue()
    # Inline SVG: the XML prologue and DOCTYPE are for a standalone file only, and the RDF
    # metadata block (creator, licence URIs) says nothing to staff.
    text = text[text.index("<svg") :]
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)


def _week_labels(report: ReportData) -> list[str]:
    return [w.start.strftime("%d/%m") for w in report.weeks]


def chart_weeks(report: ReportData) -> str:
    """Questions per week, stacked by what the bot did."""
    fig = _figure(8, 3.2)
    ax = fig.add_subplot()
    labels = _week_labels(report)
    x = range(len(labels))
    bottom = [0] * len(labels)
    for decision in _decisions(report):
        values = [w.decisions.get(decision, 0) for w in report.weeks]
        ax.bar(
            x,
            values,
            bottom=bottom,
            label=DECISION_LABELS.get(decision, decision),
            color=COLOURS.get(decision, "#56B4E9"),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(list(x), labels, rotation=45, ha="right")
    ax.set_ylabel("questions")
    ax.set_title("Questions par semaine (semaine du lundi)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    _tidy(ax)
    return _svg(fig, "Questions par semaine")


def chart_shares(report: ReportData) -> str:
    """Share of answer / suggest / unknown per week, in percent."""
    fig = _figure(8, 3.0)
    ax = fig.add_subplot()
    labels = _week_labels(report)
    x = list(range(len(labels)))
    series = []
    for decision in _decisions(report):
        series.append(
            [100 * w.decisions.get(decision, 0) / w.total if w.total else 0.0 for w in report.weeks]
        )
    ax.stackplot(
        x,
        *series,
        labels=[DECISION_LABELS.get(d, d) for d in _decisions(report)],
        colors=[COLOURS.get(d, "#56B4E9") for d in _decisions(report)],
        alpha=0.9,
    )
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set_ylim(0, 100)
    ax.set_ylabel("% des questions")
    ax.set_title("Part de chaque décision du bot, semaine par semaine")
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    _tidy(ax)
    return _svg(fig, "Parts par semaine")


def chart_themes(report: ReportData, knowledge: Knowledge | None) -> str:
    """Questions per theme (the theme of the objective answered)."""
    rows = list(reversed(report.themes))
    fig = _figure(8, 0.8 + 0.35 * max(1, len(rows)))
    ax = fig.add_subplot()
    names = [_theme_name(t, knowledge) for t, _c in rows]
    ax.barh(names, [c for _t, c in rows], color="#0072B2")
    for i, (_t, count) in enumerate(rows):
        ax.annotate(str(count), (count, i), xytext=(3, 0), textcoords="offset points", va="center")
    ax.set_xlabel("questions")
    ax.set_title("Questions par thématique")
    _tidy(ax, "x")
    return _svg(fig, "Questions par thématique")


def chart_votes(report: ReportData) -> str:
    """« Cette réponse vous a aidé ? » Oui / Non, per objective (most « Non » on top)."""
    rows = list(report.votes.items())[:MAX_VOTED]
    rows.reverse()
    fig = _figure(8, 0.8 + 0.35 * max(1, len(rows)))
    ax = fig.add_subplot()
    names = [o for o, _v in rows]
    yes = [v.yes for _o, v in rows]
    no = [v.no for _o, v in rows]
    ax.barh(names, yes, color=YES_COLOUR, label="Oui")
    ax.barh(names, no, left=yes, color=NO_COLOUR, label="Non")
    ax.set_xlabel("votes")
    ax.set_title("« Cette réponse vous a aidé ? » par objectif")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    _tidy(ax, "x")
    return _svg(fig, "Votes par objectif")


def chart_danger(report: ReportData) -> str:
    """Danger messages per week (counted apart; their text is never kept)."""
    fig = _figure(8, 2.4)
    ax = fig.add_subplot()
    labels = _week_labels(report)
    ax.bar(range(len(labels)), [w.danger for w in report.weeks], color=DANGER_COLOUR)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_ylabel("messages")
    ax.set_title("Messages d'urgence par semaine")
    _tidy(ax)
    return _svg(fig, "Messages d'urgence par semaine")


def _tidy(ax: Axes, counts_on: Literal["x", "y"] = "y") -> None:
    """No box around the chart; whole numbers on the axis that counts questions or votes."""
    from matplotlib.ticker import MaxNLocator

    ax.spines[["top", "right"]].set_visible(False)
    (ax.xaxis if counts_on == "x" else ax.yaxis).set_major_locator(MaxNLocator(integer=True))


def _decisions(report: ReportData) -> list[str]:
    """The decisions seen, in a fixed order (the legend reads the same every week)."""
    seen = {d for w in report.weeks for d in w.decisions}
    known = [d for d in COLOURS if d in seen]
    return known + sorted(seen - set(known))


# -- page ----------------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(head: Sequence[str], rows: Sequence[Sequence[object]], numeric: set[int]) -> str:
    def cell(tag: str, i: int, value: object) -> str:
        cls = ' class="n"' if i in numeric else ""
        return f"<{tag}{cls}>{value}</{tag}>"

    out = ["<table>", "<tr>" + "".join(cell("th", i, _e(h)) for i, h in enumerate(head)) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _objective(objective_id: str | None, knowledge: Knowledge | None) -> str:
    if not objective_id:
        return "—"
    objective = knowledge.objective(objective_id) if knowledge is not None else None
    if objective is None:
        return _e(objective_id)
    return f"<b>{_e(objective_id)}</b> {_e(objective.text)}"


def render_html(
    report: ReportData, knowledge: Knowledge | None, generated: datetime | None = None
) -> str:
    """The whole page as one string (UTF-8 HTML, inline CSS and SVG)."""
    period = _period(report)
    when = f" — page du {generated.strftime('%d/%m/%Y %H:%M')}" if generated else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Questions des habitants — rapport</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Ce que les habitants ont demandé</h1>",
        f'<p class="meta">{_e(_plural(report.total, "question"))}'
        f"{_e(' (' + period + ')') if period else ''}{_e(when)}. Les questions sont anonymes : "
        f"numéros, adresses e-mail, adresses et noms ont été masqués. {_e(TEXT_NOTE)}</p>",
    ]
    # The decisions share out the questions (danger messages framed apart); then the parts.
    cards: list[tuple[str, object, str, str]] = [("Questions", report.total, "", "")]
    for decision, count in report.decisions.items():
        if decision != DANGER_DECISION:
            label = DECISION_LABELS.get(decision, decision)
            cards.append((label, count, _percent(count, report.total), ""))
    danger = _percent(report.danger, report.total)
    label = "messages d'urgence (texte non conservé)"
    cards.append((label, report.danger, danger, ' danger" id="urgences'))  # shown even at 0
    cards.append(("Sans bonne réponse", report.unanswered_total, "", ""))
    cards.append(("Hors sujet (proches de hors_sujet.yaml)", report.out_of_scope_total, "", ""))
    yes = sum(v.yes for v in report.votes.values())
    no = sum(v.no for v in report.votes.values())
    cards.append(("Avis Oui / Non", f"{yes} / {no}", "", ""))
    parts.append('<div class="cards">')
    for label, value, note, attributes in cards:
        parts.append(
            f'<div class="card{attributes}"><b>{_e(value)}</b>{_e(label)}'
            + (f" ({_e(note)})" if note else "")
            + "</div>"
        )
    parts.append("</div>")
    parts.append(
        "<p>Chaque question est comptée une seule fois : réponses directes, sujets proposés, "
        "pas de réponse et messages d'urgence font le total. « Sans bonne réponse » et « Hors "
        "sujet » en sont des parts ; les messages d'urgence ne comptent ni dans les thématiques, "
        "ni dans les questions à compléter, ni dans les objectifs.</p>"
    )

    if report.total == 0:
        parts.append("<p>Aucune question enregistrée sur cette période.</p></body></html>")
        return "\n".join(parts)

    with _reproducible():
        charts = [
            ("semaines", chart_weeks(report), "Chaque barre : les questions d'une semaine."),
            ("parts", chart_shares(report), "Part de chaque décision du bot, semaine par semaine."),
            (
                "thematiques",
                chart_themes(report, knowledge),
                "Thématique de l'objectif répondu, sans les messages d'urgence.",
            ),
        ]
        if report.votes:
            charts.append(("votes", chart_votes(report), "Les objectifs aux avis « Non » d'abord."))
        if report.danger:
            charts.append(
                (
                    "urgences-semaines",
                    chart_danger(report),
                    "Messages d'urgence par semaine (texte non conservé).",
                )
            )
    parts.append("<h2>En images</h2>")
    for chart_id, svg, caption in charts:
        parts.append(
            f'<figure class="chart" id="graphique-{chart_id}">{svg}'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )

    parts.append(
        f"<h2>Questions sans bonne réponse : {report.unanswered_total}, "
        f"en {_e(_plural(len(report.unanswered), 'groupe'))}</h2>"
    )
    parts.append(f"<p>= {_e(unanswered_sum(report))}.</p>")
    parts.append(
        "<p>Questions proches regroupées, les plus fréquentes d'abord, avec l'objectif que le "
        "bot a trouvé le plus proche. <code>python -m bot triage</code> (ou /triage dans "
        "Telegram) les range en un geste.</p>"
    )
    rows: list[list[object]] = []
    for rank, group in enumerate(report.unanswered[:MAX_ROWS], start=1):
        also = "".join(f'<div class="also">aussi : « {_e(x)} »</div>' for x in group.examples)
        rows.append(
            [
                rank,
                f"« {_e(group.text)} »{also}",
                group.count,
                _objective(group.objective, knowledge),
            ]
        )
    parts.append(
        _table(("", "question", "nombre", "objectif le plus proche"), rows, {0, 2})
        if rows
        else "<p>(aucune)</p>"
    )

    parts.append(
        f"<h2>Hors sujet (proches de hors_sujet.yaml) : {report.out_of_scope_total}, "
        f"en {_e(_plural(len(report.out_of_scope), 'groupe'))}</h2>"
    )
    parts.append(f"<p>{_e(OUT_OF_SCOPE_NOTE)}</p>")
    rows = [
        [rank, f"« {_e(g.text)} »", g.count]
        for rank, g in enumerate(report.out_of_scope[:MAX_ROWS], start=1)
    ]
    parts.append(_table(("", "question", "nombre"), rows, {0, 2}) if rows else "<p>(aucune)</p>")

    parts.append("<h2>Par semaine</h2>")
    rows = [
        [
            w.start.strftime("%d/%m/%Y"),
            w.total,
            *(w.decisions.get(d, 0) for d in _decisions(report)),
        ]
        for w in report.weeks
    ]
    head = ["semaine du", "questions", *(DECISION_LABELS.get(d, d) for d in _decisions(report))]
    parts.append(_table(head, rows, set(range(1, len(head)))))

    themed = sum(c for _t, c in report.themes)
    parts.append(
        f"<h2>Par thématique de l'objectif répondu : {_e(_plural(themed, 'question'))}</h2>"
    )
    parts.append("<p>Toutes les questions sauf les messages d'urgence.</p>")
    rows = [[_e(_theme_name(t, knowledge)), c] for t, c in report.themes]
    parts.append(_table(("thématique", "questions"), rows, {1}))

    parts.append("<h2>Objectifs les plus demandés</h2>")
    parts.append("<p>Réponses directes, sans les messages d'urgence.</p>")
    rows = [[_objective(o, knowledge), c] for o, c in report.top_objectives[:MAX_ROWS]]
    parts.append(_table(("objectif", "réponses"), rows, {1}) if rows else "<p>(aucun)</p>")

    parts.append("<h2>Avis des habitants</h2>")
    rows = [[_objective(o, knowledge), v.yes, v.no] for o, v in report.votes.items()]
    parts.append(_table(("objectif", "oui", "non"), rows, {1, 2}) if rows else "<p>(aucun)</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
