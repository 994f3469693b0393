"""Printable flyers (``flyers.pdf``): one general flyer and one per theme, each with its QR code.

What a flyer says comes from the knowledge: theme names and explanations, example questions
written by residents, the emergency numbers of the safety situations. Nothing is made up here
but the few words of the layout. Drawn with reportlab's canvas: vector QR codes and pictograms,
PDF core fonts (every PDF reader has them), no browser.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import segno
import yaml
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from unidecode import unidecode

from bot.answer import all_emergencies
from bot.knowledge.models import Knowledge, Theme
from bot.matching.matcher import Matcher
from bot.staff.icons import TELEGRAM, Icon, path_commands, shape_color, theme_icon
from bot.staff.links import CALL, CALL_END, bot_link, deep_link

PageFormat = Literal["a4", "a5"]
PAGE_FORMATS: Final[tuple[PageFormat, ...]] = ("a4", "a5")
PDF_NAME: Final = "flyers.pdf"
EXAMPLES_PER_FLYER: Final = 3

# Dark navy on white and white on navy: well above the 7:1 contrast of WCAG AAA.
NAVY_HEX: Final = "#143a66"
NAVY: Final = HexColor(NAVY_HEX)
TEXT: Final = HexColor("#141414")
MUTED: Final = HexColor("#3c3c3c")
BUBBLE: Final = HexColor("#e6eef8")
RED: Final = HexColor("#b3261e")
SOS_BACK: Final = HexColor("#fdeeed")
REGULAR: Final = "Helvetica"
BOLD: Final = "Helvetica-Bold"
MONO: Final = "Courier-Bold"

WIDTH, HEIGHT = A4  # every flyer is laid out on A4; A5 is the same drawing scaled by 1/√2
MARGIN: Final = 36.0
CONTENT: Final = WIDTH - 2 * MARGIN
QR_QUIET: Final = 2  # modules of white drawn around the code; the page's margin adds the rest


@dataclass(frozen=True)
class Flyer:
    kind: Literal["general", "theme"]
    link: str  # what the QR code holds
    heading: str
    subheading: str
    icon: Icon
    explanation: str
    examples: tuple[str, ...]
    objectives: tuple[tuple[str, str], ...]  # (id, verbatim text)

    @property
    def short_link(self) -> str:
        """The link as printed under the code: ``t.me/…``, short enough to type."""
        return self.link.removeprefix("https://")


@dataclass(frozen=True)
class FlyersResult:
    path: Path
    flyers: tuple[Flyer, ...]
    page_format: PageFormat


# -- what the flyers say --------------------------------------------------------------------
def city_name(knowledge_dir: Path) -> str | None:
    """The commune's name, once ``localize`` has written ``contacts/officiels.yaml``.

    The single hook for the city line: the ``nom`` of that file's ``commune:`` record. No file
    or no name: the flyers carry no city line.
    """
    path = Path(knowledge_dir) / "contacts" / "officiels.yaml"
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    commune = data.get("commune") if isinstance(data, dict) else None
    name = commune.get("nom") if isinstance(commune, dict) else None
    return (name.strip() or None) if isinstance(name, str) else None


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


class _ExampleRanker:
    """Orders a theme's example questions from the best one to print to the worst.

    A printed example must be answered straight away, on its own theme, with no emergency (a
    flyer on the wall never shows « il va me tuer »); then spelled without SMS words (a
    lexicon entry or a lone letter such as « c »); then a real question, written with the
    French space before « ? »; then short.
    """

    def __init__(self, knowledge: Knowledge) -> None:
        self._knowledge = knowledge
        self._matcher = Matcher(knowledge)
        self._slang = frozenset(w for w in knowledge.lexicon if " " not in w)

    def _answered_in(self, example: str, theme_id: str) -> bool:
        result = self._matcher.match(example)
        best = result.best
        if result.emergency or result.decision != "answer" or best is None:
            return False
        objective = self._knowledge.objective(best.objective_id)
        return objective is not None and objective.theme_id == theme_id

    def _sms(self, example: str) -> bool:
        # « c'est » is French, « c » alone is SMS: lone letters are told apart before the
        # apostrophes split the words for the lexicon (whose entries have none).
        words = [w for w in re.split(r"[^a-z0-9']+", _plain(example)) if w]
        if any(len(w) == 1 and w not in ("a", "y") for w in words):
            return True
        return any(part in self._slang for w in words for part in w.split("'"))

    def key(self, example: str, theme_id: str) -> tuple[bool, bool, bool, bool, bool, int]:
        text = example.strip()
        return (
            not self._answered_in(text, theme_id),
            self._sms(text),
            not text.endswith("?"),
            not text.endswith(" ?"),
            not 24 <= len(text) <= 56,
            len(text),
        )

    def best_per_objective(self, theme_id: str) -> list[tuple[tuple[object, ...], str]]:
        """Each objective's best example with its rank, best first."""
        found = []
        for objective in self._knowledge.objectives_of(theme_id):
            ranked = sorted((self.key(e, theme_id), e) for e in objective.examples)
            if ranked:
                found.append(ranked[0])
        return sorted(found)


