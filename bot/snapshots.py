"""Things derived from one knowledge snapshot, built once per snapshot.

Menus, labels and the like depend only on the knowledge, which never changes once loaded (a
reload builds a new one). Building them once per snapshot instead of once per message is a
measurable share of the CPU under load.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from bot.knowledge.models import Knowledge

F = TypeVar("F", bound=Callable[..., Any])
MAX_ENTRIES = 256


def per_knowledge(build: F) -> F:
    """Cache ``build(knowledge, *args)`` per snapshot. Keyed by identity (the knowledge holds
    mappings, so it is not hashable) and checked by identity, so a new snapshot that happens to
    reuse a freed id never gets the old one's result."""
    cache: dict[tuple[Any, ...], tuple[Knowledge, Any]] = {}

    @functools.wraps(build)
    def cached(knowledge: Knowledge, *args: Any) -> Any:
        key = (id(knowledge), *args)
        hit = cache.get(key)
        if hit is not None and hit[0] is knowledge:
            return hit[1]
        # A new snapshot: the old one's results go, so that a replaced knowledge (thousands of
        # example texts) is not kept alive by its menus after a reload.
        if len(cache) > MAX_ENTRIES or any(k is not knowledge for k, _v in cache.values()):
            cache.clear()
        value = build(knowledge, *args)
        cache[key] = (knowledge, value)
        return value

    return cast(F, cached)
