"""Every Bot API call goes through here: Telegram's rate limits, and retries on flaky networks.

``AIORateLimiter`` already waits out ``RetryAfter`` (429). On top of it, timeouts and network
errors are retried with a short exponential backoff. ``BadRequest`` is a subclass of
``NetworkError`` and ``Forbidden`` means the resident blocked the bot: neither is retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class ResilientRateLimiter(AIORateLimiter):
    def __init__(self, *, network_retries: int = 3, backoff: float = 0.25, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.network_retries = network_retries
        self.backoff = backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        attempt = 0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except (BadRequest, Forbidden, InvalidToken, RetryAfter):
                raise
            except (TimedOut, NetworkError) as exc:
                if attempt >= self.network_retries:
                    raise
                delay = self.backoff * (2**attempt)
                attempt += 1
                log.info(
                    "%s pendant %s, nouvel essai %d dans %.2fs",
                    type(exc).__name__,
                    endpoint,
                    attempt,
                    delay,
                )
                await asyncio.sleep(delay)
