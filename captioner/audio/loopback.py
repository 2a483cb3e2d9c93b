"""What the computer plays: loopback capture of an output device, through ``soundcard``.

sounddevice (PortAudio) opens input devices only; loopback comes from the ``soundcard``
library, one documented API on both platforms:

- Windows: WASAPI loopback of a render endpoint. ``soundcard.get_microphone(speaker.id,
  include_loopback=True)`` is the speaker's loopback "microphone"; its recorder asks WASAPI for
  float32 at our rate (the audio engine converts) and returns zeros while nothing plays.
- Linux: the PulseAudio / PipeWire monitor source of a sink, ``<sink name>.monitor``.

A capture thread pulls fixed blocks from the library's recorder (a blocking read with the
library's own buffering), mixes them down into a preallocated scratch buffer and writes the
ring; nothing else happens there (no logging, no locks). The recogniser side sees what it sees
of a microphone: a ring buffer at ``sample_rate``, resampled to 16 kHz by ``SourceReader``.
With no device named it follows the default output device (checked every second): headphones
plugged in, the capture moves to them.
"""

from __future__ import annotations

import atexit
import contextlib
import sys
import threading
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

import numpy as np

from captioner.audio import BLOCK_SECONDS
from captioner.audio.com import join_com, leave_com
from captioner.audio.ring_buffer import RingBuffer
from captioner.errors import AudioDeviceError
from captioner.i18n import translate

LOOPBACK_RATE = 48_000  # the usual mix rate of an output device; resampled to 16 kHz later
LOOPBACK_CHANNELS = 2  # stereo, mixed down here
FOLLOW_DEFAULT_S = 1.0  # how often the default output device is looked up
FIRST_BLOCK_WAIT_S = 3.0  # start() returns once audio flows, or after this long
STALL_S = 3.0  # no block for this long: is the device still there? (see ``error``)


@dataclass(frozen=True)
class OutputDevice:
    id: str  # the backend's id: a WASAPI endpoint id, or a PulseAudio sink name
    name: str
    channels: int
    is_default: bool


class _Recorder(Protocol):
    def __enter__(self) -> _Recorder: ...

    def __exit__(self, *exc: object) -> Any: ...

    def record(self, numframes: int) -> np.ndarray: ...


def soundcard_module(platform: str = sys.platform) -> ModuleType:
    """The library, for use in this thread: imported on first use (it talks to the sound
    server when imported), then, on Windows, this thread joins COM (after the import: see
    :mod:`captioner.audio.com`)."""
    try:
        import soundcard
    except Exception as exc:  # no PulseAudio client library, no sound server, ...
        # soundcard asserts that its PulseAudio connection is ready: an empty message
        why = str(exc) or translate(
            "audio", "the sound server (PulseAudio or PipeWire) could not be reached"
        )
        raise AudioDeviceError(
            translate(
                "audio", "Capturing what the computer plays is not possible here: {why}."
            ).format(why=why)
        ) from exc
    module: ModuleType = soundcard
    join_com(platform)
    _reconnect_if_lost()
    return module


def _reconnect_if_lost() -> None:
    """When the sound server restarts (PulseAudio or pipewire-pulse), soundcard's one
    connection fails for good, and its next request aborts the whole process: it unrefs the
    NULL operation a failed connection returns. So before each use, a failed connection is
    replaced by a new one. (WASAPI has no such connection: nothing to do on Windows.)"""
    pulse_module: Any = sys.modules.get("soundcard.pulseaudio")  # private parts: untyped
    if pulse_module is None:
        return
    pulse = pulse_module._pulse
    if pulse._pa_context_get_state(pulse.context) == pulse_module._pa.PA_CONTEXT_READY:
        return
    try:
        fresh = pulse_module._PulseAudio()
    except AssertionError:  # soundcard asserts that the new connection is ready
        raise AudioDeviceError(
            translate(
                "audio",
                "Capturing what the computer plays is not possible now: the sound server "
                "(PulseAudio or PipeWire) could not be reached.",
            )
        ) from None
    pulse_module._pulse = fresh
    atexit.register(fresh._shutdown)


def loopback_id(speaker_id: str, platform: str = sys.platform) -> str:
    """The id of the capture device that hears ``speaker_id`` (soundcard's own ids)."""
    if platform.startswith("linux"):
        return f"{speaker_id}.monitor"  # PulseAudio's (and pipewire-pulse's) monitor name
    return speaker_id  # WASAPI: the loopback client is opened on the render endpoint itself


