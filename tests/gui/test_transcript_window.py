"""The transcript window's logic, offscreen, on a real library in a temporary folder: live
lines with their times and sides, following and jump to live, find, copy, past sessions,
search across them, rename, delete, and export read back by a real subtitle parser."""

from __future__ import annotations

import time

import pysubs2
import pytest
from PySide6.QtWidgets import QApplication

from captioner.transcript.events import TranscriptEvent
from captioner.transcript.store import Library
from captioner.ui.transcript_window import TranscriptWindow
from captioner.ui.transcript_window.trash import session_files

LECTURE = [
    "今天我们来看第三季度营收的变化",
    "季度营收比去年同期增长了百分之十二",
    "接下来看成本",
    "营收增长主要来自海外市场",
]


def event(
    text: str, start: float, source: str | None = None, final: int | None = None
) -> TranscriptEvent:
    return TranscriptEvent(t=start, type="final", text=text, start=start, end=start + 2.5,
                           source=source, final=final)  # fmt: skip


@pytest.fixture
def library(tmp_path) -> Library:
    lib = Library(tmp_path / "transcripts")
    yield lib
    lib.close()


def open_window(qtbot, library: Library, current=lambda: None) -> TranscriptWindow:
    window = TranscriptWindow(lambda: library, current)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window._live_loaded)
    settle(qtbot, window)
    return window


def settle(qtbot, window: TranscriptWindow) -> None:
    """Every library task done and its answer delivered."""
    qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=10_000)


def test_lines_appended_show_with_times_and_labels(qtbot, library):
    window = open_window(qtbot, library)
    window.add_event(event("大家好", 5.0))
    window.add_event(event("今天讲营收", 65.2))
    window.add_event(event("一个小时以后", 3725.0))
    assert window.view.toPlainText().splitlines() == [
        "0:05  大家好", "1:05  今天讲营收", "1:02:05  一个小时以后"
    ]  # fmt: skip
    window.add_event(event("我先说", 3730.0, "Me"))
    window.add_event(event("好的", 3731.0, "Others"))
    assert window.view.toPlainText().splitlines()[-2:] == [
        "1:02:10  Me: 我先说",
        "1:02:11  Others: 好的",
    ]
    assert window.view.accessibleDescription() == "1:02:11  Others: 好的"


def test_partial_shows_apart_at_the_bottom(qtbot, library):
    window = open_window(qtbot, library)
    window.add_event(event("已确认", 1.0))
    window.show_partial("还没确认的")
    assert window.partial.text() == "还没确认的"
    assert "还没确认的" not in window.view.toPlainText()
    assert window.partial.isVisible()


def test_the_current_session_is_read_from_the_library_without_repeats(qtbot, library):
    session = library.begin("mic")
    for n in range(5):
        library.append(session, n * 3.0, n * 3.0 + 2, f"第{n}行")
    window = TranscriptWindow(lambda: library, lambda: session)
    qtbot.addWidget(window)
    # Arrives while the library is read: the last one is there already, the next is new.
    window.add_event(event("第4行", 12.0))
    library.append(session, 15.0, 17.0, "第5行")
    window.add_event(event("第5行", 15.0))
    qtbot.waitUntil(lambda: window._live_loaded)
    texts = [line.split("  ", 1)[1] for line in window.view.toPlainText().splitlines()]
    assert texts == [f"第{n}行" for n in range(6)]


