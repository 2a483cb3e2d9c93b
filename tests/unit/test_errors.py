import errno
import os
from pathlib import Path

import pytest

from captioner.errors import OutputError
from captioner.transcript.events import JsonlEventWriter, TranscriptEvent


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
        (errno.ENOSPC, "no space left on device"),
    ],
)
def test_why_a_file_was_not_written_in_a_few_words(code, said):
    from captioner.errors import why_not_written

    exc = OSError(code, os.strerror(code), "/media/usb/events.jsonl")
    assert why_not_written(exc, Path("/media/usb/events.jsonl")) == said


def test_events_writer_fails_once_and_goes_quiet():
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full (a full disk)")
    told: list[str] = []
    writer = JsonlEventWriter("/dev/full", told.append)
    for i in range(5):
        writer.write(TranscriptEvent(float(i), "final", "好", 0.0, 1.0))  # never raises
    writer.close()
    assert len(told) == 1 and "no space left on device" in told[0]
    assert writer.failure == told[0]


def test_events_writer_says_why_it_cannot_open(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        JsonlEventWriter(tmp_path / "missing" / "e.jsonl")
