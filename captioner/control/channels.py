"""Which sources are captioned, and how each takes part: one function for the app and the
command line alike.

A *channel* is one source captioned by its own recogniser. Its role says what it is to the
rest of the pipeline: the microphone is what push-to-talk acts on and, beside the system
audio, what is checked for the speakers' echo; the system audio is that echo's reference and
pauses by itself; a file ends. No Qt here; the sources are opened by the worker, later.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from captioner.settings import SourceName

if TYPE_CHECKING:
    from pathlib import Path

    from captioner.audio.source import AudioSource

SourceFactory = Callable[[], "AudioSource"]


class Role(enum.Enum):
    MICROPHONE = "microphone"  # what the user says
    SYSTEM = "system"  # what the computer plays
    FILE = "file"  # a recording, at real-time pace or as fast as it goes


@dataclass(frozen=True)
class SourceChoice:
    """What the user chose to caption (settings, or the command line's options)."""

    source: SourceName = "mic"
    input: int | str | None = None  # the microphone: a device name or number; None: default
    output: str | None = None  # the output device whose sound is captioned; None: default
    names: tuple[str, str] = ("Me", "Others")  # the two sides' labels with source "both"


@dataclass(frozen=True)
class ChannelSpec:
    role: Role
    make_source: SourceFactory
    label: str | None = None  # named in every event when there are two channels
    controlled: bool = True  # push-to-talk, the tray and remote control start and stop it
    # What identifies the source: a channel whose key is unchanged keeps its capture when
    # the settings change; another key reopens it.
    key: tuple[object, ...] = ()


def microphone(spec: int | str | None) -> SourceFactory:
    def make() -> AudioSource:
        from captioner.audio.microphone import MicrophoneSource

        return MicrophoneSource(spec)

    return make


def system_audio(output: str | None) -> SourceFactory:
    def make() -> AudioSource:
        from captioner.audio.loopback import SystemAudioSource

        return SystemAudioSource(output)

    return make


def channels_for(choice: SourceChoice) -> list[ChannelSpec]:
    """The channels that caption ``choice``. With only what the computer plays there is
    nobody to push to talk: it is controlled itself (captioned whenever something plays,
    the hotkey pauses it); beside the microphone it runs on its own, labelled."""
    mic = ChannelSpec(Role.MICROPHONE, microphone(choice.input), key=("microphone", choice.input))
    system = ChannelSpec(Role.SYSTEM, system_audio(choice.output), key=("system", choice.output))
    if choice.source == "mic":
        return [mic]
    if choice.source == "system":
        return [system]
    me, others = choice.names
    return [
        ChannelSpec(mic.role, mic.make_source, me, True, mic.key),
        ChannelSpec(system.role, system.make_source, others, False, system.key),
    ]


def file_channel(path: Path, realtime: bool = True) -> ChannelSpec:
    """A recording captioned as if it were heard live (``transcribe --live``, ``bench``)."""

    def make() -> AudioSource:
        from captioner.audio.file_source import FileSource

        return FileSource(path, realtime=realtime)

    return ChannelSpec(Role.FILE, make, key=("file", str(path)))
