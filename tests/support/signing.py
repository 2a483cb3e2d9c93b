"""Code signing in tests: a throwaway self-signed code-signing certificate (openssl), and a
small Windows program to sign (makensis), both made in a temporary folder.

A self-signed certificate is its own root: verifying with it as the CA file
(``signing.verify(file, ca_file=certificate.pem)``) checks that the signature is there and
covers the file, which is what a test can prove without a certificate authority."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.bundle import missing_tool

PASSWORD = "throwaway password"  # a space and no quoting: it must reach the tool intact


@dataclass(frozen=True)
class Certificate:
    pfx: Path  # certificate and key, as a CA would hand them over
    pem: Path  # the certificate alone: the root to verify against
    password: str = PASSWORD

    def environment(self) -> dict[str, str]:
        """What configures packaging/build.py to sign with it."""
        return {"CAPTIONER_SIGN_PFX": str(self.pfx), "CAPTIONER_SIGN_PASSWORD": self.password}


def signing_tools_missing() -> str | None:
    for tool, package in (("osslsigncode", "osslsigncode"), ("openssl", "openssl")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install {package})"
    return None


def require_signing_tools() -> None:
    """Skip without them, saying which; CI (CAPTIONER_REQUIRE_TOOLS=1) fails instead."""
    missing = signing_tools_missing()
    if missing:
        missing_tool(missing)


def make_certificate(folder: Path, name: str = "Captioner test signing") -> Certificate:
    """A two-day self-signed certificate for code signing (the extended key usage Windows
    checks), its key in a password-protected PKCS#12 file."""
    folder.mkdir(parents=True, exist_ok=True)
    key, pem, pfx = folder / "key.pem", folder / "certificate.pem", folder / "certificate.pfx"
    run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", f"/CN={name}", "-keyout", str(key), "-out", str(pem),
        "-addext", "keyUsage=critical,digitalSignature",
        "-addext", "extendedKeyUsage=codeSigning",
    )  # fmt: skip
    run(
        "openssl", "pkcs12", "-export", "-inkey", str(key), "-in", str(pem), "-out", str(pfx),
        "-passout", f"pass:{PASSWORD}",
    )  # fmt: skip
    return Certificate(pfx, pem)


def make_program(out: Path, seconds: int = 0) -> Path:
    """A small 64-bit Windows program (an NSIS stub with no pages) that waits ``seconds``
    and exits: a PE file to sign, and, running under wine, a program Windows keeps open."""
    if shutil.which("makensis") is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:  # not beside it: it may be a payload
        script = Path(folder, "program.nsi")
        script.write_text(
            "Unicode true\nTarget amd64-unicode\nSetCompress off\nRequestExecutionLevel user\n"
            f'SilentInstall silent\nOutFile "{out}"\nSection\n'
            f"  Sleep {seconds * 1000}\nSectionEnd\n",
            encoding="utf-8",
        )
        run("makensis", "-V1", "-WX", str(script))
    return out


def run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"{command[0]}: {result.stdout}{result.stderr}"
