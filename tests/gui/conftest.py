from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.gui.xdesktop import XDesktop, missing_tools, start_desktop

HERE = Path(__file__).parent


def _desktop(window_manager: bool) -> Iterator[XDesktop]:
    missing = missing_tools()
    if missing:
        message = f"no X desktop for window tests (missing: {', '.join(missing)})"
        if os.environ.get("CAPTIONER_REQUIRE_MIC") == "1":  # CI: must not skip
            pytest.fail(message)
        pytest.skip(message)
    desktop = start_desktop(window_manager)
    yield desktop
    desktop.stop()


@pytest.fixture(scope="session")
def x_desktop() -> Iterator[XDesktop]:
    """A desktop: window manager (openbox), compositor, system tray."""
    yield from _desktop(window_manager=True)


@pytest.fixture(scope="session")
def bare_x() -> Iterator[XDesktop]:
    """An X server with only a compositor: what the app itself does to input is all there is."""
    yield from _desktop(window_manager=False)


@dataclass
class RunningApp:
    process: subprocess.Popen
    home: Path
    desktop: XDesktop

    @property
    def transcripts(self) -> Path:
        return self.home / "transcripts"

    def overlay(self) -> str:
        windows = self.desktop.find_windows("^Captioner ·")
        assert windows, "no overlay window"
        return windows[0]

    def title(self) -> str:
        """The overlay's title: "Captioner · <state>" (never what was said)."""
        return self.desktop.window_name(self.overlay())

    def caption(self) -> str:
        """The latest confirmed line, as a screen reader reads it (AT-SPI)."""
        return self.desktop.accessible_description("Captioner", "Captioner captions") or ""

    def wait_title(self, predicate: Callable[[str], bool], timeout: float = 30.0) -> str:
        return self._wait(lambda: self._window_title(), predicate, timeout, "overlay title")

    def wait_caption(self, predicate: Callable[[str], bool], timeout: float = 30.0) -> str:
        return self._wait(self.caption, predicate, timeout, "caption")

    def _window_title(self) -> str:
        windows = self.desktop.find_windows("^Captioner ·")
        return self.desktop.window_name(windows[0]) if windows else ""

    def _wait(
        self,
        read: Callable[[], str],
        predicate: Callable[[str], bool],
        timeout: float,
        what: str,
    ) -> str:
        deadline = time.monotonic() + timeout
        value = ""
        while time.monotonic() < deadline:
            value = read()
            if predicate(value):
                return value
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited: {self.process.communicate()[1][-2000:]}")
            time.sleep(0.1)
        raise AssertionError(f"timed out; last {what}: {value!r}")

    def quit(self) -> str:
        self.process.send_signal(signal.SIGINT)
        try:
            _, stderr = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        return stderr


@pytest.fixture
def start_app(x_desktop, virtual_mic, tmp_path) -> Iterator:
    """Starts the real app (`python -m captioner`) on an X desktop and the virtual microphone."""
    apps: list[RunningApp] = []

    def start(
        settings: dict | None = None, *args: str, desktop: XDesktop = x_desktop
    ) -> RunningApp:
        home = tmp_path / f"app{len(apps)}"
        home.mkdir()
        (home / "settings.json").write_text(json.dumps(settings or {}), encoding="utf-8")
        env = {
            **os.environ,
            **desktop.env,
            **virtual_mic,
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DOCUMENTS_DIR": str(home / "documents"),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "captioner", "--config", str(home / "settings.json"),
             "--transcripts", str(home / "transcripts"), *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        app = RunningApp(process, home, desktop)
        apps.append(app)
        app.wait_title(lambda t: bool(t) and "loading" not in t, timeout=60)
        return app

    yield start
    for app in apps:
        if app.process.poll() is None:
            app.process.kill()
            app.process.communicate()


@pytest.fixture
def click_target(x_desktop, tmp_path) -> Iterator:
    """Starts a full-screen window that logs clicks; returns (window id, log path)."""
    processes = []

    def start(
        colour: str = "#ffffff", label: str = "", desktop: XDesktop = x_desktop
    ) -> tuple[str, Path]:
        log = tmp_path / f"clicks{len(processes)}.txt"
        log.write_text("")
        process = subprocess.Popen(
            [sys.executable, str(HERE / "click_target.py"), str(log), colour, label],
            env={**os.environ, **desktop.env},
        )
        processes.append(process)
        for _ in range(100):
            windows = desktop.find_windows("^click-target$")
            if windows:
                time.sleep(0.5)  # mapped and painted
                return windows[-1], log
            time.sleep(0.1)
        raise AssertionError("the click target window did not appear")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)
