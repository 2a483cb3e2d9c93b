"""Live capture from an input device through a sounddevice callback."""

from __future__ import annotations

from typing import Any

import numpy as np
import sounddevice as sd

from captioner.audio import BLOCK_SECONDS
from captioner.audio.devices import InputDevice, choose_capture_format, resolve_input_device
from captioner.audio.ring_buffer import RingBuffer
from captioner.errors import AudioDeviceError
from captioner.i18n import translate


class MicrophoneSource:
    """Captures one input device into a ring buffer.

    The callback runs on PortAudio's real-time thread: it only mixes down into a preallocated
    scratch buffer and copies into the ring. No logging, no locks, no allocation per call.
    """

    def __init__(
        self,
        device: int | str | None = None,
        ring_seconds: float = 60.0,
        sample_rate: int | None = None,
        channels: int | None = None,
    ) -> None:
        """``sample_rate``/``channels`` override the automatic choice (16 kHz mono if the
        device offers it, else its native rate)."""
        self.device: InputDevice = resolve_input_device(device)
        rate, channels_ = choose_capture_format(self.device)
        rate = int(sample_rate) if sample_rate is not None else rate
        channels = int(channels) if channels is not None else channels_
        self.sample_rate = rate
        self.channels = channels
        self.blocksize = max(1, int(rate * BLOCK_SECONDS))
        self.ring = RingBuffer(int(rate * ring_seconds))
        self._scratch = np.zeros(self.blocksize, dtype=np.float32)
        self._stream: sd.InputStream | None = None
        self.overflows = 0  # PortAudio-reported input overflows (driver-side drops)
        self._error: str | None = None

    @property
    def exhausted(self) -> bool:
        return False

    @property
    def error(self) -> str | None:
        stream = self._stream
        if self._error is None and stream is not None and not stream.active and not stream.closed:
            self._error = translate(
                "audio",
                "The microphone '{name}' stopped delivering audio (unplugged or disabled?).",
            ).format(name=self.device.name)
        return self._error

    def _callback(self, indata: np.ndarray, frames: int, _time: Any, status: Any) -> None:
        if status.input_overflow:
            self.overflows += 1
        if self.channels == 1:
            self.ring.write(indata[:, 0])
        elif frames <= self._scratch.shape[0]:
            out = self._scratch[:frames]
            np.mean(indata, axis=1, out=out)
            self.ring.write(out)
        else:  # a host API ignored our block size: correctness over zero allocation
            self.ring.write(indata.mean(axis=1, dtype=np.float32))

    def start(self) -> None:
        try:
            self._stream = sd.InputStream(
                device=self.device.index,
                samplerate=self.sample_rate,
                channels=self.channels,
                dtype="float32",
                blocksize=self.blocksize,
                callback=self._callback,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            self._stream = None
            raise AudioDeviceError(
                translate("audio", "Could not open the microphone '{name}': {exc}").format(
                    name=self.device.name, exc=exc
                )
            ) from exc

    def stop(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except sd.PortAudioError:
                pass  # already gone (device unplugged); nothing left to release
            self._stream = None
