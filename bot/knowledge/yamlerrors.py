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


def _indentation(lines: list[str], index: int) -> Diagnosis | None:
    if not 0 <= index < len(lines) or not _content(lines[index]):
        return None
    above = _previous_content(lines, index)
    if above is None:
        return None
    here, there = _indent(lines[index]), _indent(lines[above])
    if here == there:
        return None
    opener = lines[above].split(" #", 1)[0].rstrip().endswith(":")
    if here > there and opener:
        return None
    # Where a sibling of this line starts: the closest line above at a lower or equal level.
    levels = {_indent(text) for text in lines[:index] if _content(text)}
    if here < there and here in levels:
        return None
    fix = (
        f"alignez le début de la ligne sur celui de la ligne {above + 1} ({there} espaces), "
        "avec des espaces seulement"
    )
    return Diagnosis(
        index + 1,
        f"indentation différente de la ligne du dessus ({here} espaces au lieu de {there})",
        fix,
    )


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
