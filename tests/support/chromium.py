"""A real headless Debian ``chromium``, driven over the DevTools protocol.

The DevTools protocol is JSON over a WebSocket, so the ``websockets`` client the project
already depends on is all it takes (no browser download, no Playwright).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
]
# The overlay page's [confirmed text, partial text], as shown.
OVERLAY_TEXT = (
    "[document.getElementById('final').textContent, document.getElementById('partial').textContent]"
)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def wait_until(condition: Any, timeout_s: float = 15) -> bool:
    """Polls ``condition`` (what the page or the server shows) until true or ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def require_chromium() -> None:
    """Skip (saying why) where no chromium is installed; CI sets CAPTIONER_REQUIRE_BROWSER=1
    and installs it, so there the test fails instead of skipping."""
    import pytest

    if chromium_path() is not None:
        return
    message = "chromium is not installed (apt-get install chromium; .ci/run installs it)"
    if os.environ.get("CAPTIONER_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


class Chromium:
    """One browser with one page; use as a context manager."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 240) -> None:
        executable = chromium_path()
        if executable is None:
            raise RuntimeError("chromium is not installed (apt-get install chromium)")
        profile.mkdir(parents=True, exist_ok=True)  # a new, empty profile
        self._stack = contextlib.ExitStack()
        self._log = open(profile.parent / "chromium.log", "w+b")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                executable,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        try:
            port = self._devtools_port(profile / "DevToolsActivePort")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                targets = json.load(r)
            page = next(t for t in targets if t["type"] == "page")
            self._cdp: ClientConnection = self._stack.enter_context(
                connect(page["webSocketDebuggerUrl"], max_size=2**26)
            )
            self._ids = itertools.count(1)
            # The viewport exactly as asked (OBS renders a browser source at its set size).
            self.call(
                "Emulation.setDeviceMetricsOverride",
                width=width,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
        except BaseException:
            self.close()  # never leave a browser behind
            raise

    def _devtools_port(self, port_file: Path, timeout_s: float = 60) -> int:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited: {self.log()}")
            if port_file.is_file():
                first = port_file.read_text().split("\n", 1)[0].strip()
                if first.isdigit():
                    return int(first)
            time.sleep(0.1)
        raise RuntimeError(f"chromium did not open its DevTools port: {self.log()}")

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        request_id = next(self._ids)
        self._cdp.send(json.dumps({"id": request_id, "method": method, "params": params}))
        while True:  # skip events until our answer arrives
            message = json.loads(self._cdp.recv(timeout=60))
            if message.get("id") == request_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def navigate(self, url: str, timeout_s: float = 30) -> None:
        """Open ``url`` and wait until it has loaded."""
        self.call("Page.navigate", url=url)
        loaded = f"document.readyState === 'complete' && location.href === {json.dumps(url)}"
        if not self.wait_for(loaded, timeout_s):
            raise RuntimeError(f"{url} did not load: {self.evaluate('location.href')}")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout_s: float = 30) -> Any:
        """Poll a JavaScript expression until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout_s
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def screenshot(self, background: tuple[int, int, int, int] | None = None) -> bytes:
        """PNG of the page; ``background`` (r, g, b, alpha 0-1) shows through transparency."""
        if background is not None:
            r, g, b, a = background
            self.call(
                "Emulation.setDefaultBackgroundColorOverride",
                color={"r": r, "g": g, "b": b, "a": a},
            )
        data = self.call("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        try:
            self._stack.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self._log.close()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
