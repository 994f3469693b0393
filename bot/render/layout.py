"""Where the answer is laid out, once: a ``Reply`` becomes lines of styled spans.

The HTML and terminal renderings only escape and style these spans. A span never holds a line
break, so a bold or italic span never spans two lines and Telegram's 4,096-character split
(between lines) never cuts a tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.answer import ContactCard, EmergencyBlock, Heading, ObjectiveCard, Reply

Style = Literal["plain", "bold", "italic"]


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    style: Style = "plain"


Line = tuple[Span, ...]
Block = list[Line]


def plain(text: str) -> Span:
    return Span(text)


def bold(text: str) -> Span:
    # A styled span stays on one line, whatever staff wrote.
    return Span(text.replace("\n", " "), "bold")


def italic(text: str) -> Span:
    return Span(text.replace("\n", " "), "italic")


def paragraph(text: str, style: Style = "plain") -> Block:
    """A text of several lines (a bot phrase, an explanation): one line each, same style."""
    return [(Span(line, style),) if line else () for line in text.split("\n")]


def contact_lines(c: ContactCard) -> Block:
    """Name and number first (what a resident needs in a hurry), then what for, when, where."""
    head: list[Span] = [plain("• "), bold(c.name)]
    if c.phone:
        head += [plain(" : "), bold(c.phone)]
    lines: Block = [tuple(head)]
    if c.purpose:
        lines.append((plain(f"  {c.purpose}"),))
    lines += [(plain("  "), italic(value)) for value in (c.hours, c.address) if value]
    if c.website:
        lines.append((plain(f"  {c.website}"),))
    if c.credit:
        lines.append((plain("  "), italic(c.credit)))
    return lines


def contacts_block(title: str, contacts: tuple[ContactCard, ...]) -> Block:
    lines: Block = [(bold(title),)] if title else []
    for c in contacts:
        lines += contact_lines(c)
    return lines


def emergency_lines(block: EmergencyBlock) -> Block:
    lines: Block = [(bold(block.title),)] if block.title else []
    for message in block.messages:
        lines += paragraph(message)
    return lines + contacts_block("", block.contacts)


def _theme_line(label: str, title: str) -> Line:
    return (bold(label), plain(f" — {title}")) if title else (bold(label),)


def heading_lines(reply: Reply, heading: Heading) -> list[Block]:
    head: Block = [_theme_line(heading.theme_label, heading.theme_title)]
    if heading.orientation_id and heading.orientation_title:
        head.append(
            (italic(reply.labels.orientation(heading.orientation_id, heading.orientation_title)),)
        )
    return [head, paragraph(heading.explanation)] if heading.explanation else [head]


def card_lines(reply: Reply, card: ObjectiveCard) -> list[Block]:
    labels = reply.labels
    head: Block = [_theme_line(card.theme_label, card.theme_title)]
    if card.orientation_id and card.orientation_title:
        head.append((italic(labels.orientation(card.orientation_id, card.orientation_title)),))
    head.append((bold(labels.objective(card.objective_id)), plain(f" : {card.text}")))
    blocks = [head, paragraph(card.explanation)]
    if card.contacts:
        blocks.append(contacts_block(labels.qui_contacter, card.contacts))
    return blocks


def reply_lines(reply: Reply, footer: str = "") -> list[Line]:
    """The whole message: danger first, then the answer, blocks apart by a blank line."""
    blocks: list[Block] = []
    if reply.danger_line:
        blocks.append([(bold(reply.danger_line),)])
    if reply.emergency is not None:
        blocks.append(emergency_lines(reply.emergency))
    if reply.intro:
        blocks.append(paragraph(reply.intro))
    if reply.heading is not None:
        blocks += heading_lines(reply, reply.heading)
    if reply.card is not None:
        blocks += card_lines(reply, reply.card)
    if reply.general_contacts:
        blocks.append(contacts_block(reply.general_title, reply.general_contacts))
    for text in (reply.footer, footer):
        if text:
            blocks.append(paragraph(text))
    lines: list[Line] = []
    for block in blocks:
        if not block:
            continue
        if lines:
            lines.append(())
        lines += block
    return lines
