"""The element palette: one button per element kind. Press a button and drag onto the
schematic to place the element (a click alone appends it in series at the end)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QIcon, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QToolButton, QWidget

from ...core.eis.elements import ELEMENT_KINDS
from .items import INK
from .symbols import paint_symbol

#: Palette order: the common elements first.
PALETTE = ("R", "C", "Q", "L", "W", "Wo", "Ws", "G", "La")


def symbol_icon(kind: str, width: int = 44, height: int = 22) -> QIcon:
    pix = QPixmap(width * 2, height * 2)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(2 * width / 64.0, 2 * width / 64.0)
    p.setPen(QPen(INK, 1.8))
    paint_symbol(p, kind, 64.0, height * 32.0 / width)
    p.end()
    return QIcon(pix)


class PaletteButton(QToolButton):
    """A palette element. ``begin(kind)`` on press, ``move(global point)`` while the button is
    held, ``end(global point, moved)`` on release (set by the editor)."""

    def __init__(
        self,
        kind: str,
        begin: Callable[[str], None],
        move: Callable[[QPoint], None],
        end: Callable[[QPoint, bool], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._begin, self._move, self._end = begin, move, end
        self._origin: QPoint | None = None
        self._moved = False
        self.setObjectName(f"palette_{kind}")
        self.setText(kind)
        self.setIcon(symbol_icon(kind))
        self.setIconSize(QSize(28, 14))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        title = ELEMENT_KINDS[kind].title
        self.setToolTip(
            f"{kind}: {title}. Drag onto a wire (series), onto an element (parallel) or onto a "
            "bracket (parallel with the block); click to add at the end"
        )
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._origin = event.globalPosition().toPoint()
            self._moved = False
            self.setDown(True)
            self._begin(self.kind)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._origin is not None:
            g = event.globalPosition().toPoint()
            if (g - self._origin).manhattanLength() >= 4:
                self._moved = True
            self._move(g)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._origin is not None:
            self._origin = None
            self.setDown(False)
            self._end(event.globalPosition().toPoint(), self._moved)
            event.accept()
            return
        super().mouseReleaseEvent(event)