def list_output_devices(backend: ModuleType | None = None) -> list[OutputDevice]:
    sc = backend or soundcard_module()
    try:
        speakers = list(sc.all_speakers())
        # With no output device at all, WASAPI has no default either (E_NOTFOUND).
        default = sc.default_speaker() if speakers else None
        default_id = str(default.id) if default is not None else None
    except Exception as exc:
        raise AudioDeviceError(
            translate("audio", "Could not list output devices: {exc}").format(exc=exc)
        ) from exc
    devices = []
    for s in speakers:
        try:  # each name is asked for separately: a device may vanish meanwhile
            devices.append(
                OutputDevice(str(s.id), str(s.name), int(s.channels), str(s.id) == default_id)
            )
        except Exception:
            continue
    return devices


def resolve_output_device(spec: str | None, devices: list[OutputDevice]) -> OutputDevice:
    """The output device a user named: ``None``/"default", its id, or (part of) its name."""
    if not devices:
        raise AudioDeviceError(
            translate(
                "audio",
                "No output device (speakers or headphones) was found, so there is nothing "
                "whose sound could be captioned.",
            )
        )
    if spec is None or spec.strip().lower() in ("", "default"):
        return next((d for d in devices if d.is_default), devices[0])
    wanted = spec.strip()
    for device in devices:
        if device.id == wanted:
            return device
    if wanted.isdigit() and int(wanted) < len(devices):
        return devices[int(wanted)]
    exact = [d for d in devices if d.name.lower() == wanted.lower()]
    if exact:
        return exact[0]
    partial = [d for d in devices if wanted.lower() in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    names = "; ".join(f"[{i}] {d.name}" for i, d in enumerate(devices))
    if not partial:
        raise AudioDeviceError(
            translate(
                "audio", "No output device is called '{spec}'. Available outputs: {names}."
            ).format(spec=spec, names=names)
        )
    raise AudioDeviceError(
        translate(
            "audio", "'{spec}' matches several output devices: {names}. Use the number."
        ).format(spec=spec, names=names)
    )


class SystemAudioSource:
    """Captures what an output device plays into a ring buffer (an ``AudioSource``)."""

    def __init__(
        self,
        device: str | None = None,
        ring_seconds: float = 60.0,
        sample_rate: int = LOOPBACK_RATE,
        channels: int = LOOPBACK_CHANNELS,
        backend: ModuleType | None = None,
        platform: str = sys.platform,
    ) -> None:
        self._real = backend is None  # the library itself (not a test's stand-in)
        self._sc = backend or soundcard_module(platform)  # this thread opens the stream
        self._spec = device
        self._platform = platform
        self.follows_default = device is None or device.strip().lower() in ("", "default")
        self.device: OutputDevice = resolve_output_device(device, list_output_devices(self._sc))
        self.sample_rate = int(sample_rate)
        self.channels = int(channels)
        self.blocksize = max(1, int(self.sample_rate * BLOCK_SECONDS))
        self.ring = RingBuffer(int(self.sample_rate * ring_seconds))
        self._scratch = np.zeros(self.blocksize, dtype=np.float32)
        self._thread: threading.Thread | None = None
        self._running = threading.Event()
        self._opened = threading.Event()
        self._error: str | None = None
        self._last_block = time.monotonic()  # when the capture thread last wrote audio
        self._next_stall_check = 0.0
        self.switches = 0  # times the capture moved to a new default output device

    @property
    def _library(self) -> ModuleType:
        """soundcard (its sound-server connection checked first), or a test's stand-in."""
        return soundcard_module(self._platform) if self._real else self._sc

    @property
    def exhausted(self) -> bool:
        return False

    @property
    def error(self) -> str | None:
        """Why capture stopped, or None. Asked on every tick by the consumer, which also
        notices a capture thread stuck in the library (a PulseAudio stream whose device
        vanished may neither fail nor deliver): stalled, and the device gone or the default
        moved, is an error, so the app reopens capture."""
        now = time.monotonic()
        if (
            self._error is None
            and self._running.is_set()
            and now - self._last_block > STALL_S
            and now >= self._next_stall_check
        ):
            self._next_stall_check = now + FOLLOW_DEFAULT_S
            if self.follows_default:
                default = self._default_device()
                if default is not None and default.id != self.device.id:
                    self._error = translate(
                        "audio",
                        "Capturing what '{name}' plays stopped; the default output is now "
                        "'{default}'.",
                    ).format(name=self.device.name, default=default.name)
            elif not self._still_there():
                self._error = translate(
                    "audio", "The output device '{name}' is gone (unplugged?)."
                ).format(name=self.device.name)
        return self._error

    def _recorder(self, device: OutputDevice) -> _Recorder:
        microphone = self._library.get_microphone(
            loopback_id(device.id, self._platform), include_loopback=True
        )
        recorder: _Recorder = microphone.recorder(
            samplerate=self.sample_rate, channels=self.channels, blocksize=self.blocksize
        )
        return recorder

    def _default_device(self) -> OutputDevice | None:
        try:
            default = self._library.default_speaker()
            if default is None:
                return None
            return OutputDevice(str(default.id), str(default.name), int(default.channels), True)
        except Exception:
            return None  # no default right now (all unplugged, or changing): keep what we have

    def start(self) -> None:
        # Open once here, so that a device that cannot be captured fails now, with a message.
        try:
            recorder = self._recorder(self.device)
            recorder.__enter__()
        except Exception as exc:
            raise AudioDeviceError(
                translate("audio", "Could not capture what '{name}' plays: {exc}").format(
                    name=self.device.name, exc=exc
                )
            ) from exc
        self._running.set()
        self._last_block = time.monotonic()
        self._thread = threading.Thread(
            target=self._run, args=(recorder,), name="system-audio", daemon=True
        )
        self._thread.start()
        # "Capturing" should mean it: a PulseAudio monitor stream may take a second or more
        # to deliver its first block, and what plays before that is never delivered. Wait
        # (in the caller's thread: the recognition worker's, never the GUI's), bounded.
        self._opened.wait(timeout=FIRST_BLOCK_WAIT_S)

    def stop(self) -> None:
        self._running.clear()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            # The recorder returns at least every block (zeros in silence); a stuck sound
            # server must not hang the app, so the (daemon) thread is not waited for long.
            thread.join(timeout=2.0)
        self._thread = None

    def _write(self, block: np.ndarray) -> None:
        frames = block.shape[0]
        if block.ndim == 1 or block.shape[1] == 1:
            self.ring.write(block.reshape(frames))
        elif frames <= self._scratch.shape[0]:
            out = self._scratch[:frames]
            np.mean(block, axis=1, out=out)
            self.ring.write(out)
        else:
            self.ring.write(block.mean(axis=1, dtype=np.float32))

    def _run(self, recorder: _Recorder) -> None:
        if self._real:
            try:
                join_com(self._platform)  # this thread records (soundcard is imported by now)
            except AudioDeviceError as exc:
                _close(recorder)
                self._error = str(exc)
                return
        current: _Recorder | None = recorder
        next_check = time.monotonic() + FOLLOW_DEFAULT_S
        try:
            while current is not None and self._running.is_set():
                try:
                    block = current.record(numframes=self.blocksize)
                except Exception as exc:  # the device went away (unplugged, sink unloaded)
                    _close(current)
                    current = self._reopen_after_failure(exc)
                    continue
                self._write(np.asarray(block, dtype=np.float32))
                self._last_block = time.monotonic()
                self._opened.set()
                if time.monotonic() >= next_check:
                    next_check = time.monotonic() + FOLLOW_DEFAULT_S
                    if self.follows_default:
                        current = self._follow_default(current)
                    elif not self._still_there():
                        # PulseAudio moves the stream of a removed sink's monitor to another
                        # source instead of failing it: what it captures is not this device.
                        _close(current)
                        current = None
                        self._error = translate(
                            "audio", "The output device '{name}' is gone (unplugged or disabled?)."
                        ).format(name=self.device.name)
        finally:
            if current is not None:
                _close(current)
            if self._real:
                leave_com()

    def _still_there(self) -> bool:
        try:
            return any(str(s.id) == self.device.id for s in self._library.all_speakers())
        except Exception:
            return True  # cannot tell now: keep capturing

    def _follow_default(self, recorder: _Recorder) -> _Recorder:
        default = self._default_device()
        if default is None or default.id == self.device.id:
            return recorder
        try:
            new = self._recorder(default)
            new.__enter__()
        except Exception:
            return recorder  # not ready yet; try again at the next check
        _close(recorder)
        self.device = default
        self.switches += 1
        return new

    def _reopen_after_failure(self, exc: Exception) -> _Recorder | None:
        """The default output moved -> capture the new one; otherwise report and end (None)."""
        if self.follows_default:
            default = self._default_device()
            if default is not None and default.id != self.device.id:
                try:
                    new = self._recorder(default)
                    new.__enter__()
                except Exception:
                    pass
                else:
                    self.device = default
                    self.switches += 1
                    return new
        self._error = translate(
            "audio", "Capturing what '{name}' plays stopped (unplugged or disabled?): {exc}"
        ).format(name=self.device.name, exc=exc)
        return None


def _close(recorder: _Recorder) -> None:
    with contextlib.suppress(Exception):  # already gone with its device
        recorder.__exit__(None, None, None)
