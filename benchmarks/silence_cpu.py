"""CPU cost of listening to silence: what a meeting laptop pays all day between utterances.

    python benchmarks/silence_cpu.py [--seconds 60] [-- extra captioner listen options]

Starts the PulseAudio virtual microphone (../shared/tools/virtual-mic.sh, Linux), runs
`captioner listen` on it with nothing playing, waits until it captures and has settled, then
reads the process's CPU time (user + system, all threads) over ``--seconds`` and prints it
as a percentage of one core.

Nothing playing is digital silence, which no real microphone delivers: ``--noise-dbfs -60``
plays steady white noise at that RMS level into the virtual microphone instead, as a quiet
room with a laptop microphone would sound.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIRTUAL_MIC = Path(
    os.environ.get("CAPTIONER_SHARED", ROOT.parent / "shared"), "tools", "virtual-mic.sh"
)


def mic_env() -> dict[str, str]:
    out = subprocess.run(
        ["bash", "-c", f"source '{VIRTUAL_MIC}' >/dev/null && env -0"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    return {k: env[k] for k in ("PULSE_SERVER", "XDG_RUNTIME_DIR")}


def cpu_seconds(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def per_thread(pid: int) -> dict[str, float]:
    """CPU seconds by thread name (threads of one name added up)."""
    seconds: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            seconds[name] = seconds.get(name, 0.0) + cpu_seconds(task / "stat")
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
    return seconds


def play_noise(dbfs: float, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Endless white noise at ``dbfs`` RMS into the virtual microphone (one pacat stream, so
    no gaps of digital silence between files)."""
    generator = (
        "import sys, numpy as np\n"
        "rng = np.random.default_rng(0)\n"
        "while True:\n"
        f"    sys.stdout.buffer.write((rng.standard_normal(16000) * 10 ** ({dbfs} / 20))"
        ".astype('<f4').tobytes())\n"
    )
    return subprocess.Popen(
        f'{sys.executable} -c "$NOISE" | pacat -d captioner_virt --rate=16000 '
        "--channels=1 --format=float32le --latency-msec=100",
        shell=True,
        env={**env, "NOISE": generator},
        start_new_session=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=10.0, help="seconds before measuring")
    parser.add_argument("--noise-dbfs", type=float, help="play white noise at this RMS level")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    env = {**os.environ, **mic_env()}
    noise = play_noise(args.noise_dbfs, env) if args.noise_dbfs is not None else None
    command = [sys.executable, "-m", "captioner", "listen", "--device", "cpu", *extra]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "Captioning" in line:
                break
        else:
            raise SystemExit("captioner listen never started capturing")
        time.sleep(args.settle)
        stat = Path(f"/proc/{process.pid}/stat")
        before, threads_before = cpu_seconds(stat), per_thread(process.pid)
        began = time.monotonic()
        time.sleep(args.seconds)
        used, wall = cpu_seconds(stat) - before, time.monotonic() - began
        threads = per_thread(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
        if noise is not None:
            os.killpg(noise.pid, signal.SIGKILL)
            noise.wait()
    print(f"silence: {used:.2f} CPU-s over {wall:.1f} s = {100 * used / wall:.2f} % of one core")
    for name, seconds in sorted(threads.items(), key=lambda item: -item[1]):
        share = 100 * (seconds - threads_before.get(name, 0.0)) / wall
        if share >= 0.05:
            print(f"  thread {name}: {share:.2f} %")


if __name__ == "__main__":
    main()
