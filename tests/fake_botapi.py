"""A small fake Telegram Bot API server for end-to-end tests.

It serves ``/bot{token}/{method}`` on 127.0.0.1 with aiohttp, so a real python-telegram-bot
``Bot`` or ``Application`` built with ``base_url=server.base_url`` talks to it as it would to
Telegram. It records every call, builds realistic incoming updates, feeds them through
``getUpdates`` (long polling) or POSTs them to the webhook set with ``setWebhook``, and injects
faults (flood control, 5xx, timeouts, dropped connections, blocked users, "not modified"), either
targeted (:meth:`FakeBotApi.fail_next`) or at random (:meth:`FakeBotApi.random_faults`).

Typical use::

    async with FakeBotApi() as server:
        app = ApplicationBuilder().token("123456:TEST").base_url(server.base_url).build()
        ...
        server.push(server.message(42, "/start"))
        await server.wait_for(lambda calls: len(server.sent_texts(42)) >= 1)

With ``strict=True`` (the default) the server also checks what Telegram checks and a bot can get
wrong: HTML entities of ``parse_mode="HTML"`` texts, inline results' message texts included
("can't parse entities"), text and caption lengths, ``callback_data`` sizes, command names,
answer limits, and it answers "message is not modified" when an edit changes nothing, as
Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import random
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from types import TracebackType
from typing import Any, Self, TypedDict, Unpack

import aiohttp
from aiohttp import web

JSONDict = dict[str, Any]

__all__ = [
    "BLOCKED_DESCRIPTION",
    "DEFAULT_FAULT_METHODS",
    "DEFAULT_GROUP_CHAT_ID",
    "DEFAULT_SUPERGROUP_CHAT_ID",
    "NOT_MODIFIED_DESCRIPTION",
    "STRING_FIELDS",
    "ApiError",
    "Blocked",
    "Call",
    "Drop",
    "FakeBotApi",
    "Fault",
    "FaultStats",
    "HtmlParseError",
    "JSONDict",
    "NotModified",
    "RetryAfter",
    "ServerError",
    "Timeout",
    "UploadedFile",
    "fault_kind",
    "parse_html",
]

# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------

NOT_MODIFIED_DESCRIPTION = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
BLOCKED_DESCRIPTION = "Forbidden: bot was blocked by the user"


@dataclass(frozen=True, slots=True)
class RetryAfter:
    """HTTP 429 flood control: PTB raises ``telegram.error.RetryAfter(seconds)``."""

    seconds: int = 1


@dataclass(frozen=True, slots=True)
class ServerError:
    """HTTP 500 Internal Server Error: PTB raises ``NetworkError``."""


@dataclass(frozen=True, slots=True)
class Timeout:
    """Sleep ``seconds`` before answering, so that a client with a smaller read timeout times
    out (PTB raises ``TimedOut``). Without ``deliver_then_fail`` the request is not processed and
    the late answer is 502 Bad Gateway; with it the request is processed first and the late
    answer is the normal result (a delivery hidden from the client)."""

    seconds: float = 1.0


@dataclass(frozen=True, slots=True)
class Drop:
    """Close the connection without answering: PTB raises ``NetworkError``."""


@dataclass(frozen=True, slots=True)
class Blocked:
    """HTTP 403 "Forbidden: bot was blocked by the user": PTB raises ``Forbidden``."""


@dataclass(frozen=True, slots=True)
class NotModified:
    """HTTP 400 "Bad Request: message is not modified: ...": PTB raises ``BadRequest``."""


@dataclass(frozen=True, slots=True)
class ApiError:
    """Any other Bot API error, e.g. ``ApiError(400, "Bad Request: chat not found")``."""

    error_code: int = 400
    description: str = "Bad Request"
    parameters: JSONDict | None = None


Fault = RetryAfter | ServerError | Timeout | Drop | Blocked | NotModified | ApiError

#: Methods that :meth:`FakeBotApi.random_faults` targets by default: those a bot uses to answer.
DEFAULT_FAULT_METHODS: frozenset[str] = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "answerInlineQuery",
        "sendChatAction",
        "sendPhoto",
        "sendDocument",
    }
)


def fault_kind(fault: Fault) -> str:
    """The name under which a fault is counted (its class name)."""
    return type(fault).__name__


@dataclass(slots=True)
class FaultStats:
    """Counts of injected faults."""

    total: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    by_method_kind: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, method: str, kind: str) -> None:
        self.total += 1
        self.by_kind[kind] += 1
        self.by_method[method] += 1
        self.by_method_kind[(method, kind)] += 1


# --------------------------------------------------------------------------------------------
# Recorded calls
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request (``sendPhoto``, ``sendDocument`` with an InputFile)."""

    name: str
    filename: str | None
    content_type: str
    data: bytes


@dataclass(slots=True)
class Call:
    """One request received by the server.

    ``processed`` is true when the server carried the request out (a message recorded as sent, an
    edit applied...), even if an injected fault then hid the answer from the client: ``hidden``.
    ``status`` is the HTTP status answered (0 while the request is in flight or when dropped),
    ``result`` the ``result`` of a successful answer, ``error`` the description of an error.
    """

    method: str
    params: dict[str, Any]
    token: str
    at: float
    fault: Fault | None = None
    processed: bool = False
    status: int = 0
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """The client got a successful answer."""
        return 200 <= self.status < 300 and self.fault is None

    @property
    def hidden(self) -> bool:
        """Processed, but the client saw a fault instead of the result."""
        return self.processed and self.fault is not None


# --------------------------------------------------------------------------------------------
# Parameter decoding
# --------------------------------------------------------------------------------------------

#: Parameters that are strings in the Bot API: never JSON-decoded, even when they look like JSON
#: ("42", "true", "[x]"). Every other form value is decoded with ``json.loads`` when it parses.
_STRING_FIELD_NAMES = """
    text caption query data url secret_token parse_mode caption_parse_mode action
    callback_query_id inline_query_id result_id inline_message_id next_offset offset_text
    switch_pm_text switch_pm_parameter language_code name description short_description
    title first_name last_name username emoji file_id photo document voice audio video
    animation sticker thumbnail address foursquare_id foursquare_type google_place_id
    google_place_type phone_number vcard question explanation payload provider_token
    currency start_parameter custom_title business_connection_id message_effect_id
    ip_address game_short_name invite_link web_app_query_id certificate
"""
STRING_FIELDS: frozenset[str] = frozenset(_STRING_FIELD_NAMES.split())

