"""Unhandled exceptions in any thread reach the rotating log file and the user."""

from __future__ import annotations

import sys
import threading
import time

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from captioner.app.crash_safety import install_error_log


class _Boom(QObject):
    ping = Signal()

    def explode(self) -> None:
        raise RuntimeError("boom in a Qt slot")


class _Worker(QThread):
    def run(self) -> None:
        raise ValueError("boom in a QThread")


def test_exceptions_in_threads_and_slots_are_logged_and_told(qapp, qtbot, tmp_path):
    told: list[str] = []
    hooks = (sys.excepthook, threading.excepthook)
    error_log = install_error_log(lambda path: told.append(str(path)), tmp_path / "log")
    try:
        thread = threading.Thread(target=lambda: 1 / 0, name="recogniser")
        thread.start()
        thread.join()
        worker = _Worker()
        worker.start()
        worker.wait(5000)
        boom = _Boom()
        boom.ping.connect(boom.explode)
        QTimer.singleShot(0, boom.ping.emit)
        qtbot.waitUntil(lambda: len(told) >= 3, timeout=5000)
        time.sleep(0.1)
    finally:
        error_log.uninstall()
    text = (tmp_path / "log" / "captioner.log").read_text(encoding="utf-8")
    assert "unhandled exception in thread recogniser" in text and "ZeroDivisionError" in text
    assert "ValueError: boom in a QThread" in text
    assert "RuntimeError: boom in a Qt slot" in text
    assert text.count("Traceback") == 3
    assert set(told) == {str(tmp_path / "log" / "captioner.log")}
    assert (sys.excepthook, threading.excepthook) == hooks  # uninstalled
