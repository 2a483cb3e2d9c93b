"""The faster-whisper internals the streaming decoder relies on, checked against the installed
release: the signatures it calls, the shapes it gets back, the token ids it builds prompts
from. A release that moves one fails here, and says what moved, before pyproject.toml's
bound on faster-whisper is raised to admit it (captioner/asr/whisper/faster_whisper_api.py
is the one module to change then)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from captioner.asr.vad import silero_model_path
from captioner.asr.whisper.faster_whisper_api import WhisperParts, WhisperTokenizer
from captioner.audio.file_source import read_audio_file
from tests.support.data import zh_clip

pytestmark = pytest.mark.model

# The ids prompts are built from: the multilingual models' (tiny to large-v2; large-v3 has
# one language more, so its later ids are one higher) in Chinese, and the English-only models'.
MULTILINGUAL_ZH = {
    "sot_sequence": (50258, 50260, 50359),  # start of transcript, <|zh|>, <|transcribe|>
    "eot": 50257,
    "sot_prev": 50361,
    "timestamp_begin": 50364,
}
ENGLISH_ONLY = {"sot_sequence": (50257,), "eot": 50256, "sot_prev": 50360, "timestamp_begin": 50363}
# faster-whisper's default suppression ([-1]) for the multilingual models: symbols that are
# not speech, then the special tokens.
# fmt: off
SUPPRESSED = (
    1, 2, 7, 8, 9, 10, 14, 25, 26, 27, 28, 29, 31, 58, 59, 60, 61, 62, 63, 90, 91, 92, 93, 359,
    503, 522, 542, 873, 893, 902, 918, 922, 931, 1350, 1853, 1982, 2460, 2627, 3246, 3253, 3268,
    3536, 3846, 3961, 4183, 4667, 6585, 6647, 7273, 9061, 9383, 10428, 10929, 11938, 12033,
    12331, 12562, 13793, 14157, 14635, 15265, 15618, 16553, 16604, 18362, 18956, 20075, 21675,
    22520, 26130, 26161, 26435, 28279, 29464, 31650, 32302, 32470, 36865, 42863, 47425, 49870,
    50254, 50258, 50358, 50359, 50360, 50361, 50362,
)
# fmt: on


def moved(what: str) -> str:
    import faster_whisper

    return (
        f"faster-whisper {faster_whisper.__version__}: {what}. Change "
        "captioner/asr/whisper/faster_whisper_api.py to follow it before pyproject.toml "
        "admits this release."
    )


def parameters(function: object) -> list[str]:
    return [p for p in inspect.signature(function).parameters if p != "self"]


def keywords_in_docstring(function: object) -> set[str]:
    """The parameter names of a compiled (pybind11) function, from its signature line."""
    first = (function.__doc__ or "").strip().splitlines()[0]
    return set(re.findall(r"(\w+): ", first))


def test_the_functions_the_adapter_calls_take_what_it_passes():
    from ctranslate2.models import Whisper
    from faster_whisper import WhisperModel
    from faster_whisper.feature_extractor import FeatureExtractor
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import get_suppressed_tokens

    expected = {
        "Tokenizer(tokenizer, multilingual, task, language)": (
            parameters(Tokenizer)[:4],
            ["tokenizer", "multilingual", "task", "language"],
        ),
        "get_suppressed_tokens(tokenizer, suppress_tokens)": (
            parameters(get_suppressed_tokens),
            ["tokenizer", "suppress_tokens"],
        ),
        "WhisperModel.encode(features)": (parameters(WhisperModel.encode), ["features"]),
        "FeatureExtractor(waveform)": (parameters(FeatureExtractor.__call__)[:1], ["waveform"]),
    }
    for call, (found, wanted) in expected.items():
        assert found == wanted, moved(f"{call} now takes {found}")
    generate = {
        "features",
        "prompts",
        "beam_size",
        "max_length",
        "return_scores",
        "return_no_speech_prob",
        "suppress_blank",
        "suppress_tokens",
        "max_initial_timestamp_index",
        "sampling_topk",
        "sampling_temperature",
    }
    missing = generate - keywords_in_docstring(Whisper.generate)
    assert not missing, moved(f"CTranslate2's Whisper.generate no longer takes {missing}")


def test_the_model_parts_are_where_the_adapter_finds_them(whisper_base):
    import ctranslate2
    import tokenizers

    model = whisper_base.model
    assert isinstance(model.model, ctranslate2.models.Whisper), moved(
        f"WhisperModel.model is a {type(model.model)}, not CTranslate2's Whisper"
    )
    assert isinstance(model.hf_tokenizer, tokenizers.Tokenizer), moved(
        f"WhisperModel.hf_tokenizer is a {type(model.hf_tokenizer)}"
    )
    parts = WhisperParts(model)
    assert parts.multilingual
    said = f"{parts.device} {parts.compute_type}"  # int8 is int8_float32 or the like
    assert said.startswith("cpu int8"), moved(f"the model says it runs on {said}")


def token_ids(tokenizer: WhisperTokenizer) -> dict[str, object]:
    return {name: getattr(tokenizer, name) for name in MULTILINGUAL_ZH}


def test_the_token_ids_prompts_are_built_from(whisper_base, whisper_tiny_en):
    chinese = WhisperParts(whisper_base.model).tokenizer("zh")
    assert token_ids(chinese) == MULTILINGUAL_ZH, moved(f"the ids are {token_ids(chinese)}")
    assert tuple(chinese.suppressed_tokens()) == SUPPRESSED, moved(
        f"the suppressed tokens are {chinese.suppressed_tokens()}"
    )
    assert chinese.decode(chinese.encode("南越昆仑山")) == "南越昆仑山"
    english = WhisperParts(whisper_tiny_en.model).tokenizer("en")
    assert token_ids(english) == ENGLISH_ONLY, moved(
        f"an English-only model's ids are {token_ids(english)}"
    )


def test_features_an_encoding_and_a_decode_have_the_shapes_the_decoder_expects(whisper_base):
    path, _ = zh_clip(61)
    audio = read_audio_file(path)
    parts = WhisperParts(whisper_base.model)

    features = parts.features(audio[:16000])
    assert features.shape == (80, 100), moved(f"1 s of audio gives features {features.shape}")
    window = np.zeros((80, 1000), np.float32)  # a 10 s encoder window, as the decoder pads it
    heard = parts.features(audio)[:, :1000]
    window[:, : heard.shape[1]] = heard
    encoded = parts.encode(window)
    assert list(encoded.shape) == [1, 500, 512], moved(f"a 10 s window encodes to {encoded.shape}")

    language = parts.detect_language(encoded)
    assert language == "zh", moved(f"the language detected is {language!r}, not 'zh'")
    tokenizer = parts.tokenizer("zh")
    prompt = [*tokenizer.sot_sequence, tokenizer.timestamp_begin]
    suppressed = tokenizer.suppressed_tokens()
    for beam_size in (5, 1):
        generated = parts.generate(encoded, prompt, 100, suppressed, beam_size)
        assert generated.tokens and all(isinstance(t, int) for t in generated.tokens)
        assert max(generated.tokens) >= tokenizer.timestamp_begin, moved(
            f"a decode has no timestamp token: {generated.tokens}"
        )
        assert generated.avg_logprob < 0.0
        assert 0.0 <= generated.no_speech_prob <= 1.0
        text = tokenizer.decode([t for t in generated.tokens if t < tokenizer.eot])
        assert len(text) >= 5, moved(f"the decode says {text!r}")
    sampled = parts.generate(encoded, prompt, 100, suppressed, temperature=0.4)
    assert all(isinstance(t, int) for t in sampled.tokens)
    assert 0.0 <= sampled.no_speech_prob <= 1.0


def test_the_silero_model_is_where_the_vad_loads_it():
    assert Path(silero_model_path()).is_file(), moved("it no longer ships silero_vad_v6.onnx")
