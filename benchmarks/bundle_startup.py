"""Start-up time of the installed app (the bundle) against the pip install, on a real X
desktop (Xvfb, openbox, tray) with the virtual microphone: from starting the program to its
caption window on screen, and to "ready" (the model loaded: the window title leaves the
loading state).

    python benchmarks/bundle_startup.py dist/Captioner --runs 5

Needs what the GUI tests need (tests/gui/xdesktop.py, ../shared/tools/virtual-mic.sh).
Each program is started once to warm the disk cache, then ``--runs`` times; the first
(cold) start is reported too, as a user's first start after installing would be.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.gui.xdesktop import XDesktop, start_desktop  # noqa: E402

SHARED = Path(os.environ.get("CAPTIONER_SHARED", ROOT.parent / "shared"))


def virtual_mic() -> dict[str, str]:
    script = SHARED / "tools" / "virtual-mic.sh"
    out = subprocess.run(
        ["bash", "-c", f"source '{script}' >/dev/null && env -0"],
        capture_output=True, check=True, timeout=60,
    ).stdout.decode()  # fmt: skip
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    return {k: env[k] for k in ("PULSE_SERVER", "XDG_RUNTIME_DIR")}


def start_once(command: list[str], env: dict[str, str], desktop: XDesktop) -> tuple[float, float]:
    """Seconds to the caption window, and to ready."""
    home = Path(tempfile.mkdtemp(prefix="startup-"))
    settings = home / "settings.json"
    settings.write_text("{}", encoding="utf-8")
    full_env = {
        **env,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DOCUMENTS_DIR": str(home / "documents"),
    }
    started = time.monotonic()
    process = subprocess.Popen(
        [*command, "--config", str(settings), "--transcripts", str(home / "transcripts")],
        env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    window = ready = None
    deadline = started + 120
    try:
        while ready is None and time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {process.stderr.read()[-2000:]}")
            found = desktop.find_windows("^Captioner ·")
            if found:
                window = window or time.monotonic() - started
                if "loading" not in desktop.window_name(found[0]):
                    ready = time.monotonic() - started
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    if window is None or ready is None:
        raise RuntimeError(f"{command[0]} did not get ready in time")
    return window, ready


def measure(command: list[str], env: dict[str, str], desktop: XDesktop, runs: int) -> dict:
    cold = start_once(command, env, desktop)
    warm = [start_once(command, env, desktop) for _ in range(runs)]
    return {
        "first_start_window_s": round(cold[0], 2),
        "first_start_ready_s": round(cold[1], 2),
        "window_s_median": round(statistics.median(w for w, _ in warm), 2),
        "ready_s_median": round(statistics.median(r for _, r in warm), 2),
        "window_s_all": [round(w, 2) for w, _ in warm],
        "ready_s_all": [round(r, 2) for _, r in warm],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="dist/Captioner")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-pip", action="store_true", help="skip the pip install")
    args = parser.parse_args()

    desktop = start_desktop()
    try:
        base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
        env = {**base, **desktop.env, **virtual_mic()}  # env -i: nothing of Python's
        exe = ".exe" if sys.platform == "win32" else ""
        bundled = [str(args.bundle / f"Captioner{exe}")]
        results = {"bundle": measure(bundled, env, desktop, args.runs)}
        if not args.no_pip:
            results["pip"] = measure([sys.executable, "-m", "captioner"], {**os.environ, **env},
                                     desktop, args.runs)  # fmt: skip
    finally:
        desktop.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
