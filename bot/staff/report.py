"""Turn the anonymous question log into something staff can act on.

:func:`build_report` counts decisions (every logged question in exactly one: answer, suggest,
unknown, or danger message, whose text is never kept), groups the questions the bot could not
answer well (similar wordings together, each group with the objective the matcher found
closest, largest gaps first), sets apart what is out of scope, and counts questions per week
and per theme, the most asked objectives and the residents' Yes / No votes.

The log does not record that the bot found a question out of scope (its decision is then
« unknown »): the report can only count as out of scope the questions nearly word for word an
example of ``hors_sujet.yaml``, and says so. Renderings: a French text report,
tidy CSV tables (:mod:`bot.staff.report_html` draws the same numbers as a page), and a short
summary for a Telegram chat.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Final

from rapidfuzz import fuzz, process

from bot.knowledge.models import Knowledge
from bot.staff.question_log import Entry
from bot.staff.redact import normalise_for_log

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
        "emergency": "message d'urgence (texte non conservé)",
    }
)

CSV_FIELDS: Final = ("section", "rang", "id", "texte", "nombre", "oui", "non", "exemples")
# What the question log keeps of a danger message (bot.assistant.EMERGENCY_NOT_KEPT, stored
# through the same normalisation as every question); older logs said "emergency" instead.
# The report counts every danger message under this decision, whatever the bot also did.
DANGER_TEXT: Final = normalise_for_log("[message d'urgence : texte non conservé]")
DANGER_DECISION: Final = "emergency"
# A question this close (0-100) to an example of hors_sujet.yaml is counted as out of scope.
OUT_OF_SCOPE_SIMILARITY: Final = 88.0
NO_THEME: Final = "aucune"


@dataclass(frozen=True)
class QuestionGroup:
    """Similar questions: the most frequent wording, how many, a few other wordings, and the
    objective the matcher found closest (its weak best guess, ``None`` when it had none)."""

    text: str
    count: int
    examples: tuple[str, ...] = ()
    objective: str | None = None
    members: tuple[str, ...] = ()  # every distinct wording of the group


@dataclass(frozen=True)
class Week:
    """One week (from Monday): questions by decision (danger messages under
    ``DANGER_DECISION``, also given as ``danger``)."""

    start: date
    decisions: Mapping[str, int]
    danger: int = 0

    @property
    def total(self) -> int:
        return sum(self.decisions.values())


@dataclass(frozen=True)
class VoteCount:
    yes: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.no


@dataclass(frozen=True)
class ReportData:
    """The numbers of a report. ``decisions`` shares out all ``total`` questions (danger
    messages under ``DANGER_DECISION``); ``unanswered_total`` = suggest + unknown
    - ``out_of_scope_total`` + ``weak_answers``; ``themes`` counts every question but the
    danger messages."""

    total: int
    decisions: Mapping[str, int]
    unanswered: tuple[QuestionGroup, ...]
    top_objectives: tuple[tuple[str, int], ...]
    votes: Mapping[str, VoteCount]
    first: datetime | None = None
    last: datetime | None = None
    low_confidence: float = 0.5
    unanswered_total: int = 0
    danger: int = 0
    out_of_scope: tuple[QuestionGroup, ...] = ()
    out_of_scope_total: int = 0
    weeks: tuple[Week, ...] = ()
    themes: tuple[tuple[str, int], ...] = ()  # answered questions per theme id, NO_THEME last
    weak_answers: int = 0  # answers below ``low_confidence``, counted in ``unanswered_total``


def is_danger(entry: Entry) -> bool:
    return entry.text == DANGER_TEXT or entry.decision == DANGER_DECISION


def _needs_work(entry: Entry, low_confidence: float) -> bool:
    return entry.decision in UNANSWERED_DECISIONS or entry.score < low_confidence


def decision_of(entry: Entry) -> str:
    """The one decision a question is counted under: a danger message under its own."""
    return DANGER_DECISION if is_danger(entry) else entry.decision


def _decision_order(decision: str) -> tuple[int, str]:
    """answer, suggest, unknown, emergency, then anything else by name."""
    known = list(DECISION_LABELS)
    return (known.index(decision), "") if decision in known else (len(known), decision)


def theme_of(objective_id: str) -> str:
    """The theme id of a contract objective id: « 5.1.2 » → « 5 », « T1.2 » → « T1 »."""
    return objective_id.split(".")[0]


def week_of(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def out_of_scope_matcher(examples: Iterable[str]) -> Callable[[str], bool]:
    """``text -> bool``: close to one of the out-of-scope examples of ``hors_sujet.yaml``."""
    folded = [normalise_for_log(e) for e in examples]

    def close(text: str) -> bool:
        if not folded:
            return False
        found = process.extractOne(
            text, folded, scorer=fuzz.ratio, score_cutoff=OUT_OF_SCOPE_SIMILARITY
        )
        return found is not None

    return close


def group_similar(
    texts: Iterable[str],
    threshold: float = SIMILARITY,
    closest: Mapping[str, str | None] | None = None,
    max_wordings: int | None = None,
) -> list[QuestionGroup]:
    """Greedy clustering: each wording joins the closest group at ``threshold`` or more.

    Wordings are taken most frequent first, so every group is represented by its most
    common wording. Groups come out largest first. ``closest`` gives each wording's closest
    objective; a group gets the one most of its questions had. The cost grows with the square of the
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
    groups = []
    for group in members:
        votes: Counter[str] = Counter()
        for text, count in group:
            guess = (closest or {}).get(text)
            if guess:
                votes[guess] += count
        objective = min(votes, key=lambda o: (-votes[o], o)) if votes else None
        groups.append(
            QuestionGroup(
                text=group[0][0],
                count=sum(c for _, c in group),
                examples=tuple(t for t, _ in group[1 : MAX_EXAMPLES + 1]),
                objective=objective,
                members=tuple(t for t, _ in group),
            )
        )
    # Stable sort: equal sizes keep the "most frequent wording first" order.
    return sorted(groups, key=lambda g: -g.count)


