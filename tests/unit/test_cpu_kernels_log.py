"""Reading CTranslate2's own report of the int8 kernels it chose."""

from __future__ import annotations

from captioner.asr.whisper.kernels import parse_kernels

_AT = "[2026-11-28 23:32:57.656] [ctranslate2] [thread 11358] [info]"
LOG = "".join(
    f"{_AT} {line}\n"
    for line in (
        "CPU: GenuineIntel (SSE4.1=true, AVX=true, AVX2=true, AVX512=true)",
        " - Selected ISA: AVX2",
        " - Use Intel MKL: true",
        " - SGEMM backend: MKL (packed: true)",
        " - GEMM_S8 backend: MKL (packed: true, u8s8 preferred: true)",
    )
)


def test_instruction_set_and_library_are_read_from_the_log():
    assert parse_kernels(LOG) == "AVX2, Intel MKL"
    onednn = LOG.replace("AVX2", "AVX512").replace("GEMM_S8 backend: MKL", "GEMM_S8 backend: DNNL")
    assert parse_kernels(onednn) == "AVX512, oneDNN"


def test_no_report_means_unknown():
    assert parse_kernels("") is None
