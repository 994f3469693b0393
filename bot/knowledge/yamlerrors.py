"""YAML mistakes explained in French, by kind, at the line where the mistake starts.

PyYAML reports where it *noticed* a problem, in English (« did not find expected '-'
indicator »), often a line or more after the real mistake: an unclosed bracket on the last line
is reported past the end of the file. :func:`diagnose` reads the text around that position and
names the mistake a staff member made: an indentation that differs from the line above, a tab,
a missing space after « : » or « - », a text holding « : » or « # » that needs quotes, an
unclosed quote or bracket. Anything else keeps a general hint, in French.
"""

from __future__ import annotations

import re
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
_KEY: Final = re.compile(r"""^(?:"[^"]*"|'[^']*'|[^\s"'#\[\]{},|>&*!%@`-][^:#]*?[^\s:#]|\w):(?:\s|$)""")


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


def _previous_content(lines: list[str], index: int) -> int | None:
    """Index of the last non-blank, non-comment line before ``index`` (0-based)."""
    for i in range(index - 1, -1, -1):
        if _content(lines[i]):
            return i
    return None


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


def _unclosed_bracket(line: str) -> str | None:
    """The bracket left open on this line (outside quotes, before a comment), if any."""
    depth: list[str] = []
    quote: str | None = None
    previous = " "
    significant = "-"  # last non-space character: a quote opens a text only after [ , : -
    for char in line:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "\"'" and significant in "[{,:-":
            quote = char
        elif char == "#" and previous.isspace():
            break  # a comment, even inside brackets: the rest of the line is not read
        elif char in "[{":
            depth.append(char)
        elif char in "]}" and depth:
            depth.pop()
        previous = char
        if not char.isspace():
            significant = char
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
    """A line that starts a key or a list item (not a continuation of a text or a list)."""

    index: int  # 0-based
    indent: int
    inner: int  # where the key of « - id: x » starts; else ``indent``
    kind: str  # "key", "dash" or "text"
    inner_kind: str  # the kind at ``inner``: "key" for « - id: x »
    opener: bool  # « clé: » alone: the lines below, more indented, belong to it


@dataclass
class _Level:
    """Lines at one indentation, under the same parent: the first and the latest so far."""

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
    if kind == "dash":
        rest = text.strip()[1:]
        if rest.strip() and _kind(rest) == "key":
            inner, inner_kind = indent + 1 + _indent(rest), "key"
    body = text.split(" #", 1)[0].rstrip()
    opener = inner_kind == "key" and body.endswith(":")
    return _Node(index, indent, inner, kind, inner_kind, opener)


def _flow_depth(line: str, depth: int) -> int:
    """Brackets still open after ``line`` (outside quotes, before a comment)."""
    quote: str | None = None
    previous = " "
    significant = "," if depth else "-"  # a quote opens a text only after [ { , : -
    for char in line:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "\"'" and significant in "[{,:-":
            quote = char
        elif char == "#" and previous.isspace():
            break
        elif char in "[{":
            depth += 1
        elif char in "]}" and depth:
            depth -= 1
        previous = char
        if not char.isspace():
            significant = char
    return depth


def _nodes(lines: list[str]) -> list[_Node]:
    """The lines that start a key or an item, skipping comments, the lines of a « |- » text,
    of a list in brackets and of a text that goes on to the next line."""
    out: list[_Node] = []
    depth = 0
    block: int | None = None  # inside « clé: |- », the lines more indented than the key
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
        if out and node.kind == "text":
            last = out[-1]
            if not last.opener and node.indent > last.inner:
                continue  # a text going on from the line above
        out.append(node)
        if _BLOCK_SCALAR.search(text):
            block = node.inner
        else:
            depth = _flow_depth(text, 0)
    return out


def _levels(nodes: list[_Node]) -> list[_Level]:
    """The indentations open after ``nodes``, outermost first (YAML's nesting)."""
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
    return f"{count} espace" + ("s" if count > 1 else "")


def _odd_line(line: int, here: int, others: int) -> str:
    return f"indentation différente des lignes voisines ({here} espaces au lieu de {others})"


def _misaligned_text(lines: list[str], index: int) -> Diagnosis | None:
    """A line of a « |- » text less indented than the text's first line: the text stops there
    and YAML reads the rest as fields."""
    header = next(
        (h for h in range(min(index, len(lines)) - 1, -1, -1) if _content(lines[h])),
        None,
    )
    while header is not None and not (
        _content(lines[header]) and _BLOCK_SCALAR.search(lines[header])
    ):
        header = header - 1 if header > 0 else None
    if header is None:
        return None
    key = _node(lines, header).inner
    region: list[int] = []
    for j in range(header + 1, len(lines)):
        text = lines[j]
        if not text.strip():
            continue
        if _indent(text) > key or (_content(text) and _kind(text) == "text"):
            region.append(j)
            continue
        break
    if not region or not region[0] <= index <= region[-1] + 1:
        return None
    first = _indent(lines[region[0]])
    later = [_indent(lines[j]) for j in region[1:]]
    low = [j for j in region if _indent(lines[j]) < first]
    if not low:
        return None
    common = min(later)
    if common > key and (later.count(common) > 1 or common == key + 2):
        # The first line alone is further right: the text's indentation is set by it.
        return Diagnosis(
            region[0] + 1,
            _odd_line(region[0], first, common),
            f"alignez le début de la ligne sur celui des lignes suivantes du texte "
            f"({common} espaces), avec des espaces seulement",
        )
    return Diagnosis(
        low[0] + 1,
        f"ligne du texte commencé ligne {header + 1} moins indentée que sa première ligne "
        f"({_indent(lines[low[0]])} espaces au lieu de {first})",
        f"alignez le début de la ligne sur celui de la ligne {region[0] + 1} ({first} espaces), "
        "avec des espaces seulement",
    )


