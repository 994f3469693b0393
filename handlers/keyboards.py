"""Inline keyboards. Callback data carries knowledge slugs (see ``bot.knowledge.ids``)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answer import Reply
from bot.knowledge.ids import slug
from bot.knowledge.models import Knowledge

MENU = "menu"
CONTACTS = "contacts"
EMERGENCY = "urgence"


def button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text[:64], callback_data=data)


def theme_menu(knowledge: Knowledge) -> InlineKeyboardMarkup:
    rows = [[button(t.label, t.slug)] for t in knowledge.themes]
    rows.append([button("📞 Contacts utiles", CONTACTS), button("🚨 Urgences", EMERGENCY)])
    return InlineKeyboardMarkup(rows)


def theme_view(knowledge: Knowledge, theme_id: str) -> InlineKeyboardMarkup:
    orientations = knowledge.orientations_of(theme_id)
    if orientations:
        rows = [[button(f"{o.id} · {o.short_name}", o.slug)] for o in orientations]
    else:
        rows = [[button(f"{o.id} · {o.text}", o.slug)] for o in knowledge.objectives_of(theme_id)]
    rows.append([button("⬅️ Tous les sujets", MENU)])
    return InlineKeyboardMarkup(rows)


def orientation_view(knowledge: Knowledge, orientation_id: str) -> InlineKeyboardMarkup:
    o = knowledge.orientation(orientation_id)
    theme_id = o.theme_id if o else orientation_id.split(".")[0]
    rows = [
        [button(f"{obj.id} · {obj.text}", obj.slug)]
        for obj in knowledge.objectives_of(theme_id, orientation_id)
    ]
    rows.append([button("⬅️ Retour", slug("th", theme_id)), button("🏠 Sujets", MENU)])
    return InlineKeyboardMarkup(rows)


def reply_keyboard(
    knowledge: Knowledge, reply: Reply, votes: tuple[str, str] | None = None
) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    if reply.kind == "suggest":
        rows += [[button(c.label, slug("obj", c.objective_id))] for c in reply.candidates]
    card = reply.card
    if card is not None:
        if votes is not None:
            rows.append(
                [
                    button("👍 Oui", votes[0]),
                    button("👎 Non", votes[1]),
                ]
            )
        rows += [[button(f"↪️ {c.label}", slug("obj", c.objective_id))] for c in reply.candidates]
        back = slug("or", card.orientation_id) if card.orientation_id else slug("th", card.theme_id)
        rows.append(
            [
                button(f"📂 {card.theme_label}", back),
                InlineKeyboardButton("🔗 Partager", switch_inline_query=card.objective_id),
            ]
        )
        rows.append([button("🏠 Tous les sujets", MENU)])
    if reply.show_theme_menu:
        rows += [list(r) for r in theme_menu(knowledge).inline_keyboard]
    return InlineKeyboardMarkup(rows) if rows else None


def open_in_bot(url: str, text: str = "💬 Ouvrir dans le bot") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url)]])
