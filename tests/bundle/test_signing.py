"""Code signing as packaging/build.py does it, with osslsigncode and a throwaway self-signed
certificate: a signature that covers the file (one changed byte breaks it), the programs
signed where they are Windows files (and, built on Linux, left alone: they are ELF), and a
certificate that does not work failing the build instead of leaving an unsigned installer.

The installer and the uninstaller it writes are checked in test_installer.py, on the
installer every install test there runs."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bundle import ROOT, build_module, missing_tool
from tests.support.signing import (
    Certificate,
    make_certificate,
    make_program,
    require_signing_tools,
)

pytestmark = pytest.mark.bundle


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Certificate:
    require_signing_tools()
    return make_certificate(tmp_path_factory.mktemp("certificate"))


@pytest.fixture(scope="module")
def build():
    return build_module()


@pytest.fixture
def program(tmp_path) -> Path:
    return make_program(tmp_path / "program.exe")


def signer_for(build, certificate: Certificate, **changes: str):
    return build.signing.configuration({**certificate.environment(), **changes})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_signature_covers_the_file_and_one_changed_byte_breaks_it(build, certificate, program):
    signing = build.signing
    unsigned = signing.verify(program, ca_file=certificate.pem)
    assert not unsigned.signed and not unsigned.ok

    signing.sign(signer_for(build, certificate), program)
    checked = signing.verify(program, ca_file=certificate.pem)
    assert checked.signed and checked.intact and checked.trusted, checked.output
    # Without the test certificate as a root the chain ends in a self-signed certificate:
    # still signed and intact (what the build checks), not trusted.
    untrusted = signing.verify(program)
    assert untrusted.signed and untrusted.intact and not untrusted.trusted

    data = bytearray(program.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the signed part, well before the signature
    program.write_bytes(bytes(data))
    changed = signing.verify(program, ca_file=certificate.pem)
    assert changed.signed and not changed.intact and not changed.trusted, changed.output
    assert "MISMATCH" in changed.output

    # The command line says the same, by its exit code.
    script = [sys.executable, str(ROOT / "packaging" / "signing.py"), "verify", str(program)]
    result = subprocess.run(
        [*script, "--ca-file", str(certificate.pem)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "covers the file: False" in result.stdout


def test_the_programs_are_signed_where_they_are_windows_files(
    build, certificate, bundle, tmp_path, capsys
):
    signer = signer_for(build, certificate)
    # Built on Linux the bundle's programs are ELF files: nothing can sign them with
    # Authenticode, and build.py leaves them as they are, saying so.
    linux = tmp_path / "linux"
    linux.mkdir()
    for name in build.PROGRAMS:
        shutil.copy2(bundle / name, linux / name)
    before = {name: sha256(linux / name) for name in build.PROGRAMS}
    assert build.sign_programs(linux, signer) == []
    assert {name: sha256(linux / name) for name in build.PROGRAMS} == before
    assert capsys.readouterr().out.count("is not a Windows (PE) file") == 2

    # Built on Windows they are PE files: both are signed, before the installer takes them.
    windows = tmp_path / "windows"
    for name in build.PROGRAMS:
        make_program(windows / f"{name}.exe")
    build.EXE = ".exe"
    try:
        signed = build.sign_programs(windows, signer)
    finally:
        build.EXE = ""
    assert [path.name for path in signed] == ["Captioner.exe", "captioner-cli.exe"]
    for path in signed:
        checked = build.signing.verify(path, ca_file=certificate.pem)
        assert checked.signed and checked.intact and checked.trusted, checked.output


def small_payload(folder: Path) -> Path:
    payload = folder / "Captioner"
    (payload / "_internal").mkdir(parents=True)
    for name in ("Captioner", "captioner-cli"):  # the Linux names: build.EXE is ""
        make_program(payload / name)
    return payload


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"CAPTIONER_SIGN_PASSWORD": "wrong"}, "Wrong password"),
        # No network here: the timestamp server cannot be reached, as when it is down.
        ({"CAPTIONER_SIGN_TIMESTAMP_URL": "http://127.0.0.1:9/"}, "127.0.0.1:9"),
    ],
    ids=["wrong password", "timestamp server unreachable"],
)
def test_a_signing_failure_fails_the_installer_build_and_leaves_no_installer(
    build, certificate, tmp_path, capfd, changes, says
):
    if build.find_makensis() is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    signer = signer_for(build, certificate, **changes)
    payload = small_payload(tmp_path)
    with pytest.raises(SystemExit, match="makensis failed"):
        build.build_installer(
            payload, "cpu", tmp_path, "amd64-unicode", compress=False, signer=signer
        )
    assert not list(tmp_path.glob("Captioner-Setup-*.exe"))
    output = capfd.readouterr()
    assert says in output.out + output.err


def test_a_signed_installer_build_signs_the_uninstaller_and_the_installer(
    build, certificate, tmp_path, capfd
):
    if build.find_makensis() is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    out = build.build_installer(
        small_payload(tmp_path), "cpu", tmp_path, "amd64-unicode", compress=False,
        strict=True, signer=signer_for(build, certificate),
    )  # fmt: skip
    checked = build.signing.verify(out, ca_file=certificate.pem)
    assert checked.trusted, checked.output
    # NSIS ran the signing command twice: on the uninstaller (a temporary file it then
    # stores in the installer) and on the installer.
    signed = [line for line in capfd.readouterr().out.splitlines() if line.startswith("signed ")]
    assert len(signed) == 2 and signed[1].startswith(f"signed {out}"), signed
