"""Table models of the Electrochemistry tab and a table view that copies its selection as TSV."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from ....core.echem import Cycle
from ....core.echem.rate import RateStep
from ....core.echem.summary import CyclingSummary
from .formatting import DASH, cell_text, fixed, report_decimals, report_header, report_tooltip
from .formatting import significant as sig

AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
MUTED = QColor("#8a8a8a")


@dataclass(frozen=True)
class Column:
    """One column: header (with unit), the text of a row, a tooltip."""

    header: str
    text: Callable[[Any], str]
    tooltip: str = ""
    key: str = ""


def _half(c: Cycle, which: str, value: float, decimals: int) -> str:
    present = c.charge_half_cycle if which == "charge" else c.discharge_half_cycle
    return fixed(value, decimals) if present is not None else DASH


CYCLE_COLUMNS: tuple[Column, ...] = (
    Column("Cycle", lambda c: str(c.cycle), "Our cycle number (from current sign and time)"),
    Column(
        "Charge\n(mAh/g)",
        lambda c: _half(c, "charge", c.charge_mAh_g, 1),
        "Charge capacity per gram of active material",
        "charge_mAh_g",
    ),
    Column(
        "Discharge\n(mAh/g)",
        lambda c: _half(c, "discharge", c.discharge_mAh_g, 1),
        "Discharge capacity per gram of active material",
        "discharge_mAh_g",
    ),
    Column(
        "CE\n(%)",
        lambda c: fixed(c.coulombic_efficiency_pct, 2),
        "Coulombic efficiency (see the definition below the table)",
        "coulombic_efficiency_pct",
    ),
    Column(
        "Current\ndensity\n(mA/g)",
        lambda c: sig(c.current_mA_g),
        "Mean applied current of the cycle's halves per gram of active material",
        "current_mA_g",
    ),
    Column(
        "Charge\nenergy\n(Wh/kg)",
        lambda c: _half(c, "charge", c.charge_energy_Wh_kg, 1),
        "Energy of the charge per kg of active material (= mWh/g)",
    ),
    Column(
        "Discharge\nenergy\n(Wh/kg)",
        lambda c: _half(c, "discharge", c.discharge_energy_Wh_kg, 1),
        "Energy of the discharge per kg of active material (= mWh/g)",
    ),
    Column(
        "Mean\ncharge\nvoltage (V)",
        lambda c: fixed(c.mean_charge_voltage_V, 3),
        "Charge energy / charge capacity",
    ),
    Column(
        "Mean\ndischarge\nvoltage (V)",
        lambda c: fixed(c.mean_discharge_voltage_V, 3),
        "Discharge energy / discharge capacity",
    ),
)


class ObjectsModel(QAbstractTableModel):
    """Rows of objects shown through a list of :class:`Column` (read-only)."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.items: list[Any] = []

    def set_items(self, items: Sequence[Any]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tooltip or None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()].text(self.items[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        return None


class CyclesModel(ObjectsModel):
    """The per-cycle table of a :class:`CyclingSummary` (read-only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(CYCLE_COLUMNS, parent)
        self.summary: CyclingSummary | None = None
        self._step_of: dict[int, RateStep] = {}
        self._vendor: list[str] | None = None
        self.columns: list[Column] = list(CYCLE_COLUMNS)

    def set_summary(self, summary: CyclingSummary | None, source_cycle: np.ndarray | None) -> None:
        """Show ``summary`` (None = empty); ``source_cycle`` is the vendor's cycle column."""
        self.beginResetModel()
        self.summary = summary
        self.items = list(summary.cycles) if summary else []
        self._step_of = {}
        if summary is not None:
            for step in summary.rate_table.steps:
                for n in step.cycles:
                    self._step_of[n] = step
        self.columns = list(CYCLE_COLUMNS)
        self.columns.insert(
            5,
            Column(
                "Rate\nstep",
                self._step_text,
                "Rate step of the cycle (consecutive complete cycles at one current density)",
            ),
        )
        self._vendor = None
        if summary is not None and source_cycle is not None and source_cycle.ndim == 1:
            n = source_cycle.size
            texts = []
            for c in self.cycles:
                a = source_cycle[min(c.start_row, n - 1)]
                b = source_cycle[min(c.stop_row, n - 1)]
                texts.append(f"{a:g}" if a == b else f"{a:g}{DASH}{b:g}")
            self._vendor = texts
            self.columns.append(
                Column(
                    "File's\ncycle\ncounter",
                    lambda c: "",
                    "The cycler's own cycle number at the cycle's first and last rows "
                    "(not used: shown to reconcile the numbering)",
                )
            )
        self.endResetModel()

    def _step_text(self, c: Cycle) -> str:
        step = self._step_of.get(c.cycle)
        return "" if step is None else str(step.step)

    def is_representative(self, c: Cycle) -> bool:
        """Whether the cycle represents its rate step in the rate table."""
        step = self._step_of.get(c.cycle)
        return step is not None and step.representative_cycle == c.cycle

    @property
    def cycles(self) -> list[Cycle]:
        """The rows: the summary's cycles."""
        return self.items

    # ------------------------------------------------------------ Qt model
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.cycles[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if self._vendor is not None and col == len(self.columns) - 1:
                return self._vendor[index.row()]
            return self.columns[col].text(c)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and self.is_representative(c):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not c.complete:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if c.cycle == 0:
                return "Cycle 0: a half cycle before the first full cycle (no CE)"
            if not c.complete:
                return "Incomplete cycle: one half is missing (no CE)"
            if self.is_representative(c):
                step = self._step_of[c.cycle]
                return (
                    f"Representative cycle of rate step {step.step} "
                    f"({sig(step.current_mA_g)} mA/g) in the rate table"
                )
        return None


# Rate steps of one dataset --------------------------------------------------------------
STEP_COLUMNS: tuple[Column, ...] = (
    Column("Step", lambda s: str(s.step)),
    Column("Current density\n(mA/g)", lambda s: sig(s.current_mA_g)),
    Column("Cycles", lambda s: _cycle_span(s.cycles)),
    Column(
        "Representative\ncycle",
        lambda s: "mean" if s.representative_cycle is None else str(s.representative_cycle),
        "The cycle quoted for the step (the representative-cycle rule of the Analysis box)",
    ),
    Column("Discharge\n(mAh/g)", lambda s: fixed(s.discharge_mAh_g, 1)),
    Column("CE\n(%)", lambda s: fixed(s.coulombic_efficiency_pct, 2)),
    Column(
        "Retention vs\nstep 1 (%)",
        lambda s: fixed(s.retention_pct, 2),
        "Representative discharge capacity / that of the first step \u00d7 100",
    ),
)


def _cycle_span(cycles: Sequence[int]) -> str:
    if not cycles:
        return ""
    return str(cycles[0]) if len(cycles) == 1 else f"{cycles[0]}{DASH}{cycles[-1]}"


# Report tables (rows of dicts) ------------------------------------------------------------
class RecordsModel(QAbstractTableModel):
    """A report table: column names and rows of dicts (as the core's report functions give)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column_names: list[str] = []
        self.rows: list[dict[str, Any]] = []
        self.highlight = ""

    def set_table(
        self, columns: Sequence[str], rows: Sequence[dict[str, Any]], highlight: str = ""
    ) -> None:
        """Show ``rows``; the row whose ``sample`` is ``highlight`` is bold."""
        self.beginResetModel()
        self.column_names = list(columns)
        self.rows = [dict(r) for r in rows]
        self.highlight = highlight
        self.endResetModel()

    def set_highlight(self, name: str) -> None:
        """Make the row of sample ``name`` bold."""
        if name != self.highlight:
            self.highlight = name
            if self.rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self.rows) - 1, len(self.column_names) - 1)
                )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.column_names)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.column_names):
            return None
        name = self.column_names[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return report_header(name)
        if role == Qt.ItemDataRole.ToolTipRole:
            return report_tooltip(name)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        name = self.column_names[index.column()]
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(row.get(name), report_decimals(name))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if name == "sample" else RIGHT
        if (
            role == Qt.ItemDataRole.FontRole
            and self.highlight
            and row.get("sample") == self.highlight
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row.get(name)
        return None


# A table view that copies --------------------------------------------------------------------
def selection_tsv(view: QTableView, with_header: bool = True) -> str:
    """The selected cells of ``view`` as tab-separated text (headers on the first line)."""
    model = view.model()
    indexes = view.selectionModel().selectedIndexes()
    if not indexes:
        return ""
    rows = sorted({i.row() for i in indexes})
    cols = sorted({i.column() for i in indexes})
    chosen = {(i.row(), i.column()) for i in indexes}
    lines = []
    if with_header:
        lines.append(
            "\t".join(
                " ".join(str(model.headerData(c, Qt.Orientation.Horizontal) or "").split())
                for c in cols
            )
        )
    for r in rows:
        cells = []
        for c in cols:
            text = model.data(model.index(r, c)) if (r, c) in chosen else ""
            text = str(text or "")
            cells.append("" if text == DASH else text)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


class CopyTableView(QTableView):
    """A read-only table: Ctrl+C copies the selection as TSV (with its column headers)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setHighlightSections(False)
        self.copy_action = QAction("Copy", self)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        self.addAction(self.copy_action)
        self.select_all_action = QAction("Select all", self)
        self.select_all_action.triggered.connect(self.selectAll)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    @Slot()
    def copy_selection(self) -> str:
        """Put the selection on the clipboard as TSV; returns the text."""
        text = selection_tsv(self)
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def fit_columns(self, minimum: int = 48, maximum: int = 260) -> None:
        """Size the columns to their contents once (not on every change)."""
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        for c in range(header.count()):
            header.resizeSection(c, max(minimum, min(maximum, header.sectionSize(c) + 8)))

    def _menu(self, pos: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.copy_action)
        menu.addAction(self.select_all_action)
        menu.exec(self.viewport().mapToGlobal(pos))
