"""Streaming voice activity detection with the Silero VAD model that faster-whisper ships.

:class:`SileroVad` turns audio into one speech probability per 32 ms window, carrying the
model's recurrent state across calls (faster-whisper's own wrapper restarts it on every call,
which suits whole files but not a live stream). :class:`SpeechSegmenter` is the pure state
machine that turns probabilities into utterance start/end events.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Literal

import numpy as np

from captioner.audio import SAMPLE_RATE

WINDOW = 512  # samples per probability at 16 kHz (32 ms)
_CONTEXT = 64  # samples of the previous window the model sees before each window
QUIET_PROBABILITY = 0.35  # below this a window counts as quiet (VadConfig.neg_threshold)
# While the model rests (see SileroVad), a window this much louder than the noise floor
# (RMS, 6 dB) wakes it. The floor follows the quietest recent windows: it falls at once and
# rises at most 10 dB a second, and never goes below -90 dBFS (digital silence).
WAKE_ABOVE_FLOOR = 2.0
_FLOOR_MIN = 10 ** (-90 / 20)
_FLOOR_RISE = 10 ** (10 / 20 * WINDOW / SAMPLE_RATE)  # per window


def silero_model_path() -> str:
    """The Silero VAD v6 model that faster-whisper (1.2.1 and later) ships as package data."""
    return str(resources.files("faster_whisper") / "assets" / "silero_vad_v6.onnx")


class SileroVad:
    """Silero over a stream, one probability per window.

    After ``fresh_after_quiet_s`` of quiet the model starts afresh (:meth:`forget_state`),
    and from then on it *rests*: windows no louder than the noise floor (see
    WAKE_ABOVE_FLOOR) get probability 0 without running the model, until one is louder.
    The model would begin from that same fresh state anyway, so what it says about speech
    barely changes, while listening to a quiet room all day costs almost nothing (the
    model was most of the CPU spent in silence). ``rest=False`` runs it on every window.
    """

    def __init__(
        self,
        model_path: str | None = None,
        fresh_after_quiet_s: float = 1.0,
        rest: bool = True,
    ) -> None:
        import onnxruntime

        # After this long below QUIET_PROBABILITY the model starts afresh (forget_state).
        self._fresh_after = round(fresh_after_quiet_s * SAMPLE_RATE / WINDOW)
        self._quiet_windows = 0
        self._rest = rest
        self._floor: float | None = None  # RMS; None until the first window
        # The windows answered while resting since the state was last made fresh (at most
        # fresh_after_quiet_s): on waking, the model hears them first, so it is in the state
        # it would be in had it run all along.
        self._rested = np.zeros((0, _CONTEXT + WINDOW), dtype=np.float32)
        self.windows_skipped = 0  # windows answered without the model while it rested

        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        options.intra_op_num_threads = 1
        options.log_severity_level = 4
        self._session = onnxruntime.InferenceSession(
            model_path or silero_model_path(),
            providers=["CPUExecutionProvider"],
            sess_options=options,
        )
        self.reset()

    def reset(self) -> None:
        self.forget_state()
        self._leftover = np.zeros(0, dtype=np.float32)

    def forget_state(self) -> None:
        """Start the model afresh, keeping the window alignment (audio not yet analysed).

        After a speaker, the model's recurrent state can keep a quiet voice that follows
        below the threshold for good: in the varied test stream the quiet clip right after
        another speaker got no speech window at all, yet alone it is heard from 3.3 s. A state
        started afresh in the silence between them hears it, and on the read-speech stream it
        finds the same 30 utterances.
        """
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)
        self._quiet_windows = 0
        self._resting = self._rest  # a fresh state rests until a window is louder than the floor
        self._rested = np.zeros((0, _CONTEXT + WINDOW), dtype=np.float32)

    def __call__(self, samples: np.ndarray) -> np.ndarray:
        """Speech probability for each complete 512-sample window (leftovers wait).

        The model starts afresh, rests and wakes at the same windows however the stream is
        split into calls (the worker reads whatever arrived since its last tick), so the
        same audio gives the same utterances on every run.
        """
        audio = np.concatenate([self._leftover, samples.astype(np.float32, copy=False)])
        n = audio.shape[0] // WINDOW
        self._leftover = audio[n * WINDOW :]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        windows = audio[: n * WINDOW].reshape(n, WINDOW)
        loud = self._follow_floor(windows)
        parts: list[np.ndarray] = []
        start = 0
        while start < n:
            if self._resting and not loud[start]:
                # Resting: quiet windows get 0 without the model, up to the first loud one.
                woke = np.flatnonzero(loud[start:])
                m = int(woke[0]) if woke.size else n - start
                probs = np.zeros(m, dtype=np.float32)
                fresh = self._count_quiet(probs)
                m = fresh or m
                rested = self._batch(windows[start : start + m])
                self._rested = np.concatenate([self._rested, rested])
                self.windows_skipped += m
            else:
                # Running (or woken by this window: the model hears the replay first).
                m = n - start
                batch = self._batch(windows[start:])
                if self._resting:
                    batch, self._rested = np.concatenate([self._rested, batch]), self._rested[:0]
                    self._resting = False
                result, self._h, self._c = self._session.run(
                    None, {"input": batch, "h": self._h, "c": self._c}
                )
                probs = np.asarray(result, dtype=np.float32).reshape(-1)[-m:]
                fresh = self._count_quiet(probs)
                m = fresh or m  # windows after a fresh start are heard again from it
            parts.append(probs[:m])
            start += m
            if fresh:
                self.forget_state()
        return np.concatenate(parts)

    def _batch(self, windows: np.ndarray) -> np.ndarray:
        """The model's input: each window after the last samples of the one before it."""
        contexts = np.empty((windows.shape[0], _CONTEXT), dtype=np.float32)
        contexts[0] = self._context
        contexts[1:] = windows[:-1, -_CONTEXT:]
        self._context = windows[-1, -_CONTEXT:].copy()
        return np.concatenate([contexts, windows], axis=1)

    def _follow_floor(self, windows: np.ndarray) -> np.ndarray:
        """Update the noise floor over ``windows``; which were louder than the floor."""
        loud = np.zeros(windows.shape[0], dtype=bool)
        for i, rms in enumerate(np.sqrt(np.mean(np.square(windows, dtype=np.float64), axis=1))):
            floor = float(rms) if self._floor is None else self._floor
            loud[i] = rms > WAKE_ABOVE_FLOOR * floor
            self._floor = max(min(floor * _FLOOR_RISE, float(rms)), _FLOOR_MIN)
        return loud

    def _count_quiet(self, probs: np.ndarray) -> int:
        """Count quiet windows in a row; how many of ``probs`` lead up to a fresh start
        (0: none does)."""
        quiet = self._quiet_windows
        for i, p in enumerate(probs):
            quiet = quiet + 1 if p < QUIET_PROBABILITY else 0
            if self._fresh_after and quiet >= self._fresh_after:
                return i + 1
        self._quiet_windows = quiet
        return 0


