"""The terminal chat is the bot in a terminal, driven here through its stdin: numbered choices,
every command, deep-link payloads, reload of edited knowledge, questions logged."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.knowledge.loader import load_knowledge
from bot.staff.question_log import QuestionLog
from bot.store import KnowledgeStore
from bot.terminal import chat
from tests.harness import set_texts
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent
# How /urgence starts, whatever staff write there.
KNOWLEDGE_URGENCE = load_knowledge(ROOT / "knowledge").text("urgence_commande").split("\n")[0][:30]


def turns(stdout: str) -> list[str]:
    """What the chat printed before the first prompt, then after each line typed."""
    return stdout.split("vous › ")


def numbered(text: str) -> dict[int, str]:
    return {int(n): label for n, label in re.findall(r"^  (\d+)\. (.+)$", text, re.MULTILINE)}


def test_chat_numbers_the_topics_and_a_number_picks_one(tmp_path: Path) -> None:
    out = run("chat", stdin="2\n1\n", env={"QUESTION_LOG_PATH": str(tmp_path / "q.sqlite3")})
    assert out.returncode == 0, out.stderr
    start, theme, orientation, _end = turns(out.stdout)
    assert "le numéro d'un choix" in start and "Bonjour" in start
    topics = numbered(start)
    assert topics[1].startswith("🤝") and topics[2] == "💼 Emploi"
    assert theme.startswith("💼 Emploi —")  # « 2 » is the second topic, not a question
    first_objective = numbered(theme)[1]
    assert first_objective.startswith("2.1 ·")
    assert "Objectif 2.1" in orientation


def test_chat_commands_and_payloads(tmp_path: Path) -> None:
    lines = "/themes\n/urgence\n/start obj_2-2\n/aide\n/contacts\n/confidentialite\n"
    out = run("chat", stdin=lines, env={"QUESTION_LOG_PATH": str(tmp_path / "q.sqlite3")})
    assert out.returncode == 0, out.stderr
    _start, themes, urgence, card, aide, contacts, privacy, _end = turns(out.stdout)
    assert themes.startswith("Choisissez un sujet") and numbered(themes)[1].startswith("🤝")
    assert urgence.startswith(KNOWLEDGE_URGENCE)
    for number in ("17", "112", "15", "3919", "119", "3114", "115"):
        assert re.search(rf": {number}\b", urgence), number
    assert "Objectif 3.3" not in urgence
    assert "Objectif 2.2" in card and "Qui contacter" in card
    assert "/themes" in aide
    assert contacts.startswith("Numéros et services utiles")
    assert "90 jours" in privacy


def test_chat_answers_offer_numbered_votes_candidates_and_topics(tmp_path: Path) -> None:
    log = tmp_path / "q.sqlite3"
    out = run(
        "chat", stdin="je cherche du travail\n1\nmeteo\n", env={"QUESTION_LOG_PATH": str(log)}
    )
    _start, answer, vote, unknown, _end = turns(out.stdout)
    choices = numbered(answer)
    assert choices[1] == "👍 Oui" and choices[2] == "👎 Non"
    assert "🏠 Tous les sujets" in choices.values()
    assert vote.strip() == "Merci pour votre avis !"
    assert "je n'ai pas trouvé" in unknown.lower() and numbered(unknown)[2] == "💼 Emploi"
    # « choisissez un sujet ci-dessous »: the subjects are there, below.
    assert "ci-dessous" in unknown


def test_chat_logs_questions_so_report_sees_them(tmp_path: Path) -> None:
    env = {"QUESTION_LOG_PATH": str(tmp_path / "q.sqlite3")}
    run("chat", stdin="je cherche du travail\nmon mari me frappe\nmeteo\n", env=env)
    with QuestionLog(tmp_path / "q.sqlite3") as log:
        texts = [e.text for e in log.entries()]
    # An answered question keeps its objective, not its words; what was missed keeps them.
    assert len(texts) == 3 and texts[2] == "meteo"
    assert not any("travail" in t or "mari" in t for t in texts)  # nor danger messages
    report = run("report", env=env)
    assert "3 questions" in report.stdout


def test_chat_no_log_records_nothing(tmp_path: Path) -> None:
    env = {"QUESTION_LOG_PATH": str(tmp_path / "q.sqlite3")}
    out = run("chat", "--no-log", stdin="je cherche du travail\n", env=env)
    assert "Objectif 2.2" in out.stdout
    assert "👍 Oui" not in out.stdout  # no entry to vote on
    assert not (tmp_path / "q.sqlite3").exists()


class ScriptedStdin(io.StringIO):
    """Lines typed one by one; ``before`` runs just before the chat reads a given line (the
    staff member saving a file while the chat waits)."""

    def __init__(self, lines: list[str], before: dict[int, Callable[[], None]]) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))
        self.before = before
        self.read_lines = 0

    def readline(self, size: int | None = -1) -> str:
        action = self.before.get(self.read_lines)
        if action is not None:
            action()
        self.read_lines += 1
        return super().readline(-1 if size is None else size)


def test_chat_reloads_edited_knowledge(knowledge_dir: Path) -> None:
    assistant = Assistant(KnowledgeStore(knowledge_dir))
    stdin = ScriptedStdin(
        ["meteo", "meteo", "meteo"],
        {
            1: lambda: set_texts(knowledge_dir, pas_compris="Rien trouvé, version deux."),
            2: lambda: (knowledge_dir / "textes.yaml").write_text("textes: [\n", encoding="utf-8"),
        },
    )
    stdout = io.StringIO()
    assert chat(assistant, stdin, stdout) == 0
    _start, before, after, broken, _end = turns(stdout.getvalue())
    assert "Rien trouvé" not in before
    assert "Connaissances rechargées" in after and "Rien trouvé, version deux." in after
    # A broken file is refused; the chat keeps answering from the last good knowledge.
    assert "refusés" in broken and "Rien trouvé, version deux." in broken


@pytest.mark.parametrize("line", ["🆘 Urgences", "/urgence", "/URGENCE"])
def test_chat_emergency_numbers_however_asked(line: str, tmp_path: Path) -> None:
    out = run("chat", "--no-log", stdin=f"{line}\n")
    _start, numbers, _end = turns(out.stdout)
    assert numbers.startswith(KNOWLEDGE_URGENCE) and "3919" in numbers
