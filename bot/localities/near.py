"""« 📍 Près de chez moi »: the France Services nearest to a shared location, or those of a
postal code, as a reply every channel can draw. The location is used for this reply only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from bot.answer import ContactCard, Reply, text_reply
from bot.knowledge.models import Knowledge
from bot.knowledge.services import credit_line
from bot.labels import Labels, fill
from bot.localities.communes import Directory, department_of
from bot.localities.data import ServicePoint
from bot.localities.generate import MOBILE, km
from bot.localities.hours import today_hours

# A postal code or a département may hold many points: the first ones, and how many more.
MAX_LISTED: Final = 5


def point_card(
    knowledge: Knowledge, p: ServicePoint, distance: float | None, now: datetime
) -> ContactCard:
    day, hours = today_hours(p.hours, now)
    today = (
        fill(knowledge.text("pres_aujourdhui"), jour=day, horaires=hours)
        if hours
        else knowledge.text("pres_ferme")
    )
    notes = [n for n in (p.comment, MOBILE if p.mobile else "") if n]
    return ContactCard(
        name=p.name if distance is None else f"{p.name} — {km(distance)}",
        purpose=" ".join(notes),
        phone=p.phone,
        website=p.map_link,
        address=p.full_address,
        hours=today,
        local=True,
    )


def _reply(
    knowledge: Knowledge,
    directory: Directory,
    title: str,
    found: Sequence[tuple[ServicePoint, float | None]],
    now: datetime,
    more: int = 0,
) -> Reply:
    source = directory.data.fs_source
    footer = credit_line(source.credit, source.date)
    if more:
        footer = f"{fill(knowledge.text('pres_autres'), nombre=str(more))}\n{footer}"
    return Reply(
        "page",
        general_title=title,
        general_contacts=tuple(point_card(knowledge, p, d, now) for p, d in found),
        footer=footer,
        labels=Labels.of(knowledge),
    )


def nearest_reply(
    knowledge: Knowledge, directory: Directory, latitude: float, longitude: float, now: datetime
) -> Reply:
    near = directory.nearest(latitude, longitude)
    found: list[tuple[ServicePoint, float | None]] = list(near)
    return _reply(knowledge, directory, knowledge.text("pres_titre_position"), found, now)


def postal_code_reply(
    knowledge: Knowledge, directory: Directory, code: str, now: datetime
) -> Reply:
    points, whole_department = directory.by_postal_code(code)
    if not points:
        return text_reply(knowledge, "pres_aucun", code=code)
    if whole_department:
        title = fill(
            knowledge.text("pres_titre_departement"), code=code, departement=department_of(code)
        )
    else:
        title = fill(knowledge.text("pres_titre_code"), code=code)
    listed: list[tuple[ServicePoint, float | None]] = [(p, None) for p in points[:MAX_LISTED]]
    more = len(points) - len(listed)
    return _reply(knowledge, directory, title, listed, now, more)
