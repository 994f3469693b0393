"""Telegram HTML rendering: every piece of knowledge or user text is escaped, and long replies
are split under Telegram's 4,096-character limit on line boundaries (our tags never span a
line, so a split between lines never cuts a tag)."""

from __future__ import annotations

import re
from html import escape
from typing import Final

from bot.answer import Reply
from bot.render.layout import Line, Span, reply_lines

TELEGRAM_LIMIT: Final = 4096
_TAG: Final = re.compile(r"<[^>]*>")


def e(text: str) -> str:
    return escape(text, quote=False)


def span_html(span: Span) -> str:
    if span.style == "bold":
        return f"<b>{e(span.text)}</b>"
    if span.style == "italic":
        return f"<i>{e(span.text)}</i>"
    return e(span.text)


def lines_html(lines: list[Line]) -> str:
    return "\n".join("".join(span_html(s) for s in line) for line in lines)


def reply_html(reply: Reply, footer: str = "") -> str:
    return lines_html(reply_lines(reply, footer))


def split_html(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Chunks of at most ``limit`` characters, cut between lines.

    A single line longer than the limit (only possible with odd knowledge) loses its tags and
    is cut between words, so no chunk ever holds half a tag.
    """
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = [line]
        if len(line) > limit:
            plain = _TAG.sub("", line)
            pieces = []
            while plain:
                cut = plain.rfind(" ", 0, limit) if len(plain) > limit else len(plain)
                cut = cut if cut > 0 else limit
                piece, plain = plain[:cut], plain[cut:].lstrip(" ")
                # Escaped entities (&amp;) must not be cut either: back off to before the '&'.
                amp = piece.rfind("&")
                if amp != -1 and ";" not in piece[amp:] and plain:
                    piece, plain = piece[:amp], piece[amp:] + plain
                pieces.append(piece)
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    chunks.append(current)
                current = piece
    if current.strip():
        chunks.append(current)
    return chunks or [""]
