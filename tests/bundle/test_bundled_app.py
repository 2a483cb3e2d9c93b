"""The bundled app on a real X desktop with the virtual microphone, clean environment:
its window and tray icon, captions on screen and in the transcript files, the overlay page
of its live feed. A bundle without Qt's xcb plugin, the VAD model, OpenCC's tables or the
overlay page fails here."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request

import numpy as np
import pytest
from PySide6.QtGui import QImage

from captioner.transcript.metrics import character_error_rate
from tests.support.bundle import clean_command, clean_env, free_port, python_paths_mapped
from tests.support.data import play_into_mic, write_wav, zh_stream
from tests.support.xdesktop import RunningApp

pytestmark = [pytest.mark.bundle, pytest.mark.model, pytest.mark.mic, pytest.mark.gui]


def crop(image: QImage, x: int, y: int, w: int, h: int) -> QImage:
    return image.copy(x, y, w, h)


def white_pixels(image: QImage) -> int:
    """Light pixels (text), every other row and column."""
    return sum(
        image.pixelColor(x, y).lightness() > 200
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    )


def tray_icons(desktop) -> list[str]:
    """Windows named Captioner embedded in the tray (trayer's panel): the app's icon."""
    lines = desktop.run("xwininfo", "-root", "-tree").splitlines()
    icons = []
    for i, line in enumerate(lines):
        if '("panel" "trayer")' not in line:
            continue
        depth = len(line) - len(line.lstrip())
        for child in lines[i + 1 :]:
            if len(child) - len(child.lstrip()) <= depth:
                break  # past the panel's subtree
            if '"Captioner"' in child:
                icons.append(child.strip())
    return icons


def test_bundled_app_captions_the_microphone(bundle, x_desktop, virtual_mic, home, tmp_path):
    audio, reference = zh_stream([61])  # one sentence: the bundle is tested, not accuracy
    wav = write_wav(tmp_path / "speech.wav", np.concatenate([audio, np.zeros(16000, np.float32)]))
    port = free_port()
    (home / "settings.json").write_text(
        json.dumps({"hotkey": {"mode": "always"}}), encoding="utf-8"
    )
    env = clean_env(home, **x_desktop.env, **virtual_mic)
    process = subprocess.Popen(
        clean_command(bundle / "Captioner", "--config", str(home / "settings.json"),
                      "--transcripts", str(home / "transcripts"), "--serve", str(port), env=env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    app = RunningApp(process, home, x_desktop)
    try:
        app.wait_title(lambda t: "listening" in t, timeout=90)
        assert python_paths_mapped(process.pid) == []
        # The tray icon is there (without one the app would have unlocked its overlay).
        deadline = time.monotonic() + 10
        while not tray_icons(x_desktop) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert tray_icons(x_desktop), x_desktop.run("xwininfo", "-root", "-tree")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/overlay", timeout=5) as response:
            assert "WebSocket" in response.read().decode("utf-8")

        before = x_desktop.screenshot(tmp_path / "before.png")
        play_into_mic(wav, virtual_mic)
        # Read as a screen reader reads it: the bundle's Qt carries its AT-SPI bridge too.
        shown = app.wait_caption(lambda c: "港口" in c or "关闭" in c, timeout=30)
        assert app.title() == "Captioner · listening"
        shot = QImage(str(x_desktop.screenshot(tmp_path / "after.png")))
        x, y, w, h = x_desktop.geometry(app.overlay())
        text_area = crop(shot, x + 12, y + h // 2, w - 24, h // 2 - 8)
        empty_area = crop(QImage(str(before)), x + 12, y + h // 2, w - 24, h // 2 - 8)
        assert white_pixels(text_area) > 300  # Chinese glyphs drawn by the bundle's Qt
        assert white_pixels(empty_area) < 20
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert "Traceback" not in stderr, stderr
    (txt,) = app.transcripts.glob("*.txt")
    (srt,) = app.transcripts.glob("*.srt")
    saved = txt.read_text(encoding="utf-8")
    assert character_error_rate(saved, reference) < 0.25, saved
    assert shown in saved  # what the overlay showed is what was saved
    assert srt.read_text(encoding="utf-8").count(" --> ") == len(saved.splitlines())
