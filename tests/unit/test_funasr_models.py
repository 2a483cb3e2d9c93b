"""FunASR model names, folders and downloads (no weights needed), and the settings."""

from __future__ import annotations

import pytest

from captioner.asr.config import FunasrConfig
from captioner.asr.downloads import DownloadCancelled, DownloadProgress
from captioner.asr.funasr import models as funasr_models
from captioner.asr.funasr.models import FUNASR_MODELS, resolve_funasr_model
from captioner.errors import ModelError


def test_a_model_folder_is_used_as_it_is(tmp_path):
    (tmp_path / "config.yaml").write_text("model: Paraformer\n")
    (tmp_path / "model.pt").write_bytes(b"")
    assert resolve_funasr_model(str(tmp_path)) == tmp_path


def test_a_folder_without_model_files_is_rejected(tmp_path):
    with pytest.raises(ModelError, match=r"config\.yaml and model\.pt"):
        resolve_funasr_model(str(tmp_path))


def test_missing_folder_and_unknown_name_say_so(tmp_path):
    with pytest.raises(ModelError, match="Model folder not found"):
        resolve_funasr_model(str(tmp_path / "nope"))
    with pytest.raises(ModelError, match="paraformer-zh-streaming"):
        resolve_funasr_model("paraformer-gigantic")


def test_download_without_network_names_the_hubs_and_the_way_out(tmp_path):
    # This machine (like CI) reaches no model hub: the real download code fails.
    with pytest.raises(ModelError) as info:
        resolve_funasr_model("fsmn-vad", cache_dir=tmp_path)
    message = str(info.value)
    assert "Could not download the FunASR model 'fsmn-vad'" in message
    assert "ModelScope (iic/speech_fsmn_vad_zh-cn-16k-common-pytorch)" in message
    assert "Hugging Face (funasr/fsmn-vad)" in message
    assert "pass the folder" in message


def test_a_model_published_on_modelscope_only_cannot_come_from_hugging_face(tmp_path):
    assert FUNASR_MODELS["ct-punc-c"].huggingface is None
    with pytest.raises(ModelError, match="not published on Hugging Face"):
        resolve_funasr_model("ct-punc-c", hub="huggingface", cache_dir=tmp_path)


def testmodelscope_progress_is_reported_over_all_files_and_can_be_cancelled():
    import threading

    reports: list[DownloadProgress] = []
    cancel = threading.Event()
    callback = funasr_models.modelscope_progress(reports.append, cancel, "fsmn-vad")
    weights, config = callback("model.pt", 1000), callback("config.yaml", 24)
    weights.update(600)
    config.update(24)
    assert reports[-1].done_bytes == 624 and reports[-1].total_bytes == 1024
    assert reports[0].description == "fsmn-vad: model.pt"
    cancel.set()
    with pytest.raises(DownloadCancelled):
        weights.update(400)


def test_streaming_chunk_sizes():
    assert FunasrConfig().chunk_size == [0, 10, 5]  # 600 ms, 300 ms look-ahead
    assert FunasrConfig(chunk_ms=480).chunk_size == [0, 8, 4]
    with pytest.raises(ValueError, match="600 or 480"):
        FunasrConfig(chunk_ms=500)


class _Answers:
    """Stands in for a loaded funasr.AutoModel (unit test of the text handling only)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def generate(self, **kwargs):
        return [{"key": "x", "text": self.text}]


def test_sensevoice_tags_are_removed_from_the_second_pass_text():
    import numpy as np

    from captioner.asr.funasr.pipeline import FunasrPipeline

    tagged = _Answers("<|zh|><|NEUTRAL|><|Speech|><|woitn|>曼萨尼约港口被关闭")
    pipeline = FunasrPipeline(streaming=None, vad=None, second_pass=tagged)
    assert pipeline.second_pass(np.zeros(1600, np.float32)) == "曼萨尼约港口被关闭"
