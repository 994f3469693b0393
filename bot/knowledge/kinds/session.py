"""What every kind of knowledge file shares: reading a YAML file, its records, the report."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Final

from bot.knowledge import yamlerrors
from bot.knowledge.contract import Contract, load_contract
from bot.knowledge.fields import Field, RecordReader, line_of
from bot.knowledge.problems import Report
from bot.knowledge.yamlsource import Document, YamlRefused, YamlSyntaxError, YMap, read_yaml

CONTACT_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")

Spec = dict[str, Field]


def yaml_problem_in_french(problem: str, line: str = "") -> tuple[str, str]:
    """PyYAML explains in English: say what it means, and how to fix it, in French."""
    if "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in problem:
        return (
            "tabulation dans l'indentation",
            "remplacez la tabulation par des espaces (deux espaces par niveau)",
        )
    return (
        f"erreur de syntaxe YAML ({problem})",
        "vérifiez l'indentation et les deux-points de cette ligne, et mettez entre "
        "guillemets un texte qui contient « : » ou « # »",
    )


_COMBINING: Final = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_NOT_WORD: Final = re.compile(r"[^\w']+")


def fold(text: str) -> str:
    """Comparison key for duplicate detection: lowercase, no accents, single spaces."""
    text = text.lower().replace("’", "'")
    if not text.isascii():
        # Decomposed in C, the combining marks removed by one regex: a character-by-character
        # filter was a tenth of `ask`'s start-up once the knowledge held 6,000 examples.
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NOT_WORD.sub(" ", text).split())


class Rec:
    """One record as :meth:`RecordReader.record` cleaned it: typed values and their lines.

    A field of the spec is always there (its default when absent); a field outside the spec
    reads as empty.
    """

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def text(self, name: str) -> str:
        value: str = self._values.get(name, "")
        return value

    def items(self, name: str) -> tuple[str, ...]:
        value: tuple[str, ...] = self._values.get(name, ())
        return value

    def flag(self, name: str) -> bool:
        value: bool = self._values.get(name, False)
        return value

    @property
    def line(self) -> int:
        """The line where the record starts."""
        line: int = self._values["_line"]
        return line

    def line_at(self, name: str, default: int | None = None) -> int:
        """The line of field ``name``; when it is not written, ``default`` or the record's."""
        line: int = self._values["_lines"].get(name, self.line if default is None else default)
        return line

    @property
    def raw(self) -> YMap:
        """The mapping as written (for the lines of list items)."""
        raw: YMap = self._values["_raw"]
        return raw


# Where a checked record was read: its file's reader, and the record (for its lines).
Where = tuple[RecordReader, Rec]


class Session:
    """One check of a knowledge folder: its report, and what later checks need to know."""

    def __init__(self, root: Path, today: date | None = None) -> None:
        self.root = root
        self.today = today or date.today()
        self.report = Report(root)
        self.unreadable: set[str] = set()  # files (or first folder) with a syntax error
        self.rejected: set[str] = set()  # ids of fiches reported as unusable
        self.contract: Contract = load_contract()
        # Where each kept fiche was read: "thématique:1", "1.2.3", "contact:…", "situation:…".
        self.where: dict[str, Where] = {}
        self.text_lines: dict[str, tuple[RecordReader, int]] = {}
        self.general_line: tuple[RecordReader, int] | None = None
        self.file_lines: dict[Path, list[str]] = {}

    def read(self, rel: str, required: bool = True) -> tuple[Path, Document | None]:
        path = self.root / rel
        if not path.is_file():
            if required:
                self.report.error(
                    path,
                    1,
                    "fichier introuvable",
                    f"créez {rel} (voir knowledge/README.md) ou restaurez-le",
                )
            return path, None
        try:
            doc = read_yaml(path)
        except YamlRefused as exc:
            self.unreadable.add(rel.split("/")[0])
            self.report.error(path, exc.line, exc.problem, exc.fix)
            return path, None
        except YamlSyntaxError as exc:
            self.unreadable.add(rel.split("/")[0])
            # The mistake by kind, at the line where it starts (PyYAML notices it later).
            text = path.read_text(encoding="utf-8", errors="replace")
            found = yamlerrors.diagnose(text)
            if found is None:  # pragma: no cover - read_yaml and diagnose parse alike
                found = yamlerrors.Diagnosis(exc.line, *yaml_problem_in_french(exc.problem))
            self.report.error(path, found.line, found.message, found.fix)
            return path, None
        except UnicodeDecodeError:
            self.report.error(
                path,
                1,
                "le fichier n'est pas en UTF-8",
                "enregistrez-le en UTF-8 dans votre éditeur",
            )
            return path, None
        for hint in yamlerrors.hash_warnings(path.read_text(encoding="utf-8")):
            self.report.warn(path, hint.line, hint.message, hint.fix)
        return path, doc

    def reader(self, path: Path, doc: Document) -> RecordReader:
        r = RecordReader(self.report, path)
        for dup in doc.duplicate_keys:
            r.error(
                dup.line,
                f"le champ « {dup.key} » apparaît deux fois dans la même fiche",
                "gardez-en un seul : le second effacerait le premier",
            )
        return r

    def records(self, rel: str, key: str, spec: Spec, what: str) -> list[Where]:
        path, doc = self.read(rel)
        return self.records_of(path, doc, key, spec, what)

    def records_of(
        self,
        path: Path,
        doc: Document | None,
        key: str,
        spec: Spec,
        what: str,
        spec_for: Callable[[Any], Spec] | None = None,
    ) -> list[Where]:
        if doc is None:
            return []
        r = self.reader(path, doc)
        items = r.top(doc.data, key, "list")
        out: list[Where] = []
        for i, item in enumerate(items or []):
            item_id = item.get("id") if isinstance(item, YMap) else None
            named = isinstance(item_id, str) and item_id
            rec = r.record(
                item,
                line_of(items, i, 1),
                spec_for(item) if spec_for else spec,
                f"{what} {item_id}" if named else what,
            )
            if rec is not None:
                out.append((r, Rec(rec)))
            elif named:
                # Already reported: its id must not also show up as "missing" or "unknown".
                self.rejected.add(str(item_id))
        return out
