"""The transcript library at scale: search time over many hours of captions, and its size.

    python benchmarks/library_search.py --sessions 1000 --hours 1 --out /tmp/library

Builds a library of ``--sessions`` sessions of ``--hours`` each from real Mandarin transcripts
(the AISHELL-1 test set's 7,176 sentences and the CSMSC readings in ../shared), at the pace
of a lecture (about 200 characters a minute, a line every 4.5 s), then times searches as a
user types them: substrings of 4, 3, 2 and 1 characters taken from the text, English words
(a few lines carry them), and strings that are nowhere. Prints the median and p99 per kind,
the library's size per hour of captions, and how long building it took. Run it once with
an existing ``--out`` to time searches alone.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from captioner.transcript.store import LIBRARY_NAME, Library  # noqa: E402
from tests.support.data import SPEECH  # noqa: E402

LINE_EVERY_S = 4.5
ENGLISH = ["Kubernetes", "OKR", "deadline", "Python", "GPU"]


def sentences() -> list[str]:
    found = []
    jsonl = SPEECH / "zh_aishell1" / "aishell1_test_transcripts_7176.jsonl"
    for row in jsonl.read_text(encoding="utf-8").splitlines():
        item = json.loads(row)
        text = item.get("text") or item.get("transcript") or ""
        if text:
            found.append(text.replace(" ", ""))
    meta = SPEECH / "zh_biaobei_csmsc" / "meta.txt"
    for row in meta.read_text(encoding="utf-8").splitlines():
        if "\t" in row:
            found.append(row.split("\t", 1)[1].strip())
    return found


def build(folder: Path, sessions: int, hours: float, seed: int = 1) -> float:
    rng = random.Random(seed)
    corpus = sentences()
    library = Library(folder)
    began = time.perf_counter()
    per_session = int(hours * 3600 / LINE_EVERY_S)
    start_of_all = time.time() - sessions * 86_400
    for n in range(sessions):
        lines = []
        for i in range(per_session):
            text = rng.choice(corpus)
            if rng.random() < 0.01:
                text += f" {rng.choice(ENGLISH)} "
            at = i * LINE_EVERY_S
            lines.append((at, at + LINE_EVERY_S * 0.8, None, text))
        library.add_session(start_of_all + n * 86_400, lines, "mic", None)
    library.close()
    return time.perf_counter() - began


def queries(rng: random.Random, corpus: list[str], length: int, count: int) -> list[str]:
    picked = []
    while len(picked) < count:
        text = rng.choice(corpus)
        if len(text) > length:
            at = rng.randrange(len(text) - length)
            picked.append(text[at : at + length])
    return picked


def summary(times: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 2),
        "max_ms": round(ms[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=200, help="per kind")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    if not (args.out / LIBRARY_NAME).exists():
        args.out.mkdir(parents=True, exist_ok=True)
        figures["build_s"] = round(build(args.out, args.sessions, args.hours), 1)
    library = Library(args.out)
    sessions = library.sessions()
    hours = sum(s.duration_s for s in sessions) / 3600
    size = sum(p.stat().st_size for p in args.out.glob(LIBRARY_NAME + "*"))
    figures |= {
        "sessions": len(sessions),
        "hours": round(hours, 1),
        "library_mb": round(size / 2**20, 1),
        "mb_per_hour": round(size / 2**20 / hours, 3),
    }
    rng = random.Random(7)
    corpus = sentences()
    kinds = {
        "4 characters": queries(rng, corpus, 4, args.queries),
        "3 characters": queries(rng, corpus, 3, args.queries),
        "2 characters": queries(rng, corpus, 2, args.queries),
        "1 character": queries(rng, corpus, 1, args.queries),
        "English word": [rng.choice(ENGLISH) for _ in range(args.queries)],
        "nowhere": ["这句话不存在于任何地方" + str(i) for i in range(args.queries)],
    }
    for kind, texts in kinds.items():
        times, found = [], 0
        for text in texts:
            began = time.perf_counter()
            hits = library.search(text)
            times.append(time.perf_counter() - began)
            found += len(hits)
        figures[kind] = {**summary(times), "hits_mean": round(found / len(texts), 1)}
    library.close()
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
