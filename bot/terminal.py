"""The terminal channel: the bot in a terminal (``python -m bot chat``).

A line typed is what a resident would send in Telegram: a question, a command (« /themes »,
« /start obj_2-2 »), or the number of a choice, which stands for a button. Every answer ends
with its numbered choices (topics, other candidates, « Oui / Non »). Edited knowledge is
reloaded before the next answer.
"""

from __future__ import annotations

from typing import Final, TextIO

from bot.assistant import Action, Assistant, Outcome, Request, typed
from bot.render.text import render_text

QUIT: Final = frozenset({"quitter", "exit", "quit", "q"})
HINT: Final = (
    "(Tapez votre question, le numéro d'un choix proposé, une commande comme /themes, /urgence "
    "ou /aide, ou « quitter » pour sortir.)"
)


def choices(outcome: Outcome) -> tuple[Action, ...]:
    """The buttons a terminal can offer, in order (sharing is Telegram's own)."""
    return tuple(a for row in outcome.actions for a in row if a.kind != "share")


def render_outcome(outcome: Outcome, offered: tuple[Action, ...]) -> str:
    parts = [outcome.notice] if outcome.notice else []
    parts += [render_text(r) for r in (outcome.lead, outcome.reply) if r is not None]
    if offered:
        parts.append("\n".join(f"  {n}. {a.label}" for n, a in enumerate(offered, 1)))
    return "\n\n".join(p for p in parts if p)


def chat(assistant: Assistant, stdin: TextIO, stdout: TextIO) -> int:
    def say(text: str) -> None:
        print(text, file=stdout, flush=True)

    say(HINT)
    offered = choices(welcome := assistant.respond(Request("command", "start", channel="terminal")))
    say(render_outcome(welcome, offered))
    while True:
        stdout.write("\nvous › ")
        stdout.flush()
        line = stdin.readline()
        if not line:  # end of input
            say("")
            return 0
        line = line.strip()
        if line.lower() in QUIT:
            return 0
        if not line:
            continue
        report = assistant.reload_if_changed()
        if report is not None:
            say(
                f"(Connaissances rechargées : {report.summary()}.)"
                if report.ok
                else f"(Fichiers modifiés refusés : {report.summary()} ; "
                "les connaissances précédentes restent. Voir « python -m bot check ».)"
            )
        if line.isdigit() and 0 < int(line) <= len(offered):
            # The terminal's version of a button: the number of a proposed choice.
            request = Request("button", offered[int(line) - 1].data, channel="terminal")
        else:
            request = typed(line)
        outcome = assistant.respond(request)
        if outcome.reply is not None:
            offered = choices(outcome)
        say(render_outcome(outcome, choices(outcome)))
