"""A real X desktop for GUI tests: Xvfb, a window manager, a compositor and a system tray,
plus small helpers around xdotool, xprop and screenshots."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DESKTOP_TOOLS = ("Xvfb", "openbox", "xcompmgr", "trayer", "xdotool", "xprop", "dbus-daemon")
AT_SPI_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
WIDTH, HEIGHT = 1280, 720


@dataclass
class XDesktop:
    display: str
    processes: list[subprocess.Popen]
    session_bus: str = ""  # the desktop's D-Bus session bus, with AT-SPI (accessibility)

    @property
    def env(self) -> dict[str, str]:
        return {
            "DISPLAY": self.display,
            "QT_QPA_PLATFORM": "xcb",
            "DBUS_SESSION_BUS_ADDRESS": self.session_bus,
            # Qt's AT-SPI bridge, on without a screen reader asking for it.
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        }

    def accessible_names(self, application: str) -> list[str]:
        """The names of ``application``'s accessible objects (a list's items among them),
        read over AT-SPI as a screen reader reads them."""
        from tests.support.atspi import AtSpi

        reader = AtSpi(self.session_bus)
        try:
            return [item.name for item in reader.objects(application, depth=9)]
        finally:
            reader.close()

    def accessible_description(self, application: str, name: str) -> str | None:
        """The accessible description of ``application``'s object called ``name``, read over
        AT-SPI as a screen reader reads it (None: no such object yet)."""
        from tests.support.atspi import AtSpi

        reader = AtSpi(self.session_bus)
        try:
            for item in reader.objects(application):
                if item.name == name:
                    return item.description
        finally:
            reader.close()
        return None

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            list(args), capture_output=True, text=True, timeout=30,
            env={**os.environ, **self.env}, check=False,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise RuntimeError(f"{args}: {result.stderr.strip()}")
        return result.stdout.strip()

    def find_windows(self, name_pattern: str) -> list[str]:
        out = self.run("xdotool", "search", "--onlyvisible", "--name", name_pattern, check=False)
        return [w for w in out.split() if w]

    def window_name(self, window: str) -> str:
        return self.run("xdotool", "getwindowname", window, check=False)

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        out = self.run("xdotool", "getwindowgeometry", "--shell", window)
        values = dict(line.split("=") for line in out.splitlines())
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def active_window(self) -> str:
        return self.run("xdotool", "getactivewindow", check=False)

    def stacking(self) -> list[str]:
        """Client windows bottom to top, as the window manager stacks them (decimal ids)."""
        out = self.run("xprop", "-root", "_NET_CLIENT_LIST_STACKING")
        return [str(int(w, 16)) for w in out.split("#")[-1].replace(",", " ").split()]

    def keys(self, action: str, *keys: str) -> None:
        args = ["xdotool"]
        for key in keys:
            args += [action, key]
        self.run(*args)

    def click(self, x: int, y: int) -> None:
        self.run("xdotool", "mousemove", str(x), str(y), "click", "1")

    def screenshot(self, path: Path) -> Path:
        """The whole screen, as the user sees it (with the compositor's translucency)."""
        script = (
            "import sys\n"
            "from PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication([])\n"
            "QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])\n"
        )
        subprocess.run(
            [sys.executable, "-c", script, str(path)],
            env={**os.environ, **self.env}, check=True, timeout=30,
        )  # fmt: skip
        return path

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def missing_tools() -> list[str]:
    missing = [tool for tool in DESKTOP_TOOLS if shutil.which(tool) is None]
    return missing + ([] if AT_SPI_LAUNCHER.is_file() else [str(AT_SPI_LAUNCHER)])


def start_desktop(window_manager: bool = True) -> XDesktop:
    """Xvfb with a compositor and a system tray (trayer), and a window manager (openbox)
    unless ``window_manager`` is False: then windows stack in the order they are mapped and
    nothing reparents them (openbox's frames ignore a window's input shape)."""
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X{n}-lock").exists())
    display = f":{number}"
    env = {**os.environ, "DISPLAY": display}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            ["Xvfb", display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"], **quiet
        )
    ]
    desktop = XDesktop(display, processes)
    for _ in range(100):
        if subprocess.run(["xprop", "-root"], env=env, **quiet).returncode == 0:
            break
        time.sleep(0.05)
    else:
        desktop.stop()
        raise RuntimeError("Xvfb did not start")
    desktop.session_bus = _start_session_bus(desktop, env)
    processes.append(subprocess.Popen(["xcompmgr"], env=env, **quiet))
    if window_manager:
        processes.append(subprocess.Popen(["openbox"], env=env, **quiet))
    processes.append(
        subprocess.Popen(
            [
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--widthtype",
                "pixel",
                "--width",
                "64",
                "--height",
                "24",
                "--transparent",
                "false",
            ],
            env=env,
            **quiet,
        )
    )
    time.sleep(1.0)  # window manager, compositor and tray up
    return desktop


def _start_session_bus(desktop: XDesktop, env: dict[str, str]) -> str:
    """A D-Bus session bus for this desktop and the AT-SPI bus launcher on it; returns the
    bus address. Each desktop gets its own runtime folder, so their sockets never meet."""
    runtime = Path(tempfile.mkdtemp(prefix="captioner-desktop-"))
    runtime.chmod(0o700)
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    desktop.processes.append(daemon)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    launcher_env = {**env, "DBUS_SESSION_BUS_ADDRESS": address, "XDG_RUNTIME_DIR": str(runtime)}
    launcher = [str(AT_SPI_LAUNCHER), "--launch-immediately"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    desktop.processes.append(subprocess.Popen(launcher, env=launcher_env, **quiet))
    return address


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
