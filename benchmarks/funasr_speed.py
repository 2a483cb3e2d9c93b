"""Speed of the FunASR models at real sizes, without real weights.

Build paraformer-large-sized random models once, then time what the live engine does:

    python tests/support/funasr_models.py --out /tmp/funasr-full --size full
    python benchmarks/funasr_speed.py --models /tmp/funasr-full --device cpu

Prints, as JSON: milliseconds per 600 ms streaming step (and its real-time factor), per
100 ms VAD step, and for the second pass + punctuation of a 5 s utterance. Random weights
compute exactly as much as real ones (same layers, same sizes; only the number of
characters the predictor fires differs), so these times are meaningful; the text is not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from captioner.asr.config import FunasrConfig
from captioner.asr.funasr.loading import load_funasr
from captioner.asr.funasr.pipeline import FunasrPipeline, StreamState
from captioner.audio.file_source import read_audio_file

SPEECH = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "speech"


def timed(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def summary(ms: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(ms), 1), "max_ms": round(max(ms), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--models", type=Path, required=True, help="what tests/support/funasr_models.py --out made"
    )
    parser.add_argument("--device", default="cpu", choices=["auto", "cuda", "cpu"])
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--chunk-ms", type=int, default=600, choices=[600, 480])
    args = parser.parse_args()
    settings = FunasrConfig(
        streaming_model=str(args.models / "streaming"),
        second_pass=str(args.models / "offline"),
        vad_model=str(args.models / "vad"),
        punctuation=str(args.models / "punc"),
        chunk_ms=args.chunk_ms,
    )
    loaded = load_funasr(settings, args.device, args.threads)
    pipeline = FunasrPipeline(
        loaded.streaming, loaded.vad, loaded.second_pass, loaded.punctuation, settings
    )
    clips = sorted((SPEECH / "zh_biaobei_csmsc").glob("0000[1-2]*.wav"))
    audio = np.concatenate([read_audio_file(p) for p in clips])  # ~60 s of speech

    step = pipeline.chunk_samples
    state = StreamState()
    stream_ms = []
    for i in range(0, audio.shape[0] - step, step):
        began = time.perf_counter()
        pipeline.stream(state, audio[i : i + step])
        stream_ms.append((time.perf_counter() - began) * 1000)

    vad_step = 1600
    state = StreamState()
    vad_ms = []
    for i in range(0, 300 * vad_step, vad_step):
        began = time.perf_counter()
        pipeline.vad(state, audio[i : i + vad_step])
        vad_ms.append((time.perf_counter() - began) * 1000)

    utterance = audio[: 5 * 16000]
    text = pipeline.second_pass(utterance)
    second_ms = timed(lambda: pipeline.second_pass(utterance), 5)
    punc_ms = timed(lambda: pipeline.punctuate(text[:30]), 5)
    step_s = args.chunk_ms / 1000
    print(
        json.dumps(
            {
                "device": loaded.device,
                "streaming_step": {
                    **summary(stream_ms[2:]),
                    "steps": len(stream_ms),
                    "rtf": round(statistics.median(stream_ms[2:]) / 1000 / step_s, 3),
                    "step_ms": args.chunk_ms,
                },
                "vad_100ms_step": summary(vad_ms[5:]),
                "second_pass_5s_utterance": summary(second_ms),
                "punctuation_30_chars": summary(punc_ms),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
