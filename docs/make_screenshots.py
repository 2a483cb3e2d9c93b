"""Screenshots of the running overlay for the README, over a light and a dark window.

    python docs/make_screenshots.py        # Linux, needs the GUI test tools (see .ci/run)

Runs the real app under Xvfb on the virtual microphone, plays Mandarin speech into it and
saves docs/overlay-light.png and docs/overlay-dark.png when the captions are on screen.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtGui import QImage  # noqa: E402

from tests.support.data import VIRTUAL_MIC, write_wav, zh_stream  # noqa: E402
from tests.support.xdesktop import start_desktop  # noqa: E402

BACKDROPS = {
    "light": ("#f4f4f4", "第三季度汇报 · 产品路线图"),
    "dark": ("#15181d", "直播中 · LIVE"),
}


def mic_env() -> dict[str, str]:
    out = subprocess.run(
        ["bash", "-c", f"source '{VIRTUAL_MIC}' >/dev/null && env -0"],
        capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    return {k: env[k] for k in ("PULSE_SERVER", "XDG_RUNTIME_DIR")}


def shoot(name: str, colour: str, label: str, speech: Path, mic: dict[str, str]) -> None:
    desktop = start_desktop()
    home = Path(tempfile.mkdtemp())
    settings = {"hotkey": {"mode": "always"}, "overlay": {"clear_after_s": 0}}
    (home / "settings.json").write_text(json.dumps(settings))
    env = {**os.environ, **desktop.env, **mic}
    backdrop = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/gui/click_target.py"), str(home / "c"), colour, label],
        env=env,
    )
    app = subprocess.Popen(
        [sys.executable, "-m", "captioner", "--config", str(home / "settings.json"),
         "--transcripts", str(home / "t")],
        env=env,
    )  # fmt: skip
    try:
        time.sleep(8)
        subprocess.run(["paplay", "-d", "captioner_virt", str(speech)], env=env, check=True)
        time.sleep(2.5)
        path = ROOT / "docs" / f"overlay-{name}.png"
        desktop.screenshot(path)
        image = QImage(str(path)).copy(140, 290, 1000, 430)  # the overlay and what is below
        image.save(str(path))
        print(path)
    finally:
        app.send_signal(signal.SIGINT)
        app.wait(30)
        backdrop.terminate()
        desktop.stop()


def main() -> None:
    audio, _ = zh_stream([2, 61, 72])
    speech = write_wav(Path(tempfile.mkdtemp()) / "speech.wav", audio)
    mic = mic_env()
    for name, (colour, label) in BACKDROPS.items():
        shoot(name, colour, label, speech, mic)


if __name__ == "__main__":
    main()
