"""The command line, run as a user would: ``python -m bot ...`` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
SCRATCH = Path(tempfile.mkdtemp(prefix="cdv-cli-"))


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    # The chat logs questions like the bot: never into the project's own log.
    full_env["QUESTION_LOG_PATH"] = str(SCRATCH / "questions.sqlite3")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        env=full_env,
        timeout=60,
    )


def test_ask_prints_the_answer_as_a_resident_reads_it() -> None:
    out = run("ask", "jcherche", "du", "taf")
    assert out.returncode == 0
    assert "Objectif 2.2" in out.stdout and "Qui contacter" in out.stdout


def test_ask_json_one_line_per_question_in_order() -> None:
    out = run("ask", "--json", stdin="jcherche du taf\n\nmeteo\nmon mari me frappe\n")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["question"] for line in lines] == [
        "jcherche du taf",
        "meteo",
        "mon mari me frappe",
    ]
    first = lines[0]
    # The format's keys, in order: outside tools rely on it.
    assert list(first) == ["question", "decision", "emergency", "danger_level", "matches"]
    assert first["decision"] == "answer" and first["emergency"] is False
    assert first["danger_level"] == "none"
    assert first["matches"][0] == {
        "objective": "2.2",
        "theme": "2",
        "orientation": None,
        "score": first["matches"][0]["score"],
    }
    assert 0 < first["matches"][0]["score"] <= 1 and len(first["matches"]) <= 5
    assert lines[1]["decision"] == "unknown"
    assert lines[2]["emergency"] is True and lines[2]["danger_level"] == "sure"


def test_ask_json_orientation_and_transversal_ids() -> None:
    out = run("ask", "--json", "mon fils sèche les cours")
    match = json.loads(out.stdout)["matches"][0]
    assert match == {**match, "objective": "5.1.2", "theme": "5", "orientation": "5.1"}
    out = run("ask", "--json", "laïcité")
    assert json.loads(out.stdout)["matches"][0]["theme"] == "T2"


def test_eval_prints_figures_and_honours_thresholds() -> None:
    ok = run(
        "eval",
        str(QUESTIONS),
        "--min-top1",
        "0.9",
        "--min-top3",
        "0.97",
        "--max-unknown",
        "0.03",
        "--min-rejected",
        "0.9",
    )
    assert ok.returncode == 0, ok.stdout
    for label in ("top-1", "top-3", "inconnu alors que dans le sujet", "hors sujet rejeté"):
        assert label in ok.stdout
    too_high = run("eval", str(QUESTIONS), "--min-top1", "1.0", "--quiet")
    assert too_high.returncode == 1 and "SEUILS NON ATTEINTS" in too_high.stdout


def test_chat_answers_then_quits() -> None:
    out = run("chat", stdin="je cherche du travail\nquitter\n")
    assert out.returncode == 0
    assert "Bonjour" in out.stdout and "Objectif 2.2" in out.stdout


def test_start_without_token_opens_the_terminal_chat() -> None:
    out = run("start", stdin="salut\n")
    assert out.returncode == 0
    assert "terminal" in out.stdout and "Bonjour" in out.stdout


def test_run_without_token_says_what_is_missing() -> None:
    out = run("run")
    assert out.returncode == 1 and "TELEGRAM_BOT_TOKEN" in out.stderr


def test_broken_knowledge_stops_ask_with_the_errors(tmp_path: Path) -> None:
    import shutil

    kdir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kdir)
    (kdir / "textes.yaml").write_text("textes: [\n", encoding="utf-8")
    out = run("ask", "--knowledge", str(kdir), "bonjour")
    assert out.returncode == 1
    assert "textes.yaml:" in out.stderr and "syntaxe YAML" in out.stderr


def test_invalid_setting_is_explained() -> None:
    out = run("report", env={"RETENTION_DAYS": "beaucoup"})
    assert out.returncode == 1 and "RETENTION_DAYS" in out.stderr


def test_report_on_an_empty_log(tmp_path: Path) -> None:
    out = run("report", env={"QUESTION_LOG_PATH": str(tmp_path / "q.sqlite3")})
    assert out.returncode == 0, out.stderr
    csv_out = run("report", "--csv", env={"QUESTION_LOG_PATH": str(tmp_path / "q.sqlite3")})
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("section")


def test_links_writes_qr_codes_and_a_page(tmp_path: Path) -> None:
    out = run("links", "--username", "cdv_test_bot", "--out", str(tmp_path / "liens"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "liens" / "liens.html").is_file()
    assert len(list((tmp_path / "liens" / "qr").glob("*.png"))) == 48


@pytest.mark.parametrize(
    "command", ["check", "ask", "chat", "eval", "bench", "run", "start", "report", "links"]
)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"python -m bot {command}" in readme


def test_check_quiet_counts_warnings_and_shows_errors(tmp_path: Path) -> None:
    quiet = run("check", "--quiet")
    assert quiet.returncode == 0
    assert "Avertissements" not in quiet.stdout and "erreur(s)" in quiet.stdout
    import shutil

    kdir = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kdir)
    (kdir / "textes.yaml").write_text("textes: [\n", encoding="utf-8")
    broken = run("check", "--quiet", str(kdir))
    assert broken.returncode == 1 and "textes.yaml:" in broken.stdout
