"""Streaming audio through an engine as the worker does (20 ms at a time), recording what it
says and when; and a CPU of known speed for the Whisper engine's scheduling."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from captioner.asr.recognizer import Recognizer
from captioner.asr.types import Partial, Segment
from captioner.asr.whisper.decoding import DecodeSettings
from captioner.asr.whisper.engine import WhisperStreamingOptions, WhisperStreamingRecognizer

CHUNK = 320  # 20 ms, as the worker delivers it


@dataclass
class Run:
    finals: list[tuple[float, Segment]]  # (audio position when it arrived, segment)
    partials: list[tuple[float, Partial]]

    @property
    def text(self) -> str:
        return "".join(s.text for _, s in self.finals)


def stream(
    engine: Recognizer, audio: np.ndarray, finish: bool = True, run: Run | None = None
) -> Run:
    run = run or Run([], [])
    position = 0.0
    for i in range(0, audio.shape[0], CHUNK):
        engine.feed(audio[i : i + CHUNK])
        position += min(CHUNK, audio.shape[0] - i) / 16000
        update = engine.update()
        run.finals += [(position, s) for s in update.confirmed]
        if update.partial is not None:
            run.partials.append((position, update.partial))
    if finish:
        update = engine.finish()
        run.finals += [(position, s) for s in update.confirmed]
        if update.partial is not None:
            run.partials.append((position, update.partial))
    return run


def funasr_engine(loaded, second_pass: bool = True, **options):
    """A fresh FunASR streaming engine (its own caches) over already loaded models."""
    from captioner.asr.funasr.engine import FunasrStreamingOptions, FunasrStreamingRecognizer
    from captioner.asr.funasr.pipeline import FunasrPipeline

    pipeline = FunasrPipeline(
        streaming=loaded.streaming,
        vad=loaded.vad,
        second_pass=loaded.second_pass if second_pass else None,
        punctuation=loaded.punctuation,
    )
    return FunasrStreamingRecognizer(pipeline, FunasrStreamingOptions(**options))


class SimulatedCpu:
    """The Whisper engine's clock in a test that streams faster than real time.

    It stands still except while the engine decodes, and each decode takes what it would
    on a CPU of this speed: ``base_s`` plus ``per_audio_s`` for each second of audio, times
    ``beam_factor`` for a beam search. The engine spaces its partials by what they took, so
    with this clock its scheduling is the same on every machine and every kernel set.
    """

    def __init__(self, base_s: float, per_audio_s: float, beam_factor: float = 2.0) -> None:
        self.base_s = base_s
        self.per_audio_s = per_audio_s
        self.beam_factor = beam_factor
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def cost(self, audio_s: float, settings: DecodeSettings) -> float:
        seconds = self.base_s + self.per_audio_s * audio_s
        return seconds * (self.beam_factor if settings.beam_size > 1 else 1.0)

    def attach(self, engine: WhisperStreamingRecognizer) -> WhisperStreamingRecognizer:
        """Make each of ``engine``'s decodes advance this clock by its cost."""
        decode = engine.decoder.decode

        def timed_decode(audio, offset_s, settings, *args, **kwargs):
            result = decode(audio, offset_s, settings, *args, **kwargs)
            self.now += self.cost(audio.shape[0] / 16000, settings)
            return result

        engine.decoder.decode = timed_decode  # type: ignore[method-assign]
        return engine


def two_core_cpu() -> SimulatedCpu:
    """About what Whisper base int8 takes on the 2-core dev machine: a partial of 3 s of
    speech 0.2 s, of 20 s 0.7 s; a second pass about twice as long."""
    return SimulatedCpu(base_s=0.1, per_audio_s=0.03)


def whisper_engine(
    model, options: WhisperStreamingOptions | None = None, cpu: SimulatedCpu | None = None
) -> WhisperStreamingRecognizer:
    """A Whisper streaming engine whose decodes take what they would on ``cpu`` (default:
    the 2-core dev machine), whatever this machine's speed."""
    cpu = cpu or two_core_cpu()
    return cpu.attach(WhisperStreamingRecognizer(model, options, clock=cpu))
