"""What recognition the user asked for, for either engine (plain settings: nothing heavy is
imported here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from captioner.text.script import Script
from captioner.text.vocabulary import Vocabulary

EngineName = Literal["whisper", "funasr"]
DeviceChoice = Literal["auto", "cuda", "cpu"]
Hub = Literal["auto", "modelscope", "huggingface"]  # where FunASR model names download from
NONE = "none"  # as a FunASR second-pass or punctuation model: do without it
# How the Whisper engine confirms text: a beam-search second pass over each utterance, or
# LocalAgreement-2 of greedy partials alone (whisper_streaming's way, for comparison).
Policy = Literal["two-pass", "agreement"]


@dataclass(frozen=True)
class FunasrConfig:
    """The models (hub names or local folders) and streaming choices of the FunASR engine.

    ``second_pass``: ``paraformer-zh`` (default), ``sensevoice`` (SenseVoiceSmall), a model
    folder, or ``none`` (the streaming model's own text is confirmed, flushed with
    ``is_final``). ``punctuation``: ``ct-punc`` (default), ``ct-punc-c`` (smaller,
    Chinese only), a folder, or ``none``. ``chunk_ms``: 600 (default) or 480, the streaming
    model's step; it also hears 300 or 240 ms ahead.
    """

    streaming_model: str = "paraformer-zh-streaming"
    second_pass: str = "paraformer-zh"
    vad_model: str = "fsmn-vad"
    punctuation: str = "ct-punc"
    chunk_ms: int = 600
    hub: Hub = "auto"  # auto: ModelScope first, then Hugging Face
    # Silence that ends an utterance (FSMN-VAD's max_end_silence_time; it decides after
    # about this minus 150 ms of quiet). 500 split read sentences at breaths; FunASR uses 800.
    end_silence_ms: int = 700

    def __post_init__(self) -> None:
        if self.chunk_ms not in CHUNK_SIZES:
            choices = " or ".join(str(ms) for ms in CHUNK_SIZES)
            raise ValueError(f"FunASR chunk size must be {choices} ms, not {self.chunk_ms}.")

    @property
    def chunk_size(self) -> list[int]:
        """FunASR's ``chunk_size``: [0, chunk, look-ahead] in 60 ms encoder frames."""
        return list(CHUNK_SIZES[self.chunk_ms])


CHUNK_SIZES = {600: (0, 10, 5), 480: (0, 8, 4)}


@dataclass(frozen=True)
class RecognitionConfig:
    engine: EngineName = "whisper"
    whisper_model: str = "base"  # a Whisper model name or folder (engine "whisper")
    device: DeviceChoice = "auto"
    compute_type: str = "auto"
    language: str | None = "zh"
    script: Script = Script.SIMPLIFIED
    policy: Policy = "two-pass"
    cpu_threads: int = 0  # 0: CTranslate2's default (all cores)
    download_mirror: str = ""  # a Hugging Face mirror for Whisper downloads ("": the hub)
    funasr: FunasrConfig = field(default_factory=FunasrConfig)  # engine "funasr"
    vocabulary: Vocabulary = field(default_factory=Vocabulary)  # terms and replacement rules
