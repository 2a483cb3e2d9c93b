"""The HTTP answers of the feed server: its pages, and the text of a refusal. No I/O: the
server hands these to websockets, which sends them."""

from __future__ import annotations

import dataclasses
import email.utils
import json
from http import HTTPStatus
from importlib import resources
from typing import Any

from websockets.datastructures import Headers
from websockets.http11 import Response

from captioner.server.access import HEALTH_PATH, OVERLAY_PATH, STATS_PATH, WS_PATH, Refuse

_OVERLAY_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self' ws: wss:; frame-ancestors 'none'"
)
_INDEX = f"""Captioner caption server (protocol v1)

WebSocket feed:  {WS_PATH}
OBS overlay:     {OVERLAY_PATH}   (font, size, color, lines, translation, ... as query parameters)
Health:          {HEALTH_PATH}
Statistics:      {STATS_PATH}
"""


def overlay_page() -> bytes:
    return resources.files(__package__).joinpath("overlay.html").read_bytes()


def response(
    status: HTTPStatus,
    body: bytes,
    content_type: str,
    extra: tuple[tuple[str, str], ...] = (),
) -> Response:
    headers = Headers(
        [
            ("Date", email.utils.formatdate(usegmt=True)),
            ("Connection", "close"),
            ("Content-Length", str(len(body))),
            ("Content-Type", content_type),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            *extra,
        ]
    )
    return Response(status.value, status.phrase, headers, body)


def refusal(refuse: Refuse) -> Response:
    return response(
        refuse.status, refuse.reason.encode(), "text/plain; charset=utf-8", refuse.headers
    )


def json_page(data: dict[str, Any]) -> Response:
    return response(
        HTTPStatus.OK, json.dumps(data, ensure_ascii=False).encode(), "application/json"
    )


def overlay(html: bytes) -> Response:
    return response(
        HTTPStatus.OK,
        html,
        "text/html; charset=utf-8",
        (("Content-Security-Policy", _OVERLAY_CSP),),
    )


def index() -> Response:
    return response(HTTPStatus.OK, _INDEX.encode(), "text/plain; charset=utf-8")


def head_only(answer: Response) -> Response:
    """The answer to HEAD: the GET's headers (Content-Length included), no body."""
    return dataclasses.replace(answer, body=b"")
