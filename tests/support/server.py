"""Helpers for tests of the transcript server with real clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import struct
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


def non_loopback_address() -> str | None:
    """This machine's address on its default route (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def client_frame(text: str) -> bytes:
    """One masked WebSocket text frame, as a client must send it (RFC 6455 5.2)."""
    payload = text.encode()
    mask = os.urandom(4)
    if len(payload) < 126:
        head = struct.pack("!BB", 0x81, 0x80 | len(payload))
    else:
        head = struct.pack("!BBH", 0x81, 0x80 | 126, len(payload))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def raw_websocket(port: int, receive_buffer: int | None = None) -> socket.socket:
    """A WebSocket opened by hand on a plain socket: the 101 answer is read, nothing after
    it, so the test decides exactly what this client reads (and whether it reads at all)."""
    s = socket.socket()
    if receive_buffer:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    s.sendall(websocket_request(port, f"127.0.0.1:{port}", None).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)  # byte by byte: not one byte past the handshake's answer
    if not head.startswith(b"HTTP/1.1 101"):
        raise AssertionError(head.decode("latin-1"))
    return s


def http_exchange(port: int, request: str, timeout: float = 10) -> bytes:
    """Send a hand-written HTTP request; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request.encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data


def kernel_send_buffer_max() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
    except (OSError, IndexError, ValueError):
        return 4 * 2**20  # Linux's usual default


def stuck_socket(port: int) -> socket.socket:
    """A connected socket with a tiny receive buffer, for a client that stops reading."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    return s
