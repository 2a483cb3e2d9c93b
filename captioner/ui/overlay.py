"""The caption overlay: a frameless, translucent bar above every other window.

It never takes focus (showing or updating it leaves the meeting app focused). Locked, it is
click-through: the mouse goes to the window below. Unlocked, it can be dragged and resized,
and shows a grip and a dashed frame. A small indicator tells idle / listening / processing /
loading, the lag when recognition falls behind (with a reset button), and problems in words.
With translation on, each confirmed line gets its translation under it, smaller and in its
own colour (Settings -> Translation).
"""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizeGrip, QToolButton, QWidget

from captioner.control.state import CaptionState
from captioner.settings import OverlaySettings, TranslationSettings
from captioner.ui.caption_painter import (
    CaptionLayout,
    caption_font,
    layout_caption,
    paint_caption,
)
from captioner.ui.caption_text import CaptionText

_STATE_COLOURS = {
    CaptionState.IDLE: "#8a8a8a",
    CaptionState.LISTENING: "#3ecf5b",
    CaptionState.PROCESSING: "#f0b429",
    CaptionState.LOADING: "#4aa3ff",
    CaptionState.ERROR: "#ff4d4d",
}
_PADDING = 12
_LAG_SHOWN_ABOVE_S = 2.0
_SMALLEST_PROBLEM_PX = 11  # a standing problem shrinks down to this to be read whole


