"""Pages reached by buttons and deep links: HTML plus the keyboard that goes with it."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.answer import ContactCard, all_emergencies, general_contacts, objective_reply
from bot.knowledge.ids import Kind
from bot.knowledge.models import Knowledge
from bot.render.html import contact_html, e, emergency_html, reply_html
from handlers import keyboards

Page = tuple[str, InlineKeyboardMarkup | None]


def menu_page(knowledge: Knowledge) -> Page:
    return e(knowledge.text("menu_thematiques")), keyboards.theme_menu(knowledge)


def theme_page(knowledge: Knowledge, theme_id: str) -> Page | None:
    theme = knowledge.theme(theme_id)
    if theme is None:
        return None
    html = f"<b>{e(theme.label)}</b> — {e(theme.title)}\n\n{e(theme.explanation)}"
    return html, keyboards.theme_view(knowledge, theme_id)


def orientation_page(knowledge: Knowledge, orientation_id: str) -> Page | None:
    o = knowledge.orientation(orientation_id)
    if o is None:
        return None
    theme = knowledge.theme(o.theme_id)
    head = f"<b>{e(theme.label)}</b>\n" if theme else ""
    html = f"{head}<i>Orientation {e(o.id)} : {e(o.title)}</i>"
    return html, keyboards.orientation_view(knowledge, orientation_id)


def objective_page(knowledge: Knowledge, objective_id: str) -> Page | None:
    reply = objective_reply(knowledge, objective_id)
    if reply is None:
        return None
    return reply_html(reply), keyboards.reply_keyboard(knowledge, reply)


def page_for(knowledge: Knowledge, kind: Kind, item_id: str) -> Page | None:
    if kind == "th":
        return theme_page(knowledge, item_id)
    if kind == "or":
        return orientation_page(knowledge, item_id)
    return objective_page(knowledge, item_id)


def contacts_page(knowledge: Knowledge) -> Page:
    lines = [f"<b>{e(knowledge.text('contacts_titre'))}</b>"]
    lines += [contact_html(c) for c in general_contacts(knowledge)]
    national = [
        c for c in knowledge.contacts if c.shown and c.id not in knowledge.general_contact_ids
    ]
    lines += [contact_html(ContactCard.of(c)) for c in national if c.phone or c.website]
    return "\n".join(lines), InlineKeyboardMarkup(
        [[keyboards.button("🏠 Tous les sujets", keyboards.MENU)]]
    )


def emergency_page(knowledge: Knowledge) -> Page:
    return emergency_html(all_emergencies(knowledge)), InlineKeyboardMarkup(
        [[keyboards.button("🏠 Tous les sujets", keyboards.MENU)]]
    )