def _printed_question(example: str) -> str:
    """Capital first letter and a non-breaking space before « ? » or « ! »: print rules only."""
    text = re.sub(r"\s*([?!])", "\u00a0\\1", example.strip())
    return text[:1].upper() + text[1:]


def emergency_numbers(knowledge: Knowledge) -> tuple[tuple[str, str], ...]:
    """``(number, name)`` of every emergency contact, as /urgence lists them."""
    numbers = []
    for card in all_emergencies(knowledge).contacts:
        if not card.phone:
            continue
        # « 3114 – prévention du suicide », « Urgence par SMS (114) »: the number is printed
        # once, in front.
        number = re.escape(card.phone)
        name = re.sub(rf"\(\s*{number}\s*\)|^{number}\s*[–—:-]?\s*", "", card.name).strip()
        numbers.append((card.phone, name))
    return tuple(numbers)


def _band_subheading(city: str | None, rest: str = "") -> str:
    return " · ".join(part for part in (f"Ville de {city}" if city else "", rest) if part)


def build_flyers(
    knowledge: Knowledge, username: str, *, theme_id: str | None = None, city: str | None = None
) -> tuple[Flyer, ...]:
    """The general flyer then one per theme; only that theme's with ``theme_id``."""
    ranker = _ExampleRanker(knowledge)
    themes = [t for t in knowledge.themes if theme_id is None or t.id == theme_id]
    if not themes:
        raise ValueError(f"unknown theme {theme_id!r}")
    per_theme = {t.id: ranker.best_per_objective(t.id) for t in knowledge.themes}
    flyers = []
    if theme_id is None:
        # One example from each of the best-served themes: the general flyer shows the range.
        firsts = sorted(ranked[0] for ranked in per_theme.values() if ranked)
        flyers.append(
            Flyer(
                "general",
                bot_link(username),
                "L’assistant du contrat de ville",
                _band_subheading(city),
                TELEGRAM,
                "Il vous dit ce que prévoit le contrat de ville pour votre quartier, "
                "et qui contacter.",
                tuple(_printed_question(e) for _k, e in firsts[:EXAMPLES_PER_FLYER]),
                (),
            )
        )
    for theme in themes:
        flyers.append(_theme_flyer(knowledge, username, theme, per_theme[theme.id], city))
    return tuple(flyers)


def _theme_flyer(
    knowledge: Knowledge,
    username: str,
    theme: Theme,
    ranked: Sequence[tuple[object, str]],
    city: str | None,
) -> Flyer:
    kind = "Thématique transversale" if theme.transversal else "Thématique"
    return Flyer(
        "theme",
        deep_link(username, theme.slug),
        theme.short_name,
        _band_subheading(city, f"{kind} {theme.id} du contrat de ville"),
        theme_icon(theme.id, theme.emoji),
        theme.explanation,
        tuple(_printed_question(e) for _k, e in ranked[:EXAMPLES_PER_FLYER]),
        tuple((o.id, o.text) for o in knowledge.objectives_of(theme.id)),
    )


# -- drawing --------------------------------------------------------------------------------
def _pdf_text(text: str) -> str:
    """Text the PDF core fonts can show: they know cp1252 (« é », « œ », « — »), not emoji."""
    text = text.replace("\u202f", "\u00a0")
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            out.append(unidecode(char))
    return "".join(out)