@dataclass(frozen=True)
class VadConfig:
    threshold: float = 0.5  # probability above which a window is speech
    neg_threshold: float = 0.35  # below this, speech is over (hysteresis)
    min_silence_s: float = 0.4  # silence that ends an utterance
    speech_pad_s: float = 0.2  # audio kept before detected speech
    # Audio kept after it. It is also how long a pause must be before the speculative second
    # pass starts, so it adds to confirm latency one for one: 0.1 s instead of 0.2 s took the
    # median from 0.73 to 0.60 s (read) and 0.64 s (varied), CER 0.352 -> 0.345 and
    # 0.193 -> 0.198, AVX2. 0.05 s gained only 0.01-0.06 s
    # (four paired runs) and the varied stream's CER went up in both of its pairs.
    end_pad_s: float = 0.1


@dataclass(frozen=True)
class VadEvent:
    kind: Literal["start", "end"]
    sample: int  # absolute sample index (16 kHz) where speech started / stopped


class SpeechSegmenter:
    """Hysteresis over per-window probabilities: emits utterance start and end events."""

    def __init__(self, config: VadConfig | None = None) -> None:
        self.config = config or VadConfig()
        self.reset()

    def reset(self, position: int = 0) -> None:
        self._position = position  # absolute sample index of the next window
        self.in_speech = False
        self._silence_since: int | None = None

    @property
    def position(self) -> int:
        return self._position

    @property
    def silence_since(self) -> int | None:
        """Where the current pause inside speech began (None: speaking, or not in speech)."""
        return self._silence_since if self.in_speech else None

    def feed(self, probs: np.ndarray) -> list[VadEvent]:
        cfg = self.config
        min_silence = int(cfg.min_silence_s * SAMPLE_RATE)
        events: list[VadEvent] = []
        for p in probs:
            here = self._position
            self._position += WINDOW
            if not self.in_speech:
                if p >= cfg.threshold:
                    self.in_speech = True
                    self._silence_since = None
                    events.append(VadEvent("start", here))
                continue
            if p >= cfg.threshold:
                self._silence_since = None
            elif p < cfg.neg_threshold and self._silence_since is None:
                self._silence_since = here
            if (
                self._silence_since is not None
                and self._position - self._silence_since >= min_silence
            ):
                events.append(VadEvent("end", self._silence_since))
                self.in_speech = False
                self._silence_since = None
        return events


def speech_spans(audio: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of each stretch of speech in a whole recording (16 kHz)."""
    # The end of the input counts as silence, so speech running to the last sample ends.
    padded = np.concatenate([audio, np.zeros(SAMPLE_RATE, dtype=np.float32)])
    events = SpeechSegmenter().feed(SileroVad()(padded))
    starts = [e.sample / SAMPLE_RATE for e in events if e.kind == "start"]
    ends = [
        min(e.sample / SAMPLE_RATE, audio.shape[0] / SAMPLE_RATE) for e in events if e.kind == "end"
    ]
    return list(zip(starts, ends, strict=False))
