"""Soak test: N minutes of real speech through the live pipeline with M feed clients, sampling
the process over time. Does memory, CPU, lag, open files or threads drift over hours?

    python benchmarks/soak.py --minutes 60 --clients 20 --sample-s 60

builds a stream of N minutes from the read-speech clips in ../shared/testdata/speech
(zh_biaobei_csmsc, joined with 0.6 s gaps and repeated), runs
`captioner transcribe STREAM --live --serve 127.0.0.1:0` (the real pipeline at real-time pace,
as a user would), connects M WebSocket clients, and every --sample-s seconds records the
captioner process's RSS, CPU (percent of one core since the last sample), open descriptors and
threads, and from /stats the lag, segments, clients and dropped audio. Prints the table as it
goes (stderr) and at the end (stdout), then a JSON summary: RSS at start/end/max, the RSS slope
over the second half (MB per hour: a leak shows up here, warm-up does not), descriptor and
thread growth, max lag, and whether every client got every final.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import tempfile
import time
import urllib.request
import wave
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ws_clients import Client  # noqa: E402
from captioner.audio.file_source import read_audio_file  # noqa: E402

RATE = 16000
COLUMNS = (
    ("t_s", 7),
    ("uptime_s", 8),
    ("rss_mb", 8),
    ("cpu_%", 6),
    ("fds", 5),
    ("threads", 8),
    ("lag_s", 6),
    ("max_lag_s", 9),
    ("segments", 8),
    ("clients", 7),
    ("dropped_audio_s", 15),
)


def build_stream(folder: Path, minutes: float, gap_s: float, out: Path) -> float:
    """Clips of ``folder`` in order, with gaps, repeated to ``minutes``; written as 16-bit wav."""
    clips = [read_audio_file(p) for p in sorted(folder.glob("*.wav"))]
    if not clips:
        raise SystemExit(f"no .wav clips in {folder}")
    gap = np.zeros(int(gap_s * RATE), np.float32)
    target = int(minutes * 60 * RATE)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        written = 0
        while written < target:
            for clip in clips:
                piece = np.concatenate([clip, gap])[: target - written]
                w.writeframes((np.clip(piece, -1, 1) * 32767).astype("<i2").tobytes())
                written += len(piece)
                if written >= target:
                    break
    return written / RATE


def stats_of(base_url: str) -> dict:
    with urllib.request.urlopen(base_url + "/stats", timeout=5) as r:
        return json.load(r)


def row(values: dict) -> str:
    return " ".join(str(values.get(name, "")).rjust(width) for name, width in COLUMNS)


def slope_per_hour(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 3:
        return None
    t, v = np.array(points).T
    return float(np.polyfit(t, v, 1)[0] * 3600)


async def soak(args: argparse.Namespace) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="captioner-soak-"))
    stream = workdir / "soak.wav"
    audio_s = build_stream(args.folder, args.minutes, args.gap, stream)
    command = [
        sys.executable,
        *("-m", "captioner", "transcribe", str(stream), "--live"),
        *("--serve", "127.0.0.1:0", "--model", args.model, "--device", args.device),
    ]
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=ROOT
    )
    assert process.stdout is not None and process.stderr is not None
    url, early = None, []
    while url is None:
        line = (await process.stderr.readline()).decode()
        if not line:
            raise SystemExit("captioner ended before serving:\n" + "".join(early))
        early.append(line)
        found = re.search(r"feed (ws://\S+)", line)
        url = found.group(1) if found else None
    base_url = "http" + url[len("ws") : -len("/ws")]
    started = time.monotonic()
    stderr_lines: list[str] = []

    async def drain(stream_reader: asyncio.StreamReader, into: list[str]) -> None:
        while line := (await stream_reader.readline()).decode():
            into.append(line)

    stdout_lines: list[str] = []
    drains = [
        asyncio.ensure_future(drain(process.stderr, stderr_lines)),
        asyncio.ensure_future(drain(process.stdout, stdout_lines)),
    ]
    clients = [Client() for _ in range(args.clients)]
    connected, counter = asyncio.Event(), [0]
    tasks = [asyncio.ensure_future(c.run(url, connected, counter, args.clients)) for c in clients]

    proc = psutil.Process(process.pid)
    proc.cpu_percent(None)
    samples: list[dict] = []
    print(row({n: n for n, _ in COLUMNS}), file=sys.stderr, flush=True)
    while process.returncode is None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(process.wait(), args.sample_s)
        if process.returncode is not None:
            break
        try:
            stats = await asyncio.to_thread(stats_of, base_url)
            with proc.oneshot():
                sample = {
                    "t_s": round(time.monotonic() - started),
                    "rss_mb": round(proc.memory_info().rss / 2**20),
                    "cpu_%": round(proc.cpu_percent(None)),
                    "fds": proc.num_fds() if hasattr(proc, "num_fds") else proc.num_handles(),
                    "threads": proc.num_threads(),
                }
        except (OSError, psutil.Error):
            break  # it is finishing
        sample.update(
            uptime_s=round(stats["uptime_s"]),
            lag_s=stats["lag_s"],
            max_lag_s=stats["max_lag_s"],
            segments=stats["segments"],
            clients=stats["clients"],
            dropped_audio_s=stats["dropped_audio_s"],
        )
        samples.append(sample)
        print(row(sample), file=sys.stderr, flush=True)
    await process.wait()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.gather(*drains)

    published = len(stdout_lines)
    complete = all(
        sorted(c.replayed + [i for i, _ in c.finals]) == list(range(1, published + 1))
        for c in clients
    )
    half = [s for s in samples if s["t_s"] >= samples[-1]["t_s"] / 2] if samples else []
    summary = {
        "audio_minutes": round(audio_s / 60, 2),
        "clients": args.clients,
        "samples": len(samples),
        "rss_mb": {
            "first": samples[0]["rss_mb"] if samples else None,
            "last": samples[-1]["rss_mb"] if samples else None,
            "max": max((s["rss_mb"] for s in samples), default=None),
            "slope_second_half_mb_per_h": (
                round(v, 1)
                if (v := slope_per_hour([(s["t_s"], s["rss_mb"]) for s in half])) is not None
                else None
            ),
        },
        "fds": [samples[0]["fds"], samples[-1]["fds"]] if samples else None,
        "threads": [samples[0]["threads"], samples[-1]["threads"]] if samples else None,
        "max_lag_s": max((s["max_lag_s"] for s in samples), default=None),
        "finals_published": published,
        "every_client_got_every_final": complete,
        "exit_status": process.returncode,
        "captioner_messages": [
            line.strip() for line in stderr_lines if line.startswith(("error", "warning"))
        ][:20],
    }
    print(row({n: n for n, _ in COLUMNS}))
    for sample in samples:
        print(row(sample))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--sample-s", type=float, default=60)
    parser.add_argument(
        "--folder",
        type=Path,
        default=ROOT.parent / "shared" / "testdata" / "speech" / "zh_biaobei_csmsc",
    )
    parser.add_argument("--gap", type=float, default=0.6)
    parser.add_argument("--model", default="base")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(soak(args)), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