def _indentation(lines: list[str], index: int) -> Diagnosis | None:
    """The line whose indentation differs from the lines at its level: PyYAML notices the
    mistake at ``index``, which is that line, or the line after it, or the line after a block
    whose first line set a wrong indentation."""
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
    # The line above is the odd one out: its neighbours share an indentation, not it.
    if len(before) > 1 and not above.opener and above.indent != here:
        prior = before[-2]
        if (
            prior.inner == here
            and prior.inner_kind == above.kind == me.kind
            and not (prior.opener and above.indent > prior.inner)
        ):
            return _blame_odd(above.index, above.indent, here, [prior, me])
    # This line is the odd one out between the line above and the line below.
    if below is not None and not (above.opener and here > above.indent):
        for col, kind in ((above.indent, above.kind), (above.inner, above.inner_kind)):
            if col == below.indent != here and kind == me.kind == below.kind:
                return _blame_here(index, here, col, above, below, above.index == index - 1)
    return _blame_block(lines, nodes, before, me, below)


def _blame_odd(line: int, here: int, col: int, neighbours: list[_Node]) -> Diagnosis:
    around = [n.index + 1 for n in neighbours if n.indent == col]
    where = " et ".join(f"{n}" for n in around)
    which = f"des lignes {where}" if len(around) > 1 else f"de la ligne {where}"
    return Diagnosis(
        line + 1,
        _odd_line(line, here, col),
        f"alignez le début de la ligne sur celui {which} ({col} espaces), qui l'entourent, "
        "avec des espaces seulement",
    )


def _blame_here(
    index: int, here: int, col: int, target: _Node, below: _Node | None, adjacent: bool
) -> Diagnosis:
    """This line differs from ``target``, the latest line at the level it belongs to."""
    line = target.index + 1
    on_dash = target.inner == col != target.indent
    where = "du dessus" if adjacent else f"{line}, au même niveau"
    also = f" et de la ligne {below.index + 1}" if below and below.indent == col else ""
    onto = (
        f"sur le premier champ de la ligne {line}, après le tiret"
        if on_dash
        else f"sur celui de la ligne {line}{also}"
    )
    return Diagnosis(
        index + 1,
        f"indentation différente de la ligne {where} ({here} espaces au lieu de {col})",
        f"alignez le début de la ligne {onto} ({col} espaces), avec des espaces seulement",
    )


def _blame_block(
    lines: list[str], nodes: list[_Node], before: list[_Node], me: _Node, below: _Node | None
) -> Diagnosis | None:
    """Which level this line was meant for, and whether it or that level's lines are wrong:
    the indentation most lines of the level share wins."""
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
        if not popped or (levels and levels[-1].col == here):
            return None  # aligned with a level that is open
        inner, outer = popped[-1], (levels[-1] if levels else None)
        if outer is None or (me.kind == inner.kind != outer.kind):
            level, parents = inner, levels
        elif me.kind == outer.kind != inner.kind or here - outer.col < inner.col - here:
            level, parents = outer, levels[:-1]
        else:
            level, parents = inner, levels
    parent = parents[-1] if parents else None
    start, floor = (parent.last, parent.col) if parent else (-1, -1)
    # How many lines at each indentation directly under the parent (not under a sub-list).
    counts: dict[int, int] = {}
    open_cols: list[int] = []
    for node in nodes:
        if node.index <= start or node.index == index:
            continue
        if node.indent <= floor:
            break
        while open_cols and open_cols[-1] >= node.indent:
            open_cols.pop()
        if not open_cols:
            counts[node.indent] = counts.get(node.indent, 0) + 1
        if node.opener or node.inner != node.indent:
            open_cols.append(node.indent)
    shared = counts.get(level.col, 0) + (1 if level.first == start else 0)
    mine = counts.get(here, 0) + 1
    usual = parent.col + 2 if parent else 0
    first_wrong = mine > shared or (mine == shared and here == usual != level.col)
    if first_wrong and level.first != start:
        first = level.first + 1
        if level.first == level.last:
            return Diagnosis(
                first,
                _odd_line(level.first, level.col, here),
                "alignez le début de la ligne sur celui des lignes voisines du même niveau "
                f"(ligne {index + 1} : {here} espaces), avec des espaces seulement",
            )
        side = "droite" if here > level.col else "gauche"
        return Diagnosis(
            first,
            _odd_line(level.first, level.col, here)
            + f" : les lignes {first} à {index} ont toutes {level.col} espaces",
            f"décalez les lignes {first} à {index} de {_spaces(abs(here - level.col))} vers la "
            f"{side}, pour les aligner sur la ligne {index + 1} ({here} espaces)",
        )
    target = _node(lines, level.last)
    return _blame_here(index, here, level.col, target, below, level.last == above.index)


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
