"""Timestamped transcript events, as the CLI writes them and consumers read them."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Literal

from captioner.errors import OutputError, why_not_written
from captioner.i18n import translate

EventType = Literal["partial", "final", "translation"]


@dataclass(frozen=True)
class TranscriptEvent:
    """``final`` carries only newly confirmed text; ``partial`` the whole unconfirmed tail;
    ``translation`` a final in another language (``lang``), ``final`` saying which: the
    final's number in the session (1, 2, 3, ...), its times and source as the final's."""

    t: float  # wall-clock seconds since the stream started
    type: EventType
    text: str
    start: float  # audio seconds
    end: float  # audio seconds
    # Which side spoke when two sources are captioned (e.g. "Me" / "Others"); None with one
    # source, and then absent from the JSON, as before.
    source: str | None = None
    lang: str | None = None  # a translation's language ("en")
    final: int | None = None  # the number of the final (a translation: the one it translates)

    def to_json(self) -> str:
        data = asdict(self)
        # Absent unless they say something: partials and finals are written as before.
        for key in ("source", "lang"):
            if data[key] is None:
                del data[key]
        if self.type != "translation":
            del data["final"]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> TranscriptEvent:
        data = json.loads(line)
        return cls(
            t=float(data["t"]),
            type=data["type"],
            text=str(data["text"]),
            start=float(data["start"]),
            end=float(data["end"]),
            source=None if data.get("source") is None else str(data["source"]),
            lang=None if data.get("lang") is None else str(data["lang"]),
            final=None if data.get("final") is None else int(data["final"]),
        )


class JsonlEventWriter:
    """One JSON object per line, flushed per event so nothing is lost if the process dies.

    A side output: once a write fails (a full disk, a drive unplugged) the writer says why,
    once, through ``on_failure`` and in ``failure``, and writes nothing more; it never raises
    after opening, so whatever else the events go to (the terminal, the feed) carries on.
    """

    def __init__(self, path: str | Path, on_failure: Callable[[str], None] | None = None) -> None:
        """Raises OutputError, with the reason in words, if the file cannot be created."""
        self.path = Path(path)
        self.failure: str | None = None
        self._on_failure = on_failure
        try:
            self._file: IO[str] | None = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise OutputError(
                translate("transcript", "Cannot write the events file {path}: {why}.").format(
                    path=self.path, why=why_not_written(exc, self.path)
                )
            ) from exc

    def write(self, event: TranscriptEvent) -> None:
        if self._file is None:
            return
        try:
            self._file.write(event.to_json() + "\n")
            self._file.flush()
        except OSError as exc:
            self._fail(exc)

    def close(self) -> None:
        if self._file is None:
            return
        try:
            self._file.close()
        except OSError as exc:
            self._fail(exc)
        self._file = None

    def _fail(self, exc: OSError) -> None:
        file, self._file = self._file, None
        if file is not None:
            # What could not be flushed is lost either way; the first error says so.
            with contextlib.suppress(OSError):
                file.close()
        self.failure = translate(
            "transcript", "Saving events to {path} failed ({why}); later events are not saved."
        ).format(path=self.path, why=why_not_written(exc, self.path))
        if self._on_failure is not None:
            self._on_failure(self.failure)


def read_events(path: str | Path) -> list[TranscriptEvent]:
    with open(path, encoding="utf-8") as f:
        return [TranscriptEvent.from_json(line) for line in f if line.strip()]
