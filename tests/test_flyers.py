"""flyers.pdf as a person gets it: rendered by poppler, its QR codes read back by zbar.

``make test`` installs poppler-utils and zbar-tools (``make print-tools``) when they are missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main
from bot.knowledge.loader import load_knowledge
from bot.knowledge.models import Knowledge
from bot.matching.matcher import Matcher
from bot.staff.flyers import (
    Flyer,
    FlyersResult,
    _pdf_text,
    build_flyers,
    city_name,
    emergency_numbers,
    write_flyers,
)

BOT = "Quartiers2030_bot"
KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"
TOOLS = ("pdftoppm", "pdftotext", "zbarimg")


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} missing: `make print-tools` installs poppler-utils and "
            "zbar-tools (Debian)"
        )


def _pages(pdf: Path, out: Path) -> list[Path]:
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-png", str(pdf), str(out / "page")], check=True
    )
    return sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _codes(image: Path) -> list[str]:
    # zbarimg exits 4 when it finds no code: the assertions below say what was expected.
    run = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=False
    )
    return run.stdout.split()


def _texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]  # one form feed after each page


@pytest.fixture(scope="module")
def a4(
    knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory
) -> tuple[FlyersResult, list[Path]]:
    out = tmp_path_factory.mktemp("a4")
    result = write_flyers(knowledge, BOT, out)
    return result, _pages(result.path, out / "png")


def test_every_page_holds_its_qr_code(
    knowledge: Knowledge, a4: tuple[FlyersResult, list[Path]]
) -> None:
    result, pages = a4
    expected = [f"https://t.me/{BOT}"] + [
        f"https://t.me/{BOT}?start={t.slug}" for t in knowledge.themes
    ]
    assert len(expected) >= 9
    assert [f.link for f in result.flyers] == expected
    assert [_codes(page) for page in pages] == [[link] for link in expected]
    width, height = Image.open(pages[0]).size
    assert height > width  # A4 portrait


def test_every_page_names_the_bot_and_telegram(a4: tuple[FlyersResult, list[Path]]) -> None:
    result, _ = a4
    texts = _texts(result.path)
    assert len(texts) == len(result.flyers)
    for flyer, text in zip(result.flyers, texts, strict=True):
        assert f"@{BOT}" in text and "Telegram" in text
        assert "Posez votre question" in text and "gratuit, 24h/24" in text
        assert "anonyme" not in text.lower()  # Telegram knows who writes
        # The short link is printed whole, on one line, under the code.
        assert flyer.short_link in text.split()
        assert not re.search(r"[^\x00-\xff’–—…œŒ€«»]", text), "a character the fonts lack"


def test_emergency_numbers_come_from_the_knowledge(
    knowledge: Knowledge, a4: tuple[FlyersResult, list[Path]]
) -> None:
    result, _ = a4
    numbers = emergency_numbers(knowledge)
    assert {"17", "112", "3919"} <= {n for n, _ in numbers}
    for number, name in numbers:
        assert number not in name.split()  # printed once, in front
    for text in _texts(result.path):
        flat = " ".join(text.split())
        for number, name in numbers:
            assert f"{number} {' '.join(name.split())}" in flat


def test_examples_are_the_residents_own_and_answered(knowledge: Knowledge) -> None:
    flyers = build_flyers(knowledge, BOT)
    matcher = Matcher(knowledge)
    printed = {
        " ".join(e.replace("\u00a0", " ").split()).lower(): o
        for o in knowledge.objectives
        for e in o.examples
    }
    for flyer in flyers:
        assert len(flyer.examples) == 3
        for example in flyer.examples:
            plain = " ".join(example.replace("\u00a0", " ").split()).lower()
            objective = printed.get(plain) or printed.get(plain.replace(" ?", "?"))
            assert objective is not None, f"not a knowledge example: {example}"
            if flyer.kind == "theme":
                assert flyer.link.endswith(f"th_{objective.theme_id}")
            result = matcher.match(example)
            assert not result.emergency and result.decision == "answer"


def test_theme_flyers_list_their_objectives(knowledge: Knowledge) -> None:
    for flyer in build_flyers(knowledge, BOT)[1:]:
        theme_id = flyer.link.rsplit("th_", 1)[1]
        assert flyer.objectives == tuple((o.id, o.text) for o in knowledge.objectives_of(theme_id))
        theme = knowledge.theme(theme_id)
        assert theme is not None
        assert flyer.heading == theme.short_name and flyer.explanation == theme.explanation


def test_a5_is_two_copies_on_a_landscape_sheet(knowledge: Knowledge, tmp_path: Path) -> None:
    result = write_flyers(knowledge, BOT, tmp_path, page_format="a5", theme_id="T2")
    assert [f.link for f in result.flyers] == [f"https://t.me/{BOT}?start=th_T2"]
    (page,) = _pages(result.path, tmp_path / "png")
    assert _codes(page) == [result.flyers[0].link] * 2
    width, height = Image.open(page).size
    assert width > height
    (text,) = _texts(result.path)
    assert text.count(f"@{BOT}") == 2


def test_city_line_only_when_localized(knowledge: Knowledge, tmp_path: Path) -> None:
    assert city_name(tmp_path) is None
    (tmp_path / "contacts").mkdir()
    officiels = tmp_path / "contacts" / "officiels.yaml"
    officiels.write_text('commune:\n  insee: "92078"\n  nom: ""\n', encoding="utf-8")
    assert city_name(tmp_path) is None
    officiels.write_text(
        'commune:\n  insee: "92078"\n  nom: "Villeneuve-la-Garenne"\n', encoding="utf-8"
    )
    assert city_name(tmp_path) == "Villeneuve-la-Garenne"
    with_city = build_flyers(knowledge, BOT, city="Villeneuve-la-Garenne")
    assert all("Ville de Villeneuve-la-Garenne" in f.subheading for f in with_city)
    assert not any("Ville" in f.subheading for f in build_flyers(knowledge, BOT))


def test_unknown_theme_is_refused(knowledge: Knowledge) -> None:
    with pytest.raises(ValueError, match="theme"):
        build_flyers(knowledge, BOT, theme_id="9")


def test_pdf_text_keeps_french_and_drops_emoji() -> None:
    assert _pdf_text("« Écoute », œuvre — 24h/24 ’") == "« Écoute », œuvre — 24h/24 ’"
    assert "🤝" not in _pdf_text("🤝 Vivre ensemble")


def test_cli_links_writes_flyers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["links", "--username", BOT, "--out", str(tmp_path), "--knowledge", str(KNOWLEDGE_DIR)]
    assert main([*argv, "--theme", "t1", "--format", "a5"]) == 0
    assert (tmp_path / "flyers.pdf").is_file() and (tmp_path / "liens.html").is_file()
    assert "flyers.pdf" in capsys.readouterr().out
    assert main([*argv, "--theme", "9"]) == 2
    assert "Thématique inconnue" in capsys.readouterr().err


def test_flyer_short_link_drops_the_scheme() -> None:
    flyer = Flyer("general", f"https://t.me/{BOT}", "", "", (), "", (), ())
    assert flyer.short_link == f"t.me/{BOT}"
