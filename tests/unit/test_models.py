import os
import shutil

import pytest

from captioner.asr.whisper import models
from captioner.asr.whisper.libraries import nvidia_library_dirs
from captioner.asr.whisper.loading import explain_cuda_failure
from captioner.asr.whisper.models import (
    EMBEDDED_BASE_PACKAGES,
    EMBEDDED_BASE_SIZE,
    assemble_embedded_base,
    embedded_base_available,
    embedded_part_folder,
    resolve_whisper_model,
)
from captioner.errors import ModelError


def test_folder_without_model_files_is_rejected(tmp_path):
    with pytest.raises(ModelError, match=r"model\.bin"):
        resolve_whisper_model(str(tmp_path))


def test_missing_folder_says_so(tmp_path):
    with pytest.raises(ModelError, match="Model folder not found"):
        resolve_whisper_model(str(tmp_path / "nope"))


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ModelError, match="large-v3-turbo"):
        resolve_whisper_model("gigantic")


def test_download_without_network_fails_clearly(tmp_path, monkeypatch):
    import huggingface_hub.constants

    # A closed local port: the same failure as no network, on any machine.
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", "http://127.0.0.1:9")
    with pytest.raises(ModelError) as info:
        resolve_whisper_model("small", cache_dir=tmp_path)
    message = str(info.value)
    assert "Could not download the Whisper model 'small'" in message
    assert "--model base" in message


@pytest.mark.skipif(not embedded_base_available(), reason="needs the offline-model extra")
def test_embedded_base_is_assembled_once_and_verified(tmp_path):
    target = tmp_path / "base"
    path = assemble_embedded_base(target)
    model_bin = path / "model.bin"
    assert model_bin.stat().st_size == EMBEDDED_BASE_SIZE
    assert {p.name for p in path.iterdir()} >= {"config.json", "tokenizer.json", "vocabulary.txt"}
    mtime = model_bin.stat().st_mtime_ns
    assert assemble_embedded_base(target) == path
    assert model_bin.stat().st_mtime_ns == mtime  # reused, not rebuilt

    with open(model_bin, "r+b") as f:  # a damaged (truncated) copy is rebuilt
        f.truncate(1000)
    assemble_embedded_base(target)
    assert model_bin.stat().st_size == EMBEDDED_BASE_SIZE


@pytest.mark.skipif(not embedded_base_available(), reason="needs the offline-model extra")
def test_damaged_embedded_parts_are_reported(tmp_path, monkeypatch):
    damaged = []
    for package in EMBEDDED_BASE_PACKAGES:
        copy = tmp_path / package
        shutil.copytree(embedded_part_folder(package), copy)
        for part in copy.glob("model.bin.part*"):
            with open(part, "r+b") as f:
                f.truncate(10)
        damaged.append(copy)
    with pytest.raises(ModelError, match="damaged"):
        assemble_embedded_base(tmp_path / "out", (damaged[0], damaged[1]))
    assert not (tmp_path / "out" / "model.bin").exists()


def test_cuda_failures_are_explained():
    cublas = explain_cuda_failure("Library cublas64_12.dll is not found or cannot be loaded")
    assert "cuBLAS" in cublas and "cublas64_12.dll" in cublas and "CPU" in cublas
    cudnn = explain_cuda_failure(
        "Could not locate cudnn_ops64_9.dll. Please make sure it is in your library path!"
    )
    assert "cuDNN 9" in cudnn and "nvidia-cudnn-cu12" in cudnn
    driver = explain_cuda_failure(
        "CUDA failed with error CUDA driver version is insufficient for CUDA runtime version"
    )
    assert "driver" in driver
    assert "memory" in explain_cuda_failure("CUDA failed with error out of memory")
    mixed = explain_cuda_failure(
        "cuDNN failed with status CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH"
    )
    assert "different releases" in mixed and "captioner[cuda]" in mixed


def test_cache_dir_is_per_user():
    root = models.cache_root()
    assert "Captioner" in str(root)
    assert os.path.isabs(root)


def test_pip_installed_cuda_libraries_are_found(tmp_path):
    (tmp_path / "nvidia" / "cublas" / "bin").mkdir(parents=True)
    (tmp_path / "nvidia" / "cudnn" / "bin").mkdir(parents=True)
    (tmp_path / "nvidia" / "cudnn" / "include").mkdir(parents=True)
    found = nvidia_library_dirs([str(tmp_path), str(tmp_path / "missing")])
    assert found == [
        str(tmp_path / "nvidia" / "cublas" / "bin"),
        str(tmp_path / "nvidia" / "cudnn" / "bin"),
    ]
