"""YAML mistakes explained in French, by kind, at the line where the mistake starts.

PyYAML reports where it *noticed* a problem, in English (« did not find expected '-'
indicator »), often a line or more after the real mistake: an unclosed bracket on the last line
is reported past the end of the file. :func:`diagnose` reads the text around that position and
names the mistake a staff member made: a tab, a missing space after « : » or « - », a text
holding « : » or « # » that needs quotes, an unclosed quote or bracket, or an indentation that
differs from the lines at the same level. For the last one the line named is the odd one out,
not always where PyYAML stopped: the first line of a list or of a text sets the indentation of
the lines after it, so a first line one space off is noticed on the next, well-placed line.
Anything else keeps a general hint, in French.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# « nom:"Foo" », « - id:2 »: a key glued to its value (a URL's « http:// » is not one).
_GLUED_COLON: Final = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:(?![\s/]|$)")
# « -"texte" », « -texte »: a list dash glued to its item (« --- » and « -1 » are not).
_GLUED_DASH: Final = re.compile(r"^\s*-(?=[^\s\d-])")
# « pour: Horaires : 9h », « - Lundi: 9h »: a plain text value that holds « : ».
_COLON_IN_TEXT: Final = re.compile(r"^\s*(?:-\s+)?[^\s\"'#][^:#]*:\s+[^\"'\s|>\[{].*:(\s|$)")
# « - Lundi: 9h » in a list of texts is read as a fiche, not a text (reported by the loader).
_BLOCK_SCALAR: Final = re.compile(r":\s*[|>][+-]?\d*\s*(#.*)?$")
# A line's value, after its dash and key; « #mot » in a plain one is dropped as a comment.
_VALUE: Final = re.compile(r"^\s*(?:-\s+)?(?:[\w-]+:(?:\s+|$))?(?P<value>.*)$")
# « clé: … » at the start of a line (no space before « : », unlike a French « texte : »).
_KEY: Final = re.compile(
    r"""^(?:"[^"]*"|'[^']*'|[^\s"'#\[\]{},|>&*!%@`-][^:#]*?[^\s:#]|\w):(?:\s|$)"""
)


@dataclass(frozen=True)
class Diagnosis:
    """Where the mistake starts (1-based line), what it is, and how to fix it, in French."""

    line: int
    message: str
    fix: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _clamp(line: int, lines: list[str]) -> int:
    """A line of the file: PyYAML's « end of stream » is one past the last line."""
    last = max((i + 1 for i, text in enumerate(lines) if text.strip()), default=1)
    return max(1, min(line, last))


def _unbalanced_quote(line: str) -> str | None:
    """The quote character left open on this line, if a quoted value starts here."""
    body = line
    match = re.match(r"^\s*(?:-\s+)?(?:[^\s\"':][^:]*:\s+)?([\"'])", body)
    if match is None:
        return None
    quote = match.group(1)
    rest = body[match.end() :]
    if quote == '"':
        rest = rest.replace("\\\\", "").replace('\\"', "")
        return None if '"' in rest else '"'
    return None if "'" in rest.replace("''", "") else "'"


def _brackets(line: str, inside: bool = False) -> Iterator[str]:
    """The brackets of ``line`` outside quotes and before a comment; ``inside``: the line
    starts within brackets (a quote may open a text right away)."""
    quote: str | None = None
    previous = " "
    significant = "," if inside else "-"  # a quote opens a text only after [ { , : -
    for char in line:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "\"'" and significant in "[{,:-":
            quote = char
        elif char == "#" and previous.isspace():
            return  # a comment, even inside brackets: the rest of the line is not read
        elif char in "[{]}":
            yield char
        previous = char
        if not char.isspace():
            significant = char


def _unclosed_bracket(line: str) -> str | None:
    """The bracket left open on this line (outside quotes, before a comment), if any."""
    depth: list[str] = []
    for char in _brackets(line):
        if char in "[{":
            depth.append(char)
        elif depth:
            depth.pop()
    return depth[0] if depth else None


def _tab(lines: list[str], upto: int) -> Diagnosis | None:
    for i, text in enumerate(lines[: upto + 1]):
        if "\t" in text[: len(text) - len(text.lstrip(" \t"))]:
            return Diagnosis(
                i + 1,
                "tabulation dans l'indentation",
                "remplacez la tabulation par des espaces (deux espaces par niveau)",
            )
    return None


