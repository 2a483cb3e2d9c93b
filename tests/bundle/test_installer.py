"""The installer script (packaging/installer.nsi), compiled by Debian's makensis over the
real bundle, signed with a throwaway certificate, and run by wine: silent install, upgrade,
uninstall keeping the user's data, uninstall with /PURGE, the signatures of the installer
and of the uninstaller it writes. Built for amd64 here (wine64 needs no 32-bit libraries);
the Windows workflow builds the usual x86 installer and repeats install/run/uninstall there.

The payload is the Linux bundle, so the installed programs are Linux programs: the test
runs the installed captioner-cli natively, which proves the bundle arrived whole. Where a
test needs the installed Captioner to run under wine (the uninstaller must see it running),
a small installer over a payload of small Windows programs stands in (``small_installer``).

Each wine prefix reports Windows 10 22H2 (Debian's wine 8 reports Windows 7 by default,
which the installer refuses)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from captioner import __version__
from captioner.asr.whisper.models import EMBEDDED_BASE_SIZE
from tests.support.bundle import build_module, clean_env, missing_tool, run_clean
from tests.support.signing import (
    Certificate,
    make_certificate,
    make_program,
    require_signing_tools,
    signing_tools_missing,
)

pytestmark = pytest.mark.bundle

WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"  # Debian's wine64 has no /usr/bin link
WINESERVER = shutil.which("wineserver") or "/usr/lib/wine/wineserver"
UNINSTALL_KEY = r"[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Captioner]"
RUN_KEY = r"[Software\\Microsoft\\Windows\\CurrentVersion\\Run]"
UNINSTALL_REG = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Captioner"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Certificate | None:
    """A throwaway self-signed code-signing certificate; None without openssl or
    osslsigncode: the installer is then built unsigned and only the signature tests skip
    (in CI they fail: .ci/run installs both)."""
    if signing_tools_missing():
        return None
    return make_certificate(tmp_path_factory.mktemp("certificate"))


@pytest.fixture(scope="module")
def installer(bundle, certificate, tmp_path_factory) -> Path:
    """The installer over the real bundle, signed as a release is (build.py's signing, with
    the throwaway certificate): every install test below runs a signed installer."""
    build = build_module()
    if build.find_makensis() is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    signer = None
    if certificate is not None:
        signer = build.signing.configuration(certificate.environment())
    out = tmp_path_factory.mktemp("installer")
    return build.build_installer(
        bundle, "cpu", out, "amd64-unicode", compress=False, strict=True, signer=signer
    )


@pytest.fixture(scope="module")
def small_installer(tmp_path_factory) -> Path:
    """The same script over a payload of small Windows programs named as the bundle's
    (``.exe``, as on Windows): Captioner.exe waits ten minutes, so that under wine the
    installed Captioner can be running, as it is on a user's machine."""
    build = build_module()
    if build.find_makensis() is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    folder = tmp_path_factory.mktemp("small-installer")
    payload = folder / "Captioner"
    make_program(payload / "Captioner.exe", seconds=600)
    make_program(payload / "captioner-cli.exe")
    (payload / "_internal").mkdir()
    (payload / "_internal" / "python311.dll").write_bytes(b"MZ")
    build.EXE = ".exe"  # as on Windows (this module object is this fixture's own)
    return build.build_installer(
        payload, "cpu", folder, "amd64-unicode", compress=False, strict=True
    )


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

    def run(self, program: str | Path, *args: str, expect: int = 0, wait: bool = True) -> None:
        # Output into a file, not a pipe: wine's own processes that the program starts
        # (explorer, services) inherit it and outlive the program.
        with tempfile.TemporaryFile() as output:
            result = subprocess.run(
                [WINE, str(program), *args], env=self.env, stdout=output, stderr=output,
                timeout=600,
            )  # fmt: skip
            output.seek(0)
            assert result.returncode == expect, output.read().decode(errors="replace")[-2000:]
        if wait:
            # The uninstaller hands over to a copy of itself and returns: wait for all of
            # wine (which also writes the registry files).
            subprocess.run([WINESERVER, "-w"], env=self.env, timeout=600, check=True)

    def start(self, program: str) -> subprocess.Popen[bytes]:
        """A Windows program left running (ended by ``stop``)."""
        return subprocess.Popen(
            [WINE, program], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def stop(self) -> None:
        """End every program of this prefix, and wine's server."""
        subprocess.run([WINESERVER, "-k"], env=self.env, timeout=60, check=False)
        subprocess.run([WINESERVER, "-w"], env=self.env, timeout=60, check=False)

    def has_key(self, key: str) -> bool:
        """Whether a registry key is there now (user.reg is written only when wine stops)."""
        result = subprocess.run(
            [WINE, "reg", "query", key], env=self.env, timeout=60,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        return result.returncode == 0

    def windows(self, version: str, build: int) -> None:
        """Report this Windows version: wine takes it from these values (CurrentVersion
        "10.0", where Windows 10 itself writes 6.3 and CurrentMajorVersionNumber)."""
        values = {"CurrentVersion": version, "CurrentBuild": str(build),
                  "CurrentBuildNumber": str(build), "CSDVersion": ""}  # fmt: skip
        lines = ["Windows Registry Editor Version 5.00", "",
                 r"[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion]",
                 *(f'"{name}"="{value}"' for name, value in values.items()), ""]  # fmt: skip
        file = self.home.parent / "windows-version.reg"
        file.write_text("\r\n".join(lines), encoding="utf-8")
        self.run("reg", "import", "Z:" + str(file).replace("/", "\\"))

    @property
    def windows_program_dir(self) -> str:
        return rf"C:\users\{self.user.name}\AppData\Local\Programs\Captioner"

    def uninstall(self, *args: str) -> None:
        self.run(rf"{self.windows_program_dir}\Uninstall.exe", "/S", *args)

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
def wine(tmp_path) -> Iterator[Wine]:
    if not Path(WINE).is_file():
        missing_tool("wine64 is not installed (apt-get install wine64)")
    wine = Wine(tmp_path / "wine")
    wine.windows("10.0", 19045)  # Windows 10 22H2
    yield wine
    wine.stop()


def test_install_upgrade_and_uninstall_silently(installer, certificate, wine, tmp_path):
    wine.run(installer, "/S")
    program = wine.program_dir
    if certificate is not None:  # the uninstaller as the signed installer wrote it
        assert_signed(program / "Uninstall.exe", certificate)
    # The programs are the Linux bundle's (ELF): nothing to sign with Authenticode.
    signing = build_module().signing
    assert not signing.is_pe(program / "Captioner") and not signing.is_pe(program / "captioner-cli")
    assert (program / "_internal" / "models" / "whisper-base" / "model.bin").stat().st_size == (
        EMBEDDED_BASE_SIZE
    )
    start_menu = wine.user / "AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Captioner.lnk"
    desktop = wine.home / "Captioner.lnk"
    assert start_menu.is_file() and desktop.is_file()
    assert '"Captioner"=' not in wine.registry_key(RUN_KEY)  # a fresh install's defaults
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
    wine.run(installer, "/S", "/AUTOSTART", "/NODESKTOP")  # the options win over the state
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


def assert_signed(file: Path, certificate: Certificate) -> None:
    """Signed, and the signature covers the file as it is (the test certificate as root)."""
    checked = build_module().signing.verify(file, ca_file=certificate.pem)
    assert checked.signed and checked.intact and checked.trusted, checked.output


def test_the_installer_is_signed(installer, certificate):
    require_signing_tools()
    assert_signed(installer, certificate)
    # The uninstaller it writes: test_install_upgrade_and_uninstall_silently. The programs
    # are not signed here: built on Linux they are ELF files, which Authenticode cannot sign
    # (build.py signs them where they are Windows programs: test_signing.py).


def test_the_uninstaller_refuses_while_captioner_runs(small_installer, wine):
    wine.run(small_installer, "/S")
    program = wine.program_dir
    # Started as autostart starts it; Windows (and wine) then refuse to open its file for
    # writing, which is what the uninstaller checks.
    running = wine.start(rf"{wine.windows_program_dir}\Captioner.exe")
    try:
        # In place (_?=) the uninstaller's exit code is its own (without it, it hands over
        # to a copy of itself and returns 0 at once); not waiting for wine: it runs on.
        uninstaller = rf"{wine.windows_program_dir}\Uninstall.exe"
        wine.run(uninstaller, "/S", f"_?={wine.windows_program_dir}", expect=2, wait=False)
        assert (program / "Captioner.exe").is_file() and (program / "_internal").is_dir()
        assert (program / "captioner-cli.exe").is_file()
        assert wine.has_key(UNINSTALL_REG)  # still listed: it can be removed later
        assert running.poll() is None  # the check left it running
    finally:
        running.kill()
        wine.stop()
    wine.uninstall()  # Captioner quit: now it goes
    assert not program.exists()
    assert UNINSTALL_KEY not in wine.registry()


def test_an_upgrade_keeps_autostart_and_a_deleted_desktop_shortcut(small_installer, wine):
    wine.run(small_installer, "/S", "/AUTOSTART")
    desktop = wine.home / "Captioner.lnk"
    assert desktop.is_file() and '"Captioner"=' in wine.registry_key(RUN_KEY)
    desktop.unlink()
    wine.run(small_installer, "/S")  # the upgrade, with no options
    assert not desktop.exists()
    assert r'"Captioner"="\"C:\\users\\' in wine.registry_key(RUN_KEY)
    wine.run(small_installer, "/S", "/NODESKTOP")  # an option does not reset the others
    assert '"Captioner"=' in wine.registry_key(RUN_KEY)
    # Autostart turned off in between: the next upgrade leaves it off.
    wine.run("reg", "delete", r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run",
             "/v", "Captioner", "/f")  # fmt: skip
    wine.run(small_installer, "/S")
    assert '"Captioner"=' not in wine.registry_key(RUN_KEY) and not desktop.exists()


@pytest.mark.parametrize(
    ("version", "build", "installs"),
    [("6.1", 7601, False), ("10.0", 17134, False), ("10.0", 17763, True)],
    ids=["Windows 7", "Windows 10 1803", "Windows 10 1809"],
)
def test_the_installer_needs_windows_10_1809_or_later(small_installer, wine, version, build,
                                                     installs):  # fmt: skip
    wine.windows(version, build)
    wine.run(small_installer, "/S", expect=0 if installs else 2)
    installed = (wine.user / "AppData/Local/Programs/Captioner/Captioner.exe").is_file()
    assert installed == installs
    assert (UNINSTALL_KEY in wine.registry()) == installs
