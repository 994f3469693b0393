"""Opening hours as residents read them, and « today » in the Europe/Paris time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final

from bot.localities.data import DAYS

_SHORT: Final = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_TIME: Final = re.compile(r"(\d{1,2}):(\d{2})")


def paris_zone() -> tzinfo | None:
    """Europe/Paris from the system's time-zone database; ``None`` when it has none (a slim
    container), in which case :func:`paris_now` applies the EU summer-time rule itself."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Paris")
    except Exception:
        return None


def _last_sunday(year: int, month: int) -> datetime:
    day = datetime(year, month + 1, 1, 1, tzinfo=UTC) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def paris_now(now: datetime | None = None) -> datetime:
    """The local time in Paris (``now``: any aware datetime, by default the current time)."""
    now = now or datetime.now(UTC)
    zone = paris_zone()
    if zone is not None:
        return now.astimezone(zone)
    utc = now.astimezone(UTC)
    # Summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC.
    summer = _last_sunday(utc.year, 3) <= utc < _last_sunday(utc.year, 10)
    return utc + timedelta(hours=2 if summer else 1)


def short_time(value: str) -> str:
    """« 09:30 » → « 9h30 », « 12:00 » → « 12h »."""
    return _TIME.sub(lambda m: f"{int(m[1])}h{m[2] if m[2] != '00' else ''}", value)


def day_hours(published: str) -> str:
    """« 09:00 - 12:00 / 13:30 - 17:00 » → « 9h-12h / 13h30-17h »; empty when closed."""
    ranges = [short_time(r.strip()).replace(" - ", "-") for r in published.split("/")]
    return " / ".join(r.replace(" ", "") for r in ranges if r)


def week_hours(hours: tuple[str, ...]) -> str:
    """The week on one line, days with the same hours together: « lun.-jeu. 9h-12h ;
    ven. 9h-12h / 14h-16h ». Empty when no day has hours."""
    parts: list[str] = []
    start = 0
    for end in range(1, len(DAYS) + 1):
        if end < len(DAYS) and hours[end] == hours[start]:
            continue
        if hours[start]:
            days = _SHORT[start] if end - 1 == start else f"{_SHORT[start]}-{_SHORT[end - 1]}"
            parts.append(f"{days} {day_hours(hours[start])}")
        start = end
    return " ; ".join(parts)


def today_hours(hours: tuple[str, ...], now: datetime) -> tuple[str, str]:
    """The weekday's name and its hours (empty: closed that day), in Paris time."""
    day = paris_now(now).weekday()
    published = hours[day] if day < len(hours) else ""
    return DAYS[day], day_hours(published)