def test_follows_until_scrolled_up_and_jump_to_live_returns(qtbot, library):
    window = open_window(qtbot, library)
    window.resize(700, 300)
    for n in range(200):
        window.add_event(event(f"第{n}行字幕", n * 2.0))
    bar = window.view.verticalScrollBar()
    assert bar.maximum() > 0
    assert bar.value() == bar.maximum()
    assert not window.jump_button.isVisible()
    bar.setValue(bar.maximum() // 2)  # the user scrolls up
    assert not window.view.following
    assert window.jump_button.isVisible()
    held = bar.value()
    for n in range(200, 220):
        window.add_event(event(f"第{n}行字幕", n * 2.0))
    assert bar.value() == held  # where the user reads
    window.jump_button.click()
    assert bar.value() == bar.maximum()
    assert window.view.following and not window.jump_button.isVisible()
    window.add_event(event("最新的一行", 500.0))
    assert bar.value() == bar.maximum()


@pytest.mark.parametrize(("query", "expected"), [("季度营收", 2), ("营收", 3)])
def test_find_highlights_every_hit(qtbot, library, query, expected):
    window = open_window(qtbot, library)
    for n, text in enumerate(LECTURE):
        window.add_event(event(text, n * 4.0))
    window.find_bar.open_bar(query)
    assert window.view.hit_count == expected
    assert window.view.highlighted() == [query] * expected
    assert window.find_bar.count.text() == f"{expected} found"
    window._next_hit(False)
    window._next_hit(False)
    assert window.view.textCursor().selectedText() == query
    assert window.find_bar.count.text() == f"2 of {expected}"
    window._next_hit(True)
    assert window.find_bar.count.text() == f"1 of {expected}"
    window.add_event(event("第四季度营收数字", 30.0))  # new lines are searched as they come
    assert window.view.hit_count == expected + 1
    window.find_bar.close_bar()
    assert window.view.highlighted() == []


def test_copy_all(qtbot, library):
    window = open_window(qtbot, library)
    window.add_event(event("第一行", 1.0, "Me"))
    window.add_event(event("第二行", 2.0, "Others"))
    window.copy_button.click()
    assert QApplication.clipboard().text() == "0:01  Me: 第一行\n0:02  Others: 第二行\n"


def test_font_size_changes_and_is_told(qtbot, library):
    window = open_window(qtbot, library)
    with qtbot.waitSignal(window.font_size_changed) as told:
        window._step_font(2)
    assert told.args == [15]
    assert window.view.font().pointSize() == 15


def add_past(library: Library, started: float, lines: list[str], source: str = "mic") -> int:
    return library.add_session(
        started, [(n * 5.0, n * 5.0 + 3, None, t) for n, t in enumerate(lines)], source,
        started + 5.0 * len(lines),
    )  # fmt: skip


def test_past_sessions_listed_newest_first(qtbot, library):
    now = time.time()
    older = add_past(library, now - 86400, ["昨天的课"])
    newer = add_past(library, now - 3600, ["一小时前的会议", "第二句"], "both")
    window = open_window(qtbot, library)
    items = [window.sessions.list.item(r) for r in range(window.sessions.list.count())]
    assert [i.data(256) for i in items] == [newer, older]
    assert "一小时前的会议" in items[0].text() and "Me / Others" in items[0].text()
    assert "0:10" in items[0].text()  # its duration
    window.open_session(older)
    settle(qtbot, window)
    assert window.view.toPlainText() == "0:00  昨天的课"
    assert "read-only" in window.heading.text() and window.live_button.isVisible()
    assert window.view.isReadOnly()
    window.add_event(event("现在说的话", 1.0))  # live text goes on, not into this one
    assert window.view.toPlainText() == "0:00  昨天的课"
    window.live_button.click()
    assert window.view.toPlainText() == "0:01  现在说的话"


def test_cross_session_search_opens_at_the_hit(qtbot, library):
    now = time.time()
    filler = [f"无关的第{n}句话" for n in range(300)]
    first = add_past(library, now - 7200, [*filler, "第三季度营收创新高", *filler])
    add_past(library, now - 3600, ["下个季度营收预计持平"])
    add_past(library, now - 1800, ["Revenue grew in the third quarter"])
    window = open_window(qtbot, library)
    window.resize(800, 400)
    window.search("季度营收")
    settle(qtbot, window)
    tree = window.sessions.hits
    assert tree.topLevelItemCount() == 2  # by session, newest first
    assert "下个季度营收" in tree.topLevelItem(0).child(0).text(0)
    hit = tree.topLevelItem(1).child(0)
    assert hit.text(0) == "25:00  第三季度营收创新高"
    window.sessions._open_hit(hit)
    settle(qtbot, window)
    assert window.shown is not None and window.shown.id == first
    cursor = window.view.textCursor()
    assert cursor.selectedText() == "季度营收"
    assert cursor.blockNumber() == 300
    bar = window.view.verticalScrollBar()
    assert 0 < bar.value() < bar.maximum()  # in view, mid-session
    assert window.view.hit_count == 1
    window.search("revenue")
    settle(qtbot, window)
    assert tree.topLevelItemCount() == 1
    window.search("营收")  # two characters
    settle(qtbot, window)
    assert tree.topLevelItemCount() == 2


def test_rename_and_delete(qtbot, library, tmp_path):
    now = time.time()
    session = add_past(library, now - 600, ["要删除的课"])
    keep = add_past(library, now - 300, ["留下的课"])
    stamp = time.strftime("%Y-%m-%d %H-%M-%S", time.localtime(now - 600))
    for suffix in (".txt", ".srt"):
        (library.folder / f"{stamp}{suffix}").write_text("要删除的课\n", encoding="utf-8")
    window = open_window(qtbot, library)
    window.rename(keep, "  第五讲 营收分析 ")
    settle(qtbot, window)
    assert window.sessions.list.item(0).text().startswith("第五讲 营收分析 · ")
    info = library.session(session)
    assert len(session_files(library.folder, info)) == 2
    window.open_session(session)
    settle(qtbot, window)
    window.delete(session)
    settle(qtbot, window)
    assert library.session(session) is None and library.lines(session) == []
    assert window.sessions.list.count() == 1
    assert window.shown is None  # back to the live session
    # Its files went to the trash; where there is none (a temporary folder on another
    # file system than the home's trash), they stay, and the window says so.
    if list(library.folder.glob(f"{stamp}.*")):
        assert "could not be moved to the trash" in window.message.text()
    else:
        assert window.message.isHidden()


def test_the_live_session_cannot_be_deleted(qtbot, library):
    session = library.begin("mic")
    library.append(session, 0.0, 1.0, "正在说")
    window = open_window(qtbot, library, lambda: session)
    window.ask_delete(session)
    assert "cannot be deleted" in window.message.text()
    assert library.session(session) is not None


@pytest.mark.parametrize("fmt", ["srt", "vtt"])
def test_export_subtitles_read_by_a_real_parser(qtbot, library, tmp_path, fmt):
    window = open_window(qtbot, library)
    window.add_event(event("第一句", 1.0, "Me"))
    window.add_event(event("第二句，有逗号", 65.5, "Others"))
    window.add_event(event("很短", 3700.0, "Me"))
    path = tmp_path / f"out.{fmt}"
    assert window.export_to(path, fmt)
    subs = pysubs2.load(str(path))
    assert [e.plaintext for e in subs] == ["Me: 第一句", "Others: 第二句，有逗号", "Me: 很短"]
    assert [(e.start, e.end) for e in subs] == [(1000, 3500), (65500, 68000), (3700000, 3702500)]
    assert window.export_to(tmp_path / f"bare.{fmt}", fmt, labels=False)
    assert pysubs2.load(str(tmp_path / f"bare.{fmt}"))[0].plaintext == "第一句"


def test_export_text_and_markdown(qtbot, library, tmp_path):
    window = open_window(qtbot, library)
    window.add_event(event("第一句", 1.0, "Me"))
    window.add_event(event("第二句", 65.0, "Others"))
    assert window.export_to(tmp_path / "a.txt", "txt")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == (
        "[0:01] Me: 第一句\n[1:05] Others: 第二句\n"
    )
    assert window.export_to(tmp_path / "b.txt", "txt", times=False, labels=False)
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "第一句\n第二句\n"
    assert window.export_to(tmp_path / "c.md", "md")
    md = (tmp_path / "c.md").read_text(encoding="utf-8").splitlines()
    assert md[0].startswith("# ") and md[2:] == [
        "- **0:01** Me: 第一句",
        "- **1:05** Others: 第二句",
    ]


def test_export_that_cannot_be_written_says_why(qtbot, library, tmp_path):
    window = open_window(qtbot, library)
    window.add_event(event("第一句", 1.0))
    assert not window.export_to(tmp_path / "no such folder" / "a.srt", "srt")
    assert window.message.text().startswith("The export could not be written: the folder")
    assert "Traceback" not in window.message.text()


def test_without_saved_transcripts_the_window_still_shows_live_text(qtbot):
    window = TranscriptWindow(lambda: None)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window._live_loaded)
    settle(qtbot, window)
    window.add_event(event("没有保存也能看", 1.0))
    assert window.view.toPlainText() == "0:01  没有保存也能看"
    assert "turned off" in window.sessions.status.text()


