"""`captioner transcribe FILE --live --serve`: the real pipeline (real speech, the real base
model, the qasync loop) serving real WebSocket clients and a real Chromium overlay."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.support.chromium import OVERLAY_TEXT, Chromium, require_chromium
from tests.support.cli import assert_no_traceback, captioner
from tests.support.data import write_wav, zh_clip, zh_stream
from tests.support.server import recv_json, server_message_validator

ROOT = Path(__file__).resolve().parents[2]


class LiveCaptioner:
    """The CLI captioning a file live with --serve on a free port, as a user runs it."""

    def __init__(self, wav: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "captioner", "transcribe", str(wav), "--live"),
                *("--serve", "127.0.0.1:0", *extra),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.stderr: list[str] = []
        self._serving = threading.Event()
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)
            if line.startswith("Serving captions:"):
                self._serving.set()
        self._serving.set()  # the process ended: stop waiting

    def urls(self, timeout_s: float = 120) -> tuple[str, str]:
        """(feed URL, overlay URL), as the CLI printed them."""
        self._serving.wait(timeout_s)
        text = "".join(self.stderr)
        found = re.search(r"feed (ws://\S+)\s+OBS overlay (http://\S+)", text)
        assert found, f"no server address printed: {text}"
        return found.group(1), found.group(2)

    def finish(self, timeout_s: float = 180) -> tuple[int, list[str], str]:
        """(exit status, stdout lines, stderr) once the file has been captioned."""
        assert self.process.stdout is not None
        stdout = self.process.stdout.read()
        code = self.process.wait(timeout_s)
        self._reader.join(10)
        return code, stdout.splitlines(), "".join(self.stderr)

    def __enter__(self) -> LiveCaptioner:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


class Feed:
    """One client of the feed, keeping every message it receives."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.got: list[dict] = []

    async def next(self, timeout: float = 60) -> dict:
        self.got.append(await recv_json(self.ws, timeout))
        return self.got[-1]

    async def until(self, condition, timeout: float = 60) -> dict:
        while not condition(message := await self.next(timeout)):
            pass
        return message

    async def during(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                await self.next(left)
            except asyncio.TimeoutError:
                return

    async def see(self, state: str, act):
        """``act()``'s answer, once the pipeline's state became ``state`` (said before the
        answer or after it)."""
        since = len(self.got)
        answer = await act()
        if not any(state_is(state)(m) for m in self.got[since:]):
            await self.until(state_is(state))
        return answer

    async def control(self, action: str, request_id: int) -> dict:
        await self.ws.send(json.dumps({"type": "control", "action": action, "id": request_id}))
        return await self.until(
            lambda m: m["type"] in ("ack", "error") and m.get("id") == request_id
        )


def is_final(m: dict) -> bool:
    return m["type"] == "final"


def state_is(name: str):
    return lambda m: m["type"] == "state" and m["state"] == name


@pytest.mark.model
def test_live_pipeline_serves_its_transcript_and_obeys_control(tmp_path):
    audio, _ = zh_stream([2, 61, 72, 16, 18, 36, 91])  # 26 s of speech and pauses
    wav = write_wav(tmp_path / "speech.wav", audio)

    async def session(url: str):
        async with connect(url) as ws:
            feed = Feed(ws)
            hello = await feed.next()
            await feed.until(lambda m: is_final(m) and m["id"] >= 2)
            # A page (re)loaded now gets the transcript so far.
            async with connect(url) as late:
                late_hello = await recv_json(late)
            # stop: the pipeline stops listening, and nothing is recognised until start
            ack_stop = await feed.see("idle", lambda: feed.control("stop", 1))
            idle_from = len(feed.got)
            await feed.during(4.0)
            quiet = feed.got[idle_from:]
            ack_start = await feed.see("listening", lambda: feed.control("start", 2))
            resumed_from = len(feed.got)
            await feed.until(is_final)
            ack_reset = await feed.control("reset", 3)
            # The file ends: the last text is confirmed, then the server says goodbye.
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await feed.next()
        return (
            feed.got,
            hello,
            late_hello,
            quiet,
            resumed_from,
            (ack_stop, ack_start, ack_reset),
            (closed.value.rcvd),
        )

    with LiveCaptioner(wav) as live:
        feed_url, _ = live.urls()
        got, hello, late_hello, quiet, resumed_from, acks, close = asyncio.run(session(feed_url))
        code, stdout_lines, stderr = live.finish()
    assert code == 0 and "Traceback" not in stderr, stderr

    # hello describes the pipeline.
    assert hello["type"] == "hello" and hello["language"] == "zh"
    assert hello["state"]["engine"] == "whisper" and hello["state"]["model"] == "base"
    assert hello["state"]["state"] in ("starting", "listening")
    # Every message matches the documented schema.
    validator = server_message_validator()
    for message in [*got, late_hello]:
        validator.validate(message)
    # Finals: ids 1, 2, 3, ... with nothing lost or repeated; they are exactly what the
    # CLI printed. Partials: a rising seq.
    finals = [*hello["segments"], *(m for m in got if is_final(m))]
    assert [f["id"] for f in finals] == list(range(1, len(finals) + 1))
    assert [f["text"] for f in finals] == stdout_lines
    seqs = [m["seq"] for m in got if m["type"] == "partial"]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # The late client's hello replayed the segments confirmed before it came.
    replayed = [(s["id"], s["text"]) for s in late_hello["segments"]]
    assert (
        len(replayed) >= 2 and replayed == [(f["id"], f["text"]) for f in finals][: len(replayed)]
    )
    # Control: acknowledged, and it really changed what the pipeline did.
    assert [(a["type"], a["action"]) for a in acks] == [
        ("ack", "stop"),
        ("ack", "start"),
        ("ack", "reset"),
    ]
    assert not any(is_final(m) or (m["type"] == "partial" and m["text"]) for m in quiet)
    assert any(is_final(m) for m in got[resumed_from:])
    assert any(m["type"] == "clear" for m in got[resumed_from:])
    assert close is not None and close.code == 1001  # the server stopped after the file


def has_alpha_zero_corner_and_opaque_text(png: bytes) -> tuple[bool, int]:
    image = QImage.fromData(png, "PNG").convertToFormat(QImage.Format.Format_ARGB32)
    corner_transparent = image.pixelColor(0, 0).alpha() == 0
    opaque = sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).alpha() == 255
    )
    return corner_transparent, opaque


