"""The transcript window with a three-hour session: how long it takes to open, and to
append a line while it is open (offscreen, on a real library in a temporary folder).

    QT_QPA_PLATFORM=offscreen python benchmarks/transcript_window.py --lines 7000

Builds one session of ``--lines`` lines spread over ``--hours`` hours (the AISHELL-1 test
transcripts when ../shared has them, generated Chinese text else) in a new library, then:

- open: from making the window (the live session's lines read off the GUI thread) until its
  text is shown and painted; and opening the same session as a past one from the list;
- append: each of ``--appends`` new lines while the window is open and shown, at the
  bottom (following), scrolled up, and with a find highlighting every hit of a word.

Prints the median and p99 of each. Goals: open under 300 ms, append under 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from captioner.transcript.events import TranscriptEvent  # noqa: E402
from captioner.transcript.store import Library  # noqa: E402
from captioner.ui.transcript_window import TranscriptWindow  # noqa: E402


def sentences(count: int) -> list[str]:
    try:
        from tests.support.data import SPEECH

        path = SPEECH / "zh_aishell1" / "aishell1_test_transcripts_7176.jsonl"
        rows = [json.loads(row) for row in path.read_text(encoding="utf-8").splitlines()]
        found = [r.get("text") or r.get("transcript") or "" for r in rows]
        found = [text.replace(" ", "") for text in found if text]
    except (ImportError, OSError):
        found = []
    if not found:
        found = [f"第{n}句话讲的是季度营收和成本的变化情况" for n in range(500)]
    return [found[n % len(found)] for n in range(count)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def wait(app: QApplication, done: object, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():  # type: ignore[operator]
        app.processEvents()
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.0005)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=7000)
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="times the window is opened")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    texts = sentences(args.lines + args.appends + args.appends // 3)
    step = args.hours * 3600 / args.lines
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder))
        lines = [(n * step, n * step + step * 0.8, None, texts[n]) for n in range(args.lines)]
        older = library.add_session(time.time() - 86_400, lines, "mic")  # opened as a past one
        session = library.add_session(time.time() - args.hours * 3600, lines, "mic")
        characters = sum(len(t) for t in texts[: args.lines])
        print(f"session: {args.lines} lines, {characters} characters, {args.hours:g} hours")

        opens, past = [], []
        window: TranscriptWindow | None = None
        for _ in range(args.runs):
            if window is not None:
                window.close()
                window.deleteLater()
                app.processEvents()
            began = time.perf_counter()
            window = TranscriptWindow(lambda: library, lambda: session)
            window.show()
            wait(app, lambda w=window: w._live_loaded and not w.tasks.busy())
            window.view.viewport().repaint()
            opens.append(time.perf_counter() - began)
            began = time.perf_counter()
            window.open_session(older)
            wait(app, lambda w=window: w.shown is not None)
            window.view.viewport().repaint()
            past.append(time.perf_counter() - began)
            window.show_live()
            wait(app, lambda w=window: not w.tasks.busy())
        assert window is not None
        assert window.view.document().blockCount() == args.lines
        print(
            f"open, the live session:  median {statistics.median(opens) * 1000:.0f} ms, "
            f"worst {max(opens) * 1000:.0f} ms over {args.runs} opens"
        )
        print(
            f"open, as a past session: median {statistics.median(past) * 1000:.0f} ms, "
            f"worst {max(past) * 1000:.0f} ms"
        )

        def appends(label: str, first: int) -> None:
            assert window is not None
            times = []
            for n in range(first, first + args.appends // 3):
                start = (args.lines + n) * step
                event = TranscriptEvent(start, "final", texts[args.lines + n], start, start + 2)
                began = time.perf_counter()
                window.add_event(event)
                app.processEvents()  # the repaint it causes
                times.append(time.perf_counter() - began)
            print(
                f"append, {label}: median {statistics.median(times) * 1000:.2f} ms, "
                f"p99 {percentile(times, 0.99) * 1000:.2f} ms, worst {max(times) * 1000:.1f} ms"
            )

        third = args.appends // 3
        appends("following", 0)
        bar = window.view.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        appends("scrolled up", third)
        window.view.jump_to_live()
        window.find_text("营收" if "营收" in "".join(texts) else texts[0][:2])
        print(f"(find: {window.view.hit_count} hits highlighted)")
        appends("with a find", 2 * third)
        window.find_text("的")
        print(f"(find: {window.view.hit_count} hits highlighted)")
        appends("with a find of a common character", 3 * third)
        window.close()
        window.tasks.wait()
        library.close()


if __name__ == "__main__":
    main()
