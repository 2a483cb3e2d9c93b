"""One event loop for Qt and asyncio (qasync), as the app and headless captioning run it."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import qasync
from PySide6.QtCore import QCoreApplication, QTimer

# Python runs signal handlers only between bytecodes: while Qt's loop waits it runs none, so a
# no-op timer gives it a turn this often.
_SIGNAL_CHECK_MS = 200


@contextmanager
def qt_asyncio_loop(
    app: QCoreApplication, on_stop_request: Callable[[], None]
) -> Iterator[qasync.QEventLoop]:
    """Qt's event loop as the asyncio loop, for the duration of the block.

    Ctrl+C and termination requests call ``on_stop_request`` (on the Qt thread) instead of
    killing the process, so what is pending can be confirmed and saved first.
    """
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    names = ("SIGINT", "SIGTERM", "SIGBREAK")
    previous = {
        name: signal.signal(getattr(signal, name), lambda *_: QTimer.singleShot(0, on_stop_request))
        for name in names
        if hasattr(signal, name)
    }
    keepalive = QTimer()
    keepalive.timeout.connect(lambda: None)
    keepalive.start(_SIGNAL_CHECK_MS)
    try:
        yield loop
    finally:
        keepalive.stop()
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)
        loop.close()
        asyncio.set_event_loop(None)


async def until_quit(app: QCoreApplication) -> None:
    """Wait, as a coroutine on the qasync loop, until ``app`` is about to quit."""
    finished: asyncio.Future[None] = asyncio.get_event_loop().create_future()

    def quitting() -> None:
        if not finished.done():
            finished.set_result(None)

    app.aboutToQuit.connect(quitting)
    await finished
