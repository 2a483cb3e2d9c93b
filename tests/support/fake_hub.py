"""A local server speaking the Hugging Face Hub's download API, for download tests.

The real ``huggingface_hub`` client downloads from it as from huggingface.co or a mirror:
repository info, file tree, HEAD for metadata, then the file bodies, streamed in chunks
(optionally slowly, so progress and cancel can be observed).
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import time


class FakeHub:
    sha = "0123456789abcdef0123456789abcdef01234567"

    def __init__(self, files: dict[str, bytes], chunk_delay_s: float = 0.0) -> None:
        self.files = files
        self.chunk_delay_s = chunk_delay_s
        self.requests: list[tuple[str, str]] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()

    def _handler(self) -> type:
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:  # http.server names it so
                hub.requests.append(("HEAD", self.path))
                name = self._file()
                if name is None:
                    self._send(404, b"", head=True)
                    return
                self._send_file_headers(hub.files[name])

            def do_GET(self) -> None:
                hub.requests.append(("GET", self.path))
                path = self.path.split("?")[0]
                if path.startswith("/api/models/") and "/tree/" in path:
                    tree = [
                        {"type": "file", "path": n, "size": len(d), "oid": _oid(d)}
                        for n, d in hub.files.items()
                    ]
                    self._send(200, json.dumps(tree).encode())
                elif path.startswith("/api/models/"):
                    info = {"id": "repo", "sha": hub.sha, "siblings": [
                        {"rfilename": n} for n in hub.files
                    ]}  # fmt: skip
                    self._send(200, json.dumps(info).encode())
                elif (name := self._file()) is not None:
                    data = hub.files[name]
                    self._send_file_headers(data)
                    for i in range(0, len(data), 65536):
                        self.wfile.write(data[i : i + 65536])
                        if hub.chunk_delay_s:
                            time.sleep(hub.chunk_delay_s)
                else:
                    self._send(404, b"")

            def _file(self) -> str | None:
                parts = self.path.split("?")[0].split("/resolve/")
                if len(parts) != 2 or "/" not in parts[1]:
                    return None
                name = parts[1].split("/", 1)[1]
                return name if name in hub.files else None

            def _send_file_headers(self, data: bytes) -> None:
                self.send_response(200)
                self.send_header("X-Repo-Commit", hub.sha)
                self.send_header("ETag", f'"{_oid(data)}"')
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()

            def _send(self, status: int, body: bytes, head: bool = False) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        return Handler


def _oid(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()
