"""Telegram HTML rendering: every piece of knowledge or user text is escaped, and long replies
are split under Telegram's 4,096-character limit on line boundaries (our tags never span a
line, so a split between lines never cuts a tag)."""

from __future__ import annotations

import re
from html import escape
from typing import Final

from bot.answer import ContactCard, EmergencyBlock, Reply
from bot.render.layout import contact_lines

TELEGRAM_LIMIT: Final = 4096
_TAG: Final = re.compile(r"<[^>]*>")


def e(text: str) -> str:
    return escape(text, quote=False)


def contact_html(c: ContactCard) -> str:
    return "\n".join(contact_lines(c, e, lambda t: f"<b>{t}</b>", lambda t: f"<i>{t}</i>"))


def emergency_html(block: EmergencyBlock) -> str:
    lines = [f"<b>{e(block.title)}</b>", *(e(m) for m in block.messages)]
    lines += [contact_html(c) for c in block.contacts]
    return "\n".join(lines)


def reply_html(reply: Reply, footer: str = "") -> str:
    parts: list[str] = []
    if reply.emergency is not None:
        parts.append(emergency_html(reply.emergency))
    if reply.intro:
        parts.append(e(reply.intro))
    card = reply.card
    if card is not None:
        head = [f"<b>{e(card.theme_label)}</b> — {e(card.theme_title)}"]
        if card.orientation_title and card.orientation_id:
            head.append(
                f"<i>Orientation {e(card.orientation_id)} : {e(card.orientation_title)}</i>"
            )
        head.append(f"<b>Objectif {e(card.objective_id)}</b> : {e(card.text)}")
        parts.append("\n".join(head))
        parts.append(e(card.explanation))
        if card.contacts:
            parts.append(
                "<b>Qui contacter :</b>\n" + "\n".join(contact_html(c) for c in card.contacts)
            )
    if reply.general_contacts:
        parts.append(
            f"<b>{e(reply.general_title)}</b>\n"
            + "\n".join(contact_html(c) for c in reply.general_contacts)
        )
    if footer:
        parts.append(e(footer))
    return "\n\n".join(p for p in parts if p)


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