class _Page:
    """One A4 flyer drawn with y measured from the top, as one reads it."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas

    def text(
        self,
        text: str,
        x: float,
        y: float,
        font: str,
        size: float,
        color: Color = TEXT,
        align: Literal["left", "centre"] = "left",
    ) -> None:
        self.c.setFillColor(color)
        self.c.setFont(font, size)
        printed = _pdf_text(text)
        if align == "centre":
            self.c.drawCentredString(x, HEIGHT - y, printed)
        else:
            self.c.drawString(x, HEIGHT - y, printed)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: Color,
        radius: float = 0,
        stroke: int = 0,
    ) -> None:
        self.c.setFillColor(fill)
        self.c.roundRect(x, HEIGHT - y - h, w, h, radius, stroke=stroke, fill=1)

    def lines(self, text: str, font: str, size: float, width: float) -> list[str]:
        return [str(line) for line in simpleSplit(_pdf_text(text), font, size, width)]

    def icon(self, icon: Icon, x: float, y: float, size: float, ink: str, paper: str) -> None:
        c = self.c
        c.saveState()
        # The icon grid has y pointing down, like this class: flip it once.
        c.translate(x, HEIGHT - y)
        c.scale(size / 24, -size / 24)
        c.setLineCap(1)
        c.setLineJoin(1)
        for shape in icon:
            path = c.beginPath()
            for command, n in path_commands(shape.d):
                if command == "M":
                    path.moveTo(*n)
                elif command == "L":
                    path.lineTo(*n)
                elif command == "C":
                    path.curveTo(*n)
                else:
                    path.close()
            paint = HexColor(shape_color(shape, ink, paper))
            if shape.stroke:
                c.setStrokeColor(paint)
                c.setLineWidth(shape.stroke)
                c.drawPath(path, stroke=1, fill=0)
            else:
                c.setFillColor(paint)
                c.drawPath(path, stroke=0, fill=1)
        c.restoreState()

    def qr(self, link: str, x: float, y: float, size: float) -> None:
        code = segno.make(link, error="m", micro=False)
        matrix = [list(row) for row in code.matrix]
        count = len(matrix) + 2 * QR_QUIET
        module = size / count
        self.rect(x, y, size, size, white)
        path = self.c.beginPath()
        for row_number, row in enumerate(matrix):
            top = y + (row_number + QR_QUIET) * module
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                # One rectangle per run of dark modules: no hairline seams between them.
                path.rect(
                    x + (start + QR_QUIET) * module,
                    HEIGHT - top - module,
                    (column - start) * module,
                    module,
                )
        self.c.setFillColor(HexColor("#000000"))
        self.c.drawPath(path, stroke=0, fill=1)

    def fitted(self, text: str, font: str, largest: float, smallest: float, width: float) -> float:
        """The largest size at which ``text`` fits on one line of ``width`` (links never wrap)."""
        size = largest
        while size > smallest and stringWidth(_pdf_text(text), font, size) > width:
            size -= 0.5
        return size


def _band(page: _Page, flyer: Flyer, height: float, icon_on_white: bool) -> None:
    page.rect(0, 0, WIDTH, height, NAVY)
    icon_size = 64.0
    icon_y = (height - icon_size) / 2
    if icon_on_white:
        page.c.setFillColor(white)
        page.c.circle(
            MARGIN + icon_size / 2, HEIGHT - height / 2, icon_size / 2 + 4, stroke=0, fill=1
        )
        page.icon(flyer.icon, MARGIN + 12, icon_y + 12, icon_size - 24, NAVY_HEX, "#ffffff")
    else:
        page.icon(flyer.icon, MARGIN, icon_y, icon_size, NAVY_HEX, "#ffffff")
    left = MARGIN + icon_size + 20
    width = WIDTH - MARGIN - left
    size = page.fitted(flyer.heading, BOLD, 30, 18, width)
    if flyer.subheading:
        page.text(flyer.heading, left, height / 2 - 2, BOLD, size, white)
        sub = page.fitted(flyer.subheading, REGULAR, 15, 9, width)
        page.text(flyer.subheading, left, height / 2 + 20, REGULAR, sub, white)
    else:
        page.text(flyer.heading, left, height / 2 + size / 3, BOLD, size, white)


def _handle(page: _Page, username: str, x: float, y: float, size: float, centre: bool) -> None:
    page.text(f"@{username}", x, y, BOLD, size, NAVY, "centre" if centre else "left")


def _link_under(page: _Page, flyer: Flyer, centre_x: float, y: float, largest: float) -> None:
    size = page.fitted(flyer.short_link, MONO, largest, 6, CONTENT)
    half = stringWidth(flyer.short_link, MONO, size) / 2
    # Centred under the code, but never past a margin: the link is printed whole.
    x = min(max(centre_x, MARGIN + half), WIDTH - MARGIN - half)
    page.text(flyer.short_link, x, y, MONO, size, TEXT, "centre")


def _examples(page: _Page, examples: Sequence[str], y: float, size: float) -> float:
    """Speech bubbles, one per example; returns the y under the last one."""
    page.text("Par exemple, écrivez :", MARGIN, y + size, BOLD, size + 1, NAVY)
    y += size + 10
    for example in examples:
        lines = page.lines(f"«\u00a0{example}\u00a0»", REGULAR, size, CONTENT - 40)
        height = len(lines) * size * 1.25 + 14
        page.rect(MARGIN + 8, y, CONTENT - 8, height, BUBBLE, radius=10)
        tail = page.c.beginPath()
        tail.moveTo(MARGIN, HEIGHT - y - height + 4)
        tail.lineTo(MARGIN + 14, HEIGHT - y - height + 14)
        tail.lineTo(MARGIN + 22, HEIGHT - y - height + 2)
        tail.close()
        page.c.drawPath(tail, stroke=0, fill=1)
        for number, line in enumerate(lines):
            page.text(line, MARGIN + 24, y + 7 + size * (1.25 * number + 0.95), REGULAR, size)
        y += height + 8
    return y


def _sos_layout(
    numbers: Sequence[tuple[str, str]], width: float, size: float
) -> list[list[tuple[str, str]]]:
    """Numbers grouped into lines; a number never leaves its name."""
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for number, name in numbers:
        item = stringWidth(f"{number} ", BOLD, size) + stringWidth(_pdf_text(name), REGULAR, size)
        gap = stringWidth("  ·  ", REGULAR, size) if lines[-1] else 0
        if lines[-1] and used + gap + item > width:
            lines.append([])
            used, gap = 0.0, 0.0
        lines[-1].append((number, name))
        used += gap + item
    return lines


def _sos(page: _Page, numbers: Sequence[tuple[str, str]]) -> float:
    """The emergency box at the foot of the page; returns its top."""
    size = 12.0
    left = MARGIN + 66
    width = WIDTH - MARGIN - 12 - left
    lines = _sos_layout(numbers, width, size)
    height = max(64.0, 38 + len(lines) * size * 1.35)
    top = HEIGHT - MARGIN - height
    page.c.setStrokeColor(RED)
    page.c.setLineWidth(2)
    page.rect(MARGIN, top, CONTENT, height, SOS_BACK, radius=8, stroke=1)
    page.c.setFillColor(RED)
    page.c.circle(MARGIN + 33, HEIGHT - top - height / 2, 24, stroke=0, fill=1)
    page.text("SOS", MARGIN + 33, top + height / 2 + 5, BOLD, 14, white, "centre")
    page.text("En cas d’urgence, appelez :", left, top + 22, BOLD, 14, RED)
    y = top + 22 + size * 1.5
    for line in lines:
        x = left
        for index, (number, name) in enumerate(line):
            if index:
                page.text("  ·  ", x, y, REGULAR, size, MUTED)
                x += stringWidth("  ·  ", REGULAR, size)
            page.text(f"{number} ", x, y, BOLD, size, TEXT)
            x += stringWidth(f"{number} ", BOLD, size)
            page.text(name, x, y, REGULAR, size, TEXT)
            x += stringWidth(_pdf_text(name), REGULAR, size)
        y += size * 1.35
    return top


def _draw_general(
    page: _Page, flyer: Flyer, username: str, numbers: Sequence[tuple[str, str]]
) -> None:
    band = 100.0
    _band(page, flyer, band, icon_on_white=False)
    page.text(CALL, WIDTH / 2, band + 52, BOLD, 42, NAVY, "centre")
    page.text(CALL_END, WIDTH / 2, band + 84, REGULAR, 25, TEXT, "centre")
    qr = 230.0
    top = band + 100
    page.qr(flyer.link, (WIDTH - qr) / 2, top, qr)
    _handle(page, username, WIDTH / 2, top + qr + 30, 30, centre=True)
    _link_under(page, flyer, WIDTH / 2, top + qr + 54, 17)
    sos_top = _sos(page, numbers)
    y = _examples(page, flyer.examples, top + qr + 74, 15)
    for line in page.lines(flyer.explanation, REGULAR, 13, CONTENT):
        if y + 24 > sos_top:
            break
        page.text(line, WIDTH / 2, y + 16, REGULAR, 13, MUTED, "centre")
        y += 17


def _draw_theme(
    page: _Page, flyer: Flyer, username: str, numbers: Sequence[tuple[str, str]]
) -> None:
    band = 100.0
    _band(page, flyer, band, icon_on_white=True)
    y = band + 10
    for line in page.lines(flyer.explanation, REGULAR, 15, CONTENT):
        y += 20
        page.text(line, MARGIN, y, REGULAR, 15, TEXT)
    qr = 190.0
    top = y + 16
    page.qr(flyer.link, MARGIN, top, qr)
    _link_under(page, flyer, MARGIN + qr / 2, top + qr + 14, 13)
    right = MARGIN + qr + 14
    width = WIDTH - MARGIN - right
    call = page.fitted(CALL, BOLD, 30, 18, width)
    page.text(CALL, right, top + 50, BOLD, call, NAVY)
    end_lines = page.lines(CALL_END, REGULAR, 20, width)
    for number, line in enumerate(end_lines):
        page.text(line, right, top + 80 + 24 * number, REGULAR, 20, TEXT)
    handle = page.fitted(f"@{username}", BOLD, 24, 12, width)
    _handle(page, username, right, top + 96 + 24 * len(end_lines), handle, centre=False)
    y = _examples(page, flyer.examples, top + qr + 30, 14)
    sos_top = _sos(page, numbers)
    _objectives(page, flyer.objectives, y + 6, sos_top - 12)


def _objectives(
    page: _Page, objectives: Sequence[tuple[str, str]], top: float, bottom: float
) -> None:
    """The theme's objectives, as many lines each as the space allows (at least one)."""
    if not objectives:
        return
    page.text("Ce que prévoit le contrat de ville :", MARGIN, top + 15, BOLD, 15, NAVY)
    top += 26
    indent = 38.0
    for size, most in ((12.0, 3), (11.5, 2), (11.0, 2), (11.5, 1), (11.0, 1), (10.0, 1)):
        blocks = [
            _cut(page.lines(text, REGULAR, size, CONTENT - indent), most) for _i, text in objectives
        ]
        step = size * 1.22
        if top + sum(len(b) * step + 3 for b in blocks) <= bottom:
            break
    y = top
    for (objective_id, _text), block in zip(objectives, blocks, strict=True):
        page.text(objective_id, MARGIN, y + size, BOLD, size, NAVY)
        for line in block:
            y += step
            page.text(line, MARGIN + indent, y - step + size, REGULAR, size, TEXT)
        y += 3


