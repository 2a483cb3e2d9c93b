"""Errors that reach the user.

Every failure a user can cause or fix (no microphone, missing model, unreadable file, CUDA
libraries absent) is raised as a :class:`CaptionerError` whose message is written for that
user: what happened and what to do. The CLI and the app print the message, never a traceback.
"""


class CaptionerError(Exception):
    """A failure with a message meant for the user."""


class AudioDeviceError(CaptionerError):
    """The microphone could not be found, opened or kept open."""


class AudioFileError(CaptionerError):
    """An audio file could not be read or decoded."""


class ModelError(CaptionerError):
    """A recognition model could not be found, downloaded or loaded."""
