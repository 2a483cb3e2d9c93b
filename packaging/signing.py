"""Authenticode signing of the Windows files a build makes, when a certificate is configured.

    python packaging/signing.py sign FILE              # what the installer script runs
    python packaging/signing.py verify FILE [--ca-file CERT.pem]

Configured by environment variables (docs/signing.md says how to get a certificate):

    CAPTIONER_SIGN_PFX            a .pfx/.p12 file holding the certificate and its key
    CAPTIONER_SIGN_PASSWORD       its password (may be empty)
    CAPTIONER_SIGN_THUMBPRINT     Windows only, instead of a file: the SHA-1 thumbprint of a
                                  certificate in the user's certificate store (where a
                                  hardware token's or a cloud key's driver puts it)
    CAPTIONER_SIGN_AZURE_METADATA Windows only, instead: Azure Trusted Signing, the
    CAPTIONER_SIGN_AZURE_DLIB     metadata.json naming the account and certificate profile,
                                  and its signtool plug-in, Azure.CodeSigning.Dlib.dll (it
                                  signs in as the Azure libraries do: AZURE_* variables, az
                                  login, a managed identity)
    CAPTIONER_SIGN_TIMESTAMP_URL  an RFC 3161 timestamp server (releases: the signature then
                                  outlives the certificate); optional, it needs the network

Nothing configured: nothing is signed. Configured but unusable (no such file, a wrong
password, no signing tool): an error, never a half-signed build.

On Windows the tool is signtool (Windows SDK); elsewhere osslsigncode (Debian package
``osslsigncode``). Authenticode covers Windows (PE) files only: on Linux the bundle's
programs are ELF files and stay unsigned; the installer and its uninstaller are PE files
wherever they are built, so they are signed everywhere.

The decisions (which tool, which command) are plain functions over their inputs; ``sign``
and ``verify`` run them. Standard library only: makensis runs this file as a script.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

WINDOWS = sys.platform == "win32"
DESCRIPTION = "Captioner"  # shown by Windows as the signed program's name (UAC, SmartScreen)
PFX = "CAPTIONER_SIGN_PFX"
PASSWORD = "CAPTIONER_SIGN_PASSWORD"
THUMBPRINT = "CAPTIONER_SIGN_THUMBPRINT"
AZURE_METADATA = "CAPTIONER_SIGN_AZURE_METADATA"
AZURE_DLIB = "CAPTIONER_SIGN_AZURE_DLIB"
TIMESTAMP_URL = "CAPTIONER_SIGN_TIMESTAMP_URL"
VARIABLES = (PFX, PASSWORD, THUMBPRINT, AZURE_METADATA, AZURE_DLIB, TIMESTAMP_URL)
# Trusted Signing's certificates last days: without a timestamp a signature would stop
# validating with them, so it gets Microsoft's timestamp server unless told another.
AZURE_TIMESTAMP_URL = "http://timestamp.acs.microsoft.com"
# The Windows SDK does not put signtool on PATH; this is where its installer puts it.
WINDOWS_KITS = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"), "Windows Kits")


class SigningError(Exception):
    """Signing was asked for and cannot be done; the message says what to change."""


@dataclass(frozen=True)
class Signer:
    tool: str  # signtool(.exe) or osslsigncode, a path
    pfx: Path | None = None
    password: str = field(default="", repr=False)  # never in a log or a traceback
    thumbprint: str | None = None
    azure_metadata: Path | None = None
    azure_dlib: Path | None = None
    timestamp_url: str | None = None

    @property
    def signtool(self) -> bool:
        return is_signtool(self.tool)

    def environment(self) -> dict[str, str]:
        """The variables that configure this signer (for a child process: makensis)."""
        return {
            PFX: str(self.pfx or ""),
            PASSWORD: self.password,
            THUMBPRINT: self.thumbprint or "",
            AZURE_METADATA: str(self.azure_metadata or ""),
            AZURE_DLIB: str(self.azure_dlib or ""),
            TIMESTAMP_URL: self.timestamp_url or "",
        }

    def describe(self) -> str:
        what = (
            f"certificate file {self.pfx}" if self.pfx
            else f"certificate {self.thumbprint}" if self.thumbprint
            else f"Azure Trusted Signing profile in {self.azure_metadata}"
        )  # fmt: skip
        stamp = f", timestamped by {self.timestamp_url}" if self.timestamp_url else ", no timestamp"
        return f"{PureWindowsPath(self.tool).name} with the {what}{stamp}"


@dataclass(frozen=True)
class Verification:
    signed: bool  # a signature is there
    intact: bool  # its digest is the file's: not a byte changed since it was signed
    trusted: bool  # the signer's certificate chains to a trusted root (or the given CA file)
    output: str

    @property
    def ok(self) -> bool:
        """What a build checks after signing: signed and intact. Whether the chain is
        trusted depends on the machine's roots (on Linux osslsigncode has the roots trusted
        for TLS, which need not include a code-signing certificate's)."""
        return self.signed and self.intact


