"""Theme pictograms drawn as vector shapes, for the printed flyers and the links page.

Emoji only print where the machine has an emoji font; these shapes print everywhere. Each icon
is a few SVG paths on a 24 × 24 grid (y pointing down) written with absolute ``M``, ``L``, ``C``
and ``Z`` commands only, so the same data feeds the inline SVG of ``liens.html`` and, through
:func:`path_commands`, the PDF canvas of ``flyers.pdf``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from typing import Final

GRID: Final = 24.0
INK: Final = "ink"  # the icon's colour, chosen by whoever draws it
PAPER: Final = "paper"  # the colour behind the icon: cut-outs and separations

# A quarter circle drawn with one cubic curve: control points at this fraction of the radius.
_KAPPA: Final = 0.5523


@dataclass(frozen=True)
class Shape:
    d: str  # SVG path data, absolute M/L/C/Z only
    stroke: float = 0.0  # line width in grid units; 0 fills the path instead
    color: str = INK  # INK, PAPER or a "#rrggbb" colour that stays whatever the ink


Icon = tuple[Shape, ...]


def circle(cx: float, cy: float, r: float) -> str:
    k = r * _KAPPA
    return (
        f"M{cx + r} {cy} C{cx + r} {cy + k} {cx + k} {cy + r} {cx} {cy + r} "
        f"C{cx - k} {cy + r} {cx - r} {cy + k} {cx - r} {cy} "
        f"C{cx - r} {cy - k} {cx - k} {cy - r} {cx} {cy - r} "
        f"C{cx + k} {cy - r} {cx + r} {cy - k} {cx + r} {cy} Z"
    )


def _person(x: float, head_y: float, head: float, shoulders: float, bottom: float) -> str:
    """A head and rounded shoulders: the silhouette every people pictogram is made of."""
    top = head_y + head + 1.2
    left, right = x - shoulders, x + shoulders
    return (
        circle(x, head_y, head) + f" M{left} {bottom} C{left} {top + 2} {x - 2} {top} {x} {top} "
        f"C{x + 2} {top} {right} {top + 2} {right} {bottom} Z"
    )


_PEOPLE: Final[Icon] = (Shape(_person(7, 7, 3, 5, 21)), Shape(_person(17, 7, 3, 5, 21)))
_FAMILY: Final[Icon] = (
    Shape(_person(6.5, 5.5, 2.6, 4.5, 21)),
    Shape(_person(17.5, 5.5, 2.6, 4.5, 21)),
    # The child stands in front: a band of paper around it keeps it apart from the adults.
    Shape(_person(12, 12.5, 2.1, 3.2, 21), stroke=1.6, color=PAPER),
    Shape(_person(12, 12.5, 2.1, 3.2, 21)),
)
_BRIEFCASE: Final[Icon] = (
    Shape("M9 8 L9 4.5 L15 4.5 L15 8", stroke=1.8),
    Shape(
        "M4.5 8 L19.5 8 C20.9 8 22 9.1 22 10.5 L22 18.5 C22 19.9 20.9 21 19.5 21 L4.5 21 "
        "C3.1 21 2 19.9 2 18.5 L2 10.5 C2 9.1 3.1 8 4.5 8 Z"
    ),
    Shape("M2 13.5 L22 13.5", stroke=1.2, color=PAPER),
)
_HEALTH: Final[Icon] = (
    Shape(
        "M9 2.5 L15 2.5 L15 9 L21.5 9 L21.5 15 L15 15 L15 21.5 L9 21.5 L9 15 L2.5 15 L2.5 9 L9 9 Z"
    ),
)
_LEAF: Final[Icon] = (
    Shape("M5 19 C5 9 11 3.5 21 3.5 C21 13 15.5 19 5 19 Z"),
    Shape("M8 16 L16.5 7.5", stroke=1.3, color=PAPER),
    Shape("M6 18 L2.5 21.5", stroke=1.8),
)
_SHIELD: Final[Icon] = (
    Shape("M12 2 L20.5 5 L20.5 11 C20.5 16.2 16.8 19.8 12 22 C7.2 19.8 3.5 16.2 3.5 11 L3.5 5 Z"),
    Shape("M8 12 L11 15 L16.5 8.5", stroke=2, color=PAPER),
)
_SCALES: Final[Icon] = (
    Shape("M12 4 L12 20.5 M7 21 L17 21 M3.5 7 L20.5 7", stroke=1.8),
    Shape("M4 7 L1.8 14 M4 7 L6.2 14 M20 7 L17.8 14 M20 7 L22.2 14", stroke=1),
    Shape("M1 14 L7 14 C7 17.6 1 17.6 1 14 Z M17 14 L23 14 C23 17.6 17 17.6 17 14 Z"),
    Shape(circle(12, 4, 1.8)),
)
_FLAG: Final[Icon] = (
    Shape("M4 2.5 L4 22", stroke=1.8),
    Shape("M5 4 L10 4 L10 15 L5 15 Z", color="#1f4fa3"),
    Shape("M10 4 L15 4 L15 15 L10 15 Z", color=PAPER),
    Shape("M15 4 L20.5 4 L20.5 15 L15 15 Z", color="#d0202e"),
    Shape("M5 4 L20.5 4 L20.5 15 L5 15 Z", stroke=1),
)
_QUESTION: Final[Icon] = (
    Shape(
        "M4 3.5 L20 3.5 C21.1 3.5 22 4.4 22 5.5 L22 15 C22 16.1 21.1 17 20 17 L10.5 17 "
        "L5.5 21.5 L6 17 L4 17 C2.9 17 2 16.1 2 15 L2 5.5 C2 4.4 2.9 3.5 4 3.5 Z"
    ),
)
TELEGRAM: Final[Icon] = (
    Shape(circle(12, 12, 12), color="#229ed9"),
    Shape(
        "M5.3 11.8 L17.6 7 C18.3 6.8 18.8 7.3 18.6 8.1 L16.5 17.9 C16.3 18.6 15.7 18.8 15.1 18.4 "
        "L12 16 L10.4 17.5 C10.1 17.8 9.8 17.6 9.8 17.3 L10.1 14.3 L15.7 9.3 L8.8 13.7 "
        "L5.5 12.7 C5 12.5 5 12 5.3 11.8 Z",
        color="#ffffff",
    ),
)

# The knowledge names each theme's pictogram by its emoji; the id is the fallback for an emoji
# staff changed to one without a drawing here.
_BY_EMOJI: Final[dict[str, Icon]] = {
    "🤝": _PEOPLE,
    "💼": _BRIEFCASE,
    "🩺": _HEALTH,
    "🌱": _LEAF,
    "👨‍👩‍👧": _FAMILY,
    "🛡️": _SHIELD,
    "🛡": _SHIELD,
    "⚖️": _SCALES,
    "⚖": _SCALES,
    "🇫🇷": _FLAG,
}
_BY_THEME_ID: Final[dict[str, Icon]] = {
    "1": _PEOPLE,
    "2": _BRIEFCASE,
    "3": _HEALTH,
    "4": _LEAF,
    "5": _FAMILY,
    "6": _SHIELD,
    "T1": _SCALES,
    "T2": _FLAG,
}


def theme_icon(theme_id: str, emoji: str) -> Icon:
    return _BY_EMOJI.get(emoji) or _BY_THEME_ID.get(theme_id) or _QUESTION


def shape_color(shape: Shape, ink: str, paper: str) -> str:
    return {INK: ink, PAPER: paper}.get(shape.color, shape.color)


_TOKEN: Final = re.compile(r"[MLCZ]|-?\d+(?:\.\d+)?")


def path_commands(d: str) -> Iterator[tuple[str, tuple[float, ...]]]:
    """``(command, numbers)`` pairs of a path written with absolute M, L, C and Z only."""
    command = ""
    numbers: list[float] = []
    for token in _TOKEN.findall(d):
        if token.isalpha():
            if command:
                yield command, tuple(numbers)
            command, numbers = token, []
        else:
            numbers.append(float(token))
    if command:
        yield command, tuple(numbers)


def icon_svg(icon: Icon, size: str, ink: str, paper: str = "#ffffff", label: str = "") -> str:
    """Inline SVG markup; ``size`` is a CSS length such as ``"12mm"``."""
    parts = []
    for shape in icon:
        color = shape_color(shape, ink, paper)
        if shape.stroke:
            parts.append(
                f'<path d="{shape.d}" fill="none" stroke="{color}" stroke-width="{shape.stroke}" '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )
        else:
            parts.append(f'<path d="{shape.d}" fill="{color}"/>')
    role = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    return (
        f'<svg class="icone" viewBox="0 0 24 24" width="{size}" height="{size}" {role} '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