_JSON_START = frozenset('{["-0123456789tfn')


def _decode_form_value(name: str, value: str) -> Any:
    """PTB sends strings raw and everything else JSON-encoded."""
    if name in STRING_FIELDS or not value or value[0] not in _JSON_START:
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    # PTB never quotes a string: a quoted value was meant literally.
    return value if isinstance(decoded, str) else decoded


def _decode_json_value(name: str, value: Any) -> Any:
    """JSON bodies carry typed values; some clients still JSON-encode nested objects."""
    if isinstance(value, str) and name not in STRING_FIELDS and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# --------------------------------------------------------------------------------------------
# HTML parse mode (what Telegram accepts)
# --------------------------------------------------------------------------------------------


class HtmlParseError(ValueError):
    """An HTML text Telegram would refuse with "can't parse entities"."""


_SUPPORTED_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_SPECIAL_RE = re.compile(r"[<&]")
_TAG_NAME_RE = re.compile(r"[^\s>]*")
_ATTR_RE = re.compile(r"""\s*([^\s=>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_CHAR_REF_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|amp|quot));")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TG_USER_RE = re.compile(r"tg://user\?id=(\d+)")


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


@dataclass(slots=True)
class _OpenTag:
    name: str
    start: int
    attrs: dict[str, str]


def _char_ref(match: re.Match[str]) -> str | None:
    dec, hexa, named = match.groups()
    if named:
        return _NAMED_REFS[named]
    code = int(dec) if dec else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _entity(tag: _OpenTag, end: int, parent: _OpenTag | None) -> JSONDict | None:
    length = end - tag.start
    if length <= 0:
        return None
    kind = _SUPPORTED_TAGS[tag.name]
    entity: JSONDict = {"type": kind, "offset": tag.start, "length": length}
    if tag.name == "a":
        url = tag.attrs.get("href", "")
        if not url:
            return None
        user = _TG_USER_RE.fullmatch(url)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False, "first_name": "User"}
        else:
            entity["url"] = url
    elif tag.name == "tg-emoji":
        emoji_id = tag.attrs.get("emoji-id", "")
        if not emoji_id:
            return None
        entity["custom_emoji_id"] = emoji_id
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "code" and parent is not None and parent.name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-"):
            parent.attrs["language"] = language[len("language-") :]
        return None
    elif tag.name == "pre" and tag.attrs.get("language"):
        entity["language"] = tag.attrs["language"]
    return entity


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse a ``parse_mode="HTML"`` text as Telegram does: return the plain text and its
    entities (offsets in UTF-16 code units), or raise :class:`HtmlParseError` with Telegram's
    wording (unsupported tag, unclosed or unmatched tag)."""
    out: list[str] = []
    pos = 0
    stack: list[_OpenTag] = []
    entities: list[JSONDict] = []
    i, n = 0, len(text)
    while i < n:
        special = _SPECIAL_RE.search(text, i)
        j = special.start() if special else n
        if j > i:
            chunk = text[i:j]
            out.append(chunk)
            pos += _utf16_len(chunk)
            i = j
            continue
        if text[i] == "&":
            ref = _CHAR_REF_RE.match(text, i)
            decoded = _char_ref(ref) if ref else None
            if ref is None or decoded is None:
                out.append("&")
                pos += 1
                i += 1
            else:
                out.append(decoded)
                pos += _utf16_len(decoded)
                i = ref.end()
            continue
        begin = i
        offset = _byte_offset(text, begin)
        if text.startswith("</", i):
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {offset}")
            name_match = _TAG_NAME_RE.match(text, i + 2)
            assert name_match is not None
            name = name_match.group(0).lower()
            i = name_match.end()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {offset}")
            tag = stack.pop()
            if name and name != tag.name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {offset}, "
                    f'expected "</{tag.name}>", found "</{name}>"'
                )
            made = _entity(tag, pos, stack[-1] if stack else None)
            if made is not None:
                entities.append(made)
            i += 1
            continue
        name_match = _TAG_NAME_RE.match(text, i + 1)
        assert name_match is not None
        if name_match.end() >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        name = name_match.group(0).lower()
        if name not in _SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        end = text.find(">", name_match.end())
        if end < 0:
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        attrs: dict[str, str] = {}
        for attr in _ATTR_RE.finditer(text, name_match.end(), end):
            raw = next((g for g in attr.groups()[1:] if g is not None), "")
            attrs[attr.group(1).lower()] = html.unescape(raw)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        stack.append(_OpenTag(name, pos, attrs))
        i = end + 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class _ApiFailure(Exception):
    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def _bad_request(description: str) -> _ApiFailure:
    return _ApiFailure(400, f"Bad Request: {description}")


def _fault_failure(fault: Fault) -> _ApiFailure:
    if isinstance(fault, RetryAfter):
        return _ApiFailure(
            429,
            f"Too Many Requests: retry after {fault.seconds}",
            {"retry_after": fault.seconds},
        )
    if isinstance(fault, ServerError):
        return _ApiFailure(500, "Internal Server Error")
    if isinstance(fault, Blocked):
        return _ApiFailure(403, BLOCKED_DESCRIPTION)
    if isinstance(fault, NotModified):
        return _ApiFailure(400, NOT_MODIFIED_DESCRIPTION)
    if isinstance(fault, ApiError):
        return _ApiFailure(fault.error_code, fault.description, fault.parameters)
    return _ApiFailure(502, "Bad Gateway")


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _json_response(status: int, payload: JSONDict) -> web.Response:
    return web.Response(body=_dumps(payload), status=status, content_type="application/json")


def _as_int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise _bad_request(f"invalid integer value {value!r}") from exc


def _as_float(value: Any, default: float) -> float:
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise _bad_request(f"invalid number value {value!r}") from exc