def _quote(lines: list[str], upto: int) -> Diagnosis | None:
    for i, text in enumerate(lines[: upto + 1]):
        if not _content(text):
            continue
        quote = _unbalanced_quote(text)
        if quote is not None:
            name = "guillemet ouvert" if quote == '"' else "apostrophe ouverte"
            closed = "fermé" if quote == '"' else "fermée"
            return Diagnosis(
                i + 1,
                f"{name} mais jamais {closed} : le texte continue sur les lignes suivantes",
                f"fermez le texte par « {quote} » à la fin de cette ligne"
                + ("" if quote == '"' else " (une apostrophe dans le texte s'écrit '')"),
            )
    return None


def _bracket(lines: list[str], index: int) -> Diagnosis | None:
    """The nearest line at or above ``index`` that leaves a bracket open (PyYAML may notice it
    at the end of the file, or past it)."""
    for i in range(min(index, len(lines) - 1), -1, -1):
        text = lines[i]
        opened = _unclosed_bracket(text)
        if opened is None:
            continue
        closing = "]" if opened == "[" else "}"
        if re.search(r"\s#", text):
            return Diagnosis(
                i + 1,
                "« # » dans un texte commence un commentaire : la fin de la ligne est ignorée, "
                f"et le « {closing} » avec",
                'mettez entre guillemets le texte qui contient « # », ex. ["atelier #2"]',
            )
        return Diagnosis(
            i + 1,
            f"« {opened} » ouvert mais jamais fermé",
            f"ajoutez « {closing} » à la fin de la liste, sur cette même ligne",
        )
    return None


@dataclass(frozen=True)
class _Node:
    """A line that starts a key or a list item (not a line that continues a text or a list)."""

    index: int  # 0-based
    indent: int
    inner: int  # where the key of « - id: x » starts; else ``indent``
    kind: str  # "key", "dash-key" (« - id: x »), "dash" (« - texte ») or "text"
    inner_kind: str  # the kind at ``inner``: "key" for « - id: x »
    opener: bool  # « clé: » alone: the more indented lines below belong to it


@dataclass
class _Level:
    """Lines at one indentation under the same parent line: the first and the latest so far."""

    col: int
    kind: str
    first: int
    last: int


def _kind(text: str) -> str:
    stripped = text.strip()
    if stripped == "-" or stripped.startswith("- "):
        return "dash"
    return "key" if _KEY.match(stripped) else "text"


def _node(lines: list[str], index: int) -> _Node:
    text = lines[index]
    indent, kind = _indent(text), _kind(text)
    inner, inner_kind = indent, kind
    rest = text.strip()[1:]
    if kind == "dash" and _kind(rest) == "key":
        kind = "dash-key"  # an item of a list of fiches, not of texts
        inner, inner_kind = indent + 1 + _indent(rest), "key"
    opener = inner_kind == "key" and text.split(" #", 1)[0].rstrip().endswith(":")
    return _Node(index, indent, inner, kind, inner_kind, opener)


def _flow_depth(line: str, depth: int) -> int:
    """How many brackets are still open after ``line`` (outside quotes, before a comment)."""
    for char in _brackets(line, inside=bool(depth)):
        if char in "[{":
            depth += 1
        elif depth:
            depth -= 1
    return depth


def _nodes(lines: list[str]) -> list[_Node]:
    """The lines that start a key or an item: not comments, nor the lines that go on with a
    « |- » text, a list in brackets or a text from the line above."""
    out: list[_Node] = []
    depth = 0
    block: int | None = None  # after « clé: |- », the text: the lines more indented than the key
    for i, text in enumerate(lines):
        if depth:
            depth = _flow_depth(text, depth)
            continue
        if block is not None:
            if not text.strip() or _indent(text) > block:
                continue
            block = None
        if not _content(text):
            continue
        node = _node(lines, i)
        if out and node.kind == "text" and not out[-1].opener and node.indent > out[-1].inner:
            continue  # a text going on from the line above
        out.append(node)
        if _BLOCK_SCALAR.search(text):
            block = node.inner
        else:
            depth = _flow_depth(text, 0)
    return out


def _levels(nodes: list[_Node]) -> list[_Level]:
    """The indentations open after ``nodes``, outermost first, as YAML nests them."""
    levels: list[_Level] = []
    for node in nodes:
        while levels and levels[-1].col > node.indent:
            levels.pop()
        if levels and levels[-1].col == node.indent:
            levels[-1].last = node.index
        else:
            levels.append(_Level(node.indent, node.kind, node.index, node.index))
        if node.inner != node.indent:
            levels.append(_Level(node.inner, node.inner_kind, node.index, node.index))
    return levels