def build_report(
    entries: list[Entry],
    low_confidence: float = 0.5,
    out_of_scope: Iterable[str] = (),
    max_wordings: int | None = None,
) -> ReportData:
    """Everything the renderings show, computed once so the text, the CSV tables and the page
    give the same numbers. ``out_of_scope``: the examples of ``hors_sujet.yaml``."""
    danger = [e for e in entries if is_danger(e)]
    kept = [e for e in entries if not is_danger(e)]
    # Every question in exactly one decision: the buckets add up to the total.
    decisions = Counter(decision_of(e) for e in entries)
    outside = out_of_scope_matcher(out_of_scope)
    off = [e for e in kept if e.decision in UNANSWERED_DECISIONS and outside(e.text)]
    off_ids = {e.id for e in off}
    weak = [e for e in kept if e.id not in off_ids and _needs_work(e, low_confidence)]
    # The closest objective of a wording: its most frequent weak best guess.
    guesses: dict[str, Counter[str]] = {}
    for e in weak:
        if e.objective:
            guesses.setdefault(e.text, Counter())[e.objective] += 1
    closest = {t: min(c, key=lambda o: (-c[o], o)) for t, c in guesses.items()}
    # Only answered questions: an "unknown" entry keeps its weak best guess for the grouping
    # above, but the bot did not claim that objective.
    asked = Counter(e.objective for e in kept if e.objective and e.decision == "answer")
    yes: Counter[str] = Counter()
    no: Counter[str] = Counter()
    for e in kept:
        if e.objective and e.helpful is not None:
            (yes if e.helpful else no)[e.objective] += 1
    voted = sorted(set(yes) | set(no), key=lambda o: (-no[o], -(yes[o] + no[o]), o))
    themes: Counter[str] = Counter()
    for objective_id, count in asked.items():
        themes[theme_of(objective_id)] += count
    ordered_themes = sorted(themes.items(), key=lambda item: (-item[1], item[0]))
    # The rest of the questions (danger messages aside), last: the lines add up.
    unthemed = sum(1 for e in kept if not (e.objective and e.decision == "answer"))
    if unthemed:
        ordered_themes.append((NO_THEME, unthemed))
    moments = [e.asked_at for e in entries]
    return ReportData(
        total=len(entries),
        decisions=MappingProxyType(
            {d: decisions[d] for d in sorted(decisions, key=_decision_order)}
        ),
        unanswered=tuple(
            group_similar([e.text for e in weak], closest=closest, max_wordings=max_wordings)
        ),
        top_objectives=tuple(sorted(asked.items(), key=lambda item: (-item[1], item[0]))),
        votes=MappingProxyType({o: VoteCount(yes[o], no[o]) for o in voted}),
        first=min(moments) if moments else None,
        last=max(moments) if moments else None,
        low_confidence=low_confidence,
        unanswered_total=len(weak),
        danger=len(danger),
        out_of_scope=tuple(group_similar(e.text for e in off)),
        out_of_scope_total=len(off),
        weeks=_weeks(entries),
        themes=tuple(ordered_themes),
        weak_answers=sum(1 for e in weak if e.decision not in UNANSWERED_DECISIONS),
    )


