"""Errors that reach the user.

Every failure a user can cause or fix (no microphone, missing model, unreadable file, CUDA
libraries absent) is raised as a :class:`CaptionerError` whose message is written for that
user: what happened and what to do. The CLI and the app print the message, never a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path


class CaptionerError(Exception):
    """A failure with a message meant for the user."""


class AudioDeviceError(CaptionerError):
    """The microphone could not be found, opened or kept open."""


class AudioFileError(CaptionerError):
    """An audio file could not be read or decoded."""


class ModelError(CaptionerError):
    """A recognition model could not be found, downloaded or loaded."""


class OutputError(CaptionerError):
    """A file the user asked for (events, transcripts) could not be written."""


def why_not_written(exc: OSError, path: Path) -> str:
    """Why ``path`` could not be written, in a few words: "the folder … does not exist",
    "permission denied", "no space left on device", "read-only file system"."""
    if exc.errno == errno.ENOENT:
        return f"the folder {path.parent} does not exist"
    if exc.errno == errno.ENOTDIR:
        return f"{path.parent} is not a folder"
    if exc.errno == errno.EISDIR:
        return f"{path} is a folder"
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]