def _spaces(count: int) -> str:
    """« 1 espace », « 4 espaces » (« 0 espace » in French, as « 1 »)."""
    return f"{count} espace" + ("s" if count > 1 else "")


def _odd_one(here: int, others: int) -> str:
    return f"indentation différente des lignes voisines ({_spaces(here)} au lieu de {others})"


def _align(line: int, here: int, col: int, others: list[int]) -> Diagnosis:
    """``line`` (0-based) has ``here`` spaces; ``others`` around it (0-based) have ``col``."""
    shown = sorted({i + 1 for i in others})
    which = (
        f"des lignes {' et '.join(map(str, shown))}"
        if len(shown) > 1
        else f"de la ligne {shown[0]}"
    )
    return Diagnosis(
        line + 1,
        _odd_one(here, col),
        f"alignez le début de la ligne sur celui {which} ({_spaces(col)}), "
        "avec des espaces seulement",
    )


def _misaligned_text(lines: list[str], index: int) -> Diagnosis | None:
    """A line of a « |- » text less indented than the text's first line (or the first line
    not more indented than its key): YAML ends the text there and reads the rest as fields."""
    header = next(
        (
            h
            for h in range(min(index, len(lines)) - 1, -1, -1)
            if _content(lines[h]) and _BLOCK_SCALAR.search(lines[h])
        ),
        None,
    )
    if header is None:
        return None
    key = _node(lines, header)
    region: list[int] = []  # the text, and the lines further left that can only be text
    after: _Node | None = None
    first = key.inner + 1
    for j in range(header + 1, len(lines)):
        text = lines[j]
        if not text.strip():
            continue
        if key.inner < _indent(text) >= first or (_content(text) and _kind(text) == "text"):
            if not region:
                first = _indent(text)
            region.append(j)
            continue
        after = _node(lines, j) if _content(text) else None
        break
    if not region or not region[0] <= index <= region[-1] + 1:
        return None
    later = [_indent(lines[j]) for j in region[1:]]
    deeper = [col for col in later if col > key.inner]
    if first <= key.inner:
        if (
            after is not None
            and after.kind == key.kind
            and after.indent < key.indent
            and min(later, default=first) >= after.inner + 2 <= first
        ):
            # The key moved right, not its text: the key goes back to its neighbours.
            return _align(header, key.indent, after.indent, [after.index])
        col = min(deeper, default=key.inner + 2)
        return Diagnosis(
            region[0] + 1,
            f"le texte commencé ligne {header + 1} doit être plus indenté que sa clé "
            f"({_spaces(first)} au lieu de {col})",
            f"alignez le début de la ligne sur celui des autres lignes du texte ({_spaces(col)}), "
            "avec des espaces seulement",
        )
    low = [j for j in region if _indent(lines[j]) < first]
    if not low:
        return None
    common = min(later)
    usual = key.inner + 2
    alone = first not in later and (common == usual or (later.count(common) > 1 and first != usual))
    if common > key.inner and alone:
        # The first line alone is further right: it sets the indentation of the whole text.
        return Diagnosis(
            region[0] + 1,
            _odd_one(first, common),
            "alignez le début de la ligne sur celui des lignes suivantes du texte "
            f"({_spaces(common)}), avec des espaces seulement",
        )
    return Diagnosis(
        low[0] + 1,
        f"ligne du texte commencé ligne {header + 1} moins indentée que sa première ligne "
        f"({_spaces(_indent(lines[low[0]]))} au lieu de {first})",
        f"alignez le début de la ligne sur celui de la ligne {region[0] + 1} ({_spaces(first)}), "
        "avec des espaces seulement",
    )