def _weeks(entries: list[Entry]) -> tuple[Week, ...]:
    """Every week from the first question to the last, empty weeks included (a chart with a
    gap shows the gap)."""
    if not entries:
        return ()
    by_week: dict[date, Counter[str]] = {}
    danger: Counter[date] = Counter()
    for e in entries:
        week = week_of(e.asked_at)
        by_week.setdefault(week, Counter())[decision_of(e)] += 1
        if is_danger(e):
            danger[week] += 1
    first = week_of(min(e.asked_at for e in entries))
    last = week_of(max(e.asked_at for e in entries))
    out = []
    week = first
    while week <= last:
        counts = by_week.get(week, Counter())
        # The same order every week: answer, suggest, unknown, emergency, then anything else.
        order = sorted(counts, key=_decision_order)
        out.append(Week(week, MappingProxyType({d: counts[d] for d in order}), danger[week]))
        week += timedelta(days=7)
    return tuple(out)


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


def _date_of(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _theme_name(theme_id: str, knowledge: Knowledge | None) -> str:
    if theme_id == NO_THEME:
        return "sans réponse directe (sujets proposés ou pas de réponse trouvée)"
    theme = knowledge.theme(theme_id) if knowledge is not None else None
    return f"{theme_id} — {theme.short_name}" if theme is not None else theme_id


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


def unanswered_sum(report: ReportData) -> str:
    """How « sans bonne réponse » is made, from figures shown elsewhere in the report."""
    threshold = f"{report.low_confidence:.2f}".replace(".", ",")
    asked = " + ".join(f"{_label(d)} {report.decisions.get(d, 0)}" for d in ("suggest", "unknown"))
    return (
        f"{asked} − hors sujet {report.out_of_scope_total} + réponses directes peu sûres "
        f"(confiance inférieure à {threshold}) {report.weak_answers}"
    )


# Shown under the out-of-scope count: why it is small.
OUT_OF_SCOPE_NOTE: Final = (
    "Le journal ne note pas qu'une question est hors sujet (le bot la compte « pas de réponse "
    "trouvée ») : seules les questions presque mot pour mot un exemple de hors_sujet.yaml sont "
    "comptées ici, les autres restent dans « sans bonne réponse »."
)
TEXT_NOTE: Final = (
    "Le texte est gardé en minuscules et sans accents (« ma mere »), pour regrouper les mêmes "
    "questions ; celui des réponses directes, des sujets sensibles et des messages d'urgence "
    "n'est pas gardé."
)


def render_text(report: ReportData, knowledge: Knowledge | None) -> str:
    """A French report for staff, in plain text."""
    period = _period(report)
    lines = [
        "RAPPORT DES QUESTIONS DES HABITANTS",
        f"{_plural(report.total, 'question')}" + (f" ({period})" if period else ""),
        "Les questions sont anonymes : numéros et adresses e-mail ont été masqués.",
        TEXT_NOTE,
        "",
    ]
    if report.total == 0:
        lines.append("Aucune question enregistrée sur cette période.")
        return "\n".join(lines) + "\n"

    lines.append("Ce que le bot a fait (chaque question comptée une seule fois) :")
    for decision, count in report.decisions.items():
        lines.append(f"  - {_label(decision)} : {count} ({_percent(count, report.total)})")
    lines.append(
        f"  Total : {report.total}, dont {_plural(report.danger, 'message')} d'urgence "
        "(numéros d'urgence montrés ; comptés ni dans les thématiques, ni dans les questions "
        "à compléter, ni dans les objectifs)."
    )
    lines.append("")

    lines.append("Par semaine (du lundi) :")
    for week in report.weeks:
        parts = [f"{_label(d)} {c}" for d, c in week.decisions.items()]
        lines.append(
            f"  - {_date_of(week.start)} : {week.total}"
            + (f" ({', '.join(parts)})" if parts else "")
        )
    lines.append("")

    themed = sum(c for _t, c in report.themes)
    lines.append(
        f"Par thématique de l'objectif répondu ({_plural(themed, 'question')}, "
        "sans les messages d'urgence) :"
    )
    for theme_id, count in report.themes:
        lines.append(f"  - {_theme_name(theme_id, knowledge)} : {count}")
    lines.append("")

    lines.append(
        f"Questions sans bonne réponse : {report.unanswered_total}, "
        f"en {_plural(len(report.unanswered), 'groupe')} de questions proches"
    )
    lines.append(f"(= {unanswered_sum(report)}) :")
    if not report.unanswered:
        lines.append("  (aucune)")
    for rank, group in enumerate(report.unanswered[:TEXT_TOP_GROUPS], start=1):
        lines.append(f"  {rank}. {group.count} × « {group.text} »")
        for example in group.examples:
            lines.append(f"       aussi : « {example} »")
        if group.objective:
            lines.append(f"       plus proche : {_objective_name(group.objective, knowledge)}")
    hidden = len(report.unanswered) - TEXT_TOP_GROUPS
    if hidden > 0:
        lines.append(f"  … et {_plural(hidden, 'autre groupe')} (voir le fichier CSV).")
    lines.append("")

    lines.append(
        f"Hors sujet (proches de hors_sujet.yaml) : {report.out_of_scope_total}, "
        f"en {_plural(len(report.out_of_scope), 'groupe')}"
    )
    lines.append(OUT_OF_SCOPE_NOTE)
    for rank, group in enumerate(report.out_of_scope[:TEXT_TOP_GROUPS], start=1):
        lines.append(f"  {rank}. {group.count} × « {group.text} »")
    lines.append("")

    lines.append("Objectifs les plus demandés (réponses directes, sans les messages d'urgence) :")
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


def csv_tables(
    report: ReportData, knowledge: Knowledge | None = None
) -> dict[str, list[tuple[object, ...]]]:
    """One tidy table per subject (a header row, then one row per observation), by file
    name: what ``report --csv DIR`` writes."""

    def name(objective_id: str | None) -> str:
        if not objective_id or knowledge is None:
            return ""
        objective = knowledge.objective(objective_id)
        return objective.text if objective is not None else ""

    total = report.total
    return {
        "decisions.csv": [
            ("decision", "libelle", "nombre", "part"),
            *(
                (d, _label(d), c, round(c / total, 4) if total else 0.0)
                for d, c in report.decisions.items()
            ),
        ],
        "semaines.csv": [
            ("semaine", "decision", "nombre"),
            *((w.start.isoformat(), d, c) for w in report.weeks for d, c in w.decisions.items()),
        ],
        "urgences.csv": [
            ("semaine", "messages_urgence"),
            *((w.start.isoformat(), w.danger) for w in report.weeks),
        ],
        "thematiques.csv": [
            ("thematique", "nom", "nombre"),
            *((t, _theme_name(t, knowledge), c) for t, c in report.themes),
        ],
        "sans_reponse.csv": [
            (
                "rang",
                "question",
                "nombre",
                "objectif_proche",
                "objectif_texte",
                "autres_formulations",
            ),
            *(
                (
                    rank,
                    _cell(g.text),
                    g.count,
                    g.objective or "",
                    name(g.objective),
                    _cell(" | ".join(g.examples)),
                )
                for rank, g in enumerate(report.unanswered, start=1)
            ),
        ],
        "hors_sujet.csv": [
            ("rang", "question", "nombre", "autres_formulations"),
            *(
                (rank, _cell(g.text), g.count, _cell(" | ".join(g.examples)))
                for rank, g in enumerate(report.out_of_scope, start=1)
            ),
        ],
        "objectifs.csv": [
            ("rang", "objectif", "objectif_texte", "nombre"),
            *((rank, o, name(o), c) for rank, (o, c) in enumerate(report.top_objectives, start=1)),
        ],
        "votes.csv": [
            ("objectif", "objectif_texte", "oui", "non"),
            *((o, name(o), v.yes, v.no) for o, v in report.votes.items()),
        ],
    }


def write_csv_tables(
    report: ReportData, directory: Path, knowledge: Knowledge | None = None
) -> list[Path]:
    """Write :func:`csv_tables` into ``directory`` (created if needed); return the files."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, rows in csv_tables(report, knowledge).items():
        path = directory / file_name
        # utf-8-sig: a spreadsheet opened by double-click then reads the accents right.
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
        written.append(path)
    return written


def render_stats(report: ReportData) -> str:
    """A short French summary (5 to 8 lines of plain text) for a staff chat."""
    period = _period(report)
    lines = [f"📊 Questions reçues : {report.total}" + (f" ({period})" if period else "")]
    if report.decisions:
        # Danger messages on the 🆘 line: with it, the figures add up to the total.
        shown = [(d, c) for d, c in report.decisions.items() if d != DANGER_DECISION]
        parts = [f"{_label(d)} {c}" for d, c in shown[:4]]
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
    lines.append(
        f"🆘 Messages d'urgence : {report.danger} · hors sujet (proches de hors_sujet.yaml) : "
        f"{report.out_of_scope_total}"
    )
    return "\n".join(lines)
