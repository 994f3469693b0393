"""Plain-text rendering for the terminal (``ask`` and ``chat``): the layout without styles."""

from __future__ import annotations

from bot.answer import Reply
from bot.render.layout import Line, reply_lines


def line_text(line: Line) -> str:
    return "".join(span.text for span in line)


def render_text(reply: Reply, footer: str = "") -> str:
    return "\n".join(line_text(line) for line in reply_lines(reply, footer)).strip()
