"""The « Premiers pas » of knowledge/README.md, followed as a staff member would: every
command of the section is run, in order, in a fresh clone, after the edit it describes."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from bot.staff.question_log import QuestionLog
from tests.test_triage import fresh_clone

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "knowledge" / "README.md"
VENV_PYTHON = ".venv/bin/python"
# What the staff member types at the interactive commands (choose the first objective, quit).
STDIN = {"chat": "ou jeter un vieux frigo\n", "triage": "1\nq\n"}


def first_steps() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    assert text.splitlines()[2] == "## Premiers pas", "the guide starts with « Premiers pas »"
    start = text.index("## Premiers pas")
    return text[start : text.index("\n## ", start + 1)]


def blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


def commands(section: str) -> list[str]:
    return [line for block in blocks(section, "sh") for line in block.splitlines() if line]


def argv(command: str) -> tuple[list[str], str]:
    """The command to run here, and what to type into it."""
    words = shlex.split(command)
    if words[0] == "make":
        # The test already runs inside the installed environment: make uses it as is.
        bin_dir = str(Path(sys.executable).parent)
        return [*words, "STAMP=", f"BIN={bin_dir}"], ""
    assert words[0] == VENV_PYTHON, f"« {command} » does not work outside the environment"
    sub = words[3] if len(words) > 3 else ""
    typed = STDIN.get(sub, "") if len(words) == 4 else ""
    return [sys.executable, *words[1:]], typed


def add_example(clone: Path, section: str) -> None:
    """Step 2 as written: under the « exemples: » line of objective 4.1, the YAML line shown."""
    (line,) = [ln for b in blocks(section, "yaml") for ln in b.splitlines() if ln.strip()]
    path = clone / "knowledge" / "objectifs" / "4-cadre-de-vie.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    record = lines.index('  - id: "4.1"\n')
    under = next(i for i in range(record, len(lines)) if lines[i].strip() == "exemples:")
    lines.insert(under + 1, line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def test_every_command_of_the_first_steps_runs(tmp_path: Path) -> None:
    section = first_steps()
    listed = commands(section)
    assert listed[0] == "make check" and any("triage" in c for c in listed)
    clone = fresh_clone(tmp_path / "clone")
    log_path = tmp_path / "questions.sqlite3"
    with QuestionLog(log_path) as log:  # something to triage
        log.record("horaires de la piscine municipale le dimanche", "unknown", None, 0.1)
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "KNOWLEDGE_DIR")}
    env["QUESTION_LOG_PATH"] = str(log_path)
    edited = False
    for i, command in enumerate(listed):
        if i > 0 and command == "make check" and not edited:
            add_example(clone, section)  # step 2: the edit, then the check again
            edited = True
        args, typed = argv(command)
        done = subprocess.run(
            args, cwd=clone, env=env, input=typed, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        if command.startswith("make check"):
            assert "0 erreur(s)" in done.stdout
        if " ask " in command:
            assert "Objectif 4.1" in done.stdout, done.stdout
        if command.endswith("bot triage"):
            assert "ajouté à" in done.stdout, done.stdout
    assert edited
    assert (clone / "rapport.html").is_file()
