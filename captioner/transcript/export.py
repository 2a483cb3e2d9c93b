"""A session of the library as a document: plain text, SubRip and WebVTT subtitles, Markdown.

With or without each line's time and its side's label (two sources). Subtitles keep their
times whatever ``times`` says (a cue without one is no cue): ``times`` only shapes the text
formats. Each cue lasts at least half a second, so that players show it.

Bilingual: given the lines' translations (line id -> text), each translated line is followed
by its translation, in subtitles as the cue's second line.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Literal

from captioner.transcript.store import Line, SessionInfo

Format = Literal["txt", "srt", "vtt", "md"]
FORMATS: tuple[Format, ...] = ("txt", "srt", "vtt", "md")
MIN_CUE_S = 0.5


def clock(seconds: float, separator: str = ",") -> str:
    """00:01:02,500 (SubRip) or 00:01:02.500 (WebVTT)."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def short_clock(seconds: float) -> str:
    """1:02 or 1:02:03: a line's time in a document or a window."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def session_title(info: SessionInfo) -> str:
    """What a session is called: its title, else its date and time."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.started))
    return f"{info.title} ({when})" if info.title else when


def _said(line: Line, labels: bool) -> str:
    return f"{line.source}: {line.text}" if labels and line.source else line.text


def render(
    info: SessionInfo,
    lines: Sequence[Line],
    fmt: Format,
    times: bool = True,
    labels: bool = True,
    translations: Mapping[int, str] | None = None,
) -> str:
    """``translations`` (line id -> text): bilingual, each translation after its line."""
    # One line each: in a cue an empty line would end it.
    given = {line: " ".join(text.split()) for line, text in (translations or {}).items()}

    def cue_text(line: Line) -> str:
        said = _said(line, labels)
        translated = given.get(line.id)
        return f"{said}\n{translated}" if translated else said

    if fmt == "srt":
        return "".join(
            f"{n}\n{clock(line.start)} --> {clock(max(line.end, line.start + MIN_CUE_S))}\n"
            f"{cue_text(line)}\n\n"
            for n, line in enumerate(lines, start=1)
        )
    if fmt == "vtt":
        cues = "".join(
            f"{clock(line.start, '.')} --> {clock(max(line.end, line.start + MIN_CUE_S), '.')}\n"
            f"{cue_text(line)}\n\n"
            for line in lines
        )
        return "WEBVTT\n\n" + cues
    if fmt == "md":
        body = "".join(
            (f"- **{short_clock(line.start)}** " if times else "- ")
            + _said(line, labels)
            + (f"  \n  *{given[line.id]}*" if given.get(line.id) else "")
            + "\n"
            for line in lines
        )
        return f"# {session_title(info)}\n\n{body}"
    return "".join(
        (f"[{short_clock(line.start)}] " if times else "")
        + _said(line, labels)
        + "\n"
        + (("    " if times else "") + given[line.id] + "\n" if given.get(line.id) else "")
        for line in lines
    )
