"""Add or remove one text in a YAML list by editing the file's text, never by re-dumping it.

Staff files carry comments, blank lines, quotes and an order that mean something to the people
who wrote them. A re-dump (PyYAML, or a round trip that reflows long lines) would rewrite them.
Here the list is located with PyYAML's node positions and one line (a block list) or one item
(a flow list ``[a, b]``) is inserted or removed: every other character of the file stays as it
was, comments included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml


class EditRefused(Exception):
    """The edit cannot be made safely; the message says why, in French."""


@dataclass(frozen=True)
class Edited:
    text: str  # the whole new file
    line: int  # 1-based line of the added or removed item


def _compose(text: str) -> yaml.Node:
    try:
        # The pure-Python loader: its marks count characters of ``text``, which we slice.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditRefused("le fichier a une erreur de syntaxe YAML : corrigez-la d'abord") from exc
    if root is None:
        raise EditRefused("le fichier est vide")
    return root


def _key(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            assert isinstance(value_node, yaml.Node)
            return value_node
    return None


def find_list(text: str, top: str, record_id: str | None = None, field: str = "") -> yaml.Node:
    """The list ``top`` of the file, or the ``field`` list of the record ``record_id`` in it."""
    root = _compose(text)
    node = _key(root, top)
    if node is None:
        raise EditRefused(f"la clé « {top}: » est introuvable dans le fichier")
    if record_id is None:
        found = node
    else:
        if not isinstance(node, yaml.SequenceNode):
            raise EditRefused(f"« {top} » n'est pas une liste")
        records = [r for r in node.value if _scalar(_key(r, "id")) == record_id]
        if not records:
            raise EditRefused(f"la fiche « {record_id} » est introuvable dans le fichier")
        value = _key(records[0], field)
        if value is None:
            raise EditRefused(f"la fiche « {record_id} » n'a pas de champ « {field}: »")
        found = value
    if not isinstance(found, yaml.SequenceNode):
        raise EditRefused("ce n'est pas une liste : ajoutez la question à la main")
    return found


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def quoted(value: str) -> str:
    """A double-quoted YAML text (JSON strings are valid YAML), accents kept as typed."""
    return json.dumps(" ".join(value.split()), ensure_ascii=False)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    """Index just after the end of the line holding ``index`` (its newline included)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def append_item(text: str, seq: yaml.Node, value: str) -> Edited:
    """``text`` with ``value`` added as the last item of the list ``seq``."""
    assert isinstance(seq, yaml.SequenceNode)
    item = quoted(value)
    if seq.flow_style:
        if seq.value:
            at = seq.value[-1].end_mark.index
            insert = f", {item}"
        else:
            at = seq.start_mark.index + 1  # just inside « [ »
            insert = item
        new = text[:at] + insert + text[at:]
        return Edited(new, new.count("\n", 0, at) + 1)
    last = seq.value[-1]
    # A block item ends where its last character is; a block text (|-) ends at the start of
    # the next line, which is then where the new line goes.
    end = last.end_mark.index
    at = end if last.end_mark.column == 0 else _after_line(text, max(end - 1, 0))
    prefix = ""
    if at == len(text) and not text.endswith("\n"):
        prefix = "\n"
    dash_column = seq.start_mark.column  # a block list starts at its first « - »
    line = f"{prefix}{' ' * dash_column}- {item}\n"
    new = text[:at] + line + text[at:]
    return Edited(new, new.count("\n", 0, at + len(prefix)) + 1)


def remove_item(text: str, seq: yaml.Node, value: str) -> Edited:
    """``text`` without the last item of ``seq`` equal to ``value`` (what :func:`append_item`
    added); refused when that item shares its line with something else."""
    assert isinstance(seq, yaml.SequenceNode)
    wanted = " ".join(value.split())
    positions = [
        i
        for i, node in enumerate(seq.value)
        if isinstance(node, yaml.ScalarNode) and " ".join(str(node.value).split()) == wanted
    ]
    if not positions:
        raise EditRefused(f"« {wanted} » n'est plus dans la liste")
    i = positions[-1]
    node = seq.value[i]
    if seq.flow_style:
        if i > 0:
            start, end = seq.value[i - 1].end_mark.index, node.end_mark.index
        elif len(seq.value) > 1:
            start, end = node.start_mark.index, seq.value[1].start_mark.index
        else:
            start, end = node.start_mark.index, node.end_mark.index
        new = text[:start] + text[end:]
        return Edited(new, text.count("\n", 0, start) + 1)
    start = _line_start(text, node.start_mark.index)
    end = _after_line(text, max(node.end_mark.index - 1, node.start_mark.index))
    removed = text[start:end]
    if not removed.lstrip(" ").startswith("-") or removed.count("\n") > 1:
        raise EditRefused("la ligne de cette question a été modifiée : retirez-la à la main")
    return Edited(text[:start] + text[end:], text.count("\n", 0, start) + 1)