def _cut(lines: list[str], most: int) -> list[str]:
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    # « … des parents et … » reads badly: the cut falls after the last full word of weight.
    words = kept[-1].split(" ")
    while len(words) > 1 and len(words[-1].strip(",;:")) <= 3:
        words.pop()
    kept[-1] = " ".join(words).rstrip(" ,;:") + " …"
    return kept


def _paint(canvas: Canvas, flyer: Flyer, username: str, numbers: Sequence[tuple[str, str]]) -> None:
    draw = _draw_general if flyer.kind == "general" else _draw_theme
    draw(_Page(canvas), flyer, username, numbers)


def write_flyers(
    knowledge: Knowledge,
    username: str,
    out_dir: Path,
    *,
    page_format: PageFormat = "a4",
    theme_id: str | None = None,
    city: str | None = None,
) -> FlyersResult:
    """Write ``flyers.pdf``: A4 portrait, or with ``a5`` two copies side by side on A4 landscape."""
    flyers = build_flyers(knowledge, username, theme_id=theme_id, city=city)
    numbers = emergency_numbers(knowledge)
    path = Path(out_dir) / PDF_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    size = A4 if page_format == "a4" else landscape(A4)
    # invariant: no creation date inside, so the same knowledge gives the same file.
    canvas = Canvas(str(path), pagesize=size, invariant=True, pageCompression=1)
    canvas.setTitle("Flyers de l’assistant du contrat de ville")
    canvas.setSubject(f"@{username} sur Telegram")
    for flyer in flyers:
        if page_format == "a4":
            _paint(canvas, flyer, username, numbers)
        else:
            _two_up(canvas, flyer, username, numbers)
        canvas.showPage()
    canvas.save()
    return FlyersResult(path, flyers, page_format)


def _two_up(
    canvas: Canvas, flyer: Flyer, username: str, numbers: Sequence[tuple[str, str]]
) -> None:
    # A5 is A4 scaled by 1/√2: the A4 drawing, twice, side by side on a landscape A4 sheet.
    scale = 1 / math.sqrt(2)
    for slot in (0, 1):
        canvas.saveState()
        canvas.translate(slot * HEIGHT / 2, 0)
        canvas.scale(scale, scale)
        _paint(canvas, flyer, username, numbers)
        canvas.restoreState()
    canvas.setStrokeColor(HexColor("#9a9a9a"))
    canvas.setLineWidth(0.5)
    canvas.setDash(4, 4)
    canvas.line(HEIGHT / 2, 0, HEIGHT / 2, WIDTH)
