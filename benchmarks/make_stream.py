"""Build a long streaming test recording from short reference clips.

    python benchmarks/make_stream.py --folder ../shared/testdata/speech/zh_biaobei_csmsc \
        --first 11 --last 40 --gap 0.6 --out zh_stream.wav

writes zh_stream.wav (16 kHz mono) and zh_stream.json (the `captioner bench` reference: text,
clip start/end and the end of speech inside each clip, found by VAD).

A folder with a SOURCES.tsv (file, ..., reference in the last column), such as the varied
conversational clips, in the order listed (or give --first/--last as 1-based rows):

    python benchmarks/make_stream.py --folder ../shared/testdata/speech/zh_varied \
        --gap 0.6 --out zh_varied_stream.wav

AISHELL-style data (wav files named by utterance id, transcripts in a JSON-lines list such as
../shared/testdata/speech/zh_aishell1/aishell1_test_transcripts_7176.jsonl):

    python benchmarks/make_stream.py --wavs data_aishell/wav/test --count 200 \
        --transcripts aishell1_test_transcripts_7176.jsonl --gap 0.6 --out aishell_stream.wav
"""

from __future__ import annotations

import argparse
import json
import sys
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from captioner.asr.vad import speech_spans
from captioner.audio.file_source import read_audio_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, help="folder with meta.txt or SOURCES.tsv")
    parser.add_argument("--first", type=int)
    parser.add_argument("--last", type=int)
    parser.add_argument("--wavs", type=Path, help="folder searched for AISHELL-style wavs")
    parser.add_argument("--transcripts", type=Path, help="JSON lines: audio_filepath, text")
    parser.add_argument("--count", type=int, default=100, help="with --wavs: how many clips")
    parser.add_argument("--gap", type=float, default=0.6, help="silence after each clip (s)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    clips = _aishell_clips(args) if args.wavs else _meta_clips(args)
    parts, utterances, position = [], [], 0.0
    gap = np.zeros(int(args.gap * 16000), dtype=np.float32)
    for key, path, text in clips:
        clip = read_audio_file(path)
        spans = speech_spans(clip)
        speech_start = spans[0][0] if spans else 0.0
        speech_end = spans[-1][1] if spans else clip.shape[0] / 16000
        duration = clip.shape[0] / 16000
        utterances.append(
            {
                "id": key,
                "text": text,
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


def _meta_clips(args: argparse.Namespace) -> list[tuple[str, Path, str]]:
    if args.folder is not None and (args.folder / "SOURCES.tsv").is_file():
        return _sources_clips(args)
    if args.folder is None or args.first is None or args.last is None:
        sys.exit("give --folder, --first and --last (or --wavs and --transcripts)")
    meta = dict(
        line.rstrip("\n").split("\t", 1)
        for line in (args.folder / "meta.txt").read_text(encoding="utf-8").splitlines()
        if "\t" in line
    )
    keys = [f"{number:06d}" for number in range(args.first, args.last + 1)]
    return [(key, args.folder / f"{key}.wav", meta[key]) for key in keys]


def _sources_clips(args: argparse.Namespace) -> list[tuple[str, Path, str]]:
    rows = (args.folder / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]
    clips = [
        (Path(fields[0]).stem, args.folder / fields[0], fields[-1])
        for fields in (row.split("\t") for row in rows if row.strip())
    ]
    first = (args.first or 1) - 1
    return clips[first : args.last or len(clips)]


def _aishell_clips(args: argparse.Namespace) -> list[tuple[str, Path, str]]:
    if args.transcripts is None:
        sys.exit("--wavs needs --transcripts")
    texts = {}
    for line in args.transcripts.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            texts[Path(item["audio_filepath"]).stem] = item["text"]
    found = [
        (p.stem, p, texts[p.stem]) for p in sorted(args.wavs.rglob("*.wav")) if p.stem in texts
    ]
    if not found:
        sys.exit(f"no wav under {args.wavs} has a transcript in {args.transcripts}")
    return found[: args.count]


if __name__ == "__main__":
    main()
