"""Inline keyboards. Callback data carries knowledge slugs (see ``bot.knowledge.ids``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answer import Reply
from bot.knowledge.ids import slug
from bot.knowledge.models import Knowledge

MENU = "menu"
CONTACTS = "contacts"
EMERGENCY = "urgence"


F = TypeVar("F", bound=Callable[..., InlineKeyboardMarkup])


def per_knowledge(build: F) -> F:
    """Menus depend only on the knowledge snapshot, and Telegram objects are immutable: build
    each once per snapshot instead of once per message (a measurable share of the CPU under
    load). A reload brings a new snapshot, hence fresh menus."""
    cache: dict[tuple[Any, ...], tuple[Knowledge, InlineKeyboardMarkup]] = {}

    @functools.wraps(build)
    def cached(knowledge: Knowledge, *args: Any) -> InlineKeyboardMarkup:
        key = (id(knowledge), *args)
        hit = cache.get(key)
        if hit is not None and hit[0] is knowledge:
            return hit[1]
        if len(cache) > 256:
            cache.clear()
        markup = build(knowledge, *args)
        cache[key] = (knowledge, markup)
        return markup

    return cast(F, cached)


def button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text[:64], callback_data=data)


@per_knowledge
def theme_menu(knowledge: Knowledge) -> InlineKeyboardMarkup:
    rows = [[button(t.label, t.slug)] for t in knowledge.themes]
    rows.append([button("📞 Contacts utiles", CONTACTS), button("🚨 Urgences", EMERGENCY)])
    return InlineKeyboardMarkup(rows)


@per_knowledge
def theme_view(knowledge: Knowledge, theme_id: str) -> InlineKeyboardMarkup:
    orientations = knowledge.orientations_of(theme_id)
    if orientations:
        rows = [[button(f"{o.id} · {o.short_name}", o.slug)] for o in orientations]
    else:
        rows = [[button(f"{o.id} · {o.text}", o.slug)] for o in knowledge.objectives_of(theme_id)]
    rows.append([button("⬅️ Tous les sujets", MENU)])
    return InlineKeyboardMarkup(rows)


@per_knowledge
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