def _indentation(lines: list[str], index: int) -> Diagnosis | None:
    """The line whose indentation differs from the lines at its level. PyYAML notices the
    mistake on that line, on the line after it, or after a block whose first line set a wrong
    indentation for the lines that follow."""
    if not 0 <= index < len(lines) or not _content(lines[index]):
        return None
    text = _misaligned_text(lines, index)
    if text is not None:
        return text
    nodes = _nodes(lines)
    before = [n for n in nodes if n.index < index]
    if not before:
        return None
    me = _node(lines, index)
    here = me.indent
    above = before[-1]
    below = next((n for n in nodes if n.index > index), None)
    # A line further up moved left, between lines that share an indentation: YAML read the
    # lines after it as the continuation of its text, until this one.
    chain = [*before, me]
    for k in range(len(before) - 1, 0, -1):
        prior, odd, after = chain[k - 1], chain[k], chain[k + 1]
        first = prior.opener and odd.indent <= prior.inner < after.indent  # its first line
        if (
            not odd.opener
            and after.indent > odd.inner
            and odd.kind == after.kind
            and (first or (prior.indent == after.indent and prior.kind == odd.kind))
            and not _BLOCK_SCALAR.search(lines[odd.index])
        ):
            return _align(odd.index, odd.indent, after.indent, [prior.index, after.index])
    # The line above is the odd one out: the lines around it share an indentation.
    if len(before) > 1 and not above.opener and above.indent != here and above.kind == me.kind:
        prior = before[-2]
        if prior.opener and above.indent <= prior.inner < here:
            return _align(above.index, above.indent, here, [index])  # its first line
        if prior.inner == here and prior.inner_kind == me.kind and not prior.opener:
            return _align(above.index, above.indent, here, [prior.index, index])
    # The line above moved left, past the level of this line: it cannot hold this line.
    if len(before) > 1 and not above.opener and above.indent < here:
        earlier = _levels(before[:-1])
        homes = [lv for lv in earlier if lv.kind == above.kind and lv.col > above.indent]
        if homes and any(lv.col == here and lv.kind == me.kind for lv in earlier):
            return _align(above.index, above.indent, homes[-1].col, [homes[-1].last])
    # This line is the odd one out between the line above and the line below.
    child = me.opener and below is not None and below.indent > here
    if below is not None and not child and not (above.opener and here > above.inner):
        for col, kind in ((above.indent, above.kind), (above.inner, above.inner_kind)):
            if col == below.indent != here and kind == me.kind == below.kind:
                return _here(me, col, above, below, adjacent=True)
    return _block(lines, nodes, before, me, below)


def _here(me: _Node, col: int, target: _Node, below: _Node | None, adjacent: bool) -> Diagnosis:
    """This line differs from ``target``, the latest line at the level it belongs to."""
    line = target.index + 1
    where = "du dessus" if adjacent else f"{line}, au même niveau"
    also = f" et de la ligne {below.index + 1}" if below and below.indent == col else ""
    onto = (
        f"sur le premier champ de la ligne {line}, après le tiret"
        if target.inner == col != target.indent
        else f"sur celui de la ligne {line}{also}"
    )
    return Diagnosis(
        me.index + 1,
        f"indentation différente de la ligne {where} ({_spaces(me.indent)} au lieu de {col})",
        f"alignez le début de la ligne {onto} ({_spaces(col)}), avec des espaces seulement",
    )


def _closing(
    lines: list[str], before: list[_Node], last: int, me: _Node, inner: _Level, below: _Node | None
) -> Diagnosis | None:
    """Line ``last`` moved left, out of the level of this line: « clé: » like this line, its
    level was open just before it, and this line could not be one of the lines under it."""
    closing = _node(lines, last)
    # Both hold lines of the same indentation, or this line cannot be among its lines.
    holds = me.opener and below is not None and below.indent == inner.col
    alike = closing.kind == me.kind and closing.opener and (holds or me.kind != inner.kind)
    if not alike or closing.indent >= me.indent:
        return None
    earlier = [n for n in before if n.index < last]
    same = [lv.last for lv in _levels(earlier) if lv.col == me.indent and lv.kind == me.kind]
    if not same and not (earlier and earlier[-1].opener and earlier[-1].inner >= closing.indent):
        return None
    return _align(last, closing.indent, me.indent, [*same, me.index])


def _childless(
    lines: list[str], before: list[_Node], inner: _Level, me: _Node, below: _Node | None
) -> Diagnosis | None:
    """The first line of the level that closed moved right, level with the lines that belong
    to it: « clé: » with nothing under it, followed by lines like this line's."""
    first = _node(lines, inner.first)
    after = next((n for n in before if n.index > first.index), None)
    if (
        first.opener
        and first.kind == me.kind
        and me.opener
        and after is not None
        and after.indent == first.indent
        and below is not None
        and below.indent == first.indent
    ):
        return _align(first.index, first.indent, me.indent, [me.index])
    return None


