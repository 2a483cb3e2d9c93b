import sys

import pytest
from PySide6.QtCore import QObject, Signal


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="True is immortal from Python 3.12: cannot be lost"
)
def test_emitting_signals_does_not_lose_references_to_true(qapp):
    """PySide6 6.12.0 dropped a reference to True on every emit(); on Python 3.11 the
    process aborted ("bool_dealloc") after a minute or two of captioning."""

    class Emitter(QObject):
        changed = Signal(object)

    emitter = Emitter()
    emitter.changed.connect(lambda value: None)
    before = sys.getrefcount(True)
    for i in range(20_000):
        emitter.changed.emit(i)
    assert sys.getrefcount(True) >= before - 100
