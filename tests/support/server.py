"""Helpers for tests of the transcript server with real clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any

import jsonschema

from captioner.server import PipelineState, ServerConfig, TranscriptServer
from captioner.transcript.events import TranscriptEvent

DOCS = Path(__file__).resolve().parents[2] / "docs"
LISTENING = PipelineState("listening", "whisper", "base", "zh")


def server_message_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((DOCS / "protocol.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        {"$ref": "#/$defs/server_message", "$defs": schema["$defs"]}
    )


def final(text: str, start: float = 0.0, end: float = 1.0) -> TranscriptEvent:
    return TranscriptEvent(0.0, "final", text, start, end)


def partial(text: str, start: float = 0.0, end: float = 1.0) -> TranscriptEvent:
    return TranscriptEvent(0.0, "partial", text, start, end)


class RecordingController:
    """Stands in for the app: remembers the listening state and what it was asked."""

    def __init__(self) -> None:
        self.listening = True
        self.calls: list[str] = []

    def start_listening(self) -> None:
        self.calls.append("start")
        self.listening = True

    def stop_listening(self) -> None:
        self.calls.append("stop")
        self.listening = False

    def toggle_listening(self) -> None:
        self.calls.append("toggle")
        self.listening = not self.listening

    def reset(self) -> None:
        self.calls.append("reset")


@contextlib.asynccontextmanager
async def serving(controller: Any = None, **config: Any) -> AsyncIterator[TranscriptServer]:
    server = TranscriptServer(ServerConfig(port=0, **config), controller, LISTENING)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def recv_json(ws: Any, timeout: float = 10) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def recv_type(ws: Any, kind: str, timeout: float = 10) -> dict[str, Any]:
    """The next message of type ``kind`` (others are skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (message := await recv_json(ws, deadline - loop.time()))["type"] != kind:
        pass
    return message


def raw_http(port: int, request: str, timeout: float = 10) -> str:
    """Send a hand-written HTTP request (any Host/Origin headers); the response's head."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode("latin-1")


def websocket_request(port: int, host: str, origin: str | None, path: str = "/ws") -> str:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    if origin:
        lines.append(f"Origin: {origin}")
    return "\r\n".join(lines) + "\r\n\r\n"


class ServerThread:
    """A server on its own asyncio loop in a background thread, for tests that drive a
    synchronous client (the browser) from the test thread. ``publish_*`` calls from the test
    thread are handed over to the loop by the server itself."""

    def __init__(self, controller: Any = None, **config: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.server = TranscriptServer(ServerConfig(port=0, **config), controller, LISTENING)
        self.run(self.server.start())

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def restart(self, **config: Any) -> None:
        """Stop, and start a new server (new session) on the same port."""
        port = self.server.port
        self.run(self.server.stop())
        self.server = TranscriptServer(ServerConfig(port=port, **config), None, LISTENING)
        self.run(self.server.start())

    def close(self) -> None:
        self.run(self.server.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
