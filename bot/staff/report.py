"""Turn the anonymous question log into something staff can act on.

:func:`build_report` counts decisions, groups the questions the bot could not answer well
(similar wordings together, so staff see *what* is missing, largest gaps first), and counts
the most asked objectives and the residents' Yes / No votes. Three renderings follow:
a French text report, one CSV file for a spreadsheet, and a short summary for a Telegram chat.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Final

from rapidfuzz import fuzz, process

from bot.knowledge.models import Knowledge
from bot.staff.question_log import Entry

UNANSWERED_DECISIONS: Final = frozenset({"unknown", "suggest"})
SIMILARITY: Final = 80.0
MAX_EXAMPLES: Final = 3

TEXT_TOP_GROUPS: Final = 20
TEXT_TOP_OBJECTIVES: Final = 10
SHORT_TEXT: Final = 70

# French names for the decisions the bot records; anything else is shown as is.
DECISION_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "answer": "réponse directe",
        "suggest": "sujets proposés (pas sûr)",
        "unknown": "pas de réponse trouvée",
    }
)

CSV_FIELDS: Final = ("section", "rang", "id", "texte", "nombre", "oui", "non", "exemples")


@dataclass(frozen=True)
class QuestionGroup:
    """Similar questions: the most frequent wording, how many, and a few other wordings."""

    text: str
    count: int
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class VoteCount:
    yes: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.no


@dataclass(frozen=True)
class ReportData:
    total: int
    decisions: Mapping[str, int]
    unanswered: tuple[QuestionGroup, ...]
    top_objectives: tuple[tuple[str, int], ...]
    votes: Mapping[str, VoteCount]
    first: datetime | None = None
    last: datetime | None = None
    low_confidence: float = 0.5
    unanswered_total: int = 0


def _needs_work(entry: Entry, low_confidence: float) -> bool:
    return entry.decision in UNANSWERED_DECISIONS or entry.score < low_confidence


def group_similar(
    texts: Iterable[str], threshold: float = SIMILARITY, max_wordings: int | None = None
) -> list[QuestionGroup]:
    """Greedy clustering: each wording joins the closest group at ``threshold`` or more.

    Wordings are taken most frequent first, so every group is represented by its most
    common wording. Groups come out largest first. The cost grows with the square of the
    distinct wordings: ``max_wordings`` keeps only the most frequent ones (for /stats).
    """
    counts = Counter(texts)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:max_wordings]
    representatives: list[str] = []
    members: list[list[tuple[str, int]]] = []
    for text, count in ordered:
        best = process.extractOne(
            text, representatives, scorer=fuzz.token_set_ratio, score_cutoff=threshold
        )
        if best is None:
            representatives.append(text)
            members.append([(text, count)])
        else:
            members[best[2]].append((text, count))
    groups = [
        QuestionGroup(
            text=group[0][0],
            count=sum(c for _, c in group),
            examples=tuple(t for t, _ in group[1 : MAX_EXAMPLES + 1]),
        )
        for group in members
    ]
    # Stable sort: equal sizes keep the "most frequent wording first" order.
    return sorted(groups, key=lambda g: -g.count)


def build_report(
    entries: list[Entry], low_confidence: float = 0.5, max_wordings: int | None = None
) -> ReportData:
    decisions = Counter(e.decision for e in entries)
    weak = [e.text for e in entries if _needs_work(e, low_confidence)]
    # Only answered questions: an "unknown" entry keeps its weak best guess for the grouping
    # above, but the bot did not claim that objective.
    asked = Counter(e.objective for e in entries if e.objective and e.decision == "answer")
    yes: Counter[str] = Counter()
    no: Counter[str] = Counter()
    for e in entries:
        if e.objective and e.helpful is not None:
            (yes if e.helpful else no)[e.objective] += 1
    voted = sorted(set(yes) | set(no), key=lambda o: (-no[o], -(yes[o] + no[o]), o))
    moments = [e.asked_at for e in entries]
    return ReportData(
        total=len(entries),
        decisions=MappingProxyType(dict(decisions.most_common())),
        unanswered=tuple(group_similar(weak, max_wordings=max_wordings)),
        top_objectives=tuple(sorted(asked.items(), key=lambda item: (-item[1], item[0]))),
        votes=MappingProxyType({o: VoteCount(yes[o], no[o]) for o in voted}),
        first=min(moments) if moments else None,
        last=max(moments) if moments else None,
        low_confidence=low_confidence,
        unanswered_total=len(weak),
    )


# -- rendering -----------------------------------------------------------------------------
def _label(decision: str) -> str:
    return DECISION_LABELS.get(decision, decision)


def _shorten(text: str, limit: int = SHORT_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _objective_name(objective_id: str, knowledge: Knowledge | None) -> str:
    if knowledge is None:
        return objective_id
    objective = knowledge.objective(objective_id)
    if objective is None:
        return f"{objective_id} (objectif inconnu)"
    return f"{objective_id} — {_shorten(objective.text)}"


def _date(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y")


def _period(report: ReportData) -> str:
    if report.first is None or report.last is None:
        return ""
    if _date(report.first) == _date(report.last):
        return f"le {_date(report.first)}"
    return f"du {_date(report.first)} au {_date(report.last)}"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "0 %"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count <= 1 else (plural or singular + 's')}"


def render_text(report: ReportData, knowledge: Knowledge | None) -> str:
    """A French report for staff, in plain text."""
    period = _period(report)
    lines = [
        "RAPPORT DES QUESTIONS DES HABITANTS",
        f"{_plural(report.total, 'question')}" + (f" ({period})" if period else ""),
        "Les questions sont anonymes : numéros et adresses e-mail ont été masqués.",
        "",
    ]
    if report.total == 0:
        lines.append("Aucune question enregistrée sur cette période.")
        return "\n".join(lines) + "\n"

    lines.append("Ce que le bot a fait :")
    for decision, count in report.decisions.items():
        lines.append(f"  - {_label(decision)} : {count} ({_percent(count, report.total)})")
    lines.append("")

    threshold = f"{report.low_confidence:.2f}".replace(".", ",")
    lines.append(
        f"Questions sans bonne réponse : {report.unanswered_total}, "
        f"en {_plural(len(report.unanswered), 'groupe')} de questions proches"
    )
    lines.append(
        f"(pas de réponse trouvée, sujets proposés, ou confiance inférieure à {threshold}) :"
    )
    if not report.unanswered:
        lines.append("  (aucune)")
    for rank, group in enumerate(report.unanswered[:TEXT_TOP_GROUPS], start=1):
        lines.append(f"  {rank}. {group.count} × « {group.text} »")
        for example in group.examples:
            lines.append(f"       aussi : « {example} »")
    hidden = len(report.unanswered) - TEXT_TOP_GROUPS
    if hidden > 0:
        lines.append(f"  … et {_plural(hidden, 'autre groupe')} (voir le fichier CSV).")
    lines.append("")

    lines.append("Objectifs les plus demandés :")
    if not report.top_objectives:
        lines.append("  (aucun)")
    for objective_id, count in report.top_objectives[:TEXT_TOP_OBJECTIVES]:
        lines.append(f"  - {_objective_name(objective_id, knowledge)} : {count}")
    lines.append("")

    lines.append("Avis des habitants (« Cette réponse vous a aidé ? ») :")
    if not report.votes:
        lines.append("  (aucun vote)")
    for objective_id, vote in report.votes.items():
        lines.append(
            f"  - {_objective_name(objective_id, knowledge)} : {vote.yes} oui, {vote.no} non"
        )
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    # A spreadsheet would run a resident's text starting with = + - @ as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_csv(report: ReportData) -> str:
    """One CSV for a spreadsheet; the ``section`` column says what each row is."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for rank, group in enumerate(report.unanswered, start=1):
        writer.writerow(
            [
                "groupe_sans_reponse",
                rank,
                "",
                _cell(group.text),
                group.count,
                "",
                "",
                _cell(" | ".join(group.examples)),
            ]
        )
    for rank, (objective_id, count) in enumerate(report.top_objectives, start=1):
        writer.writerow(["objectif", rank, _cell(objective_id), "", count, "", "", ""])
    for rank, (objective_id, vote) in enumerate(report.votes.items(), start=1):
        writer.writerow(["vote", rank, _cell(objective_id), "", vote.total, vote.yes, vote.no, ""])
    return out.getvalue()


