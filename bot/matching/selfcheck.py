"""The knowledge answers itself: every example question gets its own objective.

A staff member who adds an example wants to know it works. ``python -m bot check`` runs each
example through the matcher and warns, with file and line, when the bot would not answer it
with the objective it stands under (``--strict``: an error; CI runs it strict).
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.models import Knowledge
from bot.knowledge.problems import Report
from bot.matching.matcher import Matcher


def check_examples(knowledge: Knowledge, root: Path, report: Report, strict: bool) -> int:
    """Report the examples not answered with their own objective; returns how many."""
    matcher = Matcher(knowledge)
    add = report.error if strict else report.warn
    count = 0
    for objective in knowledge.objectives:
        rel = objective.source.rsplit(":", 1)[0]
        for i, example in enumerate(objective.examples):
            result = matcher.match(example)
            best = result.best.objective_id if result.best else None
            if result.decision == "answer" and best == objective.id:
                continue
            count += 1
            line = objective.example_lines[i] if i < len(objective.example_lines) else 1
            got = (
                f"le bot répond {best}"
                if result.decision == "answer"
                else f"le bot ne répond pas ({result.decision}, proche : {best or 'aucun'})"
            )
            add(
                root / rel,
                line,
                f"objectif {objective.id} : l'exemple « {example} » n'obtient pas sa réponse "
                f"({got})",
                "ajoutez au vocabulaire de l'objectif les mots importants de cet exemple, ou "
                "reformulez-le comme un habitant l'écrirait",
            )
    return count