def test_a_library_that_fails_is_said_not_raised(qtbot, tmp_path):
    def broken() -> Library:
        raise OSError("disk on fire")

    window = TranscriptWindow(broken)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "disk on fire" in window.message.text())
    assert window._live_loaded is False or window.view.toPlainText() == ""


def test_a_deleted_sessions_files_go_to_the_trash(qtbot, library, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()  # as ~/.local/share is on a desktop
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the trash: same disk
    started = time.time() - 600
    session = add_past(library, started, ["要删除的课"])
    stamp = time.strftime("%Y-%m-%d %H-%M-%S", time.localtime(started))
    (library.folder / f"{stamp}.srt").write_text("1\n", encoding="utf-8")
    window = open_window(qtbot, library)
    window.delete(session)
    settle(qtbot, window)
    assert not (library.folder / f"{stamp}.srt").exists()
    assert list((tmp_path / "data" / "Trash" / "files").glob("*.srt"))
    assert window.message.isHidden()


def test_the_live_session_is_listed_once_its_first_line_is_saved(qtbot, library):
    current: list[int] = []
    window = open_window(qtbot, library, lambda: current[0] if current else None)
    assert window.sessions.list.count() == 0
    session = library.begin("mic")  # as the transcript sink does on the first line
    library.append(session, 0.5, 2.0, "第一句话")
    current.append(session)
    window.add_event(event("第一句话", 0.5))
    settle(qtbot, window)
    assert window.sessions.list.count() == 1
    assert window.sessions.list.item(0).text().startswith("Now: ")


def test_the_buttons_ask_then_rename_delete_and_export(qtbot, library, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from captioner.ui.transcript_window.export_dialog import ExportOptions

    now = time.time()
    session = add_past(library, now - 600, ["第一句", "第二句"])
    window = open_window(qtbot, library)
    window.sessions.list.setCurrentRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("期末复习", True))
    window.sessions.rename_button.click()
    settle(qtbot, window)
    assert window.sessions.list.item(0).text().startswith("期末复习 · ")
    window.sessions.list.setCurrentRow(0)
    window.sessions.open_button.click()
    settle(qtbot, window)
    assert window.heading.text().startswith("期末复习 (")
    monkeypatch.setattr(ExportOptions, "exec", lambda self: self.format.setCurrentIndex(2) or 1)
    chosen = tmp_path / "期末复习.vtt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    window.export_button.click()
    assert [e.plaintext for e in pysubs2.load(str(chosen))] == ["第一句", "第二句"]
    window.sessions.list.setCurrentRow(0)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    window.sessions.delete_button.click()  # asked, and told no
    settle(qtbot, window)
    assert library.session(session) is not None
    window.sessions.delete_button.click()
    settle(qtbot, window)
    assert library.session(session) is None
    assert window.shown is None and window.sessions.list.count() == 0


def test_jump_to_live_is_offered_only_in_the_live_session(qtbot, library):
    session = add_past(library, time.time() - 600, [f"第{n}句" for n in range(300)])
    window = open_window(qtbot, library)
    window.resize(600, 300)
    window.open_session(session)
    settle(qtbot, window)
    bar = window.view.verticalScrollBar()
    bar.setValue(0)
    assert not window.jump_button.isVisible()


# -- translations ---------------------------------------------------------------------------


def test_a_late_translation_goes_under_its_own_line(qtbot, library):
    window = open_window(qtbot, library)
    for n, text in enumerate(LECTURE, start=1):
        window.add_event(event(text, n * 4.0, final=n))
    window.show_partial("营收增长")
    window.add_translation(2, "Quarterly revenue grew 12% year on year")
    window.add_translation(99, "a final this window never saw")  # dropped
    window.add_event(event("最后一句", 30.0))  # no final number: never translated
    assert window.view.toPlainText().splitlines() == [
        "0:04  今天我们来看第三季度营收的变化",
        "0:08  季度营收比去年同期增长了百分之十二",
        "      Quarterly revenue grew 12% year on year",
        "0:12  接下来看成本",
        "0:16  营收增长主要来自海外市场",
        "0:30  最后一句",
    ]
    assert window.view.document().blockCount() == 5  # block n is still line n
    assert window.partial.text() == "营收增长"
    block = window.view.document().findBlockByNumber(1)
    formats = {r.format.foreground().color().name() for r in block.layout().formats()}
    assert formats in (set(), {"#4f6f8f"})  # drawn apart (the document's formats)
    cursor = window.view.textCursor()
    cursor.setPosition(block.position() + block.length() - 2)
    assert cursor.charFormat().foreground().color().name() == "#4f6f8f"
    window.copy_button.click()
    assert QApplication.clipboard().text().splitlines()[1:3] == [
        "0:08  季度营收比去年同期增长了百分之十二",
        "      Quarterly revenue grew 12% year on year",
    ]
    assert QApplication.clipboard().text().endswith("0:30  最后一句\n")


def test_find_still_highlights_the_lines_when_translations_come(qtbot, library):
    window = open_window(qtbot, library)
    lines = ["今天讲营收", "接下来看成本", "营收增长主要来自海外"]
    for n, text in enumerate(lines, start=1):
        window.add_event(event(text, n * 4.0, final=n))
    window.find_bar.open_bar("营收")
    assert window.view.hit_count == 2
    window._next_hit(False)
    window._next_hit(False)  # the second, in the third line
    window.add_translation(1, "Today: revenue")  # after a hit ending its line
    window.add_translation(2, "Next, the costs")
    assert window.view.highlighted() == ["营收", "营收"]  # not grown into the translation
    assert window.find_bar.count.text() == "2 of 2"
    assert window.view.textCursor().selectedText() == "营收"
    window.find_bar.open_bar("revenue")  # translations are found too
    assert window.view.highlighted() == ["revenue"]
    window.find_bar.open_bar("成本")
    window.add_translation(3, "Revenue growth, mostly from abroad")
    assert window.view.highlighted() == ["成本"]
    window.find_bar.open_bar("营收")
    assert window.view.highlighted() == ["营收", "营收"]
    window.find_bar.open_bar("costs")
    window.add_translation(2, "Then the  costs\n(again)")  # a second one replaces the first
    assert window.view.toPlainText().splitlines()[3] == "      Then the costs (again)"
    assert window.view.document().blockCount() == 3
    assert window.view.highlighted() == ["costs"]


def test_a_translation_keeps_the_view_following_or_where_the_user_reads(qtbot, library):
    window = open_window(qtbot, library)
    window.resize(700, 300)
    for n in range(200):
        window.add_event(event(f"第{n}行字幕", n * 2.0, final=n + 1))
    bar = window.view.verticalScrollBar()
    window.add_translation(200, "The last line, translated")
    assert window.view.following and bar.value() == bar.maximum()
    bar.setValue(bar.maximum() // 2)  # the user scrolls up
    top = window.view.cursorForPosition(window.view.viewport().rect().topLeft()).blockNumber()
    window.add_translation(5, "A line far above the view")
    window.add_translation(150, "A line below it")
    assert not window.view.following
    after = window.view.cursorForPosition(window.view.viewport().rect().topLeft())
    assert after.blockNumber() == top
    window.jump_button.click()
    window.add_translation(199, "Near the end")
    assert bar.value() == bar.maximum()


def test_translations_arriving_while_the_session_is_read_find_their_lines(qtbot, library):
    session = library.begin("mic")
    first = library.append(session, 0.0, 2.0, "第一行")
    library.add_translation(first.id, "en", "The first line")
    library.append(session, 3.0, 5.0, "第二行")
    window = TranscriptWindow(lambda: library, lambda: session)
    qtbot.addWidget(window)
    window.add_event(event("第二行", 3.0, final=2))  # read already: not twice
    window.add_event(event("第三行", 6.0, final=3))
    window.add_translation(2, "The second line")
    qtbot.waitUntil(lambda: window._live_loaded)
    window.add_translation(3, "The third line")
    assert window.view.toPlainText().splitlines() == [
        "0:00  第一行",
        "      The first line",
        "0:03  第二行",
        "      The second line",
        "0:06  第三行",
        "      The third line",
    ]


def test_a_past_session_shows_its_stored_translations(qtbot, library, tmp_path):
    session = add_past(library, time.time() - 600, ["大家好", "今天讲港口", "谢谢"])
    lines = library.lines(session)
    library.add_translation(lines[0].id, "en", "Hello everyone")
    library.add_translation(lines[2].id, "en", "Thank you")
    add_past(library, time.time() - 300, ["没有翻译"])
    window = open_window(qtbot, library)
    window.open_session(session)
    settle(qtbot, window)
    assert window.view.toPlainText().splitlines() == [
        "0:00  大家好",
        "      Hello everyone",
        "0:05  今天讲港口",
        "0:10  谢谢",
        "      Thank you",
    ]
    window.add_translation(1, "a live translation")  # not into the session shown
    assert "a live translation" not in window.view.toPlainText()
    path = tmp_path / "bilingual.srt"
    assert window.export_to(path, "srt", translations=True)
    subs = pysubs2.load(str(path))
    assert [e.plaintext for e in subs] == [
        "大家好\nHello everyone",
        "今天讲港口",
        "谢谢\nThank you",
    ]
    assert window.export_to(tmp_path / "plain.srt", "srt")
    assert pysubs2.load(str(tmp_path / "plain.srt"))[0].plaintext == "大家好"


def test_export_of_the_live_session_with_its_translations(qtbot, library, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from captioner.ui.transcript_window.export_dialog import ExportOptions

    window = open_window(qtbot, library)
    offered: list[bool] = []

    def accept(self: ExportOptions) -> int:
        offered.append(self.translations.isEnabled())
        self.format.setCurrentIndex(1)  # .srt
        return 1

    monkeypatch.setattr(ExportOptions, "exec", accept)
    chosen = tmp_path / "live.srt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    window.add_event(event("第一句", 1.0, "Me", final=1))
    window.export_button.click()
    window.add_event(event("第二句", 4.0, "Others", final=2))
    window.add_translation(1, "The first sentence")
    window.export_button.click()
    assert offered == [False, True]
    subs = pysubs2.load(str(chosen))
    assert [e.plaintext for e in subs] == ["Me: 第一句\nThe first sentence", "Others: 第二句"]
    assert [(e.start, e.end) for e in subs] == [(1000, 3500), (4000, 6500)]
