"""Who may do what on the feed server, decided before anything is sent. Pure logic, no I/O.

The server's I/O layer gathers the facts of each HTTP request or WebSocket handshake
(:class:`RequestFacts`) and acts on the :class:`Allow` or :class:`Refuse` that
:meth:`Access.decide` returns, the way websockets' own ``ServerProtocol`` decides and its
connection acts; ``control`` messages are vetted by :meth:`Access.control`. The rules
themselves (Origin, Host, loopback, token comparison) are in :mod:`.security`.

Every token a client presents, wherever it presents it (``?token=``, ``Authorization:
Bearer`` or a ``control`` message), is checked by one :class:`TokenGate`, so each wrong one
counts toward the same per-address limit and no place lets a guesser try faster.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from typing import Literal
from urllib.parse import urlsplit

from captioner.server.config import ServerConfig
from captioner.server.limits import AuthThrottle
from captioner.server.protocol import ControlMessage, ErrorMessage
from captioner.server.security import (
    host_is_safe,
    origin_allowed,
    peer_is_loopback,
    token_matches,
    token_presented,
)

WS_PATH = "/ws"
OVERLAY_PATH = "/overlay"
HEALTH_PATH = "/health"
STATS_PATH = "/stats"

Route = Literal["ws", "overlay", "stats", "health", "index"]
Header = tuple[str, str]

# Headers that decide access: given twice, which one counts would be a guess.
_SINGLE_HEADERS = ("Host", "Origin", "Upgrade", "Authorization")


@dataclass(frozen=True)
class RequestFacts:
    """What a request says, and what the server knows about it when it arrives."""

    method: str
    target: str  # the request target: path and query
    headers: tuple[Header, ...]
    peer: str  # the remote address ("" if unknown)
    clients: int = 0  # feed clients connected now
    overrun: bool = False  # the client sent more, or closed, before it was answered


@dataclass(frozen=True)
class Allow:
    route: Route
    authorized: bool = False  # presented the server's token: may send control without it


@dataclass(frozen=True)
class Refuse:
    status: HTTPStatus
    reason: str  # the response's text, for whoever reads it
    headers: tuple[Header, ...] = ()

    @property
    def counted(self) -> bool:
        """Counted as a rejected connection (asking for a page that is not there is not)."""
        return self.status != HTTPStatus.NOT_FOUND


Decision = Allow | Refuse


class Verdict(Enum):
    ABSENT = "absent"  # no token presented (or the server has none)
    RIGHT = "right"
    WRONG = "wrong"  # counted against the address
    THROTTLED = "throttled"  # too many wrong ones from this address: not compared


@dataclass(frozen=True)
class TokenCheck:
    verdict: Verdict
    wait_s: float = 0.0  # when throttled: until the address may try again


class TokenGate:
    """The one place a presented token is compared with the server's.

    Per address, ``burst`` wrong tokens are compared at once, then one per ``refill_s``; while
    an address is throttled nothing it presents is compared, so guessing costs time whatever
    is presented and the answers say nothing about it.
    """

    def __init__(self, token: str | None, burst: int, refill_s: float) -> None:
        self.token = token
        self._throttle = AuthThrottle(burst, refill_s)

    def check(self, peer: str, presented: str | None, now: float) -> TokenCheck:
        if not self.token:
            return TokenCheck(Verdict.ABSENT)
        wait_s = self._throttle.wait_s(peer, now)
        if wait_s:
            return TokenCheck(Verdict.THROTTLED, wait_s)
        if presented is None:
            return TokenCheck(Verdict.ABSENT)
        if token_matches(self.token, presented):
            return TokenCheck(Verdict.RIGHT)
        self._throttle.failed(peer, now)
        return TokenCheck(Verdict.WRONG)


class _RepeatedHeader(ValueError):
    pass


def _header(headers: tuple[Header, ...], name: str) -> str | None:
    """The value of a header that decides access; raises if it is given more than once."""
    values = [value for key, value in headers if key.lower() == name.lower()]
    if len(values) > 1:
        raise _RepeatedHeader(name)
    return values[0] if values else None


class Access:
    """The feed server's routing and access rules (see docs/protocol.md, Security and limits)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.tokens = TokenGate(config.token, config.auth_burst, config.auth_refill_s)

    def decide(self, request: RequestFacts, now: float) -> Decision:
        """What to answer an HTTP request or WebSocket handshake."""
        config = self.config
        url = urlsplit(request.target)
        try:
            host, origin, upgrade, authorization = (
                _header(request.headers, name) for name in _SINGLE_HEADERS
            )
        except _RepeatedHeader:
            return Refuse(HTTPStatus.BAD_REQUEST, "Repeated header.\n")
        websocket = (upgrade or "").lower() == "websocket"
        if request.method not in ("GET", "HEAD") or (request.method == "HEAD" and websocket):
            return Refuse(
                HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD.\n", (("Allow", "GET, HEAD"),)
            )
        if url.path == HEALTH_PATH:
            return Allow("health")
        remote = not peer_is_loopback(request.peer)
        presented = token_presented(url.query, authorization)
        # Only a token that is there is checked (and counted): from this machine reading
        # needs none, and from elsewhere the lack of one is refused below anyway.
        check = (
            self.tokens.check(request.peer, presented, now)
            if presented is not None
            else TokenCheck(Verdict.ABSENT)
        )
        authorized = check.verdict is Verdict.RIGHT
        if remote and check.verdict is Verdict.THROTTLED:
            return Refuse(
                HTTPStatus.TOO_MANY_REQUESTS,
                "Too many wrong tokens from this address: try again later.\n",
                (("Retry-After", str(math.ceil(check.wait_s))),),
            )
        if config.token and remote and not authorized:
            return Refuse(
                HTTPStatus.UNAUTHORIZED,
                "This caption server needs its token: add ?token=... to the address.\n",
            )
        if not authorized and not host_is_safe(host, config.host):
            return Refuse(
                HTTPStatus.FORBIDDEN,
                "Host not allowed: open this server by its IP address or as localhost.\n",
            )
        if websocket:
            if url.path != WS_PATH:
                return Refuse(HTTPStatus.NOT_FOUND, f"The WebSocket is at {WS_PATH}.\n")
            if request.overrun:
                return Refuse(
                    HTTPStatus.BAD_REQUEST,
                    "Wait for the answer to the handshake before sending more or closing.\n",
                )
            if not origin_allowed(origin, host, config.allow_origins):
                return Refuse(
                    HTTPStatus.FORBIDDEN,
                    f"Origin {origin} is not allowed to read the captions "
                    "(the user can allow it with --allow-origin).\n",
                )
            if request.clients >= config.max_clients:
                return Refuse(HTTPStatus.SERVICE_UNAVAILABLE, "Too many clients.\n")
            return Allow("ws", authorized)
        if url.path in (OVERLAY_PATH, OVERLAY_PATH + "/"):
            return Allow("overlay", authorized)
        if url.path == STATS_PATH:
            return Allow("stats", authorized)
        if url.path == "/":
            return Allow("index", authorized)
        return Refuse(HTTPStatus.NOT_FOUND, "Not found.\n")

    def control(
        self, peer: str, authorized: bool, message: ControlMessage, now: float
    ) -> ErrorMessage | None:
        """None if ``message`` may act; else the answer refusing it. ``authorized``: the
        connection presented the token when it was opened."""
        if not self.config.token or authorized:
            return None
        check = self.tokens.check(peer, message.token, now)
        if check.verdict is Verdict.RIGHT:
            return None
        if check.verdict is Verdict.THROTTLED:
            refused = f"Too many wrong tokens: try again in {math.ceil(check.wait_s)} s."
            return ErrorMessage("unauthorized", refused, message.id)
        return ErrorMessage("unauthorized", "Control needs the server's token.", message.id)
