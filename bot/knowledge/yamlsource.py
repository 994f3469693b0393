"""YAML reading that keeps line numbers, so every problem can name ``file:line``.

The documents are composed with PyYAML's *safe* loader (no Python object is ever built from
tags) and turned into plain dicts, lists and strings by hand. Scalars stay the text the staff
member typed: ``id: 2.1`` stays ``"2.1"`` rather than becoming a float, and ``non`` stays the
word "non" instead of YAML 1.1's ``False``. Booleans are read where a field expects one.

Two YAML features are refused, because a few hundred bytes of them can cost seconds, gigabytes
or an endless loop while the knowledge is read: aliases (``&a`` … ``*a``, which staff never
need: a file says each thing once) and files over :data:`MAX_YAML_BYTES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

# The largest shipped file is about 130 kB; ten times that is still a knowledge file.
MAX_YAML_BYTES: Final = 2 * 1024 * 1024

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


class YamlRefused(YamlSyntaxError):
    """A file the loader will not read (too large, aliases); ``problem`` and ``fix`` are the
    French messages for staff."""

    def __init__(self, line: int, problem: str, fix: str) -> None:
        super().__init__(line, problem)
        self.fix = fix


@dataclass
class DuplicateKey:
    key: str
    line: int


@dataclass
class Document:
    data: Any
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)


def _convert(node: yaml.Node, dups: list[DuplicateKey], seen: set[int]) -> Any:
    # An alias is the same node object met a second time: refused before it is expanded
    # (an alias of an alias of … grows exponentially, one inside itself never ends).
    if id(node) in seen:
        raise YamlRefused(
            node.start_mark.line + 1,
            "les alias YAML (« & » et « * ») ne sont pas acceptés",
            "recopiez le texte à chaque endroit où il sert, sans « & » ni « * »",
        )
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        m = YMap()
        m.line = node.start_mark.line + 1
        m.key_lines = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in m:
                dups.append(DuplicateKey(key, key_node.start_mark.line + 1))
            m[key] = _convert(value_node, dups, seen)
            m.key_lines[key] = key_node.start_mark.line + 1
        return m
    if isinstance(node, yaml.SequenceNode):
        seq = YList()
        seq.line = node.start_mark.line + 1
        seq.item_lines = []
        for item in node.value:
            seq.append(_convert(item, dups, seen))
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
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise YamlRefused(
            1,
            f"fichier trop gros ({size / 1e6:.1f} Mo ; au plus {MAX_YAML_BYTES / 1e6:.1f} Mo)",
            "découpez-le en plusieurs fichiers, ou vérifiez qu'il s'agit du bon fichier",
        )
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(line, str(exc.problem or exc.context or "syntaxe invalide")) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a position
        raise YamlSyntaxError(1, str(exc)) from exc
    except RecursionError:
        raise YamlRefused(1, "trop de niveaux imbriqués", "simplifiez le fichier") from None
    dups: list[DuplicateKey] = []
    try:
        data = _convert(root, dups, set()) if root is not None else None
    except RecursionError:
        raise YamlRefused(1, "trop de niveaux imbriqués", "simplifiez le fichier") from None
    return Document(data, dups)
