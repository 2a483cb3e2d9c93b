"""Many WebSocket clients on the live pipeline's transcript feed: do they all get every
final at once, while recognition keeps real time?

    python benchmarks/make_stream.py --folder ../shared/testdata/speech/zh_biaobei_csmsc \\
        --first 11 --last 40 --gap 0.6 --out /tmp/zh_stream.wav
    python benchmarks/ws_clients.py --audio /tmp/zh_stream.wav --clients 200

runs `captioner transcribe AUDIO --live --serve 127.0.0.1:0` (the real pipeline, real time),
connects the clients as soon as it serves, and prints JSON: the latency each final adds on its
way to each client (client receive time minus the `wall` time at which the server published
it; same machine, same clock) as median/p90/max, finals received per client, and the
pipeline's max lag (from /stats; under ~1 s means it kept real time).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parents[1]


class Client:
    def __init__(self) -> None:
        self.replayed: list[int] = []  # final ids received in hello (published before we came)
        self.finals: list[tuple[int, float]] = []  # (id, added latency in seconds)
        self.closed_code: int | None = None

    async def run(self, url: str, connected: asyncio.Event, counter: list[int], total: int) -> None:
        async with connect(url, open_timeout=60, max_queue=None) as ws:
            counter[0] += 1
            if counter[0] == total:
                connected.set()
            try:
                async for frame in ws:
                    received = time.time()
                    message = json.loads(frame)
                    if message["type"] == "final":
                        self.finals.append((message["id"], received - message["wall"]))
                    elif message["type"] == "hello":
                        self.replayed = [s["id"] for s in message["segments"]]
            except ConnectionClosed:
                pass
            self.closed_code = ws.close_code


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def poll_stats(base_url: str, stats: dict, stop: asyncio.Event) -> None:
    def get() -> dict:
        with urllib.request.urlopen(base_url + "/stats", timeout=5) as r:
            return json.load(r)

    while not stop.is_set():
        with contextlib.suppress(OSError):  # the server has stopped
            stats.update(await asyncio.to_thread(get))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def main_async(args: argparse.Namespace) -> dict:
    command = [
        sys.executable,
        *("-m", "captioner", "transcribe", str(args.audio), "--live"),
        *("--serve", "127.0.0.1:0", "--model", args.model, "--device", args.device),
    ]
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, cwd=ROOT
    )
    assert process.stderr is not None and process.stdout is not None
    stderr_lines: list[str] = []
    url = None
    while url is None:
        line = (await process.stderr.readline()).decode()
        if not line:
            raise SystemExit("captioner ended before serving:\n" + "".join(stderr_lines))
        stderr_lines.append(line)
        found = re.search(r"feed (ws://\S+)", line)
        url = found.group(1) if found else None
    started = time.monotonic()
    base_url = "http" + url[len("ws") : -len("/ws")]

    async def drain_stderr() -> None:
        while line := (await process.stderr.readline()).decode():
            stderr_lines.append(line)

    stderr_task = asyncio.ensure_future(drain_stderr())
    stats: dict = {}
    stop = asyncio.Event()
    stats_task = asyncio.ensure_future(poll_stats(base_url, stats, stop))
    clients = [Client() for _ in range(args.clients)]
    connected = asyncio.Event()
    counter = [0]
    tasks = [asyncio.ensure_future(c.run(url, connected, counter, args.clients)) for c in clients]
    if args.clients:
        await connected.wait()
    connect_s = time.monotonic() - started
    stdout = (await process.stdout.read()).decode()
    await process.wait()
    run_s = time.monotonic() - started
    await asyncio.gather(*tasks, return_exceptions=True)
    stop.set()
    await stats_task
    await stderr_task

    published = len(stdout.splitlines())
    latencies = [lat for c in clients for _, lat in c.finals]
    per_client = [len(c.finals) + len(c.replayed) for c in clients]
    complete = all(
        sorted(c.replayed + [i for i, _ in c.finals]) == list(range(1, published + 1))
        for c in clients
    )
    result = {
        "clients": args.clients,
        "audio": str(args.audio),
        "run_s": round(run_s, 1),
        "clients_connected_after_s": round(connect_s, 2),
        "finals_published": published,
        "finals_received_per_client": {
            "min": min(per_client, default=0),
            "max": max(per_client, default=0),
        },
        "every_client_got_every_final": complete,
        "finals_replayed_in_hello": sum(len(c.replayed) for c in clients),
        "pipeline_max_lag_s": stats.get("max_lag_s"),
        "dropped_audio_s": stats.get("dropped_audio_s"),
        "dropped_clients": stats.get("dropped_clients"),
        "exit_status": process.returncode,
    }
    if latencies:
        result["added_latency_ms"] = {
            "median": round(statistics.median(latencies) * 1000, 1),
            "p90": round(percentile(latencies, 0.9) * 1000, 1),
            "max": round(max(latencies) * 1000, 1),
            "samples": len(latencies),
        }
    errors = [line.strip() for line in stderr_lines if line.startswith(("error", "warning"))]
    if errors:
        result["captioner_messages"] = errors
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--audio", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--model", default="base")
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args)), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
