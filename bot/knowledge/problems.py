"""Problems found in the knowledge, worded for the staff member who will fix them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["erreur", "avertissement"]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    fix: str
    severity: Severity = "erreur"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} — {self.fix}"


@dataclass
class Report:
    """Every problem of one check, errors and warnings kept apart."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def _where(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def error(self, path: Path, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self._where(path), line, message, fix, "erreur"))

    def warn(self, path: Path, line: int, message: str, fix: str) -> None:
        self.problems.append(Problem(self._where(path), line, message, fix, "avertissement"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "erreur"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "avertissement"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return f"{len(self.errors)} erreur(s), {len(self.warnings)} avertissement(s)"


class KnowledgeError(Exception):
    """Raised when knowledge cannot be loaded; carries the full report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report
