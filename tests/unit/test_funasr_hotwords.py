"""Which FunASR second-pass models get the vocabulary's terms as hotwords, and how."""

from __future__ import annotations

from typing import Any

import numpy as np

from captioner.asr.config import RecognitionConfig
from captioner.asr.funasr.factory import hotword_notice
from captioner.asr.funasr.pipeline import FunasrPipeline
from captioner.text.vocabulary import parse_entries


class SeacoParaformer:  # named as FunASR's class is: only the name is looked at
    pass


class Paraformer:
    pass


class RecordingModel:
    """Stands in for a FunASR AutoModel: records the keyword arguments of generate()."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.calls: list[dict[str, Any]] = []

    def generate(self, **kwargs: Any) -> list[dict[str, str]]:
        self.calls.append(kwargs)
        return [{"text": "霍思燕"}]


CONFIG = RecognitionConfig(engine="funasr", vocabulary=parse_entries(["霍思燕", "派森 => Python"]))


def test_seaco_paraformer_gets_the_terms_as_hotwords():
    second_pass = RecordingModel(SeacoParaformer())
    pipeline = FunasrPipeline(None, None, second_pass, hotwords=CONFIG.vocabulary.terms)
    pipeline.second_pass(np.zeros(16000, np.float32))
    assert second_pass.calls[0]["hotword"] == "霍思燕 Python"
    assert hotword_notice(pipeline, CONFIG) is None


def test_a_model_without_hotwords_is_not_given_them_and_the_user_is_told():
    second_pass = RecordingModel(Paraformer())
    pipeline = FunasrPipeline(None, None, second_pass, hotwords=CONFIG.vocabulary.terms)
    pipeline.second_pass(np.zeros(16000, np.float32))
    assert "hotword" not in second_pass.calls[0]
    notice = hotword_notice(pipeline, CONFIG)
    assert notice and "takes no hotwords" in notice and "replacement rules" in notice
    assert hotword_notice(pipeline, RecognitionConfig(engine="funasr")) is None  # no terms
