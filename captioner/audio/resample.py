"""Streaming polyphase resampling to the recogniser's 16 kHz, with mono mix-down."""

from __future__ import annotations

import numpy as np
import soxr

from captioner.audio import SAMPLE_RATE


def to_mono(frames: np.ndarray) -> np.ndarray:
    """Average channels: (n, channels) -> (n,). Mono input is returned as is."""
    if frames.ndim == 1:
        return frames
    if frames.shape[1] == 1:
        return frames[:, 0]
    return np.asarray(frames.mean(axis=1, dtype=np.float32))


class StreamResampler:
    """Resamples consecutive blocks of one stream without edge artefacts between blocks."""

    def __init__(self, in_rate: int, out_rate: int = SAMPLE_RATE) -> None:
        self.in_rate = int(in_rate)
        self.out_rate = int(out_rate)
        self._stream = (
            None
            if self.in_rate == self.out_rate
            else soxr.ResampleStream(self.in_rate, self.out_rate, 1, dtype="float32", quality="HQ")
        )

    def process(self, samples: np.ndarray, last: bool = False) -> np.ndarray:
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        if self._stream is None:
            return samples
        return np.asarray(self._stream.resample_chunk(samples, last=last), dtype=np.float32)
