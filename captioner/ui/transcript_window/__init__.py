"""The transcript window: the whole current session as it is captioned, past sessions from
the library, search across them, and export.

``window.py`` puts it together; ``view.py`` is the text (one block per line, appended in
constant time), ``find_bar.py`` the find bar, ``sessions.py`` the list of past sessions and
search hits, ``tasks.py`` the library's work off the GUI thread, ``export_dialog.py`` and
``trash.py`` what a session's export and deletion need.
"""

from captioner.ui.transcript_window.window import TranscriptWindow

__all__ = ["TranscriptWindow"]
