"""``report --html`` opened in a real headless browser (Debian's chromium, installed by
``make test`` when missing): the page renders offline and its charts are on screen."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from bot.staff.question_log import QuestionLog

ROOT = Path(__file__).resolve().parent.parent
ANSWER_GREEN = (0x00, 0x9E, 0x73)  # bot.staff.report_html.COLOURS["answer"]
NO_ORANGE = (0xD5, 0x5E, 0x00)  # NO_COLOUR, the « Non » bars


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (make test installs it)")
    return found


def fill_log(path: Path, now: datetime) -> None:
    """Eight weeks of questions: answered, unanswered, out of scope, votes, danger."""
    rng = random.Random(7)
    answered = [
        ("jcherche du taf", "2.2"),
        ("aide aux devoirs pour mon fils", "5.1.2"),
        ("ya du deal dans le hall", "6.1"),
        ("mon ascenseur est en panne", "4.2"),
    ]
    missed = ["ou jeter un vieux frigo", "ou jeter mon vieux frigo", "horaires de la piscine"]
    with QuestionLog(path) as log:
        for day in range(56):
            for _ in range(rng.randint(1, 6)):
                when = now - timedelta(days=day, hours=rng.randint(0, 8))
                roll = rng.random()
                if roll < 0.6:
                    question, objective = rng.choice(answered)
                    entry = log.record(question, "answer", objective, 0.8, now=when)
                    if rng.random() < 0.4:
                        log.vote(entry, rng.random() < 0.6)
                elif roll < 0.9:
                    log.record(rng.choice(missed), "unknown", "4.1", 0.2, now=when)
                elif roll < 0.95:
                    log.record("c'est quoi la capitale du pérou", "unknown", None, 0.0, now=when)
                else:
                    log.record(
                        "[message d'urgence : texte non conservé]", "answer", "6.1", 1, now=when
                    )


def browse(
    browser: str, page: Path, profile: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--hide-scrollbars",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_report_page_renders_its_charts_in_a_real_browser(tmp_path: Path) -> None:
    browser = chromium()
    log_path = tmp_path / "questions.sqlite3"
    fill_log(log_path, datetime.now(UTC))
    page = tmp_path / "rapport.html"
    env = {k: v for k, v in os.environ.items() if k not in ("KNOWLEDGE_DIR", "TELEGRAM_BOT_TOKEN")}
    env["QUESTION_LOG_PATH"] = str(log_path)
    made = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--html", str(page)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert page.is_file()

    # The DOM the browser built: every chart is an inline SVG in its figure.
    dom = browse(browser, page, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    for chart in ("semaines", "parts", "thematiques", "votes", "urgences-semaines"):
        assert re.search(rf'<figure class="chart" id="graphique-{chart}"><svg', dom.stdout), chart
    assert "Ce que les habitants ont demandé" in dom.stdout
    assert "ou jeter un vieux frigo" in dom.stdout and "urgence : texte" not in dom.stdout

    # What is on screen: the charts' colours are drawn.
    shot = tmp_path / "rapport.png"
    done = browse(
        browser, page, tmp_path / "profile-shot", "--window-size=1000,2400", f"--screenshot={shot}"
    )
    assert done.returncode == 0 and shot.is_file(), done.stderr[-2000:]
    with Image.open(shot) as image:
        colours = {c for _n, c in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert ANSWER_GREEN in colours and NO_ORANGE in colours
