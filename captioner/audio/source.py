"""What the recognition side sees of any audio source: a ring buffer at some rate."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from captioner.audio import SAMPLE_RATE
from captioner.audio.resample import StreamResampler
from captioner.audio.ring_buffer import RingBuffer
from captioner.audio.silence import DigitalSilence


class AudioSource(Protocol):
    """A producer that fills ``ring`` with mono float32 audio at ``sample_rate``."""

    ring: RingBuffer
    sample_rate: int

    def start(self) -> None: ...

    def stop(self) -> None: ...

    @property
    def exhausted(self) -> bool:
        """True once the source will never produce more audio (end of file)."""
        ...

    @property
    def error(self) -> str | None:
        """A message if capture failed (device unplugged), else None."""
        ...


class SourceReader:
    """Consumer side: drains a source's ring buffer and returns 16 kHz audio.

    ``silence`` (for a microphone) is shown everything read, as it was captured."""

    def __init__(self, source: AudioSource, silence: DigitalSilence | None = None) -> None:
        self.source = source
        self.silence = silence
        self._resampler = StreamResampler(source.sample_rate, SAMPLE_RATE)
        self._flushed = False

    def read(self) -> np.ndarray:
        raw = self.source.ring.read()
        if self.silence is not None:
            self.silence.feed(raw)
        if self.source.exhausted and not self._flushed and self.source.ring.available() == 0:
            self._flushed = True
            return self._resampler.process(raw, last=True)
        return self._resampler.process(raw)

    @property
    def captured_seconds(self) -> float:
        """Audio produced by the source so far (read or not), in seconds."""
        return self.source.ring.total_written / self.source.sample_rate

    @property
    def dropped_seconds(self) -> float:
        return self.source.ring.dropped / self.source.sample_rate

    @property
    def finished(self) -> bool:
        return self._flushed
