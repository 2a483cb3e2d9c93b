"""A flood of connections that never speak, against a server in its own process with a small
open-file limit, while real clients keep connecting: what docs/protocol.md promises under it.

    python -m tests.support.flood --limit 1024 --rate 1300 --seconds 10

Three processes: the server (its soft RLIMIT_NOFILE set to ``--limit``, publishing a final
every 0.2 s), the flood (``--rate`` fresh sockets a second, each closed ``--hold`` seconds
later, before the server's grace time), and this one: a client that reads finals all along,
and a new real client every ``--every`` seconds, timed from connect to ``hello``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import socket
import statistics
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[2]

SERVER_SCRIPT = textwrap.dedent(
    """
    import asyncio, logging, resource, sys
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (int(sys.argv[1]), hard))
    logging.basicConfig(level=logging.WARNING)
    from captioner.server import ServerConfig, TranscriptServer
    from tests.support.server import LISTENING, final

    async def main():
        server = TranscriptServer(ServerConfig(port=0), None, LISTENING)
        await server.start()
        print(server.port, flush=True)
        for i in range(1, 10**6):
            await asyncio.sleep(0.2)
            server.publish_final(final(f"第{i}句"))

    asyncio.run(main())
    """
)


def start_server(limit: int) -> tuple[subprocess.Popen[str], int]:
    """The server in its own process with ``limit`` open files; (process, port)."""
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(limit)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    return server, int(server.stdout.readline())


def flood(port: int, rate: float, hold_s: float, seconds: float) -> int:
    """Open ``rate`` sockets a second that send nothing, each closed after ``hold_s``."""
    import resource  # Unix: where the server's open-file limit applies

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    open_sockets: collections.deque[tuple[float, socket.socket]] = collections.deque()
    start = time.monotonic()
    opened = 0
    while (now := time.monotonic()) - start < seconds:
        while opened < (now - start) * rate:
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            open_sockets.append((now + hold_s, s))
            opened += 1
        while open_sockets and open_sockets[0][0] <= now:
            open_sockets.popleft()[1].close()
        time.sleep(0.002)
    for _, s in open_sockets:
        s.close()
    return opened


def start_flood(port: int, rate: float, hold_s: float, seconds: float) -> subprocess.Popen[str]:
    code = (
        f"from tests.support.flood import flood; print(flood({port}, {rate}, {hold_s}, {seconds}))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


@dataclass
class Probes:
    hello_s: list[float] = field(default_factory=list)  # connect to hello, per real client
    failures: list[str] = field(default_factory=list)
    finals_read: int = 0  # by the client connected all along
    finals_missed: int = 0
    flood_sockets: int = 0
    listen_overflows: int | None = None  # SYNs dropped meanwhile: a full listen queue
    server_cpu: tuple[float, float] | None = None  # (CPU seconds, wall seconds) of the server

    def summary(self) -> dict[str, object]:
        times = sorted(self.hello_s)
        return {
            "flood_sockets": self.flood_sockets,
            "clients": len(times) + len(self.failures),
            "failed": len(self.failures),
            "failures": sorted(set(self.failures)),
            "hello_s_median": round(statistics.median(times), 3) if times else None,
            "hello_s_p90": round(times[int(0.9 * (len(times) - 1))], 3) if times else None,
            "hello_s_max": round(times[-1], 3) if times else None,
            "over_1s": sum(t > 1.0 for t in times),
            "finals_read": self.finals_read,
            "finals_missed": self.finals_missed,
            "listen_overflows": self.listen_overflows,
            "server_cpu_s": [round(x, 2) for x in self.server_cpu] if self.server_cpu else None,
        }


async def probe(
    port: int, rate: float, hold_s: float, seconds: float, every_s: float, timeout_s: float = 5.0
) -> Probes:
    """A client reading all along (connected before the flood), and while the flood runs a
    new real client every ``every_s``."""
    url = f"ws://127.0.0.1:{port}/ws"
    probes = Probes()
    async with connect(url) as reader:
        await reader.recv()  # hello

        async def read_finals() -> None:
            last = None
            async for frame in reader:
                message = json.loads(frame)
                if message["type"] == "final":
                    if last is not None:
                        probes.finals_missed += message["id"] - last - 1
                    last = message["id"]
                    probes.finals_read += 1

        reading = asyncio.ensure_future(read_finals())
        flooding = start_flood(port, rate, hold_s, seconds)
        ramp_s = min(1.0, seconds / 4)  # then the flood is at full strength
        await asyncio.sleep(ramp_s)
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds - 2 * ramp_s
        while loop.time() < end:
            start = loop.time()
            try:
                async with connect(url, open_timeout=timeout_s) as ws:
                    await asyncio.wait_for(ws.recv(), timeout_s)
                probes.hello_s.append(loop.time() - start)
            except Exception as exc:  # what failed is the measurement
                probes.failures.append(type(exc).__name__)
            await asyncio.sleep(max(0.0, every_s - (loop.time() - start)))
        opened, _ = await asyncio.to_thread(flooding.communicate, timeout=seconds + 30)
        probes.flood_sockets = int(opened or 0)
        reading.cancel()
    return probes


def listen_overflows() -> int | None:
    """Connections the kernel dropped because a listen queue was full (Linux; this network
    namespace, all programs)."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            fields = dict(zip(names.split(), values.split(), strict=True))
            return int(fields.get("ListenOverflows", 0))
    return None


def cpu_seconds(pid: int) -> float | None:
    """The CPU time a process has used (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    limit: int, rate: float, hold_s: float, seconds: float, every_s: float
) -> tuple[Probes, str]:
    """Run server, flood and probes; what the probes saw and the server's log."""
    server, port = start_server(limit)
    overflows, cpu, start = listen_overflows(), cpu_seconds(server.pid), time.monotonic()
    try:
        probes = asyncio.run(probe(port, rate, hold_s, seconds, every_s))
        if cpu is not None:
            probes.server_cpu = (cpu_seconds(server.pid) or 0) - cpu, time.monotonic() - start
        if overflows is not None:
            probes.listen_overflows = (listen_overflows() or 0) - overflows
    finally:
        server.terminate()
        _, log = server.communicate(timeout=20)
    return probes, log


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=1024, help="the server's open-file limit")
    parser.add_argument("--rate", type=float, default=1300, help="flood sockets a second")
    parser.add_argument("--hold", type=float, default=0.9, help="seconds each stays open")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--every", type=float, default=0.25, help="seconds between real clients")
    args = parser.parse_args()
    probes, log = measure(args.limit, args.rate, args.hold, args.seconds, args.every)
    print(json.dumps(probes.summary(), indent=1))
    lines = log.splitlines()
    print(f"server log: {len(lines)} lines, {sum('Traceback' in x for x in lines)} tracebacks")
    print("\n".join(lines[:12]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
