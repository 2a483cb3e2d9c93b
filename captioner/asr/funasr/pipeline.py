"""The FunASR model calls the streaming engine makes, each with its own per-stream cache.

One :class:`FunasrPipeline` wraps the loaded models; a :class:`StreamState` holds everything
one audio stream has accumulated inside FunASR (VAD and streaming-model caches). Giving a
stream a fresh state is how nothing leaks between streams or utterances.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from captioner.asr.config import FunasrConfig
from captioner.audio import SAMPLE_RATE

_RICH_TAGS = re.compile(r"<\|[^|]*\|>")  # SenseVoice's <|zh|><|NEUTRAL|><|Speech|>... tags


@dataclass
class StreamState:
    vad_cache: dict[str, Any] = field(default_factory=dict)  # FunASR's own cache objects
    asr_cache: dict[str, Any] = field(default_factory=dict)


@dataclass
class PipelineTimes:
    """Seconds spent in each model (for the benchmark's real-time factor)."""

    vad: float = 0.0
    streaming: float = 0.0
    second_pass: float = 0.0
    punctuation: float = 0.0

    @property
    def total(self) -> float:
        return self.vad + self.streaming + self.second_pass + self.punctuation


# FunASR model classes whose generate() takes ``hotword`` (space-separated terms).
HOTWORD_MODELS = frozenset({"SeacoParaformer", "ContextualParaformer"})


class FunasrPipeline:
    def __init__(
        self,
        streaming: Any,
        vad: Any,
        second_pass: Any | None = None,
        punctuation: Any | None = None,
        settings: FunasrConfig | None = None,
        vad_chunk_ms: int = 100,
        hotwords: tuple[str, ...] = (),
    ) -> None:
        self.streaming_model = streaming
        self.vad_model = vad
        self.second_pass_model = second_pass
        self.punctuation_model = punctuation
        self.settings = settings or FunasrConfig()
        self.end_silence_ms = self.settings.end_silence_ms
        self.vad_chunk_ms = vad_chunk_ms
        self.hotwords = hotwords
        self.times = PipelineTimes()

    @property
    def chunk_samples(self) -> int:
        """Audio per streaming step (600 ms: 10 encoder frames of 60 ms)."""
        return self.settings.chunk_size[1] * 960

    @property
    def has_second_pass(self) -> bool:
        return self.second_pass_model is not None

    @property
    def takes_hotwords(self) -> bool:
        """Whether the second-pass model biases decoding towards hotwords: SeACo-Paraformer
        and the contextual Paraformer do; plain paraformer-zh and SenseVoice do not."""
        model = getattr(self.second_pass_model, "model", None)
        return type(model).__name__ in HOTWORD_MODELS

    def vad(self, state: StreamState, audio: np.ndarray, is_final: bool = False) -> list[list[int]]:
        """FSMN-VAD over the next audio: [[beg_ms, -1]] speech began, [[-1, end_ms]] it
        ended, [[beg_ms, end_ms]] both; ms since the state's VAD cache began."""
        began = time.perf_counter()
        result = self.vad_model.generate(
            input=audio,
            cache=state.vad_cache,
            is_final=is_final,
            chunk_size=self.vad_chunk_ms,
            max_end_silence_time=self.end_silence_ms,  # fixed (no FunASR dynamic schedule)
        )
        self.times.vad += time.perf_counter() - began
        return list(result[0]["value"]) if result else []

    def vad_in_silence(self, state: StreamState) -> bool:
        """Whether the VAD has no speech start pending (its cache may be restarted)."""
        stats = state.vad_cache.get("stats")
        return stats is None or stats.vad_state_machine.value == 1

    def stream(self, state: StreamState, audio: np.ndarray, is_final: bool = False) -> str:
        """Feed the streaming model; returns the text of the newly decoded tokens. Audio short
        of a whole step waits in the cache; ``is_final`` decodes it and the look-ahead tail
        (without it the last characters are never emitted) and clears the cache."""
        began = time.perf_counter()
        result = self.streaming_model.generate(
            input=audio,
            cache=state.asr_cache,
            is_final=is_final,
            chunk_size=self.settings.chunk_size,
            encoder_chunk_look_back=4,  # chunks of encoder self-attention history
            decoder_chunk_look_back=1,  # encoder chunks the decoder attends back to
        )
        self.times.streaming += time.perf_counter() - began
        return str(result[0]["text"]) if result else ""

    def second_pass(self, audio: np.ndarray) -> str:
        """The utterance decoded offline (paraformer-zh or SenseVoiceSmall), unpunctuated."""
        assert self.second_pass_model is not None
        began = time.perf_counter()
        biased = self.hotwords and self.takes_hotwords
        extra = {"hotword": " ".join(self.hotwords)} if biased else {}
        result = self.second_pass_model.generate(input=audio, language="zh", use_itn=False, **extra)
        self.times.second_pass += time.perf_counter() - began
        text = str(result[0]["text"]) if result else ""
        return _RICH_TAGS.sub("", text).strip()

    def punctuate(self, text: str) -> str:
        """ct-punc over one whole utterance, with no cache: its punctuation, including the
        sentence end, is final at once (FunASR's realtime punctuation model with a cache
        holds a sentence's punctuation back until the next one: FunASR issue #1095)."""
        if self.punctuation_model is None or not text.strip():
            return text
        began = time.perf_counter()
        result = self.punctuation_model.generate(input=text)
        self.times.punctuation += time.perf_counter() - began
        return str(result[0]["text"]) if result else text

    def warm_up(self) -> None:
        """One pass through every model, so a CUDA failure shows at load time."""
        silence = np.zeros(SAMPLE_RATE, dtype=np.float32)
        state = StreamState()
        self.vad(state, silence, is_final=True)
        self.stream(state, silence, is_final=True)
        if self.second_pass_model is not None:
            self.second_pass(silence)
        self.punctuate("你好")
        self.times = PipelineTimes()

    def offline_segments(self, audio: np.ndarray) -> list[tuple[str, float, float]]:
        """Whole-recording transcription (FunASR's offline VAD -> ASR -> punctuation):
        (text, start s, end s) per speech segment."""
        result = self.vad_model.generate(input=audio, max_end_silence_time=self.end_silence_ms)
        spans = result[0]["value"] if result else []
        out = []
        for beg_ms, end_ms in spans:
            piece = audio[int(beg_ms * 16) : int(end_ms * 16)]
            if self.second_pass_model is not None:
                text = self.second_pass(piece)
            else:
                state = StreamState()
                text = self.stream(state, piece, is_final=True)
            text = self.punctuate(text)
            if text:
                out.append((text, beg_ms / 1000, end_ms / 1000))
        return out