class OverlayWindow(QWidget):
    geometry_committed = Signal(QRect)  # moved or resized by the user
    reset_requested = Signal()
    context_menu_requested = Signal(QPoint)  # right click while unlocked
    transcript_requested = Signal()  # the transcript button (unlocked)

    def __init__(
        self, style: OverlaySettings, translation: TranslationSettings | None = None
    ) -> None:
        super().__init__(None)
        self.setWindowTitle("Captioner")
        self.setAccessibleName(self.tr("Captioner captions"))
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.caption = CaptionText(style.clear_after_s, style.confirmed_only)
        self.style_settings = style
        self.translation_settings = translation or TranslationSettings()
        self.caption.translating = self.translation_settings.enabled
        self.state = CaptionState.IDLE
        self.lag_s = 0.0
        self.message = ""
        self._message_until = 0.0
        # What to do (or what is happening) until the first caption: a newcomer who sees an
        # empty bar thinks the app is broken.
        self.hint = ""
        self.captioned = False
        # A problem that stands until it is resolved (no microphone): said in the hint's
        # place whenever no caption is shown, before and after the first one.
        self.problem = ""
        self._problem_size: tuple[object, int] = ((), 0)  # (what it was fitted to, pixels)
        self._drag_from: QPoint | None = None
        self._last_line = ""
        self._grip = QSizeGrip(self)
        # Shown when recognition falls behind: one click skips to now.
        self.reset_button = QToolButton(self)
        self.reset_button.setText("⟲")
        self.reset_button.setToolTip(self.tr("Recognition is behind: skip ahead to now"))
        self.reset_button.clicked.connect(self.reset_requested)
        self.reset_button.hide()
        # Unlocked, the way to the whole session (the tray and a hotkey are the others).
        self.transcript_button = QToolButton(self)
        self.transcript_button.setText(self.tr("Transcript"))
        self.transcript_button.setToolTip(self.tr("The whole session, past sessions (Ctrl+T)"))
        self.transcript_button.clicked.connect(self.transcript_requested)
        self.transcript_button.hide()
        self._resized = QTimer(self)  # one commit when a resize with the grip ends
        self._resized.setSingleShot(True)
        self._resized.setInterval(400)
        self._resized.timeout.connect(lambda: self.geometry_committed.emit(self.geometry()))
        self._tick = QTimer(self)  # auto-clear and expiring messages need a repaint
        self._tick.setInterval(500)
        self._tick.timeout.connect(self.update)
        self._tick.start()
        self.locked = not style.locked  # force apply_style to set the flags
        self.apply_style(style)

    # -- what to show ------------------------------------------------------------------

    def show_partial(self, text: str) -> None:
        self.caption.set_partial(text, time.monotonic())
        self.captioned = self.captioned or bool(text)
        self.update()

    def add_confirmed(self, text: str, final: int | None = None) -> None:
        """``final``: the final's number in the session, which its translation will name."""
        self.caption.add_confirmed(text, time.monotonic(), final)
        self.captioned = self.captioned or bool(text)
        self._last_line = text
        self._update_title()
        self.update()

    def add_translation(self, final: int, text: str) -> None:
        """Final number ``final`` in another language: under its line, if still shown."""
        if self.caption.add_translation(final, text, time.monotonic()):
            self.update()

    def apply_translation_style(self, translation: TranslationSettings) -> None:
        """Whether lines are translated (each then on a line of its own), and how the
        translation looks."""
        self.translation_settings = translation
        self.caption.translating = translation.enabled
        self.update()

    def clear_text(self) -> None:
        self.caption.clear()
        self.update()

    def set_state(self, state: CaptionState, lag_s: float = 0.0) -> None:
        self.state = state
        self.lag_s = lag_s
        behind = lag_s > _LAG_SHOWN_ABOVE_S
        self.reset_button.setVisible(behind)
        self._update_title()
        self.update()

    def _update_title(self) -> None:
        # The title shows the state only: window lists, task switchers and screen-sharing
        # pickers show titles, and what was said is nobody's business there. Screen readers
        # get the latest confirmed line through the accessibility API instead.
        self.setWindowTitle(self.tr("Captioner · {value}").format(value=self.state.value))
        self.setAccessibleDescription(self._last_line)

    def set_hint(self, text: str) -> None:
        """Shown in the captions' place, in the partial text's colour, until the first
        caption ("Hold Ctrl+Shift+Space to talk", "Loading model… base")."""
        self.hint = text
        self.update()

    def set_problem(self, text: str) -> None:
        """A problem that stands ("" once resolved): it takes the hint's place."""
        self.problem = text
        self.update()

    def shown_hint(self) -> str:
        """What the bar says where the captions go while there are none."""
        return self.problem or ("" if self.captioned else self.hint)

    def show_message(self, text: str, seconds: float = 8.0) -> None:
        """A problem or notice in plain words, shown above the captions for a while."""
        self.message = text
        self._message_until = time.monotonic() + seconds
        self.update()

    # -- style, lock, geometry -----------------------------------------------------------

    def apply_style(self, style: OverlaySettings) -> None:
        self.style_settings = style
        self.caption.clear_after_s = style.clear_after_s
        self.caption.confirmed_only = style.confirmed_only
        self.set_locked(style.locked)
        self.resize(style.width, self.height_for_lines(style.lines))
        self.update()

    def height_for_lines(self, lines: int) -> int:
        line = layout_caption("字", "", self.style_settings, 1000, 1).line_height
        return int(lines * line + 2 * _PADDING + self._status_height())

    def set_locked(self, locked: bool) -> None:
        if locked == self.locked:
            return
        self.locked = locked
        visible = self.isVisible()
        flags = (
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        if locked:
            # Click-through, and never focused. Unlocked, a click may focus it so that its
            # keyboard shortcuts work (showing or updating it still never takes focus).
            flags |= Qt.WindowType.WindowTransparentForInput
            flags |= Qt.WindowType.WindowDoesNotAcceptFocus
        self.setWindowFlags(flags)  # hides the window: show it again if it was shown
        self._grip.setVisible(not locked)
        self.transcript_button.setVisible(not locked)
        if visible:
            self.show()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton and not self.locked:
            self._drag_from = event.globalPosition().toPoint() - self.frameGeometry().topLeft()
        elif event.button() == Qt.MouseButton.RightButton and not self.locked:
            self.context_menu_requested.emit(event.globalPosition().toPoint())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self.move(event.globalPosition().toPoint() - self._drag_from)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._drag_from = None
            self.geometry_committed.emit(self.geometry())

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = self._grip.sizeHint()
        self._grip.move(self.width() - size.width(), self.height() - size.height())
        self.reset_button.move(self.width() - self.reset_button.sizeHint().width() - 4, 2)
        self.transcript_button.move(
            self.reset_button.x() - self.transcript_button.sizeHint().width() - 4, 2
        )
        if not self.locked and self._grip.underMouse():
            self._resized.start()
        super().resizeEvent(event)

    # -- painting ----------------------------------------------------------------------

    def visible_lines(self) -> int:
        line = layout_caption("字", "", self.style_settings, 1000, 1).line_height
        usable = self.height() - 2 * _PADDING - self._status_height()
        return max(1, int(usable // line))

    def paintEvent(self, event: QPaintEvent) -> None:
        style = self.style_settings
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = QColor(style.background_color)
        background.setAlphaF(style.background_opacity)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(self.rect()), 10, 10)
        if not self.locked:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(255, 255, 255, 160), 1, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)
        visible = self.caption.visible(time.monotonic())
        captions = bool(visible.confirmed or visible.partial)
        # Beside captions, a standing problem keeps a line in the status row.
        if self._paint_status(painter, self.problem if captions else ""):
            painter.end()  # a long message has the bar for a while; captions come back after
            return
        area = QRectF(self.rect()).adjusted(
            _PADDING, _PADDING + self._status_height(), -_PADDING, -_PADDING
        )
        if not captions and self.problem:
            paint_caption(painter, area, *self._fit_problem(area))
            painter.end()
            return
        partial = visible.partial
        if not captions:
            partial = self.shown_hint()
        layout = layout_caption(
            visible.confirmed,
            partial,
            style,
            area.width(),
            self.visible_lines(),
            visible.lines,
            self.translation_settings,
        )
        paint_caption(painter, area, layout, style)
        painter.end()

    def _fit_problem(self, area: QRectF) -> tuple[CaptionLayout, OverlaySettings]:
        """The standing problem laid out whole in ``area``, and the style to paint it in: the
        captions' size if it fits, else smaller, outline and shadow in proportion (it says
        what to do: its end must not be cut off as an old caption's beginning is)."""
        style = self.style_settings
        key = (self.problem, area.width(), area.height(), style.font_size, style.font_family)
        size = self._problem_size[1] if self._problem_size[0] == key else style.font_size
        while True:
            scale = size / style.font_size
            fitted = dataclasses.replace(
                style, font_size=size, outline_width=style.outline_width * scale
            )
            layout = layout_caption("", self.problem, fitted, area.width(), 1000)
            room = max(1, int(area.height() // layout.line_height))
            if len(layout.lines) <= room or size <= _SMALLEST_PROBLEM_PX:
                self._problem_size = (key, size)
                return dataclasses.replace(layout, lines=layout.lines[:room]), fitted
            size = max(_SMALLEST_PROBLEM_PX, int(size * 0.85))

    def _status_height(self) -> int:
        return max(12, self.style_settings.font_size // 2)

    def _paint_status(self, painter: QPainter, standing: str = "") -> bool:
        """The state dot and any notes beside it. A message too long for that row is wrapped
        over the whole bar instead (True: the captions are not drawn under it), so that no
        part of it (a backup's path, what to do) is cut off. A ``standing`` problem is noted
        there while no message is, cut to the row (the bar says it whole when the captions
        are gone)."""
        size = self._status_height()
        dot = QRectF(_PADDING / 2, _PADDING / 2, size * 0.6, size * 0.6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(_STATE_COLOURS[self.state]))
        painter.drawEllipse(dot)
        notes = []
        if self.lag_s > _LAG_SHOWN_ABOVE_S:
            notes.append(f"{self.lag_s:.1f} s behind")
        message = self.message if time.monotonic() < self._message_until else ""
        # A message that tells the standing problem is not said twice: the bar says it.
        if message and message != self.problem:
            notes.append(message)
            standing = ""  # the message has the row for now
        if standing:
            notes.append(standing)
        if not notes:
            return False
        font = caption_font(self.style_settings)
        font.setPixelSize(max(10, int(size * 0.75)))
        painter.setFont(font)
        painter.setPen(QColor("#ffd7d7" if self.state is CaptionState.ERROR else "#ffffff"))
        text = " · ".join(notes)
        right = 40 if self.locked else self.width() - self.transcript_button.x() + 4
        text_area = QRectF(dot.right() + 6, 0, self.width() - dot.right() - right, size + 4)
        metrics = QFontMetricsF(font)
        if standing or metrics.horizontalAdvance(text) <= text_area.width():
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_area.width())
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(text_area, int(flags), text)
            return False
        text_area.setHeight(self.height() - _PADDING / 2)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(text_area.adjusted(0, _PADDING / 4, 0, 0), int(flags), text)
        return True
