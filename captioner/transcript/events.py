"""Timestamped transcript events, as the CLI writes them and consumers read them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Literal

EventType = Literal["partial", "final"]


@dataclass(frozen=True)
class TranscriptEvent:
    """``final`` carries only newly confirmed text; ``partial`` the whole unconfirmed tail."""

    t: float  # wall-clock seconds since the stream started
    type: EventType
    text: str
    start: float  # audio seconds
    end: float  # audio seconds
    # Which side spoke when two sources are captioned (e.g. "Me" / "Others"); None with one
    # source, and then absent from the JSON, as before.
    source: str | None = None

    def to_json(self) -> str:
        data = asdict(self)
        if self.source is None:
            del data["source"]
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
        )


class JsonlEventWriter:
    """One JSON object per line, flushed per event so nothing is lost if the process dies."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file: IO[str] = open(self.path, "w", encoding="utf-8")  # noqa: SIM115

    def write(self, event: TranscriptEvent) -> None:
        self._file.write(event.to_json() + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def read_events(path: str | Path) -> list[TranscriptEvent]:
    with open(path, encoding="utf-8") as f:
        return [TranscriptEvent.from_json(line) for line in f if line.strip()]
