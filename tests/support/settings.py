"""Settings files as users damage them."""

from __future__ import annotations


def seventeen_wrong_values() -> dict:
    """A settings file with 17 wrong values, one per kind of mistake."""
    return {
        "audio": {"input": 3},
        "recognition": {
            "engine": "kaldi",
            "model": 5,
            "device": "tpu",
            "language": "xx",
            "script": "cyrillic",
            "funasr_chunk_ms": 999,
        },
        "hotkey": {"mode": "sometimes", "keys": 7},
        "overlay": {
            "font_size": 2,
            "lines": 0,
            "background_opacity": 7,
            "alignment": "justify",
            "shadow": "yes",
        },
        "transcripts": {"enabled": "no"},
        "server": {"port": 0},
        "mystery": True,
    }
