"""Deep links and QR codes that open the bot straight on a theme or an objective.

:func:`write_links` produces, in one folder, what workers share: ``qr/<slug>.svg`` and
``qr/<slug>.png`` for every theme and objective, ``liens.csv`` and a self-contained
``liens.html`` for screens (French). The printed flyers are ``flyers.pdf``, from
:mod:`bot.staff.flyers`.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Final

import segno

from bot.knowledge.ids import is_link_safe
from bot.knowledge.models import Knowledge, Objective, Theme
from bot.staff.icons import icon_svg, theme_icon

USERNAME: Final = re.compile(r"^[A-Za-z0-9_]{5,32}$")
MIN_PNG_PIXELS: Final = 300
QR_BORDER: Final = 4
QR_ERROR: Final = "m"
SVG_SCALE: Final = 4

QR_DIR: Final = "qr"
CSV_NAME: Final = "liens.csv"
HTML_NAME: Final = "liens.html"

# The flyers' call to action, printed the same on paper and on screen.
CALL: Final = "Posez votre question"
CALL_END: Final = "sur Telegram — gratuit, 24h/24"

THEME_TYPE: Final = "thématique"
OBJECTIVE_TYPE: Final = "objectif"


@dataclass(frozen=True)
class LinkItem:
    kind: str  # "thématique" or "objectif" (as written in liens.csv)
    id: str
    title: str
    slug: str
    link: str
    svg: Path
    png: Path


@dataclass(frozen=True)
class LinksResult:
    out_dir: Path
    csv_path: Path
    html_path: Path
    items: tuple[LinkItem, ...]

    @property
    def qr_files(self) -> tuple[Path, ...]:
        return tuple(p for item in self.items for p in (item.svg, item.png))


def bot_link(username: str) -> str:
    """``https://t.me/<username>``: opens the bot on its welcome, after checking the name."""
    if not USERNAME.match(username):
        raise ValueError(
            f"invalid bot username {username!r}: 5 to 32 characters among A-Z, a-z, 0-9 and _ "
            "(without the leading @)"
        )
    return f"https://t.me/{username}"


def deep_link(username: str, payload: str) -> str:
    """``https://t.me/<username>?start=<payload>``, after checking both parts."""
    link = bot_link(username)
    if not is_link_safe(payload):
        raise ValueError(
            f"invalid deep-link payload {payload!r}: 1 to 64 characters among A-Z, a-z, 0-9, _ "
            "and -"
        )
    return f"{link}?start={payload}"


def _qr(link: str) -> segno.QRCode:
    return segno.make(link, error=QR_ERROR, micro=False)


def _png_scale(qr: segno.QRCode) -> int:
    width, _ = qr.symbol_size(scale=1, border=QR_BORDER)
    return max(1, math.ceil(MIN_PNG_PIXELS / width))


def _save_qr(link: str, svg: Path, png: Path) -> str:
    """Write both files and return the SVG markup to inline in the HTML page."""
    qr = _qr(link)
    qr.save(str(svg), kind="svg", scale=SVG_SCALE, border=QR_BORDER)
    qr.save(str(png), kind="png", scale=_png_scale(qr), border=QR_BORDER)
    return qr.svg_inline(scale=SVG_SCALE, border=QR_BORDER, omitsize=True)


_CSS: Final = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; color: #141414; margin: 0 auto;
       max-width: 190mm; font-size: 12pt; line-height: 1.35; padding: 0 4mm; }