@pytest.mark.model
@pytest.mark.browser
def test_obs_overlay_in_chromium_shows_the_live_captions(tmp_path):
    require_chromium()
    audio, _ = zh_stream([2, 61, 72, 91])
    wav = write_wav(tmp_path / "speech.wav", audio)
    snapshots: list[list[str]] = []
    picture = transparent = b""
    pictured = ""
    with LiveCaptioner(wav) as live:
        _, overlay_url = live.urls()
        with Chromium(tmp_path / "profile", 1280, 220) as browser:
            browser.navigate(overlay_url + "?hold=60&lines=2&size=56&partial=ffd75e")
            while live.process.poll() is None:
                snapshots.append(browser.evaluate(OVERLAY_TEXT))
                final_text, partial_text = snapshots[-1]
                if len(final_text) >= 14 and len(partial_text) >= 3 and final_text != pictured:
                    # Confirmed and partial text together (the latest such moment is the
                    # README's screenshot), and once on a transparent background.
                    pictured = final_text
                    picture = browser.screenshot(background=(36, 40, 48, 1))
                    transparent = browser.screenshot(background=(0, 0, 0, 0))
                time.sleep(0.1)
            time.sleep(1.0)  # the last final reaches the page before the server closes
            snapshots.append(browser.evaluate(OVERLAY_TEXT))
            colors = [
                browser.evaluate(f"getComputedStyle(document.getElementById('{e}')).color")
                for e in ("final", "partial")
            ]
        code, stdout_lines, stderr = live.finish()
    assert code == 0 and "Traceback" not in stderr, stderr
    assert len(stdout_lines) >= 3
    # The page ends up showing exactly the confirmed transcript ...
    assert snapshots[-1][0].replace(" ", "") == "".join(stdout_lines).replace(" ", "")
    # ... showed it growing live, with partial text while people spoke, in its own colour.
    assert any(partial for _, partial in snapshots)
    assert len({final for final, _ in snapshots}) >= 3
    assert colors == ["rgb(255, 255, 255)", "rgb(255, 215, 94)"]
    assert picture, f"never saw confirmed and partial text together: {snapshots[-5:]}"
    # The page itself is transparent: only the captions are drawn.
    corner_transparent, opaque_pixels = has_alpha_zero_corner_and_opaque_text(transparent)
    assert corner_transparent and opaque_pixels > 500
    (tmp_path / "overlay.png").write_bytes(picture)
    if target := os.environ.get("CAPTIONER_SAVE_OVERLAY_PNG"):  # to refresh docs/obs-overlay.png
        Path(target).write_bytes(picture)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--serve", "0.0.0.0:8765"], "Refusing to serve captions on 0.0.0.0"),
        (["--serve", "0.0.0.0:8765", "--token", "short"], "at least 8 characters"),
        (["--serve", "here"], "--serve expects [HOST:]PORT"),
        (["--serve", "0", "--allow-origin", "example.com"], "is not an origin"),
        (["--token", "correct-horse"], "need --serve"),
    ],
)
def test_bad_serve_options_are_clear_errors_before_the_model_loads(args, message):
    path, _ = zh_clip(61)
    result = captioner("transcribe", str(path), "--live", *args, timeout=60)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert_no_traceback(result)


def test_serve_needs_live_and_a_free_port(tmp_path):
    import socket

    path, _ = zh_clip(61)
    result = captioner("transcribe", str(path), "--serve", "8765", timeout=60)
    assert result.returncode == 2 and "--serve needs --live" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = captioner("transcribe", str(path), "--live", "--serve", str(port), timeout=60)
    assert result.returncode == 2 and "already in use" in result.stderr, result.stderr
    assert_no_traceback(result)


@pytest.mark.model
def test_a_funasr_feed_names_the_funasr_models_it_runs(funasr_random_models, tmp_path):
    from tests.support.cli import funasr_args

    audio, _ = zh_stream([61])
    wav = write_wav(tmp_path / "speech.wav", audio)
    models = funasr_random_models

    async def first_listening_state(url: str) -> dict:
        async with connect(url) as ws:
            feed = Feed(ws)
            hello = await feed.next()  # listening already, or a state message says so soon
            if hello["state"]["state"] == "listening":
                return hello["state"]
            return await feed.until(state_is("listening"), timeout=120)

    with LiveCaptioner(wav, *funasr_args(models)) as live:
        feed_url, _ = live.urls()
        state = asyncio.run(first_listening_state(feed_url))
        code, _, stderr = live.finish()
    assert code == 0, stderr
    assert state["engine"] == "funasr"
    assert state["model"] == f"{models['streaming']} + {models['offline']}"  # not "base"