def is_signtool(tool: str) -> bool:
    return PureWindowsPath(tool).stem.lower() == "signtool"  # either kind of slash


def find_signtool(kits: Path = WINDOWS_KITS) -> str | None:
    """The newest x64 signtool.exe of an installed Windows SDK."""
    found = sorted(kits.glob("10/bin/*/x64/signtool.exe"), key=_version_key)
    return str(found[-1]) if found else None


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name))


def find_tool(
    windows: bool = WINDOWS,
    which: Callable[[str], str | None] = shutil.which,
    signtool: Callable[[], str | None] = find_signtool,
) -> str | None:
    if windows:
        return which("signtool") or signtool() or which("osslsigncode")
    return which("osslsigncode")


def configuration(
    env: Mapping[str, str],
    windows: bool = WINDOWS,
    tool: Callable[[], str | None] | None = None,
) -> Signer | None:
    """The signer the environment asks for; None when it asks for none (no certificate).
    Raises SigningError when it asks for one that cannot work."""
    pfx = env.get(PFX, "").strip()
    # As copied from Windows' certificate dialog: spaces, and a left-to-right mark first.
    thumbprint = re.sub(r"[\s:\u200e]", "", env.get(THUMBPRINT, ""))
    metadata = env.get(AZURE_METADATA, "").strip()
    dlib = env.get(AZURE_DLIB, "").strip()
    timestamp = env.get(TIMESTAMP_URL, "").strip() or None
    chosen = [name for name, value in ((PFX, pfx), (THUMBPRINT, thumbprint),
                                       (AZURE_METADATA, metadata)) if value]  # fmt: skip
    if not chosen:
        return None
    if len(chosen) > 1:
        raise SigningError(f"Set one of {' and '.join(chosen)}, not both: which is meant?")
    if not pfx and not windows:
        raise SigningError(
            f"{chosen[0]} works with signtool, on Windows: osslsigncode cannot use it. "
            f"On this system set {PFX} to a .pfx file instead."
        )
    if thumbprint and not re.fullmatch(r"[0-9A-Fa-f]{40}", thumbprint):
        raise SigningError(
            f"{THUMBPRINT} is not a certificate thumbprint (40 hexadecimal digits): "
            "copy it from the certificate's Details tab (certmgr.msc)."
        )
    for name, value in ((PFX, pfx), (AZURE_METADATA, metadata), (AZURE_DLIB, dlib)):
        if value and not Path(value).is_file():
            raise SigningError(f"{name}={value}: no such file. Correct it, or unset it to "
                               "build unsigned.")  # fmt: skip
    if metadata and not dlib:
        raise SigningError(
            f"{AZURE_METADATA} needs {AZURE_DLIB}: the path of Azure.CodeSigning.Dlib.dll "
            "(Microsoft's Trusted Signing client tools)."
        )
    if metadata and not timestamp:
        timestamp = AZURE_TIMESTAMP_URL
    if timestamp and not re.match(r"https?://", timestamp):
        raise SigningError(f"{TIMESTAMP_URL}={timestamp}: not an http(s) address.")
    found = (tool or (lambda: find_tool(windows)))()
    if found is None:
        raise SigningError(
            "A certificate is configured but no signing tool was found: install the Windows "
            "SDK's signing tools (signtool.exe)"
            if windows
            else "A certificate is configured but osslsigncode is not installed: "
            f"apt-get install osslsigncode (or unset {PFX} to build unsigned)."
        )
    if not pfx and not is_signtool(found):
        raise SigningError(f"{chosen[0]} needs signtool.exe (the Windows SDK's signing tools).")
    return Signer(
        tool=found,
        pfx=Path(pfx) if pfx else None,
        password=env.get(PASSWORD, ""),
        thumbprint=thumbprint or None,
        azure_metadata=Path(metadata) if metadata else None,
        azure_dlib=Path(dlib) if metadata and dlib else None,
        timestamp_url=timestamp,
    )