def _chat_key(chat_id: Any) -> int | str:
    if isinstance(chat_id, bool):
        return str(chat_id)
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    try:
        return int(text)
    except ValueError:
        return text


_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_RECHECK_DELAY = 0.001
DEFAULT_GROUP_CHAT_ID = -4_000_000_001
DEFAULT_SUPERGROUP_CHAT_ID = -1_001_000_000_001

_Handler = Callable[["Call"], Awaitable[Any]]


@dataclass(slots=True)
class _RandomFaults:
    rate: float
    methods: frozenset[str]
    kinds: tuple[Fault, ...]
    rng: random.Random
    deliver_then_fail: bool


class Sender(TypedDict, total=False):
    """Who sends a media update, and in which chat (keywords of the media builders)."""

    chat_id: int | str | None
    chat_type: str
    username: str | None
    first_name: str


class FakeBotApi:
    """Fake Telegram Bot API server; see the module docstring.

    Public state: ``calls`` (every request, in arrival order), ``faults_injected``
    (:class:`FaultStats`), ``hidden_deliveries`` (requests processed then hidden by a ``Drop`` or
    ``Timeout`` fault), ``webhook_url``, ``webhook_secret``, ``webhook_params``, ``blocked_chats``
    (chats whose sends answer 403 "bot was blocked by the user"), ``commands``,
    ``listeners`` (callables run with each call as soon as the server has carried it out, even if
    a fault then hides the result, or has answered it with an error; for load generators that
    must not scan ``calls``).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "cdv_test_bot",
        bot_first_name: str = "CDV Test Bot",
        strict: bool = True,
    ) -> None:
        self.host = host
        self._requested_port = port
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.strict = strict

        self.calls: list[Call] = []
        self._by_method: dict[str, list[Call]] = {}
        self._sent: list[Call] = []
        self._sent_by_chat: dict[int | str, list[Call]] = {}
        self.faults_injected = FaultStats()
        self.hidden_deliveries = 0
        self.listeners: list[Callable[[Call], None]] = []

        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_params: JSONDict = {}
        self.blocked_chats: set[int | str] = set()
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}

        self._pending: deque[JSONDict] = deque()
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation: dict[str, int] = {}
        self._next_update_id = 1
        self._next_message_id = 1
        self._next_query_id = 4_000_000_000_000_000_001
        self._next_file = 1
        self._messages: dict[int, JSONDict] = {}
        self._last_bot_message: dict[int | str, int] = {}
        self._chats: dict[int | str, JSONDict] = {}
        self._bot_users: dict[str, JSONDict] = {}
        self._last_token = "123456:TEST"

        self._targeted: dict[str, deque[tuple[Fault, bool]]] = {}
        self._random: _RandomFaults | None = None

        self._wakeup = asyncio.Event()  # pulsed when updates arrive or a poller must end
        self._changed = asyncio.Event()  # pulsed when calls change, for wait_for
        self._waiters = 0
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._session: aiohttp.ClientSession | None = None

        self._handlers: dict[str, _Handler] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "setMyDescription": self._true,
            "setMyShortDescription": self._true,
            "setMyName": self._true,
            "setChatMenuButton": self._true,
            "pinChatMessage": self._true,
            "unpinChatMessage": self._true,
        }
        # Bot API method names are case-insensitive.
        self._canonical = {name.lower(): name for name in self._handlers}

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Start serving on ``host`` and a free port (or the one given)."""
        if self._runner is not None:
            return
        self._closing = asyncio.Event()
        self._wakeup = asyncio.Event()
        self._changed = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/bot{token}/{method}", self._handle)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        self._port = int(address[1])

    async def stop(self) -> None:
        """Stop serving; pending long polls and injected timeouts end at once."""
        self._closing.set()
        self._pulse_updates()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)`` / ``ApplicationBuilder().base_url(...)``."""
        return f"http://{self.host}:{self.port}/bot"

    # ---------------------------------------------------------------- inspection

    def calls_of(self, method: str) -> list[Call]:
        """Calls of one method (case-insensitive name), in arrival order."""
        name = self._canonical.get(method.lower(), method)
        return list(self._by_method.get(name, ()))

    def _sent_calls(self, chat_id: int | str | None) -> list[Call]:
        if chat_id is None:
            return self._sent
        return self._sent_by_chat.get(_chat_key(chat_id), [])

    def sent_messages(self, chat_id: int | str | None = None) -> list[JSONDict]:
        """Messages the bot sent with ``sendMessage``, as returned (successful calls and
        deliveries hidden by a fault), optionally for one chat."""
        return [call.result for call in self._sent_calls(chat_id)]

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        """Texts of the ``sendMessage`` calls that were processed (successful calls and
        deliveries hidden by a fault), exactly as the bot sent them (HTML tags included),
        optionally for one chat. Cost: proportional to the result."""
        return [str(call.params.get("text", "")) for call in self._sent_calls(chat_id)]

    def sent_count(self, chat_id: int | str | None = None) -> int:
        """``len(sent_texts(chat_id))`` in constant time."""
        return len(self._sent_calls(chat_id))

    def faulted_calls(self) -> list[Call]:
        """Calls that got an injected fault (``call.processed`` tells if they were carried out)."""
        return [call for call in self.calls if call.fault is not None]

    def get_message(self, message_id: int) -> JSONDict | None:
        """A message known to the server (sent by the bot or built as an update), as it is now."""
        return self._messages.get(message_id)

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued for getUpdates and not yet confirmed by an offset."""
        return list(self._pending)

    def clear_calls(self) -> None:
        """Forget the recorded calls and fault counters (state such as messages stays)."""
        self.calls.clear()
        self._by_method.clear()
        self._sent = []
        self._sent_by_chat = {}
        self.faults_injected = FaultStats()
        self.hidden_deliveries = 0

    async def wait_for(
        self,
        predicate: Callable[[list[Call]], bool],
        timeout: float = 5.0,
        *,
        what: str | None = None,
    ) -> list[Call]:
        """Wait until ``predicate(self.calls)`` is true and return the calls; re-checked whenever a
        call arrives or completes. Raises ``TimeoutError`` with a summary of what was received."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._waiters += 1
        try:
            while True:
                event = self._changed
                if predicate(self.calls):
                    return self.calls
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(self._describe_timeout(predicate, timeout, what))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
                # Let a burst of calls land before the predicate runs again.
                await asyncio.sleep(_RECHECK_DELAY)
        finally:
            self._waiters -= 1

    async def wait_for_sent(
        self, count: int = 1, chat_id: int | str | None = None, timeout: float = 5.0
    ) -> list[str]:
        """Wait until at least ``count`` texts were sent (to ``chat_id``); return them all."""
        await self.wait_for(
            lambda _calls: self.sent_count(chat_id) >= count,
            timeout,
            what=f"{count} sent message(s)" + ("" if chat_id is None else f" to chat {chat_id}"),
        )
        return self.sent_texts(chat_id)

    def _describe_timeout(
        self, predicate: Callable[[list[Call]], bool], timeout: float, what: str | None
    ) -> str:
        name = what or getattr(predicate, "__name__", repr(predicate))
        counts = Counter(call.method for call in self.calls)
        summary = ", ".join(f"{method} x{n}" for method, n in counts.most_common()) or "none"
        recent = [call for call in self.calls if call.method != "getUpdates"][-8:]
        lines = [
            f"FakeBotApi.wait_for: {name} not met within {timeout} s.",
            f"Calls received ({len(self.calls)}): {summary}.",
            f"Updates still pending: {len(self._pending)}.",
        ]
        if recent:
            lines.append("Last calls other than getUpdates:")
            for call in recent:
                params = ", ".join(f"{k}={v!r}"[:80] for k, v in call.params.items())
                status = f"fault {fault_kind(call.fault)}" if call.fault else str(call.status)
                lines.append(f"  {call.method}({params}) -> {status} {call.error or ''}".rstrip())
        return "\n".join(lines)

    # ---------------------------------------------------------------- fault injection

    def fail_next(
        self, method: str, fault: Fault, count: int = 1, *, deliver_then_fail: bool = False
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail with ``fault``. With
        ``deliver_then_fail`` a ``Drop`` or ``Timeout`` fault processes the request first."""
        name = self._canonical.get(method.lower(), method)
        queue = self._targeted.setdefault(name, deque())
        queue.extend((fault, deliver_then_fail) for _ in range(count))

    def random_faults(
        self,
        rate: float,
        methods: Iterable[str] = DEFAULT_FAULT_METHODS,
        kinds: Sequence[Fault] = (RetryAfter(1), ServerError(), Drop()),
        seed: int = 0,
        *,
        deliver_then_fail: bool = False,
    ) -> None:
        """Make each call of ``methods`` fail with probability ``rate``, with a fault drawn from
        ``kinds`` by a RNG seeded with ``seed``. ``rate=0`` turns random faults off. With
        ``deliver_then_fail`` the ``Drop`` and ``Timeout`` faults process the request (a message
        is recorded as sent) before failing: counted in ``hidden_deliveries``."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be within [0, 1]")
        if rate == 0.0:
            self._random = None
            return
        if not kinds:
            raise ValueError("kinds must not be empty")
        names = frozenset(self._canonical.get(m.lower(), m) for m in methods)
        self._random = _RandomFaults(
            rate, names, tuple(kinds), random.Random(seed), deliver_then_fail
        )

    def clear_faults(self) -> None:
        """Cancel targeted faults not yet used and random faults."""
        self._targeted.clear()
        self._random = None

    def _pick_fault(self, method: str) -> tuple[Fault, bool] | None:
        queue = self._targeted.get(method)
        if queue:
            return queue.popleft()
        rnd = self._random
        if rnd is not None and method in rnd.methods and rnd.rng.random() < rnd.rate:
            return rnd.rng.choice(rnd.kinds), rnd.deliver_then_fail
        return None

    # ---------------------------------------------------------------- update delivery

    def push(self, update: JSONDict) -> JSONDict:
        """Queue an update for getUpdates (an ``update_id`` is added when missing)."""
        self._ensure_update_id(update)
        self._pending.append(update)
        self._pulse_updates()
        return update

    def push_all(self, updates: Iterable[JSONDict]) -> None:
        for update in updates:
            self._ensure_update_id(update)
            self._pending.append(update)
        self._pulse_updates()

    async def deliver(self, update: JSONDict, secret: str | None = None) -> int:
        """POST ``update`` to the webhook URL set by setWebhook, with the header
        ``X-Telegram-Bot-Api-Secret-Token`` (the stored secret unless ``secret`` is given), and
        return the HTTP status of the answer."""
        if not self.webhook_url:
            raise RuntimeError("no webhook set: the bot has not called setWebhook with a url")
        self._ensure_update_id(update)
        headers = {"Content-Type": "application/json"}
        token = self.webhook_secret if secret is None else secret
        if token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=10), trust_env=False
            )
        async with self._session.post(self.webhook_url, data=_dumps(update), headers=headers) as r:
            await r.read()
            return r.status

    def _ensure_update_id(self, update: JSONDict) -> None:
        if "update_id" not in update:
            update["update_id"] = self._new_update_id()
        else:
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)

    def _pulse_updates(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _notify(self) -> None:
        if self._waiters:
            self._changed.set()
            self._changed = asyncio.Event()

    # ---------------------------------------------------------------- update builders

    def _new_update_id(self) -> int:
        value = self._next_update_id
        self._next_update_id += 1
        return value

    def _new_message_id(self) -> int:
        value = self._next_message_id
        self._next_message_id += 1
        return value

    def _new_file_ids(self, prefix: str) -> tuple[str, str]:
        n = self._next_file
        self._next_file += 1
        return f"{prefix}AAxkBAAI{n:010d}FakeFileId", f"AQAD{n:08d}"

    @staticmethod
    def user(
        user_id: int,
        username: str | None = None,
        first_name: str = "Test",
        language_code: str | None = "fr",
    ) -> JSONDict:
        """A (human) User object."""
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(
        self,
        chat_id: int | str,
        chat_type: str,
        user: JSONDict | None = None,
        title: str | None = None,
    ) -> JSONDict:
        key = _chat_key(chat_id)
        known = self._chats.get(key)
        if known is not None and known["type"] == chat_type:
            return dict(known)
        chat: JSONDict = {"id": key, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = (user or {}).get("first_name", "Test")
            if user and user.get("username"):
                chat["username"] = user["username"]
        else:
            chat["title"] = title or ("Test group" if chat_type == "group" else "Test chat")
            if chat_type == "group":
                chat["all_members_are_administrators"] = True
        self._chats[key] = chat
        return dict(chat)

    def _resolve_chat(self, chat_id: Any) -> JSONDict:
        key = _chat_key(chat_id)
        known = self._chats.get(key)
        if known is not None:
            return dict(known)
        if isinstance(key, int):
            if key > 0:
                return {"id": key, "type": "private", "first_name": "Test"}
            if str(key).startswith("-100"):
                return {"id": key, "type": "supergroup", "title": "Test supergroup"}
            return {"id": key, "type": "group", "title": "Test group"}
        name = key.lstrip("@")
        return {
            "id": DEFAULT_SUPERGROUP_CHAT_ID,
            "type": "channel",
            "title": name,
            "username": name,
        }

    def _incoming(
        self,
        user_id: int,
        content: JSONDict,
        *,
        chat_id: int | str | None = None,
        chat_type: str = "private",
        username: str | None = None,
        first_name: str = "Test",
        title: str | None = None,
    ) -> JSONDict:
        sender = self.user(user_id, username, first_name)
        if chat_id is None:
            if chat_type == "private":
                chat_id = user_id
            elif chat_type == "supergroup":
                chat_id = DEFAULT_SUPERGROUP_CHAT_ID
            else:
                chat_id = DEFAULT_GROUP_CHAT_ID
        message: JSONDict = {
            "message_id": self._new_message_id(),
            "from": sender,
            "chat": self._chat(chat_id, chat_type, sender, title),
            "date": int(time.time()),
        }
        message.update(content)
        self._messages[message["message_id"]] = message
        return {"update_id": self._new_update_id(), "message": message}

    def message(
        self,
        user_id: int,
        text: str,
        chat_id: int | str | None = None,
        chat_type: str = "private",
        username: str | None = None,
        first_name: str = "Test",
        *,
        title: str | None = None,
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """A text message update; a leading ``/command`` gets its ``bot_command`` entity."""
        content: JSONDict = {"text": text}
        if entities is None:
            match = _COMMAND_RE.match(text)
            if match:
                entities = [{"type": "bot_command", "offset": 0, "length": match.end()}]
        if entities:
            content["entities"] = entities
        return self._incoming(
            user_id,
            content,
            chat_id=chat_id,
            chat_type=chat_type,
            username=username,
            first_name=first_name,
            title=title,
        )

    def group_message(
        self,
        user_id: int,
        text: str,
        chat_id: int | str | None = None,
        username: str | None = None,
        first_name: str = "Test",
        *,
        title: str = "Test group",
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """A text message update in a "group" chat (default id ``DEFAULT_GROUP_CHAT_ID``)."""
        return self.message(
            user_id,
            text,
            chat_id,
            "group",
            username,
            first_name,
            title=title,
            entities=entities,
        )

    def callback_query(
        self,
        user_id: int,
        data: str,
        message_id: int | None = None,
        chat_id: int | str | None = None,
        username: str | None = None,
        first_name: str = "Test",
    ) -> JSONDict:
        """A callback query update from a button of a bot message. By default the message is
        the last one the bot sent to the chat (``chat_id`` defaults to the user's private chat);
        an unknown ``message_id`` gets a stand-in bot message, known to the server from then on
        (so the bot can edit it)."""
        sender = self.user(user_id, username, first_name)
        chat_key = _chat_key(user_id if chat_id is None else chat_id)
        if message_id is None:
            message_id = self._last_bot_message.get(chat_key)
        message = self._messages.get(message_id) if message_id is not None else None
        if message is None:
            if message_id is None:
                message_id = self._new_message_id()
            chat = self._chats.get(chat_key) or self._resolve_chat(chat_key)
            message = {
                "message_id": message_id,
                "from": self._bot_user(self._last_token),
                "chat": dict(chat),
                "date": int(time.time()),
                "text": "Menu",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "Button", "callback_data": data[:64]}]]
                },
            }
            self._messages[message_id] = message
        query_id = str(self._next_query_id)
        self._next_query_id += 1
        return {
            "update_id": self._new_update_id(),
            "callback_query": {
                "id": query_id,
                "from": sender,
                "message": dict(message),
                "chat_instance": str(abs(hash(chat_key)) % 10**18),
                "data": data,
            },
        }

    def inline_query(
        self,
        user_id: int,
        query: str,
        offset: str = "",
        username: str | None = None,
        first_name: str = "Test",
        chat_type: str | None = "sender",
    ) -> JSONDict:
        """An inline query update (``@bot query`` typed in a chat)."""
        query_id = str(self._next_query_id)
        self._next_query_id += 1
        inline: JSONDict = {
            "id": query_id,
            "from": self.user(user_id, username, first_name),
            "query": query,
            "offset": offset,
        }
        if chat_type:
            inline["chat_type"] = chat_type
        return {"update_id": self._new_update_id(), "inline_query": inline}

    def chosen_inline_result(
        self,
        user_id: int,
        result_id: str,
        query: str,
        inline_message_id: str | None = None,
        username: str | None = None,
        first_name: str = "Test",
    ) -> JSONDict:
        """A chosen inline result update (needs inline feedback enabled in BotFather)."""
        chosen: JSONDict = {
            "result_id": result_id,
            "from": self.user(user_id, username, first_name),
            "query": query,
        }
        if inline_message_id:
            chosen["inline_message_id"] = inline_message_id
        return {"update_id": self._new_update_id(), "chosen_inline_result": chosen}

    def photo(
        self,
        user_id: int,
        caption: str | None = None,
        **sender: Unpack[Sender],
    ) -> JSONDict:
        """A photo message update (three sizes), with an optional caption."""
        sizes = []
        for side, size in ((90, 1_500), (320, 18_000), (1280, 160_000)):
            file_id, unique_id = self._new_file_ids("AgACAgQ")
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": size,
                    "width": side,
                    "height": side * 3 // 4,
                }
            )
        content: JSONDict = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return self._incoming(
            user_id,
            content,
            **sender,
        )

    def voice(
        self,
        user_id: int,
        duration: int = 3,
        **sender: Unpack[Sender],
    ) -> JSONDict:
        """A voice message update (OGG/Opus)."""
        file_id, unique_id = self._new_file_ids("AwACAgQ")
        voice = {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": 2_000 * duration,
        }
        return self._incoming(
            user_id,
            {"voice": voice},
            **sender,
        )

    def sticker(
        self,
        user_id: int,
        emoji: str = "👍",
        **sender: Unpack[Sender],
    ) -> JSONDict:
        """A (static, regular) sticker message update."""
        file_id, unique_id = self._new_file_ids("CAACAgQ")
        sticker = {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "set_name": "TestStickers",
            "file_size": 24_000,
        }
        return self._incoming(
            user_id,
            {"sticker": sticker},
            **sender,
        )

    def location(
        self,
        user_id: int,
        latitude: float = 48.8566,
        longitude: float = 2.3522,
        **sender: Unpack[Sender],
    ) -> JSONDict:
        """A location message update (Paris by default)."""
        return self._incoming(
            user_id,
            {"location": {"latitude": latitude, "longitude": longitude}},
            **sender,
        )

    def document(
        self,
        user_id: int,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        **sender: Unpack[Sender],
    ) -> JSONDict:
        """A document message update."""
        file_id, unique_id = self._new_file_ids("BQACAgQ")
        content: JSONDict = {
            "document": {
                "file_id": file_id,
                "file_unique_id": unique_id,
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": 48_000,
            }
        }
        if caption is not None:
            content["caption"] = caption
        return self._incoming(
            user_id,
            content,
            **sender,
        )

    # ---------------------------------------------------------------- HTTP handling

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {
            key: _decode_form_value(key, value) for key, value in request.query.items()
        }
        if request.method != "POST" or not request.body_exists:
            return params
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise _bad_request("can't parse JSON object") from exc
            if not isinstance(body, dict):
                raise _bad_request("JSON object expected")
            for key, value in body.items():
                params[key] = _decode_json_value(key, value)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _decode_form_value(key, value)
            elif isinstance(value, bytes | bytearray):
                params[key] = _decode_form_value(key, bytes(value).decode("utf-8", "replace"))
            else:
                params[key] = UploadedFile(
                    name=key,
                    filename=value.filename,
                    content_type=value.content_type,
                    data=value.file.read(),
                )
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        requested = request.match_info["method"]
        method = self._canonical.get(requested.lower(), requested)
        self._last_token = token
        call = Call(method, {}, token, time.monotonic())
        try:
            call.params = await self._read_params(request)
        except _ApiFailure as failure:
            self._append(call)
            return self._record_failure(call, failure)
        self._append(call)
        handler = self._handlers.get(method)
        if handler is None:
            return self._record_failure(call, _ApiFailure(404, "Not Found: method not found"))
        picked = self._pick_fault(method)
        if picked is not None:
            return await self._faulted(request, call, handler, *picked)
        try:
            result = await handler(call)
        except _ApiFailure as failure:
            return self._record_failure(call, failure)
        return self._record_success(call, result)

    def _append(self, call: Call) -> None:
        self.calls.append(call)
        self._by_method.setdefault(call.method, []).append(call)

    def _emit(self, call: Call) -> None:
        for listener in self.listeners:
            listener(call)

    def _record_success(self, call: Call, result: Any) -> web.Response:
        call.processed = True
        call.status = 200
        call.result = result
        self._notify()
        self._emit(call)
        return _json_response(200, {"ok": True, "result": result})

    def _record_failure(self, call: Call, failure: _ApiFailure) -> web.Response:
        call.status = failure.code
        call.error = failure.description
        self._notify()
        self._emit(call)
        payload: JSONDict = {
            "ok": False,
            "error_code": failure.code,
            "description": failure.description,
        }
        if failure.parameters:
            payload["parameters"] = failure.parameters
        return _json_response(failure.code, payload)

    async def _faulted(
        self,
        request: web.Request,
        call: Call,
        handler: _Handler,
        fault: Fault,
        deliver_then_fail: bool,
    ) -> web.StreamResponse:
        call.fault = fault
        self.faults_injected.add(call.method, fault_kind(fault))
        if not isinstance(fault, Drop | Timeout):
            return self._record_failure(call, _fault_failure(fault))
        result: Any = None
        failure: _ApiFailure | None = None
        if deliver_then_fail:
            try:
                result = await handler(call)
            except _ApiFailure as exc:
                failure = exc
            else:
                call.processed = True
                call.result = result
                self.hidden_deliveries += 1
                self._notify()
                self._emit(call)
        if isinstance(fault, Drop):
            transport = request.transport
            if transport is not None:
                transport.abort()
            call.error = "connection dropped"
            self._notify()
            return web.Response(status=500)
        await self._sleep(fault.seconds)
        if failure is None and not call.processed:
            failure = _fault_failure(fault)
        if failure is not None:
            return self._record_failure(call, failure)
        call.status = 200
        self._notify()
        return _json_response(200, {"ok": True, "result": result})

    async def _sleep(self, seconds: float) -> None:
        if self._closing.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    # ---------------------------------------------------------------- methods

    def _bot_user(self, token: str) -> JSONDict:
        user = self._bot_users.get(token)
        if user is None:
            prefix = token.split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 123456
            user = {
                "id": bot_id,
                "is_bot": True,
                "first_name": self.bot_first_name,
                "username": self.bot_username,
            }
            self._bot_users[token] = user
        return user

    async def _true(self, call: Call) -> bool:
        return True

    async def _get_me(self, call: Call) -> JSONDict:
        me = dict(self._bot_user(call.token))
        me.update(
            {
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )
        return me

    # getUpdates / webhooks

    def _confirm(self, offset: int) -> None:
        pending = self._pending
        if offset > 0:
            while pending and int(pending[0]["update_id"]) < offset:
                pending.popleft()
        elif offset < 0:
            while len(pending) > -offset:
                pending.popleft()

    def _batch(self, limit: int) -> list[JSONDict]:
        allowed = self._allowed_updates
        if allowed is not None and self._pending:
            self._pending = deque(
                u for u in self._pending if not (u.keys() - {"update_id"}).isdisjoint(allowed)
            )
        return list(islice(self._pending, limit))

    async def _get_updates(self, call: Call) -> list[JSONDict]:
        if self.webhook_url:
            raise _ApiFailure(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        params = call.params
        offset = _as_int(params.get("offset"), 0)
        limit = min(max(_as_int(params.get("limit"), 100), 1), 100)
        timeout = max(_as_float(params.get("timeout"), 0.0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._set_allowed_updates(allowed)
        self._confirm(offset)
        # A new getUpdates ends the one still waiting for the same token, as Telegram does.
        generation = self._poll_generation.get(call.token, 0) + 1
        self._poll_generation[call.token] = generation
        self._pulse_updates()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            wakeup = self._wakeup
            batch = self._batch(limit)
            if batch:
                return batch
            if self._poll_generation.get(call.token) != generation:
                raise _ApiFailure(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set():
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)

    def _set_allowed_updates(self, allowed: list[Any]) -> None:
        if allowed:
            self._allowed_updates = frozenset(str(kind) for kind in allowed)
        else:
            self._allowed_updates = None

    async def _set_webhook(self, call: Call) -> bool:
        params = call.params
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret is not None and self.strict and not _SECRET_TOKEN_RE.fullmatch(str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates") is True:
            self._pending.clear()
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._set_allowed_updates(allowed)
        if url:
            self.webhook_url = url
            self.webhook_secret = None if secret is None else str(secret)
            self.webhook_params = dict(params)
        else:
            self._clear_webhook()
        return True

    def _clear_webhook(self) -> None:
        self.webhook_url = None
        self.webhook_secret = None
        self.webhook_params = {}

    async def _delete_webhook(self, call: Call) -> bool:
        if call.params.get("drop_pending_updates") is True:
            self._pending.clear()
        self._clear_webhook()
        return True

    async def _get_webhook_info(self, call: Call) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook_url or "",
            "has_custom_certificate": "certificate" in self.webhook_params,
            "pending_update_count": len(self._pending),
        }
        if self.webhook_url:
            info["max_connections"] = _as_int(self.webhook_params.get("max_connections"), 40)
            info["ip_address"] = "127.0.0.1"
        if self._allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    # messages

    def _check_not_blocked(self, chat_id: Any) -> None:
        if self.blocked_chats and _chat_key(chat_id) in self.blocked_chats:
            raise _ApiFailure(403, BLOCKED_DESCRIPTION)

    def _formatted(
        self, params: JSONDict, field_name: str, entities_name: str, parse_mode_name: str
    ) -> tuple[str, list[JSONDict]]:
        raw = params.get(field_name)
        text = "" if raw is None else str(raw)
        given = params.get(entities_name)
        if isinstance(given, list):
            return text, given
        parse_mode = str(params.get(parse_mode_name) or "")
        if parse_mode.upper() == "HTML":
            try:
                return parse_html(text)
            except HtmlParseError as exc:
                if self.strict:
                    raise _bad_request(f"can't parse entities: {exc}") from exc
        return text, []

    def _inline_markup(self, params: JSONDict) -> JSONDict | None:
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        keyboard = markup.get("inline_keyboard")
        if keyboard is None:
            return None  # reply keyboards and removals are not part of the returned Message
        if self.strict:
            self._check_inline_keyboard(keyboard)
        return markup

    @staticmethod
    def _check_inline_keyboard(keyboard: Any) -> None:
        if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
            raise _bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        for row in keyboard:
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise _bad_request(
                        'can\'t parse inline keyboard button: Field "text" must be of type String'
                    )
                if len(button) < 2:
                    raise _bad_request(
                        "can't parse inline keyboard button: Text buttons are "
                        "unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise _bad_request("BUTTON_DATA_INVALID")

    def _new_bot_message(self, call: Call, content: JSONDict) -> JSONDict:
        chat_id = call.params.get("chat_id")
        message: JSONDict = {
            "message_id": self._new_message_id(),
            "from": self._bot_user(call.token),
            "chat": self._resolve_chat(chat_id),
            "date": int(time.time()),
        }
        message.update(content)
        self._messages[message["message_id"]] = message
        self._last_bot_message[_chat_key(chat_id)] = message["message_id"]
        return message

    def _require_chat(self, params: JSONDict) -> None:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        self._check_not_blocked(chat_id)

    async def _send_message(self, call: Call) -> JSONDict:
        params = call.params
        self._require_chat(params)
        text, entities = self._formatted(params, "text", "entities", "parse_mode")
        if not text.strip():
            raise _bad_request("message text is empty")
        if self.strict and len(text) > 4096:
            raise _bad_request("message is too long")
        content: JSONDict = {"text": text}
        if entities:
            content["entities"] = entities
        markup = self._inline_markup(params)
        if markup is not None:
            content["reply_markup"] = markup
        message = self._new_bot_message(call, content)
        call.result = message
        self._sent.append(call)
        self._sent_by_chat.setdefault(_chat_key(params["chat_id"]), []).append(call)
        return message

    def _caption_content(self, params: JSONDict) -> JSONDict:
        content: JSONDict = {}
        if params.get("caption"):
            caption, entities = self._formatted(params, "caption", "caption_entities", "parse_mode")
            if self.strict and len(caption) > 1024:
                raise _bad_request("message caption is too long")
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        markup = self._inline_markup(params)
        if markup is not None:
            content["reply_markup"] = markup
        return content

    async def _send_photo(self, call: Call) -> JSONDict:
        params = call.params
        self._require_chat(params)
        if not params.get("photo"):
            raise _bad_request("there is no photo in the request")
        sizes = []
        for side in (90, 320, 800):
            file_id, unique_id = self._new_file_ids("AgACAgQ")
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "file_size": side * side // 4,
                    "width": side,
                    "height": side,
                }
            )
        content = {"photo": sizes, **self._caption_content(params)}
        return self._new_bot_message(call, content)

    async def _send_document(self, call: Call) -> JSONDict:
        params = call.params
        self._require_chat(params)
        doc = params.get("document")
        if not doc:
            raise _bad_request("there is no document in the request")
        file_id, unique_id = self._new_file_ids("BQACAgQ")
        document: JSONDict = {"file_id": file_id, "file_unique_id": unique_id}
        if isinstance(doc, UploadedFile):
            document.update(
                {
                    "file_name": doc.filename or "file",
                    "mime_type": doc.content_type,
                    "file_size": len(doc.data),
                }
            )
        content = {"document": document, **self._caption_content(params)}
        return self._new_bot_message(call, content)

    def _message_to_edit(self, params: JSONDict) -> JSONDict | None:
        """None for an inline message; raises when the message is unknown."""
        if params.get("inline_message_id"):
            return None
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        self._check_not_blocked(chat_id)
        message_id = _as_int(params.get("message_id"), 0)
        message = self._messages.get(message_id)
        if message is not None and _chat_key(message["chat"]["id"]) == _chat_key(chat_id):
            if not message.get("from", {}).get("is_bot"):
                raise _bad_request("message can't be edited")
            return message
        if self.strict:
            raise _bad_request("message to edit not found")
        stand_in: JSONDict = {
            "message_id": message_id,
            "from": self._bot_user(self._last_token),
            "chat": self._resolve_chat(chat_id),
            "date": int(time.time()),
            "text": "",
        }
        self._messages[message_id] = stand_in
        return stand_in

    def _apply_edit(self, message: JSONDict, changes: JSONDict) -> JSONDict:
        edited = dict(message)
        for key, value in changes.items():
            if value is None:
                edited.pop(key, None)
            else:
                edited[key] = value
        keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
        if self.strict and all(edited.get(k) == message.get(k) for k in keys):
            raise _ApiFailure(400, NOT_MODIFIED_DESCRIPTION)
        edited["edit_date"] = int(time.time())
        self._messages[edited["message_id"]] = edited
        return edited

    async def _edit_message_text(self, call: Call) -> JSONDict | bool:
        params = call.params
        text, entities = self._formatted(params, "text", "entities", "parse_mode")
        if not text.strip():
            raise _bad_request("message text is empty")
        if self.strict and len(text) > 4096:
            raise _bad_request("MESSAGE_TOO_LONG")
        markup = self._inline_markup(params)
        message = self._message_to_edit(params)
        if message is None:
            return True
        changes = {"text": text, "entities": entities or None, "reply_markup": markup}
        return self._apply_edit(message, changes)

    async def _edit_message_reply_markup(self, call: Call) -> JSONDict | bool:
        params = call.params
        markup = self._inline_markup(params)
        message = self._message_to_edit(params)
        if message is None:
            return True
        return self._apply_edit(message, {"reply_markup": markup})

    async def _delete_message(self, call: Call) -> bool:
        params = call.params
        message_id = _as_int(params.get("message_id"), 0)
        message = self._messages.get(message_id)
        if message is None or _chat_key(message["chat"]["id"]) != _chat_key(params.get("chat_id")):
            if self.strict:
                raise _bad_request("message to delete not found")
            return True
        del self._messages[message_id]
        return True

    async def _answer_callback_query(self, call: Call) -> bool:
        params = call.params
        if not params.get("callback_query_id"):
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if self.strict and text is not None and len(str(text)) > 200:
            raise _bad_request("MESSAGE_TOO_LONG")
        return True

    async def _answer_inline_query(self, call: Call) -> bool:
        params = call.params
        if not params.get("inline_query_id"):
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        results = params.get("results")
        if not isinstance(results, list):
            raise _bad_request("can't parse inline query results JSON object")
        if self.strict:
            if len(results) > 50:
                raise _bad_request("RESULTS_TOO_MUCH")
            ids = [str(r.get("id")) if isinstance(r, dict) else "" for r in results]
            if len(set(ids)) != len(ids):
                raise _bad_request("RESULT_ID_DUPLICATE")
            if any(not 1 <= len(i.encode("utf-8")) <= 64 for i in ids):
                raise _bad_request("RESULT_ID_INVALID")
            for result in results:
                content = result.get("input_message_content") if isinstance(result, dict) else None
                if isinstance(content, dict) and "message_text" in content:
                    text, _entities = self._formatted(
                        content, "message_text", "entities", "parse_mode"
                    )
                    if not text.strip():
                        raise _bad_request("MESSAGE_EMPTY")
                    if len(text) > 4096:
                        raise _bad_request("MESSAGE_TOO_LONG")
        return True

    @staticmethod
    def _commands_key(params: JSONDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        scope_key = json.dumps(scope, sort_keys=True) if isinstance(scope, dict) else str(scope)
        return scope_key, str(params.get("language_code") or "")

    async def _set_my_commands(self, call: Call) -> bool:
        params = call.params
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if self.strict:
            if len(commands) > 100:
                raise _bad_request("BOT_COMMANDS_TOO_MUCH")
            for command in commands:
                if not isinstance(command, dict) or not _BOT_COMMAND_NAME_RE.fullmatch(
                    str(command.get("command", ""))
                ):
                    raise _bad_request("BOT_COMMAND_INVALID")
                if not 1 <= len(str(command.get("description", ""))) <= 256:
                    raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params)
        if commands:
            self.commands[key] = [
                {"command": c["command"], "description": c["description"]} for c in commands
            ]
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, call: Call) -> list[JSONDict]:
        return list(self.commands.get(self._commands_key(call.params), []))

    async def _delete_my_commands(self, call: Call) -> bool:
        self.commands.pop(self._commands_key(call.params), None)
        return True

    async def _send_chat_action(self, call: Call) -> bool:
        params = call.params
        self._require_chat(params)
        if self.strict and params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True
