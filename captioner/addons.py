"""Add-ons of the installed app: what a separate download adds beside the executables.

An add-on (the FunASR engine: torch, funasr and what they import) is a site-packages folder
``addons/<name>`` with a marker file that says what it is and which Captioner it was built
for. It is used only by that version, and after the app's own modules: an add-on left from
the previous version (the installer keeps ``addons`` on an upgrade) must not replace the
packages the app runs on. Windows' "Extract All" puts a zip's contents one folder deeper
than meant, so a marker is looked for at both depths; installing from Settings unpacks a zip
to the right place, off the GUI thread, with progress.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from captioner import __version__, frozen
from captioner.errors import CaptionerError
from captioner.i18n import translate

ADDONS = "addons"
MARKER = "captioner-addon.json"  # {"name": "funasr", "captioner": "<version>", "variant": ...}
NAMES = {"funasr": "FunASR"}

Progress = Callable[[int, int], None]  # (bytes unpacked, bytes in all)


class AddonError(CaptionerError):
    """An add-on that cannot be installed or used (the message says why and what to do)."""


class AddonCancelled(AddonError):
    """The user cancelled the installation; nothing was changed."""


@dataclass(frozen=True)
class Addon:
    name: str  # "funasr"
    folder: Path  # the site-packages folder (where the marker is)
    built_for: str  # the Captioner version it was built with

    @property
    def title(self) -> str:
        return NAMES.get(self.name, self.name)


def read_marker(text: str, folder: Path) -> Addon:
    data = json.loads(text)
    name, built_for = data["name"], data["captioner"]
    if not isinstance(name, str) or not isinstance(built_for, str) or not name.isidentifier():
        raise ValueError("not an add-on marker")
    return Addon(name, folder, built_for)


def find_addons(install_dir: Path, version: str = __version__) -> tuple[list[Addon], list[str]]:
    """The add-ons of this version under ``install_dir/addons``, and what is wrong with any
    other folder there (in words for the user)."""
    root = install_dir / ADDONS
    if not root.is_dir():
        return [], []
    found: dict[str, Addon] = {}
    problems: list[str] = []
    for top in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        markers = [top / MARKER, *sorted(top.glob(f"*/{MARKER}"))]
        marker = next((m for m in markers if m.is_file()), None)
        if marker is None:
            problems.append(
                translate(
                    "addons",
                    "'{folder}' is not a Captioner add-on (no {marker} in it), so it is not "
                    "used. Install add-ons from Settings.",
                ).format(folder=top, marker=MARKER)
            )
            continue
        try:
            addon = read_marker(marker.read_text(encoding="utf-8"), marker.parent)
        except (OSError, ValueError, KeyError, TypeError):
            problems.append(
                translate("addons", "The add-on in '{folder}' is damaged: install it again.")
                .format(folder=top)
            )  # fmt: skip
            continue
        if addon.built_for != version:
            problems.append(
                translate(
                    "addons",
                    "The {name} add-on in '{folder}' is for Captioner {built}, and this is "
                    "Captioner {version}, so it is not used. Install the {name} add-on of "
                    "version {version} (Settings, Recognition).",
                ).format(name=addon.title, folder=top, built=addon.built_for, version=version)
            )
            continue
        found.setdefault(addon.name, addon)
    return list(found.values()), problems


def _marker_in(archive: zipfile.ZipFile) -> tuple[PurePosixPath, Addon]:
    """Where in the zip the add-on's folder is (the marker's folder), and what it says."""
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if path.name == MARKER and len(path.parts) <= 3:
            try:
                addon = read_marker(archive.read(info).decode("utf-8"), Path())
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                break
            return path.parent, addon
    raise AddonError(
        translate("addons", "'{zip}' is not a Captioner add-on.").format(zip=archive.filename)
    )


def install_addon(
    zip_path: Path,
    install_dir: Path,
    version: str = __version__,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Addon:
    """Unpack an add-on zip into ``install_dir/addons/<name>``, replacing an older one.

    Unpacked into a hidden folder first and moved into place at the end: a failure or a
    cancel leaves the previous state as it was."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise AddonError(
            translate("addons", "'{zip}' cannot be read as a zip file: {exc}").format(
                zip=zip_path, exc=exc
            )
        ) from exc
    with archive:
        prefix, addon = _marker_in(archive)
        if addon.built_for != version:
            raise AddonError(
                translate(
                    "addons",
                    "This {name} add-on is for Captioner {built}; this is Captioner {version}. "
                    "Download the add-on of version {version}.",
                ).format(name=addon.title, built=addon.built_for, version=version)
            )
        members = [
            (info, PurePosixPath(info.filename).relative_to(prefix))
            for info in archive.infolist()
            if not info.is_dir() and PurePosixPath(info.filename).is_relative_to(prefix)
        ]
        root = install_dir / ADDONS
        partial = root / f".partial-{addon.name}"
        try:
            shutil.rmtree(partial, ignore_errors=True)
            total = sum(info.file_size for info, _ in members)
            done = 0
            for info, relative in members:
                if ".." in relative.parts:
                    raise AddonError(
                        translate("addons", "'{zip}' is not a Captioner add-on.").format(
                            zip=zip_path
                        )
                    )
                target = partial.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, open(target, "wb") as out:
                    while chunk := source.read(1 << 20):
                        if cancel is not None and cancel.is_set():
                            raise AddonCancelled()
                        out.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
        except (OSError, zipfile.BadZipFile) as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise AddonError(
                translate("addons", "The add-on could not be unpacked: {exc}").format(exc=exc)
            ) from exc
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    final = root / addon.name
    if final.exists():
        old = root / f".old-{addon.name}"
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
        shutil.rmtree(old, ignore_errors=True)  # a file in use stays until the next install
    partial.rename(final)
    return Addon(addon.name, final, addon.built_for)


# What is wrong with add-on folders found at start (for the app to show), set by use_addons.
addon_problems: list[str] = []


def use_addons(folder: Path | None = None) -> list[Path]:
    """Make this version's add-ons importable, after the app's own modules (an add-on never
    replaces a package the app runs on). Only in a bundle: a pip install gets them from pip.
    """
    folder = folder or frozen.install_dir()
    if folder is None:
        return []
    addons, problems = find_addons(folder)
    addon_problems[:] = problems
    for addon in addons:
        if str(addon.folder) not in sys.path:
            sys.path.append(str(addon.folder))
        if sys.platform == "win32":
            # Extension modules' DLLs (torch/lib) are found by their packages; a DLL that
            # an add-on keeps at its top level needs the folder on the search path.
            os.add_dll_directory(str(addon.folder))
    return [addon.folder for addon in addons]