def sign_command(
    signer: Signer, file: Path, out: Path, password_file: Path | None = None
) -> list[str]:
    """The command that signs ``file``: osslsigncode writes the signed copy to ``out``;
    signtool signs in place (``out`` is ``file``). osslsigncode reads the password from
    ``password_file``, which keeps it off its command line (signtool has no other way;
    osslsigncode 2.5, Debian 12's, cannot read it from its input)."""
    if signer.signtool:
        command = [signer.tool, "sign", "/fd", "sha256", "/d", DESCRIPTION]
        if signer.thumbprint:
            command += ["/sha1", signer.thumbprint]
        elif signer.azure_metadata:
            command += ["/dlib", str(signer.azure_dlib), "/dmdf", str(signer.azure_metadata)]
        else:
            command += ["/f", str(signer.pfx)]
            if signer.password:
                command += ["/p", signer.password]
        if signer.timestamp_url:
            command += ["/tr", signer.timestamp_url, "/td", "sha256"]
        return [*command, str(file)]
    command = [signer.tool, "sign", "-pkcs12", str(signer.pfx), "-h", "sha256"]
    command += ["-n", DESCRIPTION]
    if signer.password:  # an empty one must not be read: osslsigncode then fails
        if password_file is None:
            raise ValueError("osslsigncode needs the password in a file")
        command += ["-readpass", str(password_file)]
    if signer.timestamp_url:
        command += ["-ts", signer.timestamp_url]
    return [*command, "-in", str(file), "-out", str(out)]


def verify_command(tool: str, file: Path, ca_file: Path | None = None) -> list[str]:
    if is_signtool(tool):
        return [tool, "verify", "/pa", "/all", "/v", str(file)]
    command = [tool, "verify", "-in", str(file)]
    if ca_file is not None:
        command += ["-CAfile", str(ca_file)]
    return command


def read_verification(tool: str, returncode: int, output: str) -> Verification:
    """What the verifier's output says: is there a signature, does it cover the file as it
    is now, and is its certificate trusted."""
    if is_signtool(tool):
        # signtool's verdicts, by their Windows error codes: TRUST_E_NOSIGNATURE,
        # TRUST_E_BAD_DIGEST (the file changed after signing).
        signed = "0x800B0100" not in output and "No signature found" not in output
        intact = signed and "0x80096010" not in output
        return Verification(signed, intact, returncode == 0, output)
    current = re.search(r"Current message digest\s*:\s*([0-9A-F]+)", output)
    calculated = re.search(r"Calculated message digest\s*:\s*([0-9A-F]+)", output)
    signed = current is not None and "No signature found" not in output
    # The digests, not the word MISMATCH: osslsigncode 2.5 also prints it for a PE checksum,
    # which the signature does not cover.
    intact = (
        signed
        and calculated is not None
        and current is not None
        and current.group(1) == calculated.group(1)
    )
    trusted = intact and returncode == 0 and "Signature verification: ok" in output
    return Verification(signed, intact, trusted, output)


