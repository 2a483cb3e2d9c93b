"""Model downloads through the real huggingface_hub client, from a local Hub-like server."""

from __future__ import annotations

import os
import threading

import pytest

from captioner.asr.downloads import DownloadCancelled
from captioner.asr.whisper.models import resolve_whisper_model
from captioner.errors import ModelError
from captioner.ui.download_dialog import DownloadDialog
from tests.support.fake_hub import FakeHub


@pytest.fixture
def hub():
    files = {
        "config.json": b'{"model": "fake"}',
        "model.bin": os.urandom(4_000_000),
        "tokenizer.json": b"{}",
        "vocabulary.txt": b"a\nb\n",
        "README.md": b"not a model file: not downloaded",
    }
    server = FakeHub(files, chunk_delay_s=0.005)
    yield server
    server.close()


def test_download_reports_progress_and_gets_the_files(hub, tmp_path):
    progress = []
    path = resolve_whisper_model(
        "Systran/faster-whisper-small", cache_dir=tmp_path, progress=progress.append, mirror=hub.url
    )
    assert (path / "model.bin").read_bytes() == hub.files["model.bin"]
    assert not (path / "README.md").exists()
    assert progress, "no progress was reported"
    last = progress[-1]
    assert last.total_bytes and last.done_bytes == last.total_bytes >= 4_000_000
    assert last.bytes_per_second > 0
    # A second time it is found in the cache: no network needed.
    hub.close()
    again = resolve_whisper_model(
        "Systran/faster-whisper-small", cache_dir=tmp_path, mirror=hub.url
    )
    assert again == path


def test_download_can_be_cancelled(hub, tmp_path):
    hub.chunk_delay_s = 0.05  # ~3 s for the model file
    cancel = threading.Event()

    def on_progress(p):
        if p.done_bytes > 100_000:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        resolve_whisper_model(
            "Systran/faster-whisper-small",
            cache_dir=tmp_path,
            progress=on_progress,
            cancel=cancel,
            mirror=hub.url,
        )


def test_unreachable_mirror_says_so(tmp_path):
    with pytest.raises(ModelError, match=r"http://127\.0\.0\.1:9"):
        resolve_whisper_model("small", cache_dir=tmp_path, mirror="http://127.0.0.1:9")


def test_download_dialog_shows_progress_and_finishes(qtbot, hub, tmp_path, monkeypatch):
    monkeypatch.setattr("captioner.asr.whisper.models.cache_root", lambda: tmp_path)
    dialog = DownloadDialog("Systran/faster-whisper-small", mirror=hub.url)
    qtbot.addWidget(dialog)
    outcomes = []
    dialog.outcome.connect(outcomes.append)
    seen = []
    dialog.progressed.connect(lambda p: seen.append(dialog.bar.value()))
    dialog.start()
    qtbot.waitUntil(lambda: outcomes == ["ready"], timeout=30_000)
    assert dialog.path is not None and (dialog.path / "model.bin").is_file()
    assert max(seen) == 1000 and "MB/s" in dialog.detail.text()


def test_download_dialog_offers_the_builtin_model_when_offline(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("captioner.asr.whisper.models.cache_root", lambda: tmp_path)
    dialog = DownloadDialog("small", mirror="http://127.0.0.1:9")
    qtbot.addWidget(dialog)
    outcomes = []
    dialog.outcome.connect(outcomes.append)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.base_button.isVisible(), timeout=30_000)
    assert "could not be downloaded" in dialog.title.text()
    dialog.base_button.click()
    assert outcomes == ["use_base"]


def test_cancelling_the_dialog(qtbot, hub, tmp_path, monkeypatch):
    monkeypatch.setattr("captioner.asr.whisper.models.cache_root", lambda: tmp_path)
    hub.chunk_delay_s = 0.05
    dialog = DownloadDialog("Systran/faster-whisper-small", mirror=hub.url)
    qtbot.addWidget(dialog)
    outcomes = []
    dialog.outcome.connect(outcomes.append)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.bar.maximum() == 1000, timeout=30_000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: outcomes == ["cancelled"], timeout=30_000)
