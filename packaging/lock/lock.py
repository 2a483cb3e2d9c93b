"""The lock: one pinned, hashed set of every package CI and the bundle install.

    python packaging/lock/lock.py compile    # rewrite the lock files from pyproject.toml
    python packaging/lock/lock.py drift      # newest versions vs the lock, then the tests
    python packaging/lock/lock.py drift --lowest   # the same with the floors pyproject states

``pyproject.toml`` keeps honest ranges for people who install the package; the lock files
pin exact versions with hashes so that CI, the bundle and a newcomer's test run install the
same thing on every machine. Updating the lock is a deliberate change: run ``compile`` with
``--upgrade``, run the tests and the benchmarks, and commit the lock with their figures.

``drift`` resolves the newest versions the ranges admit, prints each package that moved
against the lock (old -> new), installs that set into a fresh virtual environment and runs
the test command there; its exit status is the tests'. It is what the scheduled
``newest-dependencies`` workflow runs, so a release that breaks us shows up as a red job
that names the package, not as a red CI on the next unrelated change.

Both need uv (``python -m pip install uv``): it resolves for other platforms than the one
it runs on (the Windows lock is compiled on Linux) and writes hashes for every file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = "3.11"
# The CPU build of torch (for the FunASR tests) is a wheel that lies on the CI machines in
# /opt/wheels; PyPI's Linux torch is the CUDA build and pulls gigabytes of CUDA packages.
LINUX_WHEELS = Path("/opt/wheels")


@dataclass(frozen=True)
class Lock:
    name: str
    platform: str  # uv's --python-platform
    extras: tuple[str, ...]
    pins: tuple[str, ...] = ()  # requirements added to the project's own
    find_links: Path | None = None

    @property
    def path(self) -> Path:
        return HERE / f"{self.name}.txt"

    @property
    def runs_here(self) -> bool:
        """Whether this machine can install the lock (and so run the tests on it)."""
        return sys.platform.startswith(self.name.replace("windows", "win32"))


TORCH = "2.13.0"
LOCKS = (
    # CI and the Linux bundle: everything the tests and the bundle's build use.
    Lock(
        "linux",
        "x86_64-manylinux_2_36",  # Debian 12 (glibc 2.36), as on the CI machines
        ("offline-model", "funasr", "bundle", "test"),
        pins=(f"torch=={TORCH}+cpu",),
        find_links=LINUX_WHEELS,
    ),
    # The Windows workflow (.github/workflows/windows.yml): the tests, and both installers.
    # PyPI's Windows torch is the CPU build (the FunASR tests); the GPU variant's FunASR
    # add-on replaces it with the CUDA build of the same version (packaging/README.md).
    Lock(
        "windows",
        "x86_64-pc-windows-msvc",
        ("offline-model", "funasr", "cuda", "bundle", "test"),
        pins=(f"torch=={TORCH}",),
    ),
)


def uv(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("uv") is None and not _has_module("uv"):
        sys.exit("uv is needed: python -m pip install uv")
    command = ["uv", *args] if shutil.which("uv") else [sys.executable, "-m", "uv", *args]
    return subprocess.run(command, cwd=ROOT, text=True, capture_output=True)


def _has_module(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None


def compile_lock(
    lock: Lock, output: Path, upgrade: bool = False, hashes: bool = True, lowest: bool = False
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pins = Path(tmp) / "pins.in"
        pins.write_text("".join(f"{pin}\n" for pin in lock.pins), encoding="utf-8")
        args = ["pip", "compile", "pyproject.toml", str(pins), "--quiet", "--no-header"]
        args += ["--python-version", PYTHON, "--python-platform", lock.platform]
        args += [arg for extra in lock.extras for arg in ("--extra", extra)]
        args += ["--output-file", str(output), "--no-annotate"]
        if hashes:
            args.append("--generate-hashes")
        if upgrade:
            args.append("--upgrade")
        if lowest:
            # The floors pyproject.toml states, as wheels: a floor with no wheel for this
            # Python (an sdist that needs build tools nobody has) is no usable floor here.
            args += ["--resolution", "lowest-direct"]
            args += [arg for name in direct_dependencies() for arg in ("--only-binary", name)]
        if lock.find_links is not None:
            args += ["--find-links", str(lock.find_links)]
        result = uv(*args)
    if result.returncode != 0:
        sys.exit(f"uv could not resolve the {lock.name} lock:\n{result.stderr}")
    body = output.read_text(encoding="utf-8")
    output.write_text(_header(lock) + body, encoding="utf-8")


def direct_dependencies() -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    return sorted({_normalise(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in specs})


def _header(lock: Lock) -> str:
    extras = ",".join(lock.extras)
    lines = [
        f"# The {lock.name} lock (Python {PYTHON}, {lock.platform}): the project's",
        f"# dependencies with the extras {extras}, pinned with hashes.",
        "# Written by `python packaging/lock/lock.py compile`; do not edit by hand.",
        "# Install: python -m pip install --require-hashes -r THIS_FILE",
    ]
    if lock.find_links is not None:
        lines.append(f"# torch comes from {lock.find_links}, where the CI machines keep it:")
        lines.append(f"--find-links {lock.find_links}")
    return "\n".join(lines) + "\n"


_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", re.MULTILINE)


def pinned(text: str) -> dict[str, str]:
    """Package name (normalised) -> version, from a requirements file."""
    return {_normalise(name): version for name, version in _PIN.findall(text)}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def moved(locked: dict[str, str], newest: dict[str, str]) -> list[str]:
    """One line per package whose version differs, was added or was dropped."""
    lines = []
    for name in sorted(set(locked) | set(newest)):
        old, new = locked.get(name), newest.get(name)
        if old != new:
            lines.append(f"{name}: {old or '(not locked)'} -> {new or '(no longer needed)'}")
    return lines


def drift(
    lock: Lock, run_tests: bool, lowest: bool = False, pytest_args: Sequence[str] = ()
) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        newest_path = Path(tmp) / "newest.txt"
        compile_lock(lock, newest_path, upgrade=True, hashes=False, lowest=lowest)
        changes = moved(
            pinned(lock.path.read_text(encoding="utf-8")), pinned(newest_path.read_text())
        )
        what = "the stated floors" if lowest else "the newest versions"
        print(f"{what}: {len(changes)} package(s) differ from {lock.path.relative_to(ROOT)}:")
        for line in changes:
            print(f"  {line}")
        if not run_tests:
            return 0
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
        install = [str(python), "-m", "pip", "install", "-q", "-r", str(newest_path)]
        if lock.find_links is not None:
            install += ["--find-links", str(lock.find_links)]
        subprocess.run(install, check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)], check=True
        )
        print(f"+ python -m pytest -q {' '.join(pytest_args)} ({what})", flush=True)
        return subprocess.run(
            [str(python), "-m", "pytest", "-q", *pytest_args], cwd=ROOT
        ).returncode


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compiling = commands.add_parser("compile", help="rewrite the lock files")
    compiling.add_argument("--upgrade", action="store_true", help="take the newest versions")
    checking = commands.add_parser("drift", help="newest versions against the lock")
    checking.add_argument("--no-tests", action="store_true", help="only list what moved")
    checking.add_argument(
        "--lowest",
        action="store_true",
        help="the lowest versions pyproject.toml allows, not the newest (are the floors true?)",
    )
    checking.add_argument("pytest_args", nargs="*", help="passed to pytest (e.g. -m 'not gui')")
    args = parser.parse_args()
    if args.command == "compile":
        for lock in LOCKS:
            compile_lock(lock, lock.path, upgrade=args.upgrade)
            print(f"wrote {lock.path.relative_to(ROOT)}")
        return
    status = 0
    for lock in LOCKS:
        # Every lock's moves are listed; the tests run on the one this machine installs.
        run_tests = not args.no_tests and lock.runs_here
        status = drift(lock, run_tests, args.lowest, args.pytest_args) or status
    sys.exit(status)


if __name__ == "__main__":
    main()
