"""packaging/signing.py's decisions, without running a signing tool: what configures signing,
which tool and which command, what a verifier's output means. (Signing and verifying for
real: tests/bundle/test_signing.py.)"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("build", ROOT / "packaging" / "build.py")
assert spec is not None and spec.loader is not None
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)
signing = build.signing

OSSLSIGNCODE = "/usr/bin/osslsigncode"
SIGNTOOL = r"C:\Program Files (x86)\Windows Kits\10\bin\10.0.22621.0\x64\signtool.exe"
THUMBPRINT = "0123456789abcdef0123456789ABCDEF01234567"


@pytest.fixture
def pfx(tmp_path) -> Path:
    path = tmp_path / "release.pfx"
    path.write_bytes(b"not read by these tests")
    return path


def configure(env: dict[str, str], windows: bool = False, tool: str | None = OSSLSIGNCODE):
    return signing.configuration(env, windows=windows, tool=lambda: tool)


def test_nothing_configured_means_no_signing():
    assert configure({}) is None
    assert configure({"CAPTIONER_SIGN_PASSWORD": "x", "CAPTIONER_SIGN_PFX": " "}) is None


def test_a_certificate_file_configures_osslsigncode_on_linux(pfx):
    signer = configure({"CAPTIONER_SIGN_PFX": str(pfx), "CAPTIONER_SIGN_PASSWORD": "pw"})
    assert signer == signing.Signer(tool=OSSLSIGNCODE, pfx=pfx, password="pw")
    assert not signer.signtool
    assert "no timestamp" in signer.describe() and "pw" not in signer.describe()
    assert "'pw'" not in repr(signer)  # a traceback or a log shows no password


def test_a_signer_survives_the_trip_through_the_environment(pfx):
    env = {
        "CAPTIONER_SIGN_PFX": str(pfx),
        "CAPTIONER_SIGN_PASSWORD": "pass word",
        "CAPTIONER_SIGN_TIMESTAMP_URL": "http://timestamp.example",
    }
    signer = configure(env)
    assert configure(signer.environment()) == signer


@pytest.mark.parametrize(
    ("env", "windows", "says"),
    [
        ({"CAPTIONER_SIGN_PFX": "/nowhere/release.pfx"}, False, "no such file"),
        ({"CAPTIONER_SIGN_THUMBPRINT": THUMBPRINT}, False, "set CAPTIONER_SIGN_PFX"),
        ({"CAPTIONER_SIGN_AZURE_METADATA": "/nowhere/metadata.json"}, True, "no such file"),
        ({"CAPTIONER_SIGN_THUMBPRINT": "12:34"}, True, "40 hexadecimal digits"),
        ({"CAPTIONER_SIGN_PFX": "{pfx}", "CAPTIONER_SIGN_THUMBPRINT": THUMBPRINT}, True,
         "not both"),
        ({"CAPTIONER_SIGN_PFX": "{pfx}", "CAPTIONER_SIGN_TIMESTAMP_URL": "timestamp.example"},
         False, "not an http(s) address"),
    ],
    ids=["missing file", "thumbprint on linux", "missing azure metadata", "bad thumbprint", "both",
         "bad timestamp url"],
)  # fmt: skip
def test_a_certificate_that_cannot_work_is_an_error_that_says_what_to_change(
    pfx, env, windows, says
):
    env = {key: value.format(pfx=pfx) for key, value in env.items()}
    with pytest.raises(signing.SigningError, match=re.escape(says)):
        configure(env, windows=windows, tool=SIGNTOOL if windows else OSSLSIGNCODE)


def test_a_certificate_without_a_signing_tool_is_an_error(pfx):
    with pytest.raises(signing.SigningError, match="apt-get install osslsigncode"):
        configure({"CAPTIONER_SIGN_PFX": str(pfx)}, tool=None)
    with pytest.raises(signing.SigningError, match="signtool"):
        configure({"CAPTIONER_SIGN_PFX": str(pfx)}, windows=True, tool=None)
    with pytest.raises(signing.SigningError, match="needs signtool"):
        configure({"CAPTIONER_SIGN_THUMBPRINT": THUMBPRINT}, windows=True, tool=OSSLSIGNCODE)


def test_windows_prefers_signtool_then_the_sdks_then_osslsigncode():
    def which(found: dict[str, str]):
        return lambda name: found.get(name)

    on_path = {"signtool": "C:/bin/signtool.exe", "osslsigncode": "C:/bin/osslsigncode.exe"}
    assert signing.find_tool(True, which(on_path), lambda: SIGNTOOL) == "C:/bin/signtool.exe"
    assert signing.find_tool(True, which({}), lambda: SIGNTOOL) == SIGNTOOL
    only_ossl = {"osslsigncode": "C:/bin/osslsigncode.exe"}
    assert signing.find_tool(True, which(only_ossl), lambda: None) == "C:/bin/osslsigncode.exe"
    assert signing.find_tool(False, which(on_path), lambda: SIGNTOOL) == "C:/bin/osslsigncode.exe"


def test_the_newest_windows_sdk_signtool_is_found(tmp_path):
    for version in ("10.0.17763.0", "10.0.22621.0", "10.0.9200.0"):
        tool = tmp_path / "10" / "bin" / version / "x64" / "signtool.exe"
        tool.parent.mkdir(parents=True)
        tool.write_bytes(b"")
    assert signing.find_signtool(tmp_path) == str(
        tmp_path / "10" / "bin" / "10.0.22621.0" / "x64" / "signtool.exe"
    )
    assert signing.find_signtool(tmp_path / "none") is None


def test_osslsigncode_reads_the_password_from_a_file_not_its_command_line(pfx, tmp_path):
    signer = configure({"CAPTIONER_SIGN_PFX": str(pfx), "CAPTIONER_SIGN_PASSWORD": "s3cret",
                        "CAPTIONER_SIGN_TIMESTAMP_URL": "http://ts.example"})  # fmt: skip
    file, out, password = tmp_path / "a.exe", tmp_path / "a.exe.signed", tmp_path / "password"
    command = signing.sign_command(signer, file, out, password)
    assert "s3cret" not in " ".join(command)
    assert command[:2] == [OSSLSIGNCODE, "sign"]
    assert command[command.index("-readpass") + 1] == str(password)
    assert command[command.index("-pkcs12") + 1] == str(pfx)
    assert command[command.index("-h") + 1] == "sha256"
    assert command[command.index("-ts") + 1] == "http://ts.example"  # RFC 3161
    assert command[-4:] == ["-in", str(file), "-out", str(out)]
    # An empty password is not read at all (osslsigncode fails on an empty file).
    signer = configure({"CAPTIONER_SIGN_PFX": str(pfx)})
    command = signing.sign_command(signer, file, out, password)
    assert "-readpass" not in command and "-ts" not in command


def test_signtool_signs_in_place_with_a_file_or_a_thumbprint(pfx, tmp_path):
    file = tmp_path / "a.exe"
    signer = configure({"CAPTIONER_SIGN_PFX": str(pfx), "CAPTIONER_SIGN_PASSWORD": "pw",
                        "CAPTIONER_SIGN_TIMESTAMP_URL": "http://ts.example"},
                       windows=True, tool=SIGNTOOL)  # fmt: skip
    command = signing.sign_command(signer, file, file)
    assert command[:2] == [SIGNTOOL, "sign"] and command[-1] == str(file)
    assert command[command.index("/fd") + 1] == "sha256"
    assert command[command.index("/f") + 1] == str(pfx)
    assert command[command.index("/p") + 1] == "pw"
    assert command[command.index("/tr") + 1] == "http://ts.example"
    assert command[command.index("/td") + 1] == "sha256"
    # As copied from the certificate's Details tab: spaces, and an invisible mark first.
    copied = "\u200e" + " ".join(THUMBPRINT[i : i + 2] for i in range(0, 40, 2))
    signer = configure({"CAPTIONER_SIGN_THUMBPRINT": copied}, windows=True, tool=SIGNTOOL)
    command = signing.sign_command(signer, file, file)
    assert command[command.index("/sha1") + 1] == THUMBPRINT
    assert "/f" not in command and "/p" not in command and "/tr" not in command


def test_azure_trusted_signing_goes_through_signtools_plugin(tmp_path):
    metadata, dlib = tmp_path / "metadata.json", tmp_path / "Azure.CodeSigning.Dlib.dll"
    metadata.write_text('{"Endpoint": "https://eus.codesigning.azure.net"}', encoding="utf-8")
    dlib.write_bytes(b"")
    env = {"CAPTIONER_SIGN_AZURE_METADATA": str(metadata), "CAPTIONER_SIGN_AZURE_DLIB": str(dlib)}
    signer = configure(env, windows=True, tool=SIGNTOOL)
    command = signing.sign_command(signer, tmp_path / "a.exe", tmp_path / "a.exe")
    assert command[command.index("/dlib") + 1] == str(dlib)
    assert command[command.index("/dmdf") + 1] == str(metadata)
    # Its certificates last days: a timestamp always, Microsoft's unless another is given.
    assert command[command.index("/tr") + 1] == "http://timestamp.acs.microsoft.com"
    assert configure(signer.environment(), windows=True, tool=SIGNTOOL) == signer
    with pytest.raises(signing.SigningError, match="CAPTIONER_SIGN_AZURE_DLIB"):
        configure({"CAPTIONER_SIGN_AZURE_METADATA": str(metadata)}, windows=True, tool=SIGNTOOL)
    with pytest.raises(signing.SigningError, match="on Windows"):
        configure(env, windows=False)


def test_verify_commands():
    file = Path("setup.exe")
    assert signing.verify_command(OSSLSIGNCODE, file, Path("ca.pem")) == [
        OSSLSIGNCODE, "verify", "-in", "setup.exe", "-CAfile", "ca.pem"
    ]  # fmt: skip
    assert signing.verify_command(SIGNTOOL, file)[1:3] == ["verify", "/pa"]


DIGESTS = (
    "Current message digest    : EA01871330CA2F692EFDF23B7DAA666F1810A8DE703286439758EC90A266C20E\n"
    "Calculated message digest : {calculated}\n"
)
SAME = "EA01871330CA2F692EFDF23B7DAA666F1810A8DE703286439758EC90A266C20E"
OTHER = "5BC1B7AD71D6D6E3B57865DE0967E582F4D05553CCB9BBDEB9C918F820E9109D    MISMATCH!!!"


@pytest.mark.parametrize(
    ("returncode", "output", "facts"),
    [
        (0, DIGESTS.format(calculated=SAME) + "Signature verification: ok\nSucceeded\n",
         (True, True, True)),
        (1, DIGESTS.format(calculated=SAME) + "Error: self-signed certificate\n"
         "Signature verification: failed\nFailed\n", (True, True, False)),
        (1, DIGESTS.format(calculated=OTHER) + "Failed\n", (True, False, False)),
        (1, "Calculated PE checksum: 0001EB73    MISMATCH!!!\n" + DIGESTS.format(calculated=SAME)
         + "Signature verification: failed\nFailed\n", (True, True, False)),
        (1, "Warning: invalid PE checksum\nFailed\nNo signature found\n", (False, False, False)),
    ],
    ids=["trusted", "self-signed", "changed after signing", "only the checksum", "unsigned"],
)  # fmt: skip
def test_what_osslsigncode_verify_says(returncode, output, facts):
    checked = signing.read_verification(OSSLSIGNCODE, returncode, output)
    assert (checked.signed, checked.intact, checked.trusted) == facts
    assert checked.ok == (facts[0] and facts[1])


@pytest.mark.parametrize(
    ("returncode", "output", "facts"),
    [
        (0, "Successfully verified: setup.exe\n", (True, True, True)),
        (1, "SignTool Error: No signature found.\n", (False, False, False)),
        (1, "SignTool Error: WinVerifyTrust returned error: 0x80096010\n", (True, False, False)),
        (1, "SignTool Error: A certificate chain processed, but terminated in a root "
         "certificate which is not trusted by the trust provider.\n", (True, True, False)),
    ],
    ids=["trusted", "unsigned", "changed after signing", "untrusted root"],
)  # fmt: skip
def test_what_signtool_verify_says(returncode, output, facts):
    checked = signing.read_verification(SIGNTOOL, returncode, output)
    assert (checked.signed, checked.intact, checked.trusted) == facts


def test_only_windows_executables_are_signable(tmp_path):
    pe = tmp_path / "a.exe"
    pe.write_bytes(b"MZ" + b"\0" * 0x3A + (0x80).to_bytes(4, "little") + b"\0" * 0x40 + b"PE\0\0")
    elf = tmp_path / "a"
    elf.write_bytes(b"\x7fELF" + b"\0" * 200)
    dos = tmp_path / "b.exe"
    dos.write_bytes(b"MZ" + b"\0" * 100)
    short = tmp_path / "c.exe"
    short.write_bytes(b"MZ")
    assert signing.is_pe(pe)
    assert not signing.is_pe(elf) and not signing.is_pe(dos) and not signing.is_pe(short)
    with pytest.raises(signing.SigningError, match="not a Windows"):
        signing.sign(signing.Signer(tool=OSSLSIGNCODE), elf)


def test_the_installer_scripts_signing_command_carries_no_secret():
    command = signing.finalize_command("/usr/bin/python3")
    assert command == f'"/usr/bin/python3" "{ROOT / "packaging" / "signing.py"}" sign "%1"'


def test_build_says_once_that_it_builds_unsigned(monkeypatch, capsys):
    for name in signing.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert build.signer_from_environment() is None
    out = capsys.readouterr().out
    assert out.count("building unsigned") == 1 and "docs/signing.md" in out


def test_build_stops_at_once_on_a_certificate_that_cannot_work(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPTIONER_SIGN_PFX", str(tmp_path / "gone.pfx"))
    monkeypatch.delenv("CAPTIONER_SIGN_THUMBPRINT", raising=False)
    with pytest.raises(SystemExit, match=r"Code signing: CAPTIONER_SIGN_PFX=.*no such file"):
        build.signer_from_environment()
