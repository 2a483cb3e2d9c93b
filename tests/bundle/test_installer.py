"""The installer script (packaging/installer.nsi), compiled by Debian's makensis over the
real bundle and run by wine: silent install, upgrade, uninstall keeping the user's data,
uninstall with /PURGE. Built for amd64 here (wine64 needs no 32-bit libraries); the
Windows workflow builds the usual x86 installer and repeats install/run/uninstall there.

The payload is the Linux bundle, so the installed programs are Linux programs: the test
runs the installed captioner-cli natively, which proves the bundle arrived whole."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from captioner import __version__
from captioner.asr.whisper.models import EMBEDDED_BASE_SIZE
from tests.support.bundle import build_module, clean_env, missing_tool, run_clean

pytestmark = pytest.mark.bundle

WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"  # Debian's wine64 has no /usr/bin link
WINESERVER = shutil.which("wineserver") or "/usr/lib/wine/wineserver"
UNINSTALL_KEY = r"[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Captioner]"
RUN_KEY = r"[Software\\Microsoft\\Windows\\CurrentVersion\\Run]"


@pytest.fixture(scope="module")
def installer(bundle, tmp_path_factory) -> Path:
    build = build_module()
    if build.find_makensis() is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    out = tmp_path_factory.mktemp("installer")
    return build.build_installer(bundle, "cpu", out, "amd64-unicode", compress=False, strict=True)


class Wine:
    """A fresh wine prefix (a Windows user profile) in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.home = root / "home"
        self.home.mkdir(parents=True)
        self.env = {
            **os.environ,
            "WINEPREFIX": str(root / "prefix"),
            "WINEDEBUG": "-all",
            "HOME": str(self.home),  # wine links Desktop and Documents to HOME
            "WINEDLLOVERRIDES": "mscoree,mshtml,winemenubuilder.exe=d",
        }
        self.env.pop("DISPLAY", None)  # silent: no windows
        self.users = root / "prefix" / "drive_c" / "users"

    @property
    def user(self) -> Path:
        """The profile wine made for this Unix user (named after it; "Public" is shared)."""
        (user,) = (p for p in self.users.iterdir() if p.name != "Public")
        return user

    @property
    def program_dir(self) -> Path:
        return self.user / "AppData" / "Local" / "Programs" / "Captioner"

    def run(self, program: str | Path, *args: str) -> None:
        result = subprocess.run(
            [WINE, str(program), *args], env=self.env, capture_output=True, timeout=600
        )
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
        # The uninstaller hands over to a copy of itself and returns: wait for all of wine.
        subprocess.run([WINESERVER, "-w"], env=self.env, timeout=600, check=True)

    def uninstall(self, *args: str) -> None:
        programs = rf"C:\users\{self.user.name}\AppData\Local\Programs"
        self.run(rf"{programs}\Captioner\Uninstall.exe", "/S", *args)

    def registry(self) -> str:
        return (self.users.parents[1] / "user.reg").read_text(encoding="utf-8", errors="replace")

    def registry_key(self, key: str) -> str:
        """The values of one key in user.reg ("" if the key is not there)."""
        text = self.registry()
        start = text.find(key + " ")
        if start < 0:
            return ""
        end = text.find("\n[", start)
        return text[start : end if end >= 0 else None]


@pytest.fixture
def wine(tmp_path) -> Wine:
    if not Path(WINE).is_file():
        missing_tool("wine64 is not installed (apt-get install wine64)")
    return Wine(tmp_path / "wine")


def test_install_upgrade_and_uninstall_silently(installer, wine, tmp_path):
    wine.run(installer, "/S")
    program = wine.program_dir
    assert (program / "_internal" / "models" / "whisper-base" / "model.bin").stat().st_size == (
        EMBEDDED_BASE_SIZE
    )
    start_menu = wine.user / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Captioner.lnk"
    desktop = wine.home / "Captioner.lnk"
    assert start_menu.is_file() and desktop.is_file()
    registry = wine.registry()
    assert UNINSTALL_KEY in registry and f'"DisplayVersion"="{__version__}"' in registry
    assert '"QuietUninstallString"=' in registry

    # The installed program runs (wine does not keep the Unix execute bit).
    cli = program / "captioner-cli"
    cli.chmod(0o755)
    result = run_clean(cli, "--version", env=clean_env(tmp_path))
    assert result.stdout.strip() == f"captioner {__version__}", result.stderr

    # The user's data lives outside the program folder: an upgrade keeps it, and a stale
    # file of the old version does not survive it.
    settings = wine.user / "AppData" / "Local" / "Captioner" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text('{"overlay": {"lines": 3}}', encoding="utf-8")
    transcript = wine.home / "Captioner" / "2026-01-01.txt"  # Documents\Captioner
    transcript.parent.mkdir()
    transcript.write_text("曼萨尼约港口被关闭", encoding="utf-8")
    (program / "_internal" / "stale-old-library.dll").write_bytes(b"old")
    wine.run(installer, "/S", "/AUTOSTART", "/NODESKTOP")
    assert not (program / "_internal" / "stale-old-library.dll").exists()
    assert (program / "captioner-cli").is_file()
    assert not desktop.exists()  # unticked this time: removed
    assert r'"Captioner"="\"C:\\users\\' in wine.registry_key(RUN_KEY)  # start with Windows
    assert settings.read_text(encoding="utf-8") == '{"overlay": {"lines": 3}}'

    wine.uninstall()
    assert not program.exists() and not start_menu.exists()
    registry = wine.registry()
    assert UNINSTALL_KEY not in registry
    assert '"Captioner"=' not in wine.registry_key(RUN_KEY)  # the Run entry too
    assert settings.is_file() and transcript.is_file()  # kept: the default answer


def test_uninstall_with_purge_deletes_the_users_data(installer, wine):
    wine.run(installer, "/S")
    settings = wine.user / "AppData" / "Local" / "Captioner" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{}", encoding="utf-8")
    models = wine.user / "AppData" / "Local" / "Captioner" / "Cache" / "models"
    models.mkdir(parents=True)
    transcript = wine.home / "Captioner" / "talk.txt"
    transcript.parent.mkdir()
    transcript.write_text("x", encoding="utf-8")
    wine.uninstall("/PURGE")
    assert not wine.program_dir.exists()
    assert not settings.parent.exists() and not transcript.parent.exists()


def test_the_x86_installer_windows_gets_compiles_without_warnings(tmp_path):
    """The workflow's NSIS builds x86 installers (its official release has no amd64 stubs);
    wine64 cannot run those without 32-bit libraries, so here it is compiled only."""
    build = build_module()
    if build.find_makensis() is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    payload = tmp_path / "Captioner"
    (payload / "_internal").mkdir(parents=True)
    for name in ("Captioner.exe", "captioner-cli.exe", "_internal/python311.dll"):
        (payload / name).write_bytes(b"MZ")
    build.EXE = ".exe"  # as on Windows (this module object is this test's own)
    out = build.build_installer(
        payload, "gpu", tmp_path, "x86-unicode", compress=False, strict=True
    )
    assert out.name.startswith(f"Captioner-Setup-{__version__}-gpu")
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    # Both languages' own strings, stored as UTF-16 (read as UTF-8 from the script).
    for text in ("Start with Windows", "开机时启动", "桌面快捷方式"):
        assert text.encode("utf-16-le") in data, text