def is_pe(path: Path) -> bool:
    """A Windows executable (PE): what Authenticode signs. ELF files (the bundle's programs
    built on Linux) are not."""
    with path.open("rb") as file:
        head = file.read(0x40)
        if len(head) < 0x40 or head[:2] != b"MZ":
            return False
        file.seek(int.from_bytes(head[0x3C:0x40], "little"))
        return file.read(4) == b"PE\0\0"


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def sign(signer: Signer, file: Path) -> None:
    """Sign ``file`` in place and check that the signature is there and covers it."""
    if not is_pe(file):
        raise SigningError(f"{file} is not a Windows (PE) file: Authenticode cannot sign it.")
    out = file if signer.signtool else file.with_name(file.name + ".signed")
    # The password file lives in a folder only this user can read (mode 0700; on Windows
    # the user's own temporary folder), for the moment the tool runs.
    with tempfile.TemporaryDirectory(prefix="captioner-signing-") as private:
        password_file = Path(private, "password")
        if signer.password and not signer.signtool:
            password_file.write_text(signer.password, encoding="utf-8")
        command = sign_command(signer, file, out, password_file)
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=600, check=False
            )
            if result.returncode != 0 or not out.is_file():
                check = (
                    f"{PFX} and {PASSWORD}" if signer.pfx
                    else f"that certificate {signer.thumbprint} and its key (the token plugged "
                    "in) are in your certificate store" if signer.thumbprint
                    else f"{AZURE_METADATA} and the Azure sign-in (AZURE_* variables, az login)"
                )  # fmt: skip
                if signer.timestamp_url:
                    check += f", and that {signer.timestamp_url} is reachable"
                output = _tail(result.stdout + result.stderr)
                raise SigningError(
                    f"Signing {file.name} failed ({PureWindowsPath(signer.tool).name} exited "
                    f"with {result.returncode}):\n{output}\nCheck {check}."
                )
            if out != file:
                os.replace(out, file)
        finally:
            if out != file:
                out.unlink(missing_ok=True)
    checked = verify(file, tool=signer.tool)
    if not checked.ok:
        raise SigningError(f"{file.name} was signed but its signature does not check out:\n"
                           f"{_tail(checked.output)}")  # fmt: skip


def verify(file: Path, ca_file: Path | None = None, tool: str | None = None) -> Verification:
    """Check the signature of a PE file. ``ca_file``: trust this certificate as a root
    (osslsigncode; a self-signed test certificate is its own root)."""
    tool = tool or find_tool()
    if tool is None:
        raise SigningError(
            "No tool to verify signatures: install osslsigncode (Windows: the SDK's signtool)."
        )
    result = subprocess.run(
        verify_command(tool, file, ca_file),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    return read_verification(tool, result.returncode, result.stdout + result.stderr)


def finalize_command(python: str = sys.executable) -> str:
    """The command the installer script runs on the installer and on its uninstaller (NSIS
    puts the file's path for %1); it signs as this environment is configured."""
    return f'"{python}" "{Path(__file__).resolve()}" sign "%1"'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    signing = commands.add_parser("sign", help="sign a file as the environment says")
    signing.add_argument("file", type=Path)
    checking = commands.add_parser("verify", help="check a file's signature")
    checking.add_argument("file", type=Path)
    checking.add_argument("--ca-file", type=Path, help="trust this certificate (PEM) as a root")
    args = parser.parse_args(argv)
    try:
        if args.command == "sign":
            signer = configuration(os.environ)
            if signer is None:
                raise SigningError(f"Nothing to sign with: set {PFX} (or {THUMBPRINT}).")
            sign(signer, args.file)
            print(f"signed {args.file} ({signer.describe()})")
            return 0
        checked = verify(args.file, args.ca_file)
    except SigningError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(checked.output.strip())
    print(f"signed: {checked.signed}, covers the file: {checked.intact}, "
          f"trusted: {checked.trusted}")  # fmt: skip
    return 0 if checked.ok else 1


if __name__ == "__main__":
    sys.exit(main())