def _meant(
    lines: list[str], levels: list[_Level], popped: list[_Level], me: _Node, below: _Node | None
) -> tuple[_Level, list[_Level]]:
    """The level a line was meant for, when it is left of the levels ``popped`` (innermost
    first) and right of ``levels``; and the levels it sits under."""
    stack = levels + popped[::-1]
    outer = levels[-1] if levels else None
    # A line with lines under it is left of them.
    fits = [lv for lv in popped if below is None or not me.opener or lv.col < below.indent]
    same = [lv for lv in fits if lv.kind == me.kind]
    if outer is None:
        return popped[-1], levels
    holder = _node(lines, outer.last)
    inside = _opens(holder) and me.indent >= holder.inner  # among the lines under it
    closer = me.indent - outer.col < popped[-1].col - me.indent
    if same and (inside or outer.kind != me.kind):
        level = min(same, key=lambda lv: (abs(lv.col - me.indent), lv.col))
    elif not fits or me.kind == outer.kind or closer:
        level = outer
    else:
        level = popped[-1]
    return level, stack[: stack.index(level)]


def _opens(node: _Node) -> bool:
    """Lines more indented than this one belong to it (« clé: », « - id: x »)."""
    return node.opener or node.inner != node.indent


def _block(
    lines: list[str], nodes: list[_Node], before: list[_Node], me: _Node, below: _Node | None
) -> Diagnosis | None:
    """The level this line was meant for, and whether this line or that level's first line is
    wrong: the indentation shared by most lines at that level, under the same parent, wins."""
    index, here = me.index, me.indent
    levels = _levels(before)
    above = before[-1]
    if here > levels[-1].col:
        if above.opener:
            return None  # the first line under « clé: »
        level, parents = levels[-1], levels[:-1]
    else:
        popped: list[_Level] = []
        while levels and levels[-1].col > here:
            popped.append(levels.pop())
        if levels and levels[-1].col == here:
            if levels[-1].kind == me.kind:
                return None  # aligned with a level that is open
            if popped and popped[-1].kind == me.kind:
                level, parents = popped[-1], levels  # a field under « - » aligned on the dash
            else:
                # « - » aligned on a field: the closest open level of items.
                alike = [i for i, lv in enumerate(levels) if lv.kind == me.kind]
                if not alike:
                    return None
                level, parents = levels[alike[-1]], levels[: alike[-1]]
        else:
            inner, outer = popped[-1], (levels[-1] if levels else None)
            odd = _childless(lines, before, inner, me, below) or (
                _closing(lines, before, outer.last, me, inner, below) if outer else None
            )
            if odd is not None:
                return odd
            level, parents = _meant(lines, levels, popped, me, below)
    parent = parents[-1] if parents else None
    start = parent.last if parent else -1
    floor = parent.col if parent else -1
    floor_kind = _node(lines, start).kind if parent else ""
    # How many lines at each indentation and kind directly under the parent line.
    counts: dict[tuple[int, str], int] = {}
    open_cols: list[int] = []
    for node in nodes:
        if node.index <= start:
            continue
        if node.indent < min(floor, here) or (node.indent <= floor and node.kind == floor_kind):
            break
        while open_cols and open_cols[-1] >= node.indent:
            open_cols.pop()
        if not open_cols and node.index != index:
            counts[(node.indent, node.kind)] = counts.get((node.indent, node.kind), 0) + 1
        if _opens(node):
            open_cols.append(node.indent)
    on_dash = level.first == start  # the level of the fields of « - id: x »
    shared = counts.get((level.col, level.kind), 0) + (1 if on_dash else 0)
    mine = counts.get((here, me.kind), 0) + 1
    usual = parent.col + 2 if parent else 0
    wins = mine > shared or (mine == shared and here == usual != level.col)
    if wins and on_dash and parent is not None:
        # The dash line is the odd one out only when the item's other fields all agree, and
        # it is not aligned with the other items of its list.
        dash = _node(lines, start)
        prior = [n for n in before if n.index < start and n.indent <= dash.indent]
        later = next((n for n in nodes if n.index > index and n.kind == dash.kind), None)
        aligned = any(
            n is not None and n.indent == dash.indent and n.kind == dash.kind
            for n in (prior[-1] if prior else None, later)
        )
        wins = shared == 1 and not aligned
    if wins:
        move = here - level.col
        side = "droite" if move > 0 else "gauche"
        if on_dash:
            dash = _node(lines, start)
            return Diagnosis(
                start + 1,
                "indentation différente des lignes voisines : le champ après le tiret commence "
                f"à {_spaces(level.col)}, les champs suivants à {here}",
                f"décalez la ligne de {_spaces(abs(move))} vers la {side} (le tiret à "
                f"{_spaces(dash.indent + move)}), avec des espaces seulement",
            )
        if level.first == level.last:
            return _align(level.first, level.col, here, [index])
        first = level.first + 1
        return Diagnosis(
            first,
            _odd_one(level.col, here) + f" : les lignes {first} à {index} en ont {level.col}",
            f"décalez les lignes {first} à {index} de {_spaces(abs(move))} vers la {side}, "
            f"pour les aligner sur la ligne {index + 1} ({_spaces(here)})",
        )
    target = _node(lines, level.last)
    return _here(me, level.col, target, below, adjacent=level.last == above.index)