h1 { font-size: 20pt; margin: 4mm 0; color: #143a66; }
h2 { font-size: 16pt; margin: 8mm 0 3mm; color: #143a66; }
p.intro { margin: 0 0 6mm; }
a { color: inherit; }
.general { display: flex; gap: 6mm; align-items: center; border: 2px solid #143a66;
           border-radius: 3mm; padding: 5mm; break-inside: avoid; page-break-inside: avoid; }
.general .qr svg { width: 50mm; height: 50mm; }
.appel { font-size: 18pt; font-weight: bold; color: #143a66; margin: 0 0 2mm; }
.bot { font-size: 15pt; font-weight: bold; margin: 2mm 0; }
.cartes { display: grid; grid-template-columns: repeat(auto-fill, minmax(85mm, 1fr)); gap: 5mm; }
.carte { border: 1px solid #555; border-radius: 3mm; padding: 4mm; text-align: center;
         break-inside: avoid; page-break-inside: avoid; }
.carte h3 { font-size: 15pt; margin: 1mm 0 2mm; color: #143a66; }
.carte p { margin: 0 0 2mm; }
.carte .qr svg { width: 42mm; height: 42mm; }
.carte .bot { font-size: 12pt; }
.lien { font-family: "Courier New", monospace; font-size: 10pt; font-weight: bold;
        white-space: nowrap; }
h3.theme { font-size: 14pt; margin: 6mm 0 2mm; display: flex; gap: 2mm; align-items: center;
           break-after: avoid; page-break-after: avoid; color: #143a66; }
.objectif { display: grid; grid-template-columns: 24mm 1fr; gap: 4mm; align-items: center;
            border-top: 1px solid #bbb; padding: 2mm 0; break-inside: avoid;
            page-break-inside: avoid; }
.objectif .qr svg { width: 24mm; height: 24mm; display: block; }
.objectif p { margin: 0 0 1mm; }
.objectif .lien { font-size: 9pt; }
@media print {
  body { max-width: none; padding: 0; }
  a { text-decoration: none; }
}
"""


def _link(link: str) -> str:
    """The link as a resident types it (``t.me/…``), on one line: it never breaks in a word."""
    return f'<a class="lien" href="{escape(link)}">{escape(link.removeprefix("https://"))}</a>'


def _on_telegram(username: str) -> str:
    return f'<p class="bot">@{escape(username)} sur Telegram</p>'


def _theme_card(theme: Theme, item: LinkItem, svg: str, username: str) -> str:
    return (
        '<section class="carte">\n'
        f"{icon_svg(theme_icon(theme.id, theme.emoji), '14mm', '#143a66')}\n"
        f"<h3>{escape(theme.short_name)}</h3>\n"
        f"<p>{escape(theme.explanation)}</p>\n"
        f'<div class="qr">{svg}</div>\n'
        f"{_on_telegram(username)}\n"
        f"<p>{_link(item.link)}</p>\n"
        "</section>"
    )


def _objective_row(objective: Objective, item: LinkItem, svgs: dict[str, str]) -> str:
    return (
        f'<div class="objectif"><div class="qr">{svgs[item.slug]}</div><div>'
        f"<p><strong>{escape(objective.id)}</strong> {escape(objective.text)}</p>"
        f"<p>{_link(item.link)}</p></div></div>"
    )


def _html(
    knowledge: Knowledge,
    items: dict[tuple[str, str], LinkItem],
    svgs: dict[str, str],
    username: str,
) -> str:
    general = bot_link(username)
    cards = [
        _theme_card(theme, items[(THEME_TYPE, theme.id)], svgs[theme.slug], username)
        for theme in knowledge.themes
    ]
    rows: list[str] = []
    groups = [
        (theme.short_name, theme_icon(theme.id, theme.emoji), knowledge.objectives_of(theme.id))
        for theme in knowledge.themes
    ]
    orphans = [o for o in knowledge.objectives if knowledge.theme(o.theme_id) is None]
    for title, icon, objectives in [*groups, ("Autres objectifs", None, orphans)]:
        if not objectives:
            continue
        drawn = icon_svg(icon, "9mm", "#143a66") if icon else ""
        rows.append(f'<h3 class="theme">{drawn}{escape(title)}</h3>')
        rows.extend(_objective_row(o, items[(OBJECTIVE_TYPE, o.id)], svgs) for o in objectives)
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Liens et QR codes de l’assistant du contrat de ville</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        "<h1>Liens et QR codes de l’assistant du contrat de ville</h1>\n"
        '<p class="intro">Scannez un QR code avec l’appareil photo du téléphone : Telegram '
        f"s’ouvre directement sur le bon sujet (bot @{escape(username)}). Pour l’affichage, "
        "imprimez plutôt « flyers.pdf », dans le même dossier.</p>\n"
        '<section class="general">\n'
        f'<div class="qr">{svgs[""]}</div>\n<div>\n'
        f'<p class="appel">{escape(CALL)} {escape(CALL_END)}</p>\n'
        f"{_on_telegram(username)}\n<p>{_link(general)}</p>\n</div>\n</section>\n"
        "<h2>Les thématiques</h2>\n"
        '<div class="cartes">\n' + "\n".join(cards) + "\n</div>\n"
        "<h2>Les objectifs du contrat</h2>\n"
        "<p>Chaque code ouvre l’assistant directement sur l’objectif. Les mêmes QR codes, en "
        "SVG et PNG, sont dans le dossier « qr ».</p>\n" + "\n".join(rows) + "\n</body>\n</html>\n"
    )


def write_links(knowledge: Knowledge, username: str, out_dir: Path) -> LinksResult:
    """Write QR codes, ``liens.csv`` and ``liens.html`` under ``out_dir``."""
    out_dir = Path(out_dir)
    qr_dir = out_dir / QR_DIR
    qr_dir.mkdir(parents=True, exist_ok=True)

    entries: list[tuple[str, str, str, str]] = [
        (THEME_TYPE, t.id, t.title, t.slug) for t in knowledge.themes
    ] + [(OBJECTIVE_TYPE, o.id, o.text, o.slug) for o in knowledge.objectives]

    items: dict[tuple[str, str], LinkItem] = {}
    svgs: dict[str, str] = {}
    for kind, item_id, title, slug in entries:
        link = deep_link(username, slug)
        item = LinkItem(
            kind, item_id, title, slug, link, qr_dir / f"{slug}.svg", qr_dir / f"{slug}.png"
        )
        svgs[slug] = _save_qr(link, item.svg, item.png)
        items[(kind, item_id)] = item

    csv_path = out_dir / CSV_NAME
    with csv_path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["type", "id", "titre", "lien"])
        for item in items.values():
            writer.writerow([item.kind, item.id, item.title, item.link])

    # The general code (bot_link) is in the page only: "" cannot clash with a slug.
    svgs[""] = _qr(bot_link(username)).svg_inline(scale=SVG_SCALE, border=QR_BORDER, omitsize=True)
    html_path = out_dir / HTML_NAME
    html_path.write_text(_html(knowledge, items, svgs, username), encoding="utf-8")
    return LinksResult(out_dir, csv_path, html_path, tuple(items.values()))
