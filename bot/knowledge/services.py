"""Kinds of service an objective can point to, beyond fixed contact ids.

An objective that lists a kind's slot of ``contacts/locaux.yaml`` (``france-services-local``)
asks for « France Services de la commune »: the slot itself when staff filled it, else the
official entries of that kind that ``python -m bot localize`` generated, else (no commune set
yet) the national service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class ServiceKind:
    id: str  # the ``service`` of generated entries
    label: str  # what it is, for staff
    slot: str  # the contacts/locaux.yaml slot objectives name to ask for it
    national: str  # the national contact shown when no commune is set


SERVICE_KINDS: Final = {
    "france-services": ServiceKind(
        "france-services",
        "France Services de la commune",
        "france-services-local",
        "france-services",
    ),
}
BY_SLOT: Final = {k.slot: k for k in SERVICE_KINDS.values()}
# An answer card lists at most this many official entries of one kind (a big city has ten).
MAX_PER_CARD: Final = 3


def credit_line(source: str, date: str) -> str:
    """« Source : ANCT – …, data.gouv.fr (01/08/2024) »: the Licence Ouverte asks for source
    and date wherever the data is shown."""
    return f"Source : {source} ({'/'.join(reversed(date.split('-')))})"
