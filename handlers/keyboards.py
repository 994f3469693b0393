"""The assistant's actions as Telegram keyboards: inline buttons under a message, and the
persistent keyboard of a private chat (📍 Près de chez moi, 🆘 Urgences, 📋 Thèmes)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.assistant import Action, Rows

BUTTON_TEXT_MAX = 64
_CACHE_MAX = 4096
# Telegram objects are immutable and menus repeat from one message to the next: a button or
# a keyboard is built once, not once per message (a measurable share of the CPU under load).
_buttons: dict[Action, InlineKeyboardButton] = {}
_markups: dict[int, tuple[Rows, InlineKeyboardMarkup]] = {}
_quick: dict[tuple[tuple[str, ...], str], ReplyKeyboardMarkup] = {}


def button(action: Action) -> InlineKeyboardButton:
    found = _buttons.get(action)
    if found is None:
        if len(_buttons) > _CACHE_MAX:
            _buttons.clear()
        text = action.label[:BUTTON_TEXT_MAX]
        if action.kind == "share":
            found = InlineKeyboardButton(text, switch_inline_query=action.data)
        else:
            found = InlineKeyboardButton(text, callback_data=action.data)
        _buttons[action] = found
    return found


def inline_keyboard(rows: Rows) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    # Menus are the same tuple object for a whole knowledge snapshot (bot.snapshots).
    hit = _markups.get(id(rows))
    if hit is not None and hit[0] is rows:
        return hit[1]
    markup = InlineKeyboardMarkup([[button(a) for a in row] for row in rows])
    if len(_markups) > _CACHE_MAX:
        _markups.clear()
    _markups[id(rows)] = (rows, markup)
    return markup


def quick_keyboard(labels: tuple[str, ...], locate: str = "") -> ReplyKeyboardMarkup | None:
    """The buttons at hand; ``locate`` labels a button that sends the resident's location,
    on its own row above the others (Telegram asks before sending it)."""
    labels = tuple(label for label in labels if label)
    if not labels and not locate:
        return None
    found = _quick.get((labels, locate))
    if found is None:
        rows = [[KeyboardButton(label) for label in labels]] if labels else []
        if locate:
            rows.insert(0, [KeyboardButton(locate, request_location=True)])
        found = _quick[(labels, locate)] = ReplyKeyboardMarkup(
            rows, is_persistent=True, resize_keyboard=True
        )
    return found


def open_in_bot(url: str, text: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text[:BUTTON_TEXT_MAX], url=url)]])
