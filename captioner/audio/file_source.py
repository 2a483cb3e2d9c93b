"""Audio files (wav, flac, mp3, anything FFmpeg reads) as a source, optionally at real-time pace."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from captioner.audio import SAMPLE_RATE
from captioner.audio.ring_buffer import RingBuffer
from captioner.errors import AudioFileError
from captioner.i18n import translate


def iter_audio_file(
    path: str | Path, rate: int = SAMPLE_RATE, chunk_seconds: float = 0.5
) -> Iterator[np.ndarray]:
    """Decode ``path`` to mono float32 at ``rate``, in chunks, without loading it whole."""
    path = Path(path)
    if not path.is_file():
        raise AudioFileError(translate("audio", "Audio file not found: {path}").format(path=path))
    chunk = max(1, int(rate * chunk_seconds))
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise AudioFileError(
            translate("audio", "Cannot read '{path}' as audio: {reason}").format(
                path=path, reason=_reason(exc)
            )
        ) from exc
    with container:
        if not container.streams.audio:
            raise AudioFileError(
                translate("audio", "'{path}' contains no audio track.").format(path=path)
            )
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        pending: list[np.ndarray] = []
        pending_len = 0
        try:
            for frame in container.decode(stream):
                frame.pts = None  # let the resampler ignore timestamp gaps
                for out in resampler.resample(frame):
                    pending.append(out.to_ndarray().reshape(-1))
                    pending_len += pending[-1].shape[0]
                while pending_len >= chunk:
                    joined = np.concatenate(pending)
                    yield joined[:chunk]
                    pending, pending_len = [joined[chunk:]], joined.shape[0] - chunk
            for out in resampler.resample(None):
                pending.append(out.to_ndarray().reshape(-1))
        except av.FFmpegError as exc:
            raise AudioFileError(
                translate("audio", "'{path}' could not be decoded: {reason}").format(
                    path=path, reason=_reason(exc)
                )
            ) from exc
        if pending:
            rest = np.concatenate(pending)
            for i in range(0, rest.shape[0], chunk):
                yield rest[i : i + chunk]


def read_audio_file(path: str | Path, rate: int = SAMPLE_RATE) -> np.ndarray:
    parts = list(iter_audio_file(path, rate))
    if not parts:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(parts).astype(np.float32, copy=False)


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


class FileSource:
    """Plays a file into a ring buffer like a microphone would.

    ``realtime=True`` paces delivery by the wall clock (demos, tests, captioning a recording
    "live"); otherwise it delivers as fast as the consumer reads, waiting for ring space
    rather than dropping audio.
    """

    def __init__(
        self,
        path: str | Path,
        realtime: bool = True,
        block_seconds: float = 0.02,
        ring_seconds: float = 60.0,
    ) -> None:
        self.path = Path(path)
        self.sample_rate = SAMPLE_RATE
        self.realtime = realtime
        self.block = max(1, int(self.sample_rate * block_seconds))
        self.ring = RingBuffer(int(self.sample_rate * ring_seconds))
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._exhausted = threading.Event()
        self._error: str | None = None
        self.started_at: float | None = None  # time.monotonic() of the first sample
        # Open the file now so a bad path fails where the user asked for it.
        self._chunks = iter_audio_file(self.path, self.sample_rate, chunk_seconds=1.0)
        self._first = next(self._chunks, None)

    @property
    def exhausted(self) -> bool:
        return self._exhausted.is_set()

    @property
    def error(self) -> str | None:
        return self._error

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="file-source", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            self._play()
        except Exception as exc:  # reported to the user through `error`
            self._error = str(exc)
        finally:
            self._exhausted.set()

    def _play(self) -> None:
        self.started_at = start = time.monotonic()
        sent = 0
        chunk = self._first
        while chunk is not None and not self._stop.is_set():
            for i in range(0, chunk.shape[0], self.block):
                if self._stop.is_set():
                    return
                block = chunk[i : i + self.block]
                if self.realtime:
                    due = start + (sent + block.shape[0]) / self.sample_rate
                    delay = due - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                else:
                    while self.ring.capacity - self.ring.available() < block.shape[0]:
                        if self._stop.wait(0.005):
                            return
                self.ring.write(block)
                sent += block.shape[0]
            chunk = next(self._chunks, None)
