"""Link-safe identifiers, defined once.

Telegram deep-link payloads and callback data both accept ``A-Za-z0-9_-`` (1–64 characters).
Contract ids use dots (``5.1.2``, ``T1.4``), so each knowledge item gets a *slug*: a kind
prefix, an underscore, then the id with dots turned into dashes: ``obj_5-1-2``, ``th_T1``,
``or_5-1``. The same slug is used in deep links, callback data and inline results.
"""

from __future__ import annotations

import re
from typing import Final, Literal

Kind = Literal["th", "or", "obj"]
KINDS: Final[tuple[Kind, ...]] = ("th", "or", "obj")

LINK_SAFE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SLUG: Final = re.compile(r"^(th|or|obj)_([A-Za-z0-9-]{1,40})$")


def slug(kind: Kind, item_id: str) -> str:
    return f"{kind}_{item_id.replace('.', '-')}"


def parse_slug(text: str) -> tuple[Kind, str] | None:
    """Inverse of :func:`slug`; ``None`` for anything that is not a well-formed slug."""
    m = _SLUG.fullmatch(text)
    if m is None:
        return None
    kind: Kind = m.group(1)  # type: ignore[assignment]
    return kind, m.group(2).replace("-", ".")


def is_link_safe(text: str) -> bool:
    return bool(LINK_SAFE.fullmatch(text))
