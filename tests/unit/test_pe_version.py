"""Reading a Windows file's version (packaging/pe_version.py), on a real PE file that NSIS
writes with a version resource, as Windows' own tools would show it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

from tests.support.bundle import ROOT, missing_tool


def pe_version_module():
    spec = importlib.util.spec_from_file_location(
        "pe_version", ROOT / "packaging" / "pe_version.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_file_version_of_a_windows_executable_is_read(tmp_path):
    makensis = shutil.which("makensis")
    if makensis is None:
        missing_tool("makensis is not installed (apt-get install nsis)")
    script = tmp_path / "v.nsi"
    script.write_text(
        'OutFile "v.exe"\nVIProductVersion "9.10.2.21"\n'
        'VIAddVersionKey /LANG=0 "FileVersion" "9.10.2.21"\nSection\nSectionEnd\n',
        encoding="utf-8",
    )
    subprocess.run([makensis, "-V1", str(script)], check=True, cwd=tmp_path)
    read = pe_version_module().file_version
    assert read(tmp_path / "v.exe") == (9, 10, 2, 21)
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"MZ" + bytes(4000))
    assert read(plain) is None