def _glued(lines: list[str], index: int) -> Diagnosis | None:
    text = lines[index] if 0 <= index < len(lines) else ""
    if _GLUED_DASH.match(text):
        return Diagnosis(
            index + 1,
            "il manque une espace après le tiret « - »",
            'écrivez « - » puis une espace, puis le texte : - "ma question"',
        )
    if _GLUED_COLON.match(text):
        return Diagnosis(
            index + 1,
            "il manque une espace après les deux-points « : »",
            'écrivez une espace après « : », ex. nom: "Maison des familles"',
        )
    return None


def _colon_text(lines: list[str], index: int) -> Diagnosis | None:
    text = lines[index] if 0 <= index < len(lines) else ""
    if _COLON_IN_TEXT.match(text):
        return Diagnosis(
            index + 1,
            "ce texte contient « : » et YAML le prend pour un nouveau champ",
            'mettez tout le texte entre guillemets, ex. pour: "Horaires : 9h-12h"',
        )
    return None


def diagnose(text: str) -> Diagnosis | None:
    """The first YAML syntax mistake of ``text`` in French, or ``None`` when it parses."""
    try:
        yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return explain(text, exc)
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a position
        return Diagnosis(1, f"erreur de syntaxe YAML ({exc})", _GENERAL_FIX)
    return None


_GENERAL_FIX: Final = (
    "vérifiez l'indentation (des espaces, alignées sur la ligne du dessus), l'espace après "
    "« : » et « - », et mettez entre guillemets un texte qui contient « : » ou « # »"
)


def explain(text: str, exc: yaml.MarkedYAMLError) -> Diagnosis:
    """Name the mistake behind PyYAML's error ``exc`` on ``text``."""
    lines = text.splitlines()
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark is not None else 0  # 0-based
    opened = exc.context_mark.line if exc.context_mark is not None else at
    found = (
        _tab(lines, at)
        or (_quote(lines, opened) if "quoted scalar" in context else None)
        or (_bracket(lines, opened) if "flow" in context else None)
        or (_glued(lines, opened) if "simple key" in context else None)
        or (_colon_text(lines, at) if "mapping values" in problem else None)
        or _quote(lines, at)
        or _glued(lines, at)
        or _indentation(lines, at)
        or (_indentation(lines, opened) if "simple key" in context else None)
        or _bracket(lines, opened)
    )
    if found is not None:
        # « erreur de syntaxe YAML » first: staff learn the words, and search for them.
        message = f"erreur de syntaxe YAML : {found.message}"
        return Diagnosis(_clamp(found.line, lines), message, found.fix)
    return Diagnosis(
        _clamp(at + 1, lines),
        "erreur de syntaxe YAML : cette ligne ne se lit ni comme « champ: valeur » ni comme "
        "« - élément »",
        _GENERAL_FIX,
    )


def hash_warnings(text: str) -> list[Diagnosis]:
    """Lines where an unquoted text holds « #mot »: YAML silently drops the rest as a comment
    (« nom: Salle #2 » gives « Salle »). The file parses, so this is a warning."""
    out: list[Diagnosis] = []
    block_indent: int | None = None  # inside « |- » or « >- » text, « # » is plain text
    for i, line in enumerate(text.splitlines()):
        if block_indent is not None:
            if not line.strip() or _indent(line) > block_indent:
                continue
            block_indent = None
        if _BLOCK_SCALAR.search(line):
            block_indent = _indent(line)
            continue
        match = _VALUE.match(line)
        value = match.group("value") if match else ""
        plain = value[:1] not in ("", '"', "'", "[", "{", "#", "|", ">")
        if _content(line) and plain and re.search(r"\s#\S", value):
            out.append(
                Diagnosis(
                    i + 1,
                    "« # » dans un texte sans guillemets : la suite de la ligne est ignorée",
                    'mettez le texte entre guillemets, ex. nom: "Salle #2"',
                )
            )
    return out
