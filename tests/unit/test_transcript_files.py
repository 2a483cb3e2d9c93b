import subprocess
import sys
import textwrap

from captioner.asr.types import Segment
from captioner.transcript.export import clock as srt_time
from captioner.transcript.files import TranscriptFiles


def test_txt_and_srt_are_written_per_segment(tmp_path):
    files = TranscriptFiles(tmp_path, started=0)
    files.append(Segment("第一句。", 0.12, 3.04))
    assert files.txt_path.read_text(encoding="utf-8") == "第一句。\n"  # on disk already
    files.append(Segment("第二句", 3725.5, 3727.0))
    files.close()
    assert files.srt_path.read_text(encoding="utf-8") == (
        "1\n00:00:00,120 --> 00:00:03,040\n第一句。\n\n2\n01:02:05,500 --> 01:02:07,000\n第二句\n\n"
    )


def test_a_second_session_in_the_same_second_gets_its_own_files(tmp_path):
    a = TranscriptFiles(tmp_path, started=0)
    b = TranscriptFiles(tmp_path, started=0)
    assert a.txt_path != b.txt_path and b.txt_path.name.endswith("(2).txt")


def test_srt_time():
    assert srt_time(0) == "00:00:00,000"
    assert srt_time(61.2345) == "00:01:01,234"


def test_a_crash_loses_nothing_already_confirmed(tmp_path):
    # A process that dies abruptly (no close, no buffers flushed at exit) after two segments.
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from captioner.asr.types import Segment
        from captioner.transcript.files import TranscriptFiles
        files = TranscriptFiles(Path({str(tmp_path)!r}))
        files.append(Segment("保存了吗", 0.0, 1.0))
        files.append(Segment("都保存了", 1.0, 2.0))
        os._exit(9)
    """)
    result = subprocess.run([sys.executable, "-c", script])
    assert result.returncode == 9
    (txt,) = tmp_path.glob("*.txt")
    assert txt.read_text(encoding="utf-8") == "保存了吗\n都保存了\n"
    (srt,) = tmp_path.glob("*.srt")
    assert srt.read_text(encoding="utf-8").count("-->") == 2
