"""What every analysis view shares: a content page or a message page, redrawn only when what it
depends on changed, and the standard layout of a plot view (controls, plot with its Export
button, explanatory note)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .flow_layout import FlowLayout

if TYPE_CHECKING:
    import pyqtgraph as pg

HINT_STYLE = "color: #606060; font-size: 11pt; padding: 18px;"
NOTE_STYLE = "color: #5a5a5a;"
ERROR_STYLE = "color: #b00020;"


class ViewState(Protocol):
    """What a tab hands its views: at least a way to say why there is nothing to draw."""

    def dataset_problem(self) -> tuple[str, bool, bool] | None:
        """(message, offer the view's action, busy) when nothing can be drawn, else None."""


class MessagePage(QWidget):
    """A centred message, with an optional action button and a busy bar."""

    actionRequested = Signal()

    def __init__(self, action_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("viewMessage")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setStyleSheet(HINT_STYLE)
        self.label.setMaximumWidth(640)
        self.label.setMinimumWidth(200)
        self.button = QPushButton(action_text)
        self.button.setObjectName("messageActionButton")
        self.button.clicked.connect(self.actionRequested)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(280)
        self.busy.setTextVisible(False)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.label, 10)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_text(self, text: str, action: bool = False, busy: bool = False) -> None:
        """Show ``text`` (and the action button / busy bar)."""
        self.label.setText(text)
        self.button.setVisible(action and bool(self.button.text()))
        self.busy.setVisible(busy)


class AnalysisView(QWidget):
    """A sub-tab of an analysis tab: its content, or a message page when there is nothing to
    draw. Subclasses implement :meth:`render_content` and may give :meth:`render_key`.

    ``per_dataset`` views need the tab's selected dataset (the state's ``dataset_problem``
    says why not); the others show all samples. ``action_text`` labels the message page's
    button (e.g. "Edit masses..."); its click emits :attr:`actionRequested`.
    """

    title = ""
    per_dataset = True
    action_text = ""
    actionRequested = Signal()

    #: The main plot of the view (None for tables).
    plot_item: pg.PlotItem | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = QWidget()
        self.message = MessagePage(self.action_text)
        self.message.actionRequested.connect(self.actionRequested)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.content)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._key: Any = None
        self._state_ref: Any = None

    def is_showing_message(self) -> bool:
        """Whether the message page is shown instead of the content."""
        return self.stack.currentWidget() is self.message

    def message_text(self) -> str:
        """The message shown (when :meth:`is_showing_message`)."""
        return self.message.label.text()

    def show_message(self, text: str, action: bool = False, busy: bool = False) -> None:
        """Show a message instead of the content."""
        self.message.show_text(text, action, busy)
        self.stack.setCurrentWidget(self.message)
        self._key = None

    def render(self, state: ViewState, force: bool = False) -> None:
        """Show ``state`` (skipped when nothing it depends on changed, unless ``force``)."""
        if self.per_dataset:
            problem = state.dataset_problem()
            if problem is not None:
                self.show_message(*problem)
                return
        key = self.render_key(state)
        if not force and key is not None and key == self._key:
            return
        self._state_ref = state  # keeps the objects whose ids are in the key alive
        self.stack.setCurrentWidget(self.content)
        self._key = key
        self.render_content(state)

    def invalidate(self) -> None:
        """Redraw at the next :meth:`render`."""
        self._key = None

    def render_key(self, state: Any) -> Any:
        """What the drawing depends on (None = always redraw)."""
        return None

    def render_content(self, state: Any) -> None:
        raise NotImplementedError


def controls_row(controls: list[QWidget | str | int]) -> QWidget:
    """A row of controls that wraps when narrow: widgets; text = a label; an int = spacing."""
    holder = QWidget()
    flow = FlowLayout(holder)
    for item in controls:
        if isinstance(item, int):
            spacer = QWidget()
            spacer.setFixedWidth(item)
            flow.addWidget(spacer)
        elif isinstance(item, str):
            flow.addWidget(QLabel(item))
        else:
            flow.addWidget(item)
    holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return holder


def plot_page(
    content: QWidget,
    controls: list[QWidget | str | int],
    plot: QWidget,
    note: QLabel,
    export: QWidget | None = None,
) -> None:
    """Lay out a plot view: a wrapping row of controls (with the Export button at its right),
    the plot taking the spare room, and the explanatory note under it."""
    top = QHBoxLayout()
    top.setContentsMargins(0, 0, 0, 0)
    top.addWidget(controls_row(controls), 1)
    if export is not None:
        top.addWidget(export, 0, Qt.AlignmentFlag.AlignTop)
    layout = QVBoxLayout(content)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addLayout(top)
    layout.addWidget(plot, 1)
    layout.addWidget(note)


def note_label(text: str = "") -> QLabel:
    """A small grey explanatory line."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
