"""One running app per settings file: a second launch brings the first one forward.

Two copies on the same settings would fight over the transcripts folder, the global hotkey
and the feed's port. The first copy holds a lock file (QLockFile: released by the system when
the process dies, even by kill -9, since a lock whose owner is gone counts as stale) and
listens on a named local socket (QLocalServer). A later launch finds the lock taken, tells
the first copy through the socket to come forward, and exits. A different ``--config`` (a
portable copy) is a different instance.
"""

from __future__ import annotations

import getpass
import hashlib
import time
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_REQUEST = b"show\n"
_ANSWER = b"ok\n"


def instance_key(settings_path: Path) -> str:
    """The lock's and the socket's name for this settings file and user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        user = ""
    identity = f"{user}\0{settings_path.expanduser().resolve()}".encode()
    return "captioner-" + hashlib.sha256(identity).hexdigest()[:16]


def lock_path(key: str) -> Path:
    return Path(QDir.tempPath()) / f"{key}.lock"


class SingleInstance(QObject):
    """Call :meth:`claim` before building the app; if it is False, :meth:`bring_forward`."""

    activated = Signal()  # a later launch asked this instance to come forward

    def __init__(self, settings_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = instance_key(settings_path)
        self._lock = QLockFile(str(lock_path(self.key)))
        self._lock.setStaleLockTime(0)  # stale only when its owner is gone, never by age
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_connection)

    def claim(self) -> bool:
        """True when this is the only instance; it then answers later launches."""
        if not self._lock.tryLock(0):
            return False
        QLocalServer.removeServer(self.key)  # a socket file left behind by a killed instance
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.listen(self.key)
        return True

    def release(self) -> None:
        self._server.close()
        self._lock.unlock()

    def bring_forward(self, timeout_s: float = 10.0) -> bool:
        """Ask the running instance to come forward; False if it does not answer in time
        (it may still be starting: the lock comes before its socket)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            socket = QLocalSocket()
            socket.connectToServer(self.key)
            if socket.waitForConnected(500):
                socket.write(_REQUEST)
                socket.waitForBytesWritten(1000)
                answered = socket.waitForReadyRead(2000) and bytes(socket.readAll().data())
                socket.abort()
                if answered and answered.startswith(_ANSWER):
                    return True
            time.sleep(0.2)
        return False

    def _on_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            # Answer at once (no waiting on the GUI thread); what was asked is always "show".
            socket.write(_ANSWER)
            socket.flush()
            socket.disconnectFromServer()
            socket.disconnected.connect(socket.deleteLater)
            self.activated.emit()
