"""The contract's own wording, parsed from the verbatim text shipped in ``bot/data/contrat.txt``.

The knowledge check compares every theme, orientation and objective title with this text, so a
staff edit cannot drift from what the city signed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

CONTRACT_PATH: Final = Path(__file__).resolve().parent.parent / "data" / "contrat.txt"

_THEME = re.compile(r"^(\d)\s*-\s*(.+)$")
_ORIENTATION = re.compile(r"^Orientation\s+(\d\.\d)\s*:\s*(.+)$")
_OBJECTIVE = re.compile(r"^(\d+)\.\s+(.+)$")
_OBJECTIVES_HEADER = "objectifs opérationnels"
_TRANSVERSAL_HEADER = "deux thématiques transversales"


def canonical(text: str) -> str:
    """Form used to compare wording: one space, one kind of apostrophe, no final punctuation."""
    text = text.replace("’", "'").replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" ;.:").strip()


@dataclass
class Contract:
    themes: dict[str, str] = field(default_factory=dict)
    orientations: dict[str, str] = field(default_factory=dict)
    objectives: dict[str, str] = field(default_factory=dict)


def parse_contract(text: str) -> Contract:
    contract = Contract()
    theme: str | None = None
    orientation: str | None = None
    transversal = 0
    # The text wraps long titles over several lines: the open item collects continuation lines.
    open_kind: str | None = None
    open_id = ""
    for raw in text.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        if not line or line == "<":
            continue
        lower = line.lower()
        if lower.startswith(_TRANSVERSAL_HEADER):
            transversal = 1
            open_kind = None
            continue
        if lower.startswith(_OBJECTIVES_HEADER):
            open_kind = None
            continue
        if m := _THEME.match(line):
            theme, orientation = m.group(1), None
            contract.themes[theme] = canonical(m.group(2))
            open_kind = None
            continue
        if m := _ORIENTATION.match(line):
            orientation = m.group(1)
            contract.orientations[orientation] = m.group(2)
            open_kind, open_id = "orientation", orientation
            continue
        if m := _OBJECTIVE.match(line):
            prefix = orientation or theme
            obj_id = f"{prefix}.{m.group(1)}"
            contract.objectives[obj_id] = m.group(2)
            open_kind, open_id = "objective", obj_id
            continue
        if transversal and line.upper() == line and any(c.isalpha() for c in line):
            theme, orientation = f"T{transversal}", None
            contract.themes[theme] = canonical(line)
            transversal += 1
            open_kind = None
            continue
        if open_kind == "objective":
            contract.objectives[open_id] += " " + line
        elif open_kind == "orientation":
            contract.orientations[open_id] += " " + line
    contract.orientations = {k: canonical(v) for k, v in contract.orientations.items()}
    contract.objectives = {k: canonical(v) for k, v in contract.objectives.items()}
    return contract


@cache
def load_contract(path: Path = CONTRACT_PATH) -> Contract:
    return parse_contract(path.read_text(encoding="utf-8"))
