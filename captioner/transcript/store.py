"""The library of captioned sessions: one SQLite database in the transcripts folder.

Every confirmed line is committed (write-ahead log, synced) before the app shows it, so a
killed process or a power cut loses nothing confirmed, and a crash in the middle of a write
leaves the database as it was before it. The .txt and .srt files beside it are rendered from
the same lines as they arrive (transcript/files.py), for people who open the folder.

Search finds any run of characters, Chinese included, with no word segmentation: an FTS5
index with the ``trigram`` tokenizer answers queries of three characters or more; shorter
ones (营收, AI) use a second index over the text's single characters (separated by spaces,
so that the ``unicode61`` tokenizer sees each as a word) as a phrase. A file that is not a
database, or a damaged one, is set aside with a note for the user, never a crash; sessions
written by earlier versions as .txt and .srt are imported once.

No Qt here. One connection, shared by the recognition threads that append and the window
that reads, serialised by a lock: every statement is short.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from captioner.i18n import translate

LIBRARY_NAME = "captioner-library.sqlite3"
SCHEMA_VERSION = 2  # 2: translations
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,          -- the wall clock, seconds since the epoch
    ended REAL,                     -- NULL while it runs (or if the app was killed)
    title TEXT NOT NULL DEFAULT '', -- given by the user ('' : none)
    source TEXT NOT NULL DEFAULT '', -- what was captioned: mic, system, both, a file's name
    imported TEXT                   -- the .srt it was imported from, if it was
);
CREATE TABLE IF NOT EXISTS lines (
    id INTEGER PRIMARY KEY,
    session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    start REAL NOT NULL,            -- seconds from the session's start
    end REAL NOT NULL,
    source TEXT,                    -- the side that spoke with two sources (Me / Others)
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_by_session ON lines(session, id);
CREATE TABLE IF NOT EXISTS translations (
    line INTEGER NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,             -- the translation's language ("en")
    text TEXT NOT NULL,
    PRIMARY KEY (line, lang)
);
CREATE VIRTUAL TABLE IF NOT EXISTS lines_trigrams
    USING fts5(text, content='lines', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS lines_characters USING fts5(text, tokenize='unicode61');
CREATE TRIGGER IF NOT EXISTS lines_added AFTER INSERT ON lines BEGIN
    INSERT INTO lines_trigrams(rowid, text) VALUES (new.id, new.text);
    INSERT INTO lines_characters(rowid, text) VALUES (new.id, spaced(new.text));
END;
CREATE TRIGGER IF NOT EXISTS lines_removed AFTER DELETE ON lines BEGIN
    INSERT INTO lines_trigrams(lines_trigrams, rowid, text) VALUES ('delete', old.id, old.text);
    DELETE FROM lines_characters WHERE rowid = old.id;
END;
"""
SHORT_QUERY = 3  # fewer characters than this: the single-character index


@dataclass(frozen=True)
class SessionInfo:
    id: int
    started: float  # seconds since the epoch
    ended: float | None
    title: str
    source: str
    line_count: int
    first_words: str
    last_end: float  # seconds from the start to the end of its last line

    @property
    def duration_s(self) -> float:
        if self.ended is not None:
            return max(self.ended - self.started, self.last_end)
        return self.last_end


@dataclass(frozen=True)
class Line:
    id: int
    session: int
    start: float  # seconds from the session's start
    end: float
    source: str | None
    text: str


@dataclass(frozen=True)
class Hit:
    session: SessionInfo
    line: Line


def spaced(text: str) -> str:
    """Each character a word of its own, for the single-character index."""
    return " ".join(ch for ch in text if not ch.isspace())


