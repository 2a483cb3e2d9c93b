"""faster-whisper below ``WhisperModel.transcribe``: the one module that reaches in.

Streaming needs what ``transcribe`` does not offer (encoder windows shorter than 30 s, a
forced prefix, one decode at a time), so the engine drives the model's parts itself: the
CTranslate2 model behind ``WhisperModel.model``, the feature extractor, the tokenizer and the
tokens faster-whisper suppresses. None of these is faster-whisper's published API, and a
release may move any of them. tests/integration/test_faster_whisper_api.py checks each one
against the installed faster-whisper, and pyproject.toml admits only releases up to the one
it was last run on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from faster_whisper import WhisperModel
    from faster_whisper.tokenizer import Tokenizer

Encoded = Any  # a ctranslate2.StorageView (CTranslate2 publishes no types)


@dataclass(frozen=True)
class Generated:
    """What one decode produced after its prompt."""

    tokens: list[int]  # text and timestamp tokens after the prompt
    avg_logprob: float  # as faster-whisper computes it (length penalty 1)
    no_speech_prob: float


class WhisperTokenizer:
    """The token ids and the text conversion of one language's decodes."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        self.sot_prev = tokenizer.sot_prev  # what precedes a text prompt
        self.sot_sequence = tuple(tokenizer.sot_sequence)  # start, language, task
        self.no_timestamps = tokenizer.no_timestamps  # text alone, no segment times
        self.eot = tokenizer.eot  # end of text: ids at or above it are not text
        self.timestamp_begin = tokenizer.timestamp_begin  # the 0.00 s timestamp token

    def encode(self, text: str) -> list[int]:
        return list(self._tokenizer.encode(text))

    def decode(self, tokens: list[int]) -> str:
        return self._tokenizer.decode(tokens)

    def suppressed_tokens(self) -> list[int]:
        """What faster-whisper keeps out of a transcription by default (its ``[-1]``):
        symbols that are not speech, and the special tokens."""
        from faster_whisper.transcribe import get_suppressed_tokens

        return list(get_suppressed_tokens(self._tokenizer, (-1,)) or [])


class WhisperParts:
    """A loaded ``WhisperModel`` taken apart for streaming decodes."""

    def __init__(self, model: WhisperModel) -> None:
        self._model = model
        self._ct2 = model.model

    @property
    def multilingual(self) -> bool:
        return bool(self._ct2.is_multilingual)

    @property
    def device(self) -> str:
        return str(self._ct2.device)

    @property
    def compute_type(self) -> str:
        return str(self._ct2.compute_type)

    def tokenizer(self, language: str, task: str = "transcribe") -> WhisperTokenizer:
        """Transcription in ``language`` (an English-only model has only English), or with
        ``task="translate"`` speech in ``language`` written in English."""
        from faster_whisper.tokenizer import Tokenizer

        return WhisperTokenizer(
            Tokenizer(self._model.hf_tokenizer, self.multilingual, task=task, language=language)
        )

    def features(self, audio: np.ndarray) -> np.ndarray:
        """Log-Mel features, one frame per 10 ms: (mels, frames). faster-whisper drops the
        last frame too: it is an edge artefact of the STFT padding, and keeping it measurably
        changes (worsens) results on short utterances."""
        features: np.ndarray = self._model.feature_extractor(audio)
        return features[:, :-1]

    def encode(self, features: np.ndarray) -> Encoded:
        return self._model.encode(features)

    def generate(
        self,
        encoded: Encoded,
        prompt: list[int],
        max_length: int,
        suppress: list[int],
        beam_size: int = 1,
        temperature: float = 0.0,
    ) -> Generated:
        """One decode: beam search, or sampling at ``temperature`` when above 0."""
        sampling = (
            {"beam_size": 1, "sampling_topk": 0, "sampling_temperature": temperature}
            if temperature > 0
            else {"beam_size": beam_size}
        )
        result = self._ct2.generate(
            encoded,
            [prompt],
            max_length=max_length,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=suppress,
            max_initial_timestamp_index=50,
            **sampling,
        )[0]
        tokens = [int(t) for t in result.sequences_ids[0]]
        length = max(len(tokens), 1)
        return Generated(
            tokens,
            float(result.scores[0]) * length / (length + 1),
            float(result.no_speech_prob),
        )

    def detect_language(self, encoded: Encoded) -> str:
        """The most likely language's code, e.g. "zh"."""
        best = self._ct2.detect_language(encoded)[0][0][0]  # "<|zh|>"
        return str(best)[2:-2]


def encode_silence(model: WhisperModel) -> None:
    """Encode 0.1 s of silence: the first calls into the device's libraries (cuBLAS and cuDNN
    on a GPU), so that one that is missing fails now."""
    features = model.feature_extractor(np.zeros(1600, dtype=np.float32))
    model.encode(features[:, :100])
