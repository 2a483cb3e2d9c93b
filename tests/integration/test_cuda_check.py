"""The GPU is tried in a child process first: a CUDA library that ends the process, crashes
or hangs there leaves the app running, on the CPU, saying why.

The failures are real ones, in a real child process (tests/support/cuda_crash.py): an abort
after what CTranslate2's cuDNN stub prints, a segmentation fault, a hang. The real probe runs
too: on a machine without a GPU it fails the way such a machine does.
"""

from __future__ import annotations

from functools import partial

import pytest

from captioner.asr.whisper.cuda_check import check_cuda, probe_cuda
from captioner.asr.whisper.loading import cuda_device_count, load_whisper
from captioner.asr.whisper.models import resolve_whisper_model
from tests.support import cuda_crash

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def base_model():
    return resolve_whisper_model("base")


def test_a_cudnn_library_that_aborts_the_check_leaves_the_model_on_the_cpu(base_model):
    check = partial(check_cuda, probe=cuda_crash.cudnn_stub_aborts)
    loaded = load_whisper("base", device="cuda", check=check)
    assert loaded.device == "cpu"
    assert loaded.notice is not None
    # The library the stub could not find, in the words of the fix for it.
    assert "cudnn_ops64_9.dll" in loaded.notice and "cuDNN 9" in loaded.notice, loaded.notice
    assert "CPU" in loaded.notice


def test_the_reason_names_the_exit_and_what_the_library_printed(base_model):
    checked = check_cuda(base_model, "float16", probe=cuda_crash.cudnn_stub_aborts)
    assert not checked.works
    assert "signal 6" in checked.failure  # SIGABRT (0xC0000409 on Windows)
    assert "Cannot load symbol cudnnCreateTensorDescriptor" in checked.failure


def test_a_crash_in_native_code_is_a_failed_check(base_model):
    checked = check_cuda(base_model, "float16", probe=cuda_crash.crashes_in_native_code)
    assert not checked.works and "signal 11" in checked.failure, checked.failure


def test_a_check_that_hangs_is_given_up_on(base_model):
    checked = check_cuda(base_model, "float16", probe=cuda_crash.hangs, timeout_s=3)
    assert not checked.works and "did not finish within 3 s" in checked.failure


@pytest.mark.skipif(cuda_device_count() > 0, reason="a GPU is present: the check would pass")
def test_the_real_check_on_a_machine_without_a_gpu_says_so(base_model):
    checked = check_cuda(base_model, "float16", probe=probe_cuda)
    assert not checked.works and checked.failure
    loaded = load_whisper("base", device="cuda")
    assert loaded.device == "cpu" and loaded.notice and "GPU not used" in loaded.notice
