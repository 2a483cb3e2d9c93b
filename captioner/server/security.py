"""Who may read and control the transcript feed. Pure logic, no I/O.

Threats, and the check against each:

* a web page on another site, open in the user's browser, connecting to ``ws://127.0.0.1``
  (cross-site WebSocket hijacking): the browser sends that page's ``Origin``; only no Origin
  (native programs), the server's own pages and an allow-list are accepted;
* the same page reaching us through a domain that it re-points at 127.0.0.1 (DNS rebinding):
  its requests carry its own domain in ``Host``, so an unauthenticated request must name the
  server by an IP address, ``localhost`` or the host it was bound to;
* other machines: the server binds to loopback unless the user sets a token, and then a
  remote peer must present it (``?token=`` or ``Authorization: Bearer``) to read anything.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import parse_qs, urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_loopback_host(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this machine."""
    if host.lower() == "localhost":
        return True
    address = _ip(host)
    return address is not None and address.is_loopback


def peer_is_loopback(peer_host: str) -> bool:
    """Whether a connection comes from this machine (IPv4-mapped IPv6 included)."""
    address = _ip(peer_host)
    return address is not None and address.is_loopback


def split_host_header(host_header: str) -> tuple[str, int | None]:
    """``example.com:8765`` -> ("example.com", 8765); ``[::1]:80`` -> ("::1", 80)."""
    value = host_header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        host, rest = value[1:end], value[end + 1 :]
        port_text = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        host, port_text = value.split(":")
    else:
        host, port_text = value, ""
    return host, int(port_text) if port_text.isdigit() else None


def host_is_safe(host_header: str | None, bound_host: str) -> bool:
    """The DNS-rebinding guard: the request names us by IP, ``localhost`` or the bound host."""
    if not host_header:
        return False
    host, _ = split_host_header(host_header)
    return host in ("localhost", bound_host.lower()) or _ip(host) is not None


def normalize_origin(origin: str) -> str | None:
    """``HTTP://Example.com:80`` -> ``http://example.com``; None if it is not an origin."""
    value = origin.strip()
    if value.lower() == "null":
        return "null"  # sandboxed frames and file:// pages: only if the user allows it
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if (
        not parts.scheme
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def origin_allowed(
    origin: str | None, host_header: str | None, allow_origins: tuple[str, ...]
) -> bool:
    """No Origin (a native client), the server's own page, or an allow-listed origin."""
    if origin is None:
        return True
    normalized = normalize_origin(origin)
    if normalized is None:
        return False
    if host_header:
        own = {
            normalize_origin(f"{scheme}://{host_header.strip()}") for scheme in ("http", "https")
        }
        if normalized in own:
            return True
    return normalized in {normalize_origin(o) for o in allow_origins}


def token_presented(query: str, authorization: str | None) -> str | None:
    """The token a request carries: ``?token=...`` or ``Authorization: Bearer ...``."""
    if authorization:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    values = parse_qs(query).get("token")
    return values[0] if values else None


def token_matches(expected: str | None, presented: str | None) -> bool:
    """Constant-time comparison, so the token cannot be guessed from response times."""
    if not expected or presented is None:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())
