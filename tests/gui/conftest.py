from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.xdesktop import RunningApp, XDesktop

HERE = Path(__file__).parent


@pytest.fixture
def start_app(x_desktop, virtual_mic, tmp_path) -> Iterator:
    """Starts the real app (`python -m captioner`) on an X desktop and the virtual microphone."""
    apps: list[RunningApp] = []

    def start(
        settings: dict | None = None,
        *args: str,
        desktop: XDesktop = x_desktop,
        home: Path | None = None,
        wait: bool = True,
        more_env: dict[str, str] | None = None,
    ) -> RunningApp:
        """``home``: an earlier app's folder, to start on the same settings (kept as they
        are); ``wait``: until the overlay shows a state other than loading; ``more_env``:
        e.g. a PULSE_SERVER where none runs (no microphone at all)."""
        if home is None:
            home = tmp_path / f"app{len(apps)}"
            home.mkdir()
            (home / "settings.json").write_text(json.dumps(settings or {}), encoding="utf-8")
        env = {
            **os.environ,
            **desktop.env,
            **virtual_mic,
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DOCUMENTS_DIR": str(home / "documents"),
            "LC_ALL": "C.UTF-8",  # the English interface the tests read, whatever the machine's
            "XDG_STATE_HOME": str(home / "state"),  # the error log
            **(more_env or {}),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "captioner", "--config", str(home / "settings.json"),
             "--transcripts", str(home / "transcripts"), *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        app = RunningApp(process, home, desktop)
        apps.append(app)
        if wait:
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
