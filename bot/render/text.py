"""Plain-text rendering for the terminal (``ask`` and ``chat``)."""

from __future__ import annotations

from bot.answer import EmergencyBlock, Reply
from bot.render.layout import contact_lines


def emergency_lines(block: EmergencyBlock) -> list[str]:
    lines = [block.title, *block.messages]
    for c in block.contacts:
        lines += contact_lines(c)
    return lines


def render_text(reply: Reply) -> str:
    lines: list[str] = []
    if reply.emergency is not None:
        lines += [*emergency_lines(reply.emergency), ""]
    if reply.intro:
        lines.append(reply.intro)
    card = reply.card
    if card is not None:
        lines.append(f"{card.theme_label} — {card.theme_title}")
        if card.orientation_title:
            lines.append(f"Orientation {card.orientation_id} : {card.orientation_title}")
        lines.append(f"Objectif {card.objective_id} : {card.text}")
        lines += ["", card.explanation]
        if card.contacts:
            lines += ["", "Qui contacter :"]
            for c in card.contacts:
                lines += contact_lines(c)
    if reply.candidates:
        lines += ["", "Autres sujets possibles :" if card else ""]
        lines += [f"  {i}. {c.label}" for i, c in enumerate(reply.candidates, 1)]
    if reply.general_contacts:
        lines += ["", reply.general_title]
        for c in reply.general_contacts:
            lines += contact_lines(c)
    return "\n".join(line for line in lines).strip()
