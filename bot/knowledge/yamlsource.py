"""YAML reading that keeps line numbers, so every problem can name ``file:line``.

The documents are composed with PyYAML's *safe* loader (no Python object is ever built from
tags) and turned into plain dicts, lists and strings by hand. Scalars stay the text the staff
member typed: ``id: 2.1`` stays ``"2.1"`` rather than becoming a float, and ``non`` stays the
word "non" instead of YAML 1.1's ``False``. Booleans are read where a field expects one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The C loader (libyaml) is several times faster; both are the *safe* loader.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YMap(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]


class YList(list[Any]):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int
    item_lines: list[int]


@dataclass
class YamlSyntaxError(Exception):
    line: int
    problem: str


@dataclass
class DuplicateKey:
    key: str
    line: int


@dataclass
class Document:
    data: Any
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)


def _convert(node: yaml.Node, dups: list[DuplicateKey]) -> Any:
    if isinstance(node, yaml.MappingNode):
        m = YMap()
        m.line = node.start_mark.line + 1
        m.key_lines = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in m:
                dups.append(DuplicateKey(key, key_node.start_mark.line + 1))
            m[key] = _convert(value_node, dups)
            m.key_lines[key] = key_node.start_mark.line + 1
        return m
    if isinstance(node, yaml.SequenceNode):
        seq = YList()
        seq.line = node.start_mark.line + 1
        seq.item_lines = []
        for item in node.value:
            seq.append(_convert(item, dups))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    assert isinstance(node, yaml.ScalarNode)
    if (
        node.tag == "tag:yaml.org,2002:null"
        and node.style is None
        and node.value in ("", "~", "null")
    ):
        return None
    return str(node.value)


def read_yaml(path: Path) -> Document:
    """Read one YAML file; raise :class:`YamlSyntaxError` with the line of the fault."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(line, str(exc.problem or exc.context or "syntaxe invalide")) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a position
        raise YamlSyntaxError(1, str(exc)) from exc
    dups: list[DuplicateKey] = []
    data = _convert(root, dups) if root is not None else None
    return Document(data, dups)
