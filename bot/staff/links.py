"""Deep links and QR codes that open the bot straight on a theme or an objective.

:func:`write_links` produces, in one folder, what staff print for posters and flyers:
``qr/<slug>.svg`` and ``qr/<slug>.png`` for every theme and objective, ``liens.csv`` and a
printable, self-contained ``liens.html`` (French, A4).
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
from bot.knowledge.models import Knowledge, Objective

USERNAME: Final = re.compile(r"^[A-Za-z0-9_]{5,32}$")
MIN_PNG_PIXELS: Final = 300
QR_BORDER: Final = 4
QR_ERROR: Final = "m"
SVG_SCALE: Final = 4

QR_DIR: Final = "qr"
CSV_NAME: Final = "liens.csv"
HTML_NAME: Final = "liens.html"

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
body { font-family: Arial, Helvetica, sans-serif; color: #111; margin: 0 auto; max-width: 190mm;
       font-size: 11pt; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 8mm 0 3mm; }
p.intro { margin: 0 0 6mm; }
.cartes { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.carte { border: 1px solid #444; border-radius: 3mm; padding: 5mm; text-align: center;
         break-inside: avoid; page-break-inside: avoid; }
.carte h3 { font-size: 15pt; margin: 0 0 2mm; }
.carte .emoji { font-size: 20pt; display: block; }
.carte p { margin: 0 0 3mm; }
.qr svg { width: 45mm; height: 45mm; }
.lien { font-family: "Courier New", monospace; font-size: 9pt; word-break: break-all; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
h3.theme { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
@media print {
  body { max-width: none; }
  a { color: inherit; text-decoration: none; }
  .objectifs { break-before: page; page-break-before: always; }
}
"""


def _theme_card(title: str, emoji: str, explanation: str, link: str, svg: str) -> str:
    return (
        '<section class="carte">\n'
        f'<span class="emoji">{escape(emoji)}</span>\n'
        f"<h3>{escape(title)}</h3>\n"
        f"<p>{escape(explanation)}</p>\n"
        f'<div class="qr">{svg}</div>\n'
        f'<p class="lien">{_link(link)}</p>\n'
        "</section>"
    )


def _link(link: str) -> str:
    return f'<a href="{escape(link)}">{escape(link)}</a>'


def _objective_row(objective: Objective, item: LinkItem) -> str:
    return (
        f"<tr><td>{escape(objective.id)}</td><td>{escape(objective.text)}</td>"
        f'<td class="lien">{_link(item.link)}</td></tr>'
    )


def _html(
    knowledge: Knowledge,
    items: dict[tuple[str, str], LinkItem],
    svgs: dict[str, str],
    username: str,
) -> str:
    cards = []
    for theme in knowledge.themes:
        item = items[(THEME_TYPE, theme.id)]
        cards.append(
            _theme_card(
                theme.short_name, theme.emoji, theme.explanation, item.link, svgs[item.slug]
            )
        )
    rows: list[str] = []
    for theme in knowledge.themes:
        objectives = knowledge.objectives_of(theme.id)
        if not objectives:
            continue
        rows.append(f'<h3 class="theme">{escape(theme.label)}</h3>')
        rows.append(
            "<table>\n<thead><tr><th>N°</th><th>Objectif du contrat</th><th>Lien</th></tr>"
            "</thead>\n<tbody>"
        )
        rows.extend(_objective_row(o, items[(OBJECTIVE_TYPE, o.id)]) for o in objectives)
        rows.append("</tbody>\n</table>")
    orphans = [o for o in knowledge.objectives if knowledge.theme(o.theme_id) is None]
    if orphans:
        rows.append('<h3 class="theme">Autres objectifs</h3>\n<table>\n<tbody>')
        rows.extend(_objective_row(o, items[(OBJECTIVE_TYPE, o.id)]) for o in orphans)
        rows.append("</tbody>\n</table>")
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Liens et QR codes de l’assistant du contrat de ville</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        "<h1>Liens et QR codes de l’assistant du contrat de ville</h1>\n"
        '<p class="intro">Scannez un QR code avec l’appareil photo du téléphone : Telegram '
        f"s’ouvre directement sur le bon sujet (bot @{escape(username)}). Imprimez cette page "
        "pour vos affiches et vos flyers.</p>\n"
        "<h2>Les thématiques</h2>\n"
        '<div class="cartes">\n' + "\n".join(cards) + "\n</div>\n"
        '<div class="objectifs">\n<h2>Les objectifs du contrat</h2>\n'
        "<p>Chaque lien ouvre l’assistant directement sur l’objectif. Les QR codes de chaque "
        "objectif sont dans le dossier « qr ».</p>\n" + "\n".join(rows) + "\n</div>\n"
        "</body>\n</html>\n"
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

    html_path = out_dir / HTML_NAME
    html_path.write_text(_html(knowledge, items, svgs, username), encoding="utf-8")
    return LinksResult(out_dir, csv_path, html_path, tuple(items.values()))
