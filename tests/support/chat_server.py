"""A local server that speaks OpenAI's chat-completions protocol, for the translation tests.

Real HTTP on a real socket (http.server's ThreadingHTTPServer): each request is answered as
the next scripted behaviour says, then as ``default`` says once the script ran out (the
server "heals"). The answer is the latest line's text tagged ``EN:``, whole or streamed as
server-sent events, as the request asks.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What the server may do with one request.
BEHAVIOURS = ("answer", "slow", "429", "500", "malformed", "close", "401", "empty")


@dataclass
class ChatScript:
    behaviours: list[str] = field(default_factory=list)
    default: str = "answer"
    retry_after: str = "1"
    slow_s: float = 3.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)  # the behaviour of each request
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self) -> str:
        with self.lock:
            return self.behaviours.pop(0) if self.behaviours else self.default


def answer_for(body: dict[str, Any]) -> str:
    latest = body["messages"][-1]["content"].rsplit("Latest line:\n", 1)[-1]
    return f"EN: {latest}"


class ChatHandler(BaseHTTPRequestHandler):
    server: ChatServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def do_POST(self) -> None:
        script = self.server.script
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        body = json.loads(raw)
        behaviour = script.next()
        with script.lock:
            script.requests.append(body)
            script.headers.append(dict(self.headers.items()))
            script.answered.append(behaviour)
        if self.path != "/v1/chat/completions":
            self._send(404, b'{"error": "not found"}')
        elif behaviour == "close":
            self.close_connection = True
            self.connection.close()  # no status line at all
        elif behaviour == "401":
            self._send(401, b'{"error": {"message": "invalid api key"}}')
        elif behaviour == "429":
            self._send(429, b'{"error": "slow down"}', {"Retry-After": script.retry_after})
        elif behaviour == "500":
            self._send(500, b'{"error": "internal"}')
        elif behaviour == "malformed":
            self._send(200, b"<html>this is not json", {"Content-Type": "application/json"})
        elif behaviour == "empty":
            self._send(200, json.dumps({"choices": []}).encode())
        else:
            if behaviour == "slow":
                time.sleep(script.slow_s)
            text = answer_for(body)
            if body.get("stream"):
                self._stream(text)
            else:
                answer = {
                    "id": "chatcmpl-1",
                    "object": "chat.completion",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}}],
                }
                self._send(200, json.dumps(answer).encode())

    def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        words = text.split(" ")
        pieces = [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]
        first = {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}
        self.wfile.write(b"data: " + json.dumps(first).encode() + b"\n\n")
        for piece in pieces:
            chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
            self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class ChatServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: ChatScript) -> None:
        super().__init__(("127.0.0.1", 0), ChatHandler)
        self.script = script

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


@contextmanager
def chat_server(script: ChatScript | None = None) -> Iterator[ChatServer]:
    server = ChatServer(script or ChatScript())
    thread = threading.Thread(target=server.serve_forever, name="chat-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
