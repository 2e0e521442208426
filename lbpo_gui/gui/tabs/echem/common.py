"""Shared pieces of the Electrochemistry views: the state they render, message pages, the cycle
chooser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ....core.echem import DqDvSettings
from ....core.echem.table import CyclingSettings
from ....core.project import Dataset, Project, Sample
from ...analysis.flow_layout import FlowLayout
from ...analysis.views import (
    ERROR_STYLE,
    AnalysisView,
)
from .compute import EchemData, SummaryResult
from .formatting import CycleListError, every_nth, format_cycles, parse_cycles

if TYPE_CHECKING:
    pass


@dataclass
class EchemState:
    """Everything a view shows, gathered once per refresh by the tab."""

    data: EchemData
    project: Project | None = None
    sample: Sample | None = None
    dataset: Dataset | None = None
    datasets: list[Dataset] = field(default_factory=list)
    settings: CyclingSettings = field(default_factory=CyclingSettings)
    settings_error: str | None = None
    dqdv: DqDvSettings = field(default_factory=DqDvSettings)
    result: SummaryResult | None = None
    busy: bool = False

    def dataset_problem(self) -> tuple[str, bool, bool] | None:
        """(message, offer the mass editor, busy) when there is no summary to show, else None."""
        if self.project is None or self.sample is None:
            return (
                "Select a sample in the Samples panel to see its cycling data.",
                False,
                False,
            )
        if self.dataset is None:
            return (
                f"No cycling data in \u201c{self.sample.name}\u201d.\n\n"
                "Use File \u25b8 Import data\u2026 (Ctrl+I) or drop cycler files "
                "(EC-Lab .mpt/.mpr, Neware, Arbin, Maccor, Landt \u2026) here.",
                False,
                False,
            )
        if self.busy or self.result is None:
            return (
                f"Analysing \u201c{self.dataset.label}\u201d ({self.dataset.n_points:,} rows)\u2026",
                False,
                True,
            )
        if self.result.summary is None:
            error = self.result.error or "no result"
            if self.result.no_mass:
                return (
                    f"No active mass for \u201c{self.dataset.label}\u201d: set the sample's "
                    "masses (composite mass \u00d7 active/total parts, or an override), or import "
                    "a file whose header holds the active mass.",
                    True,
                    False,
                )
            return (f"\u201c{self.dataset.label}\u201d cannot be analysed: {error}", False, False)
        return None

    def selected_sample_id(self) -> str:
        """The selected sample's id ("" = none)."""
        return self.sample.id if self.sample is not None else ""


class EchemView(AnalysisView):
    """A sub-tab of the Electrochemistry tab; its message page offers "Edit masses..." when the
    active mass is missing (:attr:`massRequested`)."""

    action_text = "Edit masses\u2026"
    massRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message.button.setObjectName("messageMassButton")
        self.actionRequested.connect(self.massRequested)


class CycleChooser(QWidget):
    """A cycle-list line edit ("1, 7, 12, 17", "1-5, 10") with quick-pick buttons."""

    #: The committed cycle list changed.
    changed = Signal()

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(object_name)
        self.edit.setPlaceholderText("e.g. 1, 7, 12, 17 or 1-5, 10")
        self.edit.setToolTip(
            "Cycles to show: numbers separated by commas, ranges with a dash (1-5). "
            "Press Enter to apply."
        )
        self.edit.setMinimumWidth(150)
        self.edit.returnPressed.connect(self.commit)
        self.edit.editingFinished.connect(self.commit)
        self.edit.textEdited.connect(self._on_edited)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(700)
        self._timer.timeout.connect(self._commit_quietly)
        self.buttons: dict[str, QPushButton] = {}
        layout = FlowLayout(self, spacing=4)
        layout.addWidget(QLabel("Cycles"))
        layout.addWidget(self.edit)
        for key, text, tip in (
            ("first", "First", "Cycle 1 (the first full cycle)"),
            ("steps", "Rate steps", "The representative cycle of each rate step"),
            ("tenth", "Every 10th", "Cycle 1, every 10th cycle and the last"),
            ("all", "All", "Every cycle"),
        ):
            button = QPushButton(text)
            button.setObjectName(f"{object_name}_{key}")
            button.setToolTip(tip)
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, k=key: self.pick(k))
            self.buttons[key] = button
            layout.addWidget(button)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        self._cycles: list[int] = []
        self._available: list[int] = []
        self._steps: list[int] = []

    # ------------------------------------------------------------ state
    def cycles(self) -> list[int]:
        """The committed cycle list."""
        return list(self._cycles)

    def set_available(self, cycles: list[int], representatives: list[int]) -> None:
        """The cycles of the dataset and the rate steps' representative cycles."""
        self._available = list(cycles)
        self._steps = list(representatives)
        self.buttons["steps"].setEnabled(bool(representatives))

    def set_cycles(self, cycles: list[int], emit: bool = True) -> None:
        """Set the list (and the text)."""
        self.edit.setText(format_cycles(cycles))
        self.error.setVisible(False)
        changed = cycles != self._cycles
        self._cycles = list(cycles)
        if emit and changed:
            self.changed.emit()

    def pick(self, which: str) -> None:
        """A quick pick: 'first', 'steps', 'tenth' or 'all'."""
        full = [c for c in self._available if c >= 1] or self._available
        if which == "first":
            chosen = full[:1]
        elif which == "steps":
            chosen = list(self._steps)
        elif which == "tenth":
            chosen = every_nth(full, 10)
        else:
            chosen = list(self._available)
        self.set_cycles(chosen)

    # ------------------------------------------------------------ typing
    @Slot()
    def _on_edited(self) -> None:
        self._timer.start()

    @Slot()
    def _commit_quietly(self) -> None:
        try:
            cycles = parse_cycles(self.edit.text())
        except CycleListError:
            return
        if cycles and cycles != self._cycles:
            self._cycles = cycles
            self.error.setVisible(False)
            self.changed.emit()

    @Slot()
    def commit(self) -> None:
        """Apply the typed list (Enter / leaving the field); a bad list shows why."""
        self._timer.stop()
        try:
            cycles = parse_cycles(self.edit.text())
        except CycleListError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.error.setVisible(False)
        if cycles != self._cycles:
            self._cycles = cycles
            self.changed.emit()
