"""Streaming audio through an engine as the worker does (20 ms at a time), recording what it
says and when."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from captioner.asr.recognizer import Recognizer
from captioner.asr.types import Partial, Segment

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
