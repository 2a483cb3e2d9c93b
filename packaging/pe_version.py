"""The file version of a Windows executable or DLL, read from its version resource.

Used where the build must know which release of a library it packs (the GPU variant's cuDNN
parts must all be of one release: packaging/captioner.spec). Stdlib only, so that it runs on
any build machine: the fixed part of the version resource (VS_FIXEDFILEINFO) is found by its
signature, and the file version is the two 32-bit numbers after the struct version.
"""

from __future__ import annotations

import struct
from pathlib import Path

SIGNATURE = struct.pack("<I", 0xFEEF04BD)  # VS_FIXEDFILEINFO.dwSignature


def file_version(path: Path) -> tuple[int, int, int, int] | None:
    """(major, minor, build, revision), or None when the file has no version resource."""
    data = path.read_bytes()
    at = data.find(SIGNATURE)
    if at < 0 or at + 16 > len(data):
        return None
    _, most, least = struct.unpack_from("<III", data, at + 4)
    return most >> 16, most & 0xFFFF, least >> 16, least & 0xFFFF
