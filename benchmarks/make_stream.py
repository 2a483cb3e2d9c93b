"""Build a long streaming test recording from short reference clips.

    python benchmarks/make_stream.py --folder ../shared/testdata/speech/zh_biaobei_csmsc \
        --first 11 --last 40 --gap 0.6 --out zh_stream.wav

writes zh_stream.wav (16 kHz mono) and zh_stream.json (the `captioner bench` reference: text,
clip start/end and the end of speech inside each clip, found by VAD).
"""

from __future__ import annotations

import argparse
import json
import sys
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from captioner.audio.file_source import read_audio_file
from captioner.bench import _speech_spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, required=True, help="folder with meta.txt")
    parser.add_argument("--first", type=int, required=True)
    parser.add_argument("--last", type=int, required=True)
    parser.add_argument("--gap", type=float, default=0.6, help="silence after each clip (s)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    meta = dict(
        line.rstrip("\n").split("\t", 1)
        for line in (args.folder / "meta.txt").read_text(encoding="utf-8").splitlines()
        if "\t" in line
    )
    parts, utterances, position = [], [], 0.0
    gap = np.zeros(int(args.gap * 16000), dtype=np.float32)
    for number in range(args.first, args.last + 1):
        key = f"{number:06d}"
        clip = read_audio_file(args.folder / f"{key}.wav")
        spans = _speech_spans(clip)
        speech_start = spans[0][0] if spans else 0.0
        speech_end = spans[-1][1] if spans else clip.shape[0] / 16000
        duration = clip.shape[0] / 16000
        utterances.append(
            {
                "id": key,
                "text": meta[key],
                "start": round(position + speech_start, 3),
                "end": round(position + duration, 3),
                "speech_end": round(position + speech_end, 3),
            }
        )
        parts += [clip, gap]
        position += duration + args.gap
    audio = np.concatenate(parts)
    pcm = np.clip(np.round(audio * 32768), -32768, 32767).astype(np.int16)
    with wave.open(str(args.out), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(pcm.tobytes())
    ref = args.out.with_suffix(".json")
    ref.write_text(
        json.dumps({"utterances": utterances}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(f"{args.out}: {audio.shape[0] / 16000:.1f} s, {len(utterances)} utterances; {ref}")


if __name__ == "__main__":
    main()
