"""Deep links, QR codes, liens.csv and the printable liens.html."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bot.knowledge.ids import is_link_safe
from bot.knowledge.loader import load_knowledge
from bot.knowledge.models import Knowledge, Objective, Theme
from bot.knowledge.problems import KnowledgeError
from bot.staff.links import deep_link, write_links

BOT = "Quartiers2030_bot"
KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


def make_knowledge() -> Knowledge:
    themes = (
        Theme(
            "1",
            "VIVRE ENSEMBLE – SOLIDARITÉ",
            "Vivre ensemble",
            "🤝",
            False,
            "Se rencontrer et s'entraider dans le quartier.",
        ),
        Theme(
            "5",
            "FAMILLES",
            "Familles <b>&",
            "👨‍👩‍👧",
            False,
            "Parents, enfants & école : <b>tout</b> pour les familles.",
        ),
        Theme(
            "T1",
            "ÉGALITÉ FEMMES-HOMMES",
            "Égalité",
            "⚖️",
            True,
            "L'égalité entre les femmes et les hommes, partout.",
        ),
    )
    objectives = (
        Objective("1.1.1", "1", "1.1", "Favoriser les rencontres entre habitants", "", (), (), ()),
        Objective("5.1.2", "5", "5.1", "Soutenir les parents <b>& les enfants</b>", "", (), (), ()),
        Objective(
            "T1.4", "T1", None, "Lutter contre les violences faites aux femmes", "", (), (), ()
        ),
    )
    return Knowledge(themes, (), objectives, (), {}, (), (), {})


def real_or_fixture() -> Knowledge:
    try:
        return load_knowledge(KNOWLEDGE_DIR)
    except KnowledgeError:
        return make_knowledge()


# -- deep_link -----------------------------------------------------------------------------
def test_deep_link() -> None:
    assert deep_link(BOT, "obj_5-1-2") == f"https://t.me/{BOT}?start=obj_5-1-2"


@pytest.mark.parametrize("username", ["abcd", "a" * 33, "mon-bot", "@MonBot", "mon bot", ""])
def test_deep_link_rejects_bad_usernames(username: str) -> None:
    with pytest.raises(ValueError, match="username"):
        deep_link(username, "th_1")


@pytest.mark.parametrize("payload", ["", "obj_5.1.2", "a" * 65, "th 1", "th_1?x=1", "é"])
def test_deep_link_rejects_bad_payloads(payload: str) -> None:
    with pytest.raises(ValueError, match="payload"):
        deep_link(BOT, payload)


# -- write_links -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Knowledge, Path]:
    out = tmp_path_factory.mktemp("liens")
    knowledge = make_knowledge()
    write_links(knowledge, BOT, out)
    return knowledge, out


def test_every_item_has_a_safe_link_and_qr_files(written: tuple[Knowledge, Path]) -> None:
    knowledge, out = written
    result = write_links(knowledge, BOT, out)
    assert len(result.items) == len(knowledge.themes) + len(knowledge.objectives)
    for item in result.items:
        payload = item.link.split("?start=", 1)[1]
        assert is_link_safe(payload)
        assert len(payload) <= 64
        assert item.svg == out / "qr" / f"{item.slug}.svg" and item.svg.is_file()
        assert item.png == out / "qr" / f"{item.slug}.png" and item.png.is_file()
    assert {p.name for p in (out / "qr").iterdir()} == {p.name for p in result.qr_files}


def test_png_qr_codes_decode_to_the_exact_link(written: tuple[Knowledge, Path]) -> None:
    _, out = written
    rows = list(csv.DictReader((out / "liens.csv").open(encoding="utf-8-sig")))
    assert rows
    for row in rows:
        slug = row["lien"].split("?start=", 1)[1]
        image = Image.open(out / "qr" / f"{slug}.png")
        assert min(image.size) >= 300
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [row["lien"]]


def test_svg_files_are_svg(written: tuple[Knowledge, Path]) -> None:
    _, out = written
    svg = (out / "qr" / "th_T1.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "</svg>" in svg


def test_csv_lists_themes_then_objectives(written: tuple[Knowledge, Path]) -> None:
    _, out = written
    with (out / "liens.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["type", "id", "titre", "lien"]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("thématique", "1"),
        ("thématique", "5"),
        ("thématique", "T1"),
        ("objectif", "1.1.1"),
        ("objectif", "5.1.2"),
        ("objectif", "T1.4"),
    ]
    assert rows[5][2] == "Soutenir les parents <b>& les enfants</b>"
    assert rows[6][3] == f"https://t.me/{BOT}?start=obj_T1-4"


def test_html_contains_every_theme_and_objective_escaped(written: tuple[Knowledge, Path]) -> None:
    knowledge, out = written
    page = (out / "liens.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "@media print" in page and "page-break-inside: avoid" in page
    for theme in knowledge.themes:
        # Pictograms are drawn (inline SVG): an emoji prints as a box without an emoji font.
        assert theme.emoji not in page
        assert f"https://t.me/{BOT}?start={theme.slug}" in page
    # Every card carries the bot's name and « Telegram », even once cut out.
    assert page.count(f"@{BOT} sur Telegram") == len(knowledge.themes) + 1
    assert f'href="https://t.me/{BOT}"' in page and "Posez votre question" in page
    assert "Vivre ensemble" in page and "Égalité" in page
    assert "Familles &lt;b&gt;&amp;" in page
    assert "&lt;b&gt;tout&lt;/b&gt;" in page
    assert "Soutenir les parents &lt;b&gt;&amp; les enfants&lt;/b&gt;" in page
    assert "<b>" not in page
    for objective in knowledge.objectives:
        assert f"<strong>{objective.id}</strong>" in page
        assert f"?start={objective.slug}" in page
    # Self-contained: QR codes (general, themes, objectives) and pictograms (on the cards and
    # the objectives' headings) are inline SVG, nothing is fetched.
    codes = 1 + len(knowledge.themes) + len(knowledge.objectives)
    assert page.count("<svg") == codes + 2 * len(knowledge.themes)
    assert not re.search(r"""(src|href)=["'](?!https://t\.me/)""", page)


def test_html_links_are_printed_whole(written: tuple[Knowledge, Path]) -> None:
    """A link shown on the page is the short ``t.me/…`` form and never breaks inside a word."""
    _, out = written
    page = (out / "liens.html").read_text(encoding="utf-8")
    assert "break-all" not in page and "white-space: nowrap" in page
    shown = re.findall(r'<a class="lien" href="https://([^"]+)">([^<]+)</a>', page)
    assert shown and all(target == text for target, text in shown)


def test_write_links_with_real_knowledge_when_available(tmp_path: Path) -> None:
    knowledge = real_or_fixture()
    result = write_links(knowledge, BOT, tmp_path)
    page = result.html_path.read_text(encoding="utf-8")
    for theme in knowledge.themes:
        assert f"?start={theme.slug}" in page
    for item in result.items:
        payload = item.link.split("?start=", 1)[1]
        assert is_link_safe(payload) and len(payload) <= 64
