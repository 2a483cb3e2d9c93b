"""Smoke test of a built bundle's command line, for the Windows workflow (and by hand).

    python packaging/smoke.py dist/Captioner --clip ../shared/.../000061.wav --ref TEXT

Runs the bundled ``captioner-cli`` with an environment stripped of everything Python
(no PYTHONPATH, no virtual environment, no Python folder on PATH), transcribes a Chinese
clip, and compares the text with the pip install's (``python -m captioner``) on the same
clip: the character error rates must be equal and below ``--max-cer``. Prints both. On
Linux, tests/bundle does this and more (the app on a desktop) inside the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = ".exe" if sys.platform == "win32" else ""


def clean_environment() -> dict[str, str]:
    """This process's environment without anything that leads to a Python installation."""
    python_dirs = {str(Path(sys.executable).parent).lower(), sys.prefix.lower()}
    if sys.platform == "win32":
        python_dirs.add(str(Path(sys.executable).parent / "Scripts").lower())
    path = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry
        and "python" not in entry.lower()
        and entry.lower().rstrip("\\/") not in python_dirs
    ]
    env = {
        k: v for k, v in os.environ.items() if not k.upper().startswith(("PYTHON", "VIRTUAL_ENV"))
    }
    env["PATH"] = os.pathsep.join(path)
    return env


def character_error_rate(hypothesis: str, reference: str) -> float:
    sys.path.insert(0, str(ROOT))
    from captioner.transcript.metrics import character_error_rate as cer

    return cer(hypothesis, reference)


def transcribe(command: list[str], env: dict[str, str] | None = None) -> tuple[str, float]:
    started = time.monotonic()
    result = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", env=env, timeout=600
    )
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}):\n{result.stderr}")
    return "".join(result.stdout.split()), time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--clip", type=Path, required=True, help="a Chinese speech clip")
    parser.add_argument("--ref", required=True, help="its reference transcript")
    parser.add_argument("--max-cer", type=float, default=0.25)
    args = parser.parse_args()

    cli = args.bundle / f"captioner-cli{EXE}"
    command = ["transcribe", str(args.clip.resolve()), "--device", "cpu"]
    bundled, bundled_s = transcribe([str(cli), *command], clean_environment())
    pip, pip_s = transcribe([sys.executable, "-m", "captioner", *command])
    figures = {
        "clip": args.clip.name,
        "bundled_text": bundled,
        "bundled_cer": round(character_error_rate(bundled, args.ref), 4),
        "bundled_seconds": round(bundled_s, 1),
        "pip_text": pip,
        "pip_cer": round(character_error_rate(pip, args.ref), 4),
        "pip_seconds": round(pip_s, 1),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if figures["bundled_cer"] != figures["pip_cer"]:
        sys.exit("The bundled command line's transcript differs from the pip install's.")
    if figures["bundled_cer"] > args.max_cer:
        sys.exit(f"CER {figures['bundled_cer']} is above {args.max_cer}.")


if __name__ == "__main__":
    main()
