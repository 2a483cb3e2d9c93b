"""Errors that reach the user.

Every failure a user can cause or fix (no microphone, missing model, unreadable file, CUDA
libraries absent) is raised as a :class:`CaptionerError` whose message is written for that
user: what happened and what to do. The CLI and the app print the message, never a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

from captioner.i18n import translate


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
        return translate("errors", "the folder {folder} does not exist").format(folder=path.parent)
    if exc.errno == errno.ENOTDIR:
        return translate("errors", "{folder} is not a folder").format(folder=path.parent)
    if exc.errno == errno.EISDIR:
        return translate("errors", "{path} is a folder").format(path=path)
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]
