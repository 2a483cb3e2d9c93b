"""Settings of the transcript server, the ``--serve [HOST:]PORT`` syntax, and what to tell the
user when its address cannot be used. Pure logic."""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass

from captioner.errors import CaptionerError
from captioner.i18n import translate
from captioner.server.security import is_loopback_host, normalize_origin
from captioner.settings import ServerSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
MIN_TOKEN_LENGTH = 8


class ServerConfigError(CaptionerError):
    """The server settings are not usable (the message says how to fix them)."""


@dataclass(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT  # 0: any free port (the server reports which)
    token: str | None = None  # required to read from other machines and to send control
    allow_origins: tuple[str, ...] = ()  # web pages (besides the server's own) that may connect
    max_clients: int = 256
    max_message_bytes: int = 4096  # larger client messages close the connection (1009)
    idle_timeout_s: float = 30.0  # a client that answers no ping for this long is closed
    handshake_timeout_s: float = 10.0  # time to complete the HTTP/WebSocket handshake
    close_timeout_s: float = 3.0  # time a closing client gets before the socket is cut
    history: int = 50  # confirmed segments replayed in ``hello``
    client_queue: int = 64  # messages waiting for one client before it counts as stuck
    client_max_delay_s: float = 10.0  # ... or the oldest of them waiting this long
    state_interval_s: float = 1.0  # lag-only ``state`` updates at most this often
    # Connections still in the handshake need no token and are not clients: capped, oldest cut.
    max_pending_handshakes: int = 128
    max_pending_per_address: int = 32
    pending_grace_s: float = 1.0  # ... but only those pending at least this long are cut
    fd_reserve: int = 64  # new connections are cut when fewer descriptors than this are left
    auth_burst: int = 10  # failed token checks per address at once ...
    auth_refill_s: float = 1.0  # ... then one more per this many seconds
    limit_log_interval_s: float = 10.0  # an ongoing limit condition is logged once per interval

    @classmethod
    def from_settings(cls, server: ServerSettings) -> ServerConfig:
        """What the user's feed settings (the app's, or the command line's options as
        settings) ask of the server, checked: raises ServerConfigError saying what to fix."""
        return cls(
            host=server.host,
            port=server.port,
            token=server.token or None,
            allow_origins=tuple(server.allowed_origins),
        ).validate()

    def validate(self) -> ServerConfig:
        """Raise :class:`ServerConfigError` with a message for the user, else return self."""
        if not 0 <= self.port <= 65535:
            raise ServerConfigError(
                translate("server", "Port {port} is out of range (0-65535).").format(port=self.port)
            )
        if self.token and len(self.token) < MIN_TOKEN_LENGTH:
            raise ServerConfigError(
                translate("server", "The token must be at least {length} characters long.").format(
                    length=MIN_TOKEN_LENGTH
                )
            )
        if not is_loopback_host(self.host) and not self.token:
            raise ServerConfigError(
                translate(
                    "server",
                    "Refusing to serve captions on {host}: other machines could read the "
                    "transcript and control listening. Set a token (--token, at least "
                    "{length} characters), or serve on 127.0.0.1 (the default).",
                ).format(host=self.host, length=MIN_TOKEN_LENGTH)
            )
        for origin in self.allow_origins:
            if normalize_origin(origin) is None:
                raise ServerConfigError(
                    translate(
                        "server",
                        "'{origin}' is not an origin: write it like https://example.com or "
                        "http://localhost:3000 (scheme, host and port only), or 'null'.",
                    ).format(origin=origin)
                )
        if (
            self.max_clients < 1
            or self.max_message_bytes < 256
            or self.client_queue < 2
            or self.max_pending_handshakes < 1
            or self.max_pending_per_address < 1
            or self.auth_burst < 1
        ):
            raise ServerConfigError(translate("server", "Server limits are too small to work."))
        return self


def parse_serve_address(text: str) -> tuple[str, int]:
    """``PORT``, ``HOST:PORT`` or ``[IPv6]:PORT`` -> (host, port); the host defaults to loopback."""
    value = text.strip()
    host, port_text = DEFAULT_HOST, value
    if value.startswith("["):
        end = value.find("]:")
        if end > 0:
            host, port_text = value[1:end], value[end + 2 :]
    elif value.count(":") == 1:
        host, port_text = value.split(":")
    if not host or not port_text.isdigit() or int(port_text) > 65535:
        raise ServerConfigError(
            translate(
                "server",
                "--serve expects [HOST:]PORT, for example 8765, 127.0.0.1:8765 or [::1]:8765; "
                "got '{text}'.",
            ).format(text=text)
        )
    return host, int(port_text)


def bind_error(config: ServerConfig, exc: OSError) -> str:
    """Why the server cannot listen where ``config`` says, for the user."""
    if exc.errno == errno.EADDRINUSE:
        template = translate(
            "server",
            "Cannot serve captions on {address}: the port is already in use (by another "
            "Captioner or another program). Choose another port, e.g. --serve 8766.",
        )
    elif exc.errno == errno.EACCES:
        template = translate(
            "server", "Cannot serve captions on {address}: not allowed to use that port."
        )
    elif isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        template = translate(
            "server", "Cannot serve captions on {address}: no such address on this machine."
        )
    else:
        template = translate("server", "Cannot serve captions on {address}: {reason}")
    address = f"{config.host}:{config.port}"
    return template.format(address=address, reason=exc.strerror or exc)