class Library:
    """The sessions in ``folder`` (the transcripts folder). ``notices`` holds what the user
    should be told about opening it (a damaged file set aside, sessions imported)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LIBRARY_NAME
        self.notices: list[str] = []
        self._lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)
        self._db = self._open()
        imported = self._import_old_sessions()
        if imported:
            self.notices.append(
                translate(
                    "transcript",
                    "{count} earlier sessions were added to the transcript library.",
                ).format(count=imported)
            )

    # -- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(
                f"{self.path.stem}.damaged-{time.strftime('%Y%m%d-%H%M%S')}{self.path.suffix}"
            )
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").rename(f"{aside}{suffix}")
            self.notices.append(
                translate(
                    "transcript",
                    "The transcript library could not be read ({exc}); it was set aside as "
                    "{aside} and a new one started. The .txt and .srt files are untouched.",
                ).format(exc=exc, aside=aside)
            )
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            db.create_function("spaced", 1, spaced, deterministic=True)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # committed means on disk
            db.execute("PRAGMA foreign_keys=ON")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            # A database of an earlier version gains the tables it lacks (IF NOT EXISTS).
            db.executescript(_SCHEMA)
            db.execute(
                "INSERT INTO meta VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE"
                " SET value = excluded.value WHERE CAST(value AS INTEGER) < ?",
                (str(SCHEMA_VERSION), SCHEMA_VERSION),
            )
        except BaseException:
            db.close()
            raise
        return db

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing ---------------------------------------------------------------------------

    def begin(self, source: str = "", started: float | None = None) -> int:
        """A new session; its id."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions(started, source) VALUES (?, ?)",
                (started if started is not None else time.time(), source),
            )
            return int(cursor.lastrowid or 0)

    def append(
        self, session: int, start: float, end: float, text: str, source: str | None = None
    ) -> Line:
        """A confirmed line, committed (on disk) when this returns."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO lines(session, start, end, source, text) VALUES (?, ?, ?, ?, ?)",
                (session, start, end, source, text),
            )
            return Line(int(cursor.lastrowid or 0), session, start, end, source, text)

    def add_session(
        self,
        started: float,
        lines: Sequence[tuple[float, float, str | None, str]],
        source: str = "",
        ended: float | None = None,
        imported: str | None = None,
    ) -> int:
        """A whole session at once (start, end, label, text per line), in one transaction:
        sessions of earlier versions, imported."""
        with self._transaction() as db:
            session = int(
                db.execute(
                    "INSERT INTO sessions(started, ended, source, imported) VALUES (?, ?, ?, ?)",
                    (started, ended, source, imported),
                ).lastrowid
                or 0
            )
            db.executemany(
                "INSERT INTO lines(session, start, end, source, text) VALUES (?, ?, ?, ?, ?)",
                [(session, *line) for line in lines],
            )
            return session

    def add_translation(self, line: int, lang: str, text: str) -> None:
        """A line's translation into ``lang`` (replacing an earlier one in that language)."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO translations(line, lang, text) VALUES (?, ?, ?)",
                (line, lang, text),
            )

    def end(self, session: int, ended: float | None = None) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE sessions SET ended = ? WHERE id = ?",
                (ended if ended is not None else time.time(), session),
            )

    def rename(self, session: int, title: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE sessions SET title = ? WHERE id = ?", (title.strip(), session))

    def delete(self, session: int) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM lines WHERE session = ?", (session,))
            db.execute("DELETE FROM sessions WHERE id = ?", (session,))

    # -- reading ---------------------------------------------------------------------------

    _SESSION = """
        SELECT s.id, s.started, s.ended, s.title, s.source,
               (SELECT count(*) FROM lines WHERE session = s.id),
               coalesce((SELECT text FROM lines WHERE session = s.id ORDER BY id LIMIT 1), ''),
               coalesce((SELECT max(end) FROM lines WHERE session = s.id), 0)
        FROM sessions s
    """

    def sessions(self) -> list[SessionInfo]:
        """Newest first."""
        with self._lock:
            rows = self._db.execute(self._SESSION + " ORDER BY s.started DESC, s.id DESC")
            return [SessionInfo(*row) for row in rows.fetchall()]

    def session(self, session: int) -> SessionInfo | None:
        with self._lock:
            row = self._db.execute(self._SESSION + " WHERE s.id = ?", (session,)).fetchone()
        return SessionInfo(*row) if row else None

    def lines(self, session: int, after: int = 0) -> list[Line]:
        """The session's lines in order (those after line id ``after``)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, session, start, end, source, text FROM lines"
                " WHERE session = ? AND id > ? ORDER BY id",
                (session, after),
            ).fetchall()
        return [Line(*row) for row in rows]

    def translations(self, session: int, lang: str | None = None) -> dict[int, str]:
        """The session's translated lines: line id -> translation (into ``lang``; None: the
        last one given for each line, whatever its language)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT t.line, t.text FROM translations t JOIN lines l ON l.id = t.line"
                " WHERE l.session = ? AND (? IS NULL OR t.lang = ?) ORDER BY t.rowid",
                (session, lang, lang),
            ).fetchall()
        return {int(line): str(text) for line, text in rows}

    def translation_languages(self, session: int) -> list[str]:
        """The languages the session's lines were translated into."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT t.lang FROM translations t JOIN lines l ON l.id = t.line"
                " WHERE l.session = ? ORDER BY t.lang",
                (session,),
            ).fetchall()
        return [str(lang) for (lang,) in rows]

    def search(self, text: str, limit: int = 500) -> list[Hit]:
        """Lines holding ``text`` (case aside for Latin letters), newest session first."""
        query = text.strip()
        if not query:
            return []
        if len(query) >= SHORT_QUERY:
            match_table = "lines_trigrams"
            phrase = '"' + query.replace('"', '""') + '"'
        else:
            match_table = "lines_characters"
            phrase = '"' + spaced(query).replace('"', '""') + '"'
        with self._lock:
            # The newest lines first, straight from the index (a common character can be in
            # most lines: never all of them sorted), then ordered by session.
            ids = self._db.execute(
                f"SELECT rowid FROM {match_table} WHERE {match_table} MATCH ?"
                " ORDER BY rowid DESC LIMIT ?",
                (phrase, limit),
            ).fetchall()
            if not ids:
                return []
            rows = self._db.execute(
                "SELECT l.id, l.session, l.start, l.end, l.source, l.text FROM lines l"
                " JOIN sessions s ON s.id = l.session"
                f" WHERE l.id IN ({','.join('?' * len(ids))})"
                " ORDER BY s.started DESC, l.id",
                [i for (i,) in ids],
            ).fetchall()
        sessions: dict[int, SessionInfo | None] = {}
        hits = []
        for row in rows:
            line = Line(*row)
            if line.session not in sessions:
                sessions[line.session] = self.session(line.session)
            info = sessions[line.session]
            if info is not None:
                hits.append(Hit(info, line))
        return hits

    # -- sessions written by earlier versions ----------------------------------------------

    def _import_old_sessions(self) -> int:
        """The .srt files earlier versions wrote here, each a session, added once."""
        with self._lock:
            done = self._db.execute("SELECT 1 FROM meta WHERE key = 'files imported'").fetchone()
        if done:
            return 0
        count = 0
        for srt in sorted(self.folder.glob("*.srt")):
            started = _stamp_time(srt.stem)
            if started is None:
                continue
            try:
                cues = parse_srt(srt.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            labels = _labels(cues)
            self.add_session(
                started,
                [(start, end, *_split_label(text, labels)) for start, end, text in cues],
                "both" if labels else "",
                started + max((c[1] for c in cues), default=0.0),
                srt.name,
            )
            count += 1
        with self._transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('files imported', '1')")
        return count


_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2})(?: \(\d+\))?$")
_SRT_TIME = re.compile(r"(\d+):(\d{2}):(\d{2})[,.](\d{3})")


def _stamp_time(stem: str) -> float | None:
    """The start time a session file's name gives (``2026-11-21 14-03-22``), or None."""
    found = _STAMP.match(stem)
    if found is None:
        return None
    return time.mktime(time.strptime(found.group(1), "%Y-%m-%d %H-%M-%S"))


def parse_srt(text: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue."""
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        rows = block.split("\n")
        timing = next((i for i, row in enumerate(rows) if "-->" in row), None)
        if timing is None:
            continue
        times = _SRT_TIME.findall(rows[timing])
        if len(times) != 2:
            raise ValueError(f"not an SRT cue timing: {rows[timing]!r}")
        start, end = (
            int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in times
        )
        cues.append((start, end, "\n".join(rows[timing + 1 :]).strip()))
    return cues


def _labels(cues: list[tuple[float, float, str]]) -> set[str]:
    """The side labels ("Me", "Others") of a session with two sources: the prefixes before
    ": " that every cue has, from two different ones at most."""
    found = {m.group(1) for _, _, t in cues if (m := re.match(r"^([^:\s]{1,24}): ", t))}
    if not found or len(found) > 2:
        return set()
    if all(re.match(r"^([^:\s]{1,24}): ", t) for _, _, t in cues):
        return found
    return set()


def _split_label(text: str, labels: set[str]) -> tuple[str | None, str]:
    for label in labels:
        if text.startswith(f"{label}: "):
            return label, text[len(label) + 2 :]
    return None, text
