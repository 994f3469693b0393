"""The layout both renderings share; each rendering only says how to escape and emphasise."""

from __future__ import annotations

from collections.abc import Callable

from bot.answer import ContactCard

Style = Callable[[str], str]


def _plain(text: str) -> str:
    return text


def contact_lines(
    c: ContactCard, escape: Style = _plain, bold: Style = _plain, italic: Style = _plain
) -> list[str]:
    """Name and number first (what a resident needs in a hurry), then what for, when, where."""
    head = f"• {bold(escape(c.name))}"
    if c.phone:
        head += f" : {bold(escape(c.phone))}"
    lines = [head]
    if c.purpose:
        lines.append(f"  {escape(c.purpose)}")
    lines += [f"  {italic(escape(value))}" for value in (c.hours, c.address) if value]
    if c.website:
        lines.append(f"  {escape(c.website)}")
    return lines