def render_stats(report: ReportData) -> str:
    """A short French summary (5 to 8 lines of plain text) for a staff chat."""
    period = _period(report)
    lines = [f"📊 Questions reçues : {report.total}" + (f" ({period})" if period else "")]
    if report.decisions:
        parts = [f"{_label(d)} {c}" for d, c in list(report.decisions.items())[:4]]
        lines.append("🤖 " + " · ".join(parts))
    else:
        lines.append("🤖 Aucune question sur cette période.")
    lines.append(
        f"❓ Sans bonne réponse : {report.unanswered_total} "
        f"({_percent(report.unanswered_total, report.total)}), "
        f"{_plural(len(report.unanswered), 'groupe')} de questions proches"
    )
    if report.unanswered:
        top = report.unanswered[0]
        lines.append(f"🔎 Le plus fréquent : « {_shorten(top.text, 80)} » ({top.count} ×)")
    else:
        lines.append("🔎 Rien à compléter pour l'instant.")
    if report.top_objectives:
        best = ", ".join(f"{o} ({c})" for o, c in report.top_objectives[:3])
        lines.append(f"🎯 Objectifs les plus demandés : {best}")
    else:
        lines.append("🎯 Aucun objectif demandé pour l'instant.")
    yes = sum(v.yes for v in report.votes.values())
    no = sum(v.no for v in report.votes.values())
    lines.append(f"👍 Avis : {yes} oui, {no} non")
    return "\n".join(lines)
