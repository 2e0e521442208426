"""The column-mapping import dialog: any delimited text or xlsx file, read as a cycling table.

:class:`ColumnMapDialog` is opened for one file. It starts from
:func:`~lbpo_gui.core.readers.column_map.guess_mapping` and shows the raw top of the file
(monospace, with line numbers, the header line highlighted), the table as parsed with the current
layout settings, and the first rows as they would be imported (time in s, voltage in V, current in
mA with its sign). Every change of the layout (delimiter, decimal separator, header line, rows to
skip, encoding, sheet), of a column, unit or of the current's sign convention updates the preview
at once. Problems are shown in a red line under the preview and the Import button is enabled only
while the preview parses with the chosen mapping.

A mapping can be saved as a named template (:mod:`.templates`) and applied to other files from
the Template list; a template column that is missing in a file is matched by its name without the
unit (``Strom/mA`` -> ``Strom/A``) and the unit is then taken from the file's header.

OK reads the whole file with :func:`~lbpo_gui.core.readers.column_map.read_with_mapping`; the
tables are in :attr:`ColumnMapDialog.tables`. A read error keeps the dialog open and is shown in
the red line. :func:`map_columns` runs the dialog modally (and never in non-interactive mode).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LbpoError, ReaderError
from ..core.readers import ImportedData
from ..core.readers.column_map import (
    CAPACITY_SEMANTICS,
    ColumnMapping,
    TablePreview,
    _guess_codes,
    convert_mapped,
    guess_mapping,
    preview_table,
    read_with_mapping,
)
from ..core.readers.text import (
    CAPACITY_TO_MAH,
    CURRENT_TO_MA,
    TIME_TO_S,
    VOLTAGE_TO_V,
    is_number,
    normalize_name,
    normalize_unit,
    parse_durations,
    parse_number,
    parse_unit,
)
from ..core.readers.xlsx import is_zip
from . import dialogs, templates

#: Data rows shown in the previews.
PREVIEW_ROWS = 20
#: Data rows checked live (the top of the file the core previews holds at most 300 lines).
CHECKED_ROWS = 300
#: Roles of the cycling schema, in the order of the dialog; the first three are required.
ROLES: tuple[str, ...] = ("time", "voltage", "current", "step", "cycle", "capacity")
REQUIRED: tuple[str, ...] = ("time", "voltage", "current")
ROLE_LABELS: dict[str, str] = {
    "time": "Time",
    "voltage": "Voltage",
    "current": "Current",
    "step": "Step",
    "cycle": "Cycle",
    "capacity": "Capacity",
    "state": "State",
}
#: (shown text, data) of the unit combos; time data is a unit of numbers, "duration" (text
#: such as hh:mm:ss) or "datetime" (dates and clock times).
UNIT_CHOICES: dict[str, list[tuple[str, str]]] = {
    "time": [
        ("s", "s"),
        ("min", "min"),
        ("h", "h"),
        ("ms", "ms"),
        ("d", "d"),
        ("hh:mm:ss", "duration"),
        ("date & time", "datetime"),
    ],
    "voltage": [("V", "V"), ("mV", "mV")],
    "current": [("mA", "mA"), ("A", "A"), ("\u00b5A", "uA")],
    "capacity": [("mAh", "mAh"), ("Ah", "Ah"), ("\u00b5Ah", "uAh")],
}
_UNIT_TABLES = {
    "time": TIME_TO_S,
    "voltage": VOLTAGE_TO_V,
    "current": CURRENT_TO_MA,
    "capacity": CAPACITY_TO_MAH,
}
DELIMITER_CHOICES: list[tuple[str, str | None]] = [
    ("Auto-detect", None),
    ("Comma  ,", ","),
    ("Semicolon  ;", ";"),
    ("Tab", "\t"),
    ("Whitespace", " "),
    ("Pipe  |", "|"),
]
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", " ": "whitespace", "|": "pipe"}
DECIMAL_CHOICES: list[tuple[str, str]] = [("Point  1.5", "."), ("Comma  1,5", ",")]
ENCODING_CHOICES: list[tuple[str, str | None]] = [
    ("Auto-detect", None),
    ("UTF-8", "utf-8"),
    ("UTF-8 with BOM", "utf-8-sig"),
    ("Windows-1252 (Western)", "cp1252"),
    ("ISO-8859-1 (Latin-1)", "latin-1"),
    ("ISO-8859-15 (Latin-9)", "iso-8859-15"),
    ("GBK (Chinese)", "gbk"),
    ("Shift-JIS (Japanese)", "shift_jis"),
]
SIGN_CHOICES: list[tuple[str, str]] = [
    ("Signed: charge current is positive", "signed"),
    ("Signed, inverted: charge current is negative", "inverted"),
    ("Unsigned: sign from a state column", "unsigned"),
]
SEMANTICS_LABELS: dict[str, str] = {
    "unknown": "unknown (not used by analyses)",
    "per_step": "restarts every step",
    "per_half_cycle": "restarts every charge/discharge",
    "cumulative": "cumulative over the test",
}
NO_TEMPLATE = "\u2014 none: guessed from this file \u2014"
_CHOOSE = "\u2014 choose a column \u2014"
_NONE = "(none)"
_MAPPED_BG = QColor("#e8f0fe")
_HEADER_BG = QColor("#d2e3fc")
_SKIPPED_FG = QColor("#9aa0a6")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def _monospace() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.TypeWriter)
    return font


def _codes(text: str) -> list[str]:
    """Codes typed as ``C, CC_Chg; Charge`` -> ``["C", "CC_Chg", "Charge"]``."""
    return [c.strip() for c in re.split(r"[,;]", text) if c.strip()]


def _format(value: float, signed: bool = False) -> str:
    if np.isnan(value):
        return ""
    return f"{value:+.6g}" if signed and value != 0 else f"{value:.6g}"


class ColumnMapDialog(QDialog):
    """Map the columns and units of one delimited-text or xlsx file; OK reads it."""

    def __init__(
        self,
        path: str | Path,
        parent: QWidget | None = None,
        mapping: ColumnMapping | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        #: The tables read by OK (None until accepted).
        self.tables: list[ImportedData] | None = None
        #: The mapping OK read the file with.
        self.accepted_mapping: ColumnMapping | None = None
        self.preview: TablePreview | None = None
        self.template_problems: list[str] = []
        self._preview_error = ""
        self._convert_error = ""
        self._notes: list[str] = []
        #: Assumptions made while applying a mapping (shown in amber until the next one).
        self._doubts: list[str] = []
        self._updating = False
        self._wanted: dict[str, str | None] = {}
        self._is_xlsx = self._sniff_xlsx()
        self.setWindowTitle(f"Import with column mapping \u2014 {self.path.name}")
        self.setObjectName("columnMapDialog")
        self.setSizeGripEnabled(True)
        self._build()
        try:
            self._guess = guess_mapping(self.path)
        except (LbpoError, OSError, ValueError) as exc:
            self._guess = ColumnMapping(name=self.path.stem)
            self._notes.append(f"No layout could be guessed: {exc}")
        self._base = self._guess
        self.reload_templates()
        self.apply_mapping(mapping if mapping is not None else self._guess)
        self._initial_size()

    # ================================================================ construction
    def _initial_size(self) -> None:
        width, height = 1280, 800
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            avail = screen.availableGeometry()
            width = min(width, int(avail.width() * 0.95))
            height = min(height, int(avail.height() * 0.92))
        self.resize(width, height)

    def _sniff_xlsx(self) -> bool:
        try:
            with self.path.open("rb") as fh:
                return is_zip(fh.read(8))
        except OSError:
            return False

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(8)

        # ---- template row
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Template:</b>"))
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateCombo")
        self.template_combo.setMinimumContentsLength(28)
        self.template_combo.setToolTip(
            "Pick a saved column mapping to apply it to this file; "
            "\u201cnone\u201d goes back to the mapping guessed from the file."
        )
        self.template_combo.currentIndexChanged.connect(self._on_template_chosen)
        top.addWidget(self.template_combo, 1)
        self.save_template_button = QPushButton("Save as template\u2026")
        self.save_template_button.setObjectName("saveTemplateButton")
        self.save_template_button.setToolTip("Store the current mapping under a name for next time")
        self.save_template_button.clicked.connect(self.save_as_template)
        top.addWidget(self.save_template_button)
        self.delete_template_button = QPushButton("Delete template")
        self.delete_template_button.setObjectName("deleteTemplateButton")
        self.delete_template_button.clicked.connect(self.delete_template)
        top.addWidget(self.delete_template_button)
        outer.addLayout(top)
        self.template_note = QLabel()
        self.template_note.setObjectName("templateNote")
        self.template_note.setStyleSheet("color: #b06000;")
        self.template_note.setWordWrap(True)
        self.template_note.hide()
        outer.addWidget(self.template_note)

        # ---- file line
        self.file_label = QLabel()
        self.file_label.setObjectName("fileLabel")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setStyleSheet("color: #5f6368;")
        outer.addWidget(self.file_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_settings())
        splitter.addWidget(self._build_previews())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        outer.addWidget(splitter, 1)
        self.splitter = splitter

        # ---- message line and buttons
        self.message_label = QLabel()
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMinimumHeight(self.fontMetrics().height() * 2 + 4)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.message_label)
        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Import")
        self.ok_button.setObjectName("importButton")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        outer.addWidget(self.button_box)

    def _build_settings(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("settingsPanel")
        col = QVBoxLayout(panel)
        col.setContentsMargins(0, 0, 6, 0)

        # ---- layout
        layout_box = QGroupBox("File layout")
        form = QFormLayout(layout_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.delimiter_combo = self._combo("delimiterCombo", DELIMITER_CHOICES)
        self.decimal_combo = self._combo("decimalCombo", DECIMAL_CHOICES)
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("headerSpin")
        self.header_spin.setRange(0, 9999)
        self.header_spin.setSpecialValueText("none")
        self.header_spin.setToolTip(
            "Line (row for xlsx) holding the column names, as numbered in the raw view; "
            "none when the file has no header (columns are then Column 1, Column 2, ...)"
        )
        self.skip_spin = QSpinBox()
        self.skip_spin.setObjectName("skipSpin")
        self.skip_spin.setRange(0, 9999)
        self.skip_spin.setToolTip(
            "Rows between the header and the first data row, e.g. a row of units "
            "(with no header: rows to skip at the top)"
        )
        self.encoding_combo = self._combo("encodingCombo", ENCODING_CHOICES)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheetCombo")
        form.addRow("Delimiter", self.delimiter_combo)
        form.addRow("Decimal separator", self.decimal_combo)
        form.addRow("Header line", self.header_spin)
        form.addRow("Rows to skip below it", self.skip_spin)
        form.addRow("Encoding", self.encoding_combo)
        form.addRow("Sheet", self.sheet_combo)
        for w in (self.delimiter_combo, self.decimal_combo, self.encoding_combo):
            w.currentIndexChanged.connect(self._on_layout_changed)
        self.sheet_combo.currentIndexChanged.connect(self._on_layout_changed)
        self.header_spin.valueChanged.connect(self._on_layout_changed)
        self.skip_spin.valueChanged.connect(self._on_layout_changed)
        text_only = not self._is_xlsx
        for w in (self.delimiter_combo, self.decimal_combo, self.encoding_combo):
            w.setEnabled(text_only)
        self.sheet_combo.setEnabled(self._is_xlsx)
        col.addWidget(layout_box)

        # ---- columns
        columns_box = QGroupBox("Columns and units")
        grid = QGridLayout(columns_box)
        grid.setColumnStretch(1, 1)
        for c, text in enumerate(("", "Column in the file", "Unit")):
            if text:
                head = QLabel(text)
                head.setStyleSheet("color: #5f6368;")
                grid.addWidget(head, 0, c)
        self.column_combos: dict[str, QComboBox] = {}
        self.unit_combos: dict[str, QComboBox] = {}
        for r, role in enumerate(ROLES, start=1):
            required = role in REQUIRED
            label = QLabel(f"<b>{ROLE_LABELS[role]}</b>" if required else ROLE_LABELS[role])
            label.setToolTip("required" if required else "optional")
            grid.addWidget(label, r, 0)
            combo = QComboBox()
            combo.setObjectName(f"{role}ColumnCombo")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(lambda _i, role=role: self._on_column_changed(role))
            grid.addWidget(combo, r, 1)
            self.column_combos[role] = combo
            if role in UNIT_CHOICES:
                unit = self._combo(f"{role}UnitCombo", UNIT_CHOICES[role])
                unit.currentIndexChanged.connect(self._on_mapping_changed)
                grid.addWidget(unit, r, 2)
                self.unit_combos[role] = unit
        self.semantics_combo = self._combo(
            "capacitySemanticsCombo", [(SEMANTICS_LABELS[s], s) for s in CAPACITY_SEMANTICS]
        )
        self.semantics_combo.setToolTip(
            "How the capacity column counts; analyses use it only when this is known"
        )
        self.semantics_combo.currentIndexChanged.connect(self._on_mapping_changed)
        cap_label = QLabel("Capacity counts")
        cap_label.setStyleSheet("color: #5f6368;")
        grid.addWidget(cap_label, len(ROLES) + 1, 0, 1, 1)
        grid.addWidget(self.semantics_combo, len(ROLES) + 1, 1, 1, 2)
        col.addWidget(columns_box)

        # ---- current sign
        sign_box = QGroupBox("Current sign")
        sform = QFormLayout(sign_box)
        sform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sign_combo = self._combo("signCombo", SIGN_CHOICES)
        self.sign_combo.currentIndexChanged.connect(self._on_sign_changed)
        sform.addRow(self.sign_combo)
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("stateColumnCombo")
        self.state_combo.setMinimumContentsLength(14)
        self.state_combo.currentIndexChanged.connect(lambda _i: self._on_column_changed("state"))
        self.charge_edit = QLineEdit()
        self.charge_edit.setObjectName("chargeCodesEdit")
        self.charge_edit.setPlaceholderText("e.g. C, CC_Chg")
        self.discharge_edit = QLineEdit()
        self.discharge_edit.setObjectName("dischargeCodesEdit")
        self.discharge_edit.setPlaceholderText("e.g. D, CC_DChg")
        for edit in (self.charge_edit, self.discharge_edit):
            edit.setToolTip("Values of the state column, separated by commas (case is ignored)")
            edit.textChanged.connect(self._on_mapping_changed)
        self.state_values_label = QLabel()
        self.state_values_label.setObjectName("stateValuesLabel")
        self.state_values_label.setWordWrap(True)
        self.state_values_label.setStyleSheet("color: #5f6368;")
        sform.addRow("State column", self.state_combo)
        sform.addRow("Charge codes", self.charge_edit)
        sform.addRow("Discharge codes", self.discharge_edit)
        sform.addRow(self.state_values_label)
        col.addWidget(sign_box)
        col.addStretch(1)
        panel.setMinimumWidth(panel.sizeHint().width())
        panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        return panel

    def _build_previews(self) -> QWidget:
        right = QSplitter(Qt.Orientation.Vertical)
        right.setChildrenCollapsible(False)
        raw_box = QGroupBox("Top of the file")
        raw_layout = QVBoxLayout(raw_box)
        self.raw_view = QPlainTextEdit()
        self.raw_view.setObjectName("rawView")
        self.raw_view.setReadOnly(True)
        self.raw_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw_view.setFont(_monospace())
        self.raw_view.setTabStopDistance(self.raw_view.fontMetrics().horizontalAdvance(" ") * 8)
        raw_layout.addWidget(self.raw_view)
        legend = QLabel(
            "<span style='background:#d2e3fc'>&nbsp;header&nbsp;</span>&nbsp;&nbsp;"
            "<span style='color:#9aa0a6'>skipped</span>&nbsp;&nbsp;"
            "line numbers as used by \u201cHeader line\u201d"
        )
        legend.setStyleSheet("color: #5f6368;")
        raw_layout.addWidget(legend)
        right.addWidget(raw_box)

        self.preview_tabs = QTabWidget()
        self.preview_tabs.setObjectName("previewTabs")
        self.table = self._table("previewTable")
        self.result_table = self._table("resultTable")
        self.preview_tabs.addTab(self.table, "Parsed table")
        self.preview_tabs.addTab(self.result_table, "As imported (s, V, mA)")
        right.addWidget(self.preview_tabs)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        right.setSizes([260, 390])
        return right

    @staticmethod
    def _combo(name: str, choices: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for text, data in choices:
            combo.addItem(text, data)
        return combo

    @staticmethod
    def _table(name: str) -> QTableWidget:
        table = QTableWidget()
        table.setObjectName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        return table

    # ================================================================ templates
    def reload_templates(self, select: str | None = None) -> None:
        """Refill the Template list from the template folder (``select``: name to show)."""
        self.template_problems = []
        found = templates.list_templates(self.template_problems)
        self._templates = {t.name: t for t in found}
        combo = self.template_combo
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(NO_TEMPLATE, None)
            for t in found:
                combo.addItem(t.name, t.name)
            index = combo.findData(select) if select else 0
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)
        self.delete_template_button.setEnabled(combo.currentIndex() > 0)
        if self.template_problems:
            n = len(self.template_problems)
            self.template_note.setText(
                f"{n} template file{'s' if n != 1 else ''} could not be read and "
                f"{'are' if n != 1 else 'is'} not listed: " + "; ".join(self.template_problems)
            )
        self.template_note.setVisible(bool(self.template_problems))

    def template_names(self) -> list[str]:
        """Names in the Template list (without the "none" entry)."""
        return [self.template_combo.itemText(i) for i in range(1, self.template_combo.count())]

    @Slot(int)
    def _on_template_chosen(self, index: int) -> None:
        name = self.template_combo.itemData(index)
        self.delete_template_button.setEnabled(index > 0)
        if name is None:
            self._notes = ["Back to the mapping guessed from the file."]
            self.apply_mapping(self._guess, keep_notes=True)
            return
        self.apply_template(name)

    def apply_template(self, name: str) -> None:
        """Apply saved template ``name`` (as picking it from the list does)."""
        template = self._templates.get(name)
        if template is None:
            self._set_message(f"There is no template \u201c{name}\u201d.", level="error")
            return
        index = self.template_combo.findData(name)
        if index != self.template_combo.currentIndex():
            self.template_combo.blockSignals(True)
            self.template_combo.setCurrentIndex(index)
            self.template_combo.blockSignals(False)
            self.delete_template_button.setEnabled(True)
        self._notes = [f"Template \u201c{name}\u201d applied."]
        self.apply_mapping(template.mapping, keep_notes=True)

    @Slot()
    def save_as_template(self) -> None:
        """Ask for a name and store the current mapping as a template."""
        current = self.template_combo.currentData()
        name = dialogs.ask_text(
            self,
            "Save as template",
            "Name of the template (apply it to similar files from the Template list):",
            current or self.path.stem,
        )
        if name is None or not templates.clean_name(name):
            return
        name = templates.clean_name(name)
        existing = templates.find_template(name)
        if existing is not None and not dialogs.ask_yes_no(
            self,
            "Replace template",
            f"A template \u201c{existing.name}\u201d exists. Replace it with this mapping?",
        ):
            return
        try:
            templates.save_template(name, self.mapping())
        except (OSError, ValueError) as exc:
            dialogs.warning(self, "Cannot save the template", str(exc))
            return
        self.reload_templates(select=name)
        self._notes = [f"Saved as template \u201c{name}\u201d."]
        self._update_message()

    @Slot()
    def delete_template(self) -> None:
        """Delete the template shown in the list (after a question)."""
        name = self.template_combo.currentData()
        if name is None:
            return
        if not dialogs.ask_yes_no(
            self, "Delete template", f"Delete the column-mapping template \u201c{name}\u201d?"
        ):
            return
        try:
            templates.delete_template(name)
        except OSError as exc:
            dialogs.warning(self, "Cannot delete the template", str(exc))
            return
        self.reload_templates()
        self._notes = [f"Template \u201c{name}\u201d deleted (the settings below are kept)."]
        self._update_message()

    # ================================================================ mapping <-> widgets
    def mapping(self) -> ColumnMapping:
        """The mapping as the widgets show it (fields the dialog does not show are kept)."""
        m = replace(self._base)
        m.name = self.path.stem
        if self._is_xlsx:
            m.delimiter, m.decimal, m.encoding = None, None, None
            m.sheet = self.sheet_combo.currentText() or None
        else:
            m.delimiter = self.delimiter_combo.currentData()
            m.decimal = self.decimal_combo.currentData()
            m.encoding = self.encoding_combo.currentData()
            m.sheet = None
        m.header_line = self.header_spin.value()
        m.skip_rows = self.skip_spin.value()
        m.time_column = self._column("time") or ""
        m.voltage_column = self._column("voltage") or ""
        m.current_column = self._column("current") or ""
        m.step_column = self._column("step")
        m.cycle_column = self._column("cycle")
        m.capacity_column = self._column("capacity")
        time_unit = self.unit_combos["time"].currentData()
        if time_unit in ("duration", "datetime"):
            m.time_format, m.time_unit = time_unit, "s"
        else:
            m.time_format, m.time_unit = "seconds", time_unit
        m.voltage_unit = self.unit_combos["voltage"].currentData()
        m.current_unit = self.unit_combos["current"].currentData()
        m.capacity_unit = self.unit_combos["capacity"].currentData()
        m.capacity_semantics = self.semantics_combo.currentData()
        sign = self.sign_combo.currentData()
        m.invert_current = sign == "inverted"
        if sign == "unsigned":
            m.current_sign = "unsigned_with_state"
            m.state_column = self._column("state")
            m.charge_codes = _codes(self.charge_edit.text())
            m.discharge_codes = _codes(self.discharge_edit.text())
        else:
            m.current_sign = "signed"
            m.state_column = None
            m.charge_codes = _codes(self.charge_edit.text()) or list(self._base.charge_codes)
            m.discharge_codes = _codes(self.discharge_edit.text()) or list(
                self._base.discharge_codes
            )
        return m

    def apply_mapping(self, mapping: ColumnMapping, *, keep_notes: bool = False) -> None:
        """Show ``mapping`` in the widgets and refresh the preview."""
        if not keep_notes:
            self._notes = []
        self._doubts = []
        m = replace(mapping)
        if m.header_line is None:  # "detect": take what the preview finds for this file
            try:
                p = preview_table(self.path, PREVIEW_ROWS, m)
                m.header_line = p.header_line
                m.skip_rows = max(0, p.first_data_line - p.header_line - 1) if p.header_line else 0
            except (LbpoError, OSError, ValueError):
                m.header_line = self._guess.header_line or 0
        self._updating = True
        try:
            self._base = m
            self._select_data(self.delimiter_combo, m.delimiter, fallback=0)
            self._select_data(self.decimal_combo, m.decimal or self._guess.decimal or ".")
            self._select_data(self.encoding_combo, self._known_encoding(m.encoding), fallback=0)
            self.header_spin.setValue(m.header_line or 0)
            self.skip_spin.setValue(m.skip_rows)
            if self._is_xlsx:
                self._fill_sheets(m.sheet)
            self._wanted = {role: getattr(m, f"{role}_column") or None for role in ROLES}
            self._wanted["state"] = m.state_column
            self._select_unit("time", m.time_unit if m.time_format == "seconds" else m.time_format)
            for role in ("voltage", "current", "capacity"):
                self._select_unit(role, getattr(m, f"{role}_unit"))
            self._select_data(self.semantics_combo, m.capacity_semantics, fallback=0)
            if m.current_sign == "unsigned_with_state":
                sign = "unsigned"
            else:
                sign = "inverted" if m.invert_current else "signed"
            self._select_data(self.sign_combo, sign, fallback=0)
            unsigned = m.current_sign == "unsigned_with_state"
            self.charge_edit.setText(", ".join(m.charge_codes) if unsigned else "")
            self.discharge_edit.setText(", ".join(m.discharge_codes) if unsigned else "")
        finally:
            self._updating = False
        self.refresh_preview()

    def _known_encoding(self, encoding: str | None) -> str | None:
        if not encoding:
            return None
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            return None
        for i in range(1, self.encoding_combo.count()):
            data = self.encoding_combo.itemData(i)
            if codecs.lookup(data).name == name:
                return data
        self.encoding_combo.addItem(encoding, encoding)
        return encoding

    @staticmethod
    def _select_data(combo: QComboBox, data: object, fallback: int | None = None) -> bool:
        index = combo.findData(data)
        if index < 0:
            if fallback is None:
                return False
            index = fallback
        combo.setCurrentIndex(index)
        return True

    def _select_unit(self, role: str, unit: str) -> bool:
        if unit not in ("duration", "datetime"):
            unit = normalize_unit(unit)
        return self._select_data(self.unit_combos[role], unit)

    def _fill_sheets(self, wanted: str | None) -> None:
        sheets: list[str] = []
        try:
            probe = preview_table(self.path, 1, ColumnMapping(sheet=wanted) if wanted else None)
            sheets = probe.sheets
            wanted = wanted if wanted in sheets else probe.sheet
        except (LbpoError, OSError, ValueError):
            try:
                probe = preview_table(self.path, 1)
                sheets, wanted = probe.sheets, probe.sheet
            except (LbpoError, OSError, ValueError):
                pass
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(sheets)
        if wanted in sheets:
            self.sheet_combo.setCurrentText(wanted)
        self.sheet_combo.blockSignals(False)

    def _column(self, role: str) -> str | None:
        combo = self.state_combo if role == "state" else self.column_combos[role]
        data = combo.currentData()
        return data if isinstance(data, str) and data else None

    # ================================================================ reactions
    @Slot()
    def _on_layout_changed(self) -> None:
        if not self._updating:
            self.refresh_preview()

    def _on_column_changed(self, role: str) -> None:
        if self._updating:
            return
        column = self._column(role)
        self._wanted[role] = column
        if column and role in _UNIT_TABLES:
            self._unit_from_column(role, column)
        if role == "state" and column:
            self._suggest_codes()
        self._on_mapping_changed()

    def _unit_from_column(self, role: str, column: str) -> None:
        """Set the unit from a column's header (``Strom/A``) or, for time, its values."""
        p = self.preview
        if p is None:
            return
        if role == "time":
            j = p.columns.index(column)
            vals = [r[j] for r in p.rows if j < len(r) and r[j].strip()]
            if vals and not all(is_number(v, p.decimal or ".") for v in vals):
                if all(_DATE_LIKE.search(v) for v in vals):
                    self._select_unit("time", "datetime")
                    return
                if not np.isnan(parse_durations(vals)).any():
                    self._select_unit("time", "duration")
                    return
        unit = normalize_unit(parse_unit(column)[1])
        if unit in _UNIT_TABLES[role]:
            self._select_unit(role, unit)

    @Slot()
    def _on_sign_changed(self) -> None:
        self._enable_state_widgets()
        if self.sign_combo.currentData() == "unsigned" and not self._updating:
            self._suggest_codes()
        self._on_mapping_changed()

    def _suggest_codes(self) -> None:
        """Fill empty charge/discharge codes from the state values seen in the preview."""
        values = self._state_values()
        if not values:
            return
        charge, discharge = _guess_codes(set(values))
        if charge and not _codes(self.charge_edit.text()):
            self.charge_edit.setText(", ".join(charge))
        if discharge and not _codes(self.discharge_edit.text()):
            self.discharge_edit.setText(", ".join(discharge))

    def _state_values(self) -> list[str]:
        p, column = self.preview, self._column("state")
        if p is None or not column or column not in p.columns:
            return []
        j = p.columns.index(column)
        return list(dict.fromkeys(r[j].strip() for r in p.rows if j < len(r) and r[j].strip()))

    @Slot()
    def _on_mapping_changed(self) -> None:
        if self._updating:
            return
        self._show_mapping()

    # ================================================================ preview
    def refresh_preview(self) -> None:
        """Re-read the top of the file with the layout settings and update everything."""
        m = self.mapping()
        try:
            self.preview = preview_table(self.path, CHECKED_ROWS, m)
            self._preview_error = ""
        except (LbpoError, OSError, ValueError) as exc:
            self.preview = None
            self._preview_error = str(exc)
        self._show_file_line()
        self._show_raw()
        self._fill_column_combos()
        self._show_mapping()

    def _show_file_line(self) -> None:
        try:
            size = self.path.stat().st_size
        except OSError:
            size = 0
        kb = f"{size / 1024:.1f} kB" if size < 1024 * 1024 else f"{size / 1024**2:.1f} MB"
        parts = [f"<b>{self.path.name}</b>", kb]
        p = self.preview
        if p is not None and p.kind == "xlsx":
            parts.append(f"xlsx workbook, {len(p.sheets)} sheet{'s' if len(p.sheets) != 1 else ''}")
        elif p is not None:
            parts.append(f"text, {p.encoding}")
            parts.append(f"{_DELIMITER_NAMES.get(p.delimiter or '', p.delimiter)}-separated")
            parts.append(f"decimal {'comma' if p.decimal == ',' else 'point'}")
        if p is not None:
            parts.append(
                f"header on {'row' if p.kind == 'xlsx' else 'line'} {p.header_line}"
                if p.header_line
                else "no header"
            )
            parts.append(f"data from {'row' if p.kind == 'xlsx' else 'line'} {p.first_data_line}")
        self.file_label.setText(" \u00b7 ".join(parts))
        self.file_label.setToolTip(str(self.path))
        if p is not None and p.kind == "text":
            found = _DELIMITER_NAMES.get(p.delimiter or "", p.delimiter or "?")
            self.delimiter_combo.setItemText(0, f"Auto-detect ({found})")
            self.encoding_combo.setItemText(0, f"Auto-detect ({p.encoding})")

    def _show_raw(self) -> None:
        p = self.preview
        view = self.raw_view
        if p is None:
            if not view.toPlainText():
                view.setPlainText("(the file could not be read with these settings)")
            view.setExtraSelections([])
            return
        if p.kind == "xlsx":
            lines = [f"Sheet \u201c{p.sheet}\u201d of {', '.join(p.sheets)}"]
            if p.header_line:
                lines.append(f"row {p.header_line:>3} \u2502 " + " \u2502 ".join(p.columns))
            numbers = self._row_numbers()
            lines += [
                f"row {n or '':>3} \u2502 " + " \u2502 ".join(r)
                for n, r in zip(numbers, p.rows[: max(0, 30 - len(lines))], strict=False)
            ]
            view.setPlainText("\n".join(lines))
            view.setExtraSelections(self._line_selections({1: "header"} if p.header_line else {}))
            return
        width = len(str(len(p.lines)))
        view.setPlainText(
            "\n".join(f"{i:>{width}} \u2502 {line}" for i, line in enumerate(p.lines, start=1))
        )
        marks: dict[int, str] = {}
        first_data = p.first_data_line - 1
        for i in range(min(first_data, len(p.lines))):
            marks[i] = "skipped"
        if p.header_line:
            marks[p.header_line - 1] = "header"
        view.setExtraSelections(self._line_selections(marks))

    def _line_selections(self, marks: dict[int, str]) -> list[QTextEdit.ExtraSelection]:
        out = []
        doc = self.raw_view.document()
        for block_no, what in sorted(marks.items()):
            block = doc.findBlockByNumber(block_no)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            if what == "header":
                fmt.setBackground(_HEADER_BG)
                fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
            else:
                fmt.setForeground(_SKIPPED_FG)
            sel.format = fmt
            cursor = QTextCursor(block)
            if what != "header":
                cursor.movePosition(
                    QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                )
            sel.cursor = cursor
            out.append(sel)
        return out

    def _fill_column_combos(self) -> None:
        """Put the preview's columns into the role combos, keeping the wanted choices."""
        columns = self.preview.columns if self.preview is not None else []
        self._updating = True
        try:
            for role in (*ROLES, "state"):
                combo = self.state_combo if role == "state" else self.column_combos[role]
                combo.clear()
                combo.addItem(_CHOOSE if role in REQUIRED else _NONE, None)
                for c in columns:
                    combo.addItem(c, c)
                wanted = self._wanted.get(role)
                if not wanted:
                    continue
                found = self._match_column(role, wanted, columns)
                if found is not None:
                    combo.setCurrentIndex(combo.findData(found))
        finally:
            self._updating = False
        self._enable_state_widgets()

    def _enable_state_widgets(self) -> None:
        unsigned = self.sign_combo.currentData() == "unsigned"
        for w in (self.state_combo, self.charge_edit, self.discharge_edit):
            w.setEnabled(unsigned)

    def _match_column(self, role: str, wanted: str, columns: list[str]) -> str | None:
        """``wanted`` or the column with the same name but another unit (the unit follows)."""
        if wanted in columns:
            return wanted
        norm = normalize_name(wanted)
        for c in columns:
            if normalize_name(c) == norm:
                self._wanted[role] = c
                return c
        base = normalize_name(parse_unit(wanted)[0])
        matches = [c for c in columns if normalize_name(parse_unit(c)[0]) == base]
        if len(matches) != 1:
            return None
        found = matches[0]
        self._wanted[role] = found
        unit = normalize_unit(parse_unit(found)[1])
        note = (
            f"Column \u201c{wanted}\u201d ({ROLE_LABELS[role].lower()}) is \u201c{found}\u201d here"
        )
        if role in _UNIT_TABLES and unit in _UNIT_TABLES[role]:
            self._select_unit(role, unit)
            note += f"; unit set to {unit} from the header"
        self._doubts.append(note + ".")
        return found

    def _show_mapping(self) -> None:
        """Update both preview tables and the message line for the current mapping."""
        m = self.mapping()
        self._fill_parsed_table(m)
        self._fill_result_table(m)
        values = self._state_values()
        if values:
            shown = ", ".join(values[:12]) + (" \u2026" if len(values) > 12 else "")
            n = len(self.preview.rows) if self.preview is not None else 0
            self.state_values_label.setText(f"Values in the first {n} rows: {shown}")
        else:
            self.state_values_label.setText(
                "Choose the column that says charge or discharge."
                if self.sign_combo.currentData() == "unsigned"
                else ""
            )
        self.state_values_label.setVisible(bool(self.state_values_label.text()))
        self.semantics_combo.setEnabled(bool(m.capacity_column))
        self.unit_combos["capacity"].setEnabled(bool(m.capacity_column))
        self._update_message()

    def _roles_by_column(self, m: ColumnMapping) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for role in ROLES:
            c = getattr(m, f"{role}_column")
            if c:
                out.setdefault(c, []).append(role)
        if m.current_sign == "unsigned_with_state" and m.state_column:
            out.setdefault(m.state_column, []).append("state")
        return out

    def _fill_parsed_table(self, m: ColumnMapping) -> None:
        table = self.table
        p = self.preview
        table.clear()
        if p is None:
            table.setRowCount(0)
            table.setColumnCount(0)
            return
        roles = self._roles_by_column(m)
        table.setColumnCount(len(p.columns))
        shown = p.rows[:PREVIEW_ROWS]
        table.setRowCount(len(shown))
        bold = QFont(table.font())
        bold.setBold(True)
        for j, name in enumerate(p.columns):
            mapped = roles.get(name, [])
            text = name + ("\n\u2192 " + ", ".join(mapped) if mapped else "\n")
            head = QTableWidgetItem(text)
            if mapped:
                head.setFont(bold)
            table.setHorizontalHeaderItem(j, head)
        for i, row in enumerate(shown):
            for j, value in enumerate(row):
                item = QTableWidgetItem(value)
                if roles.get(p.columns[j]):
                    item.setBackground(_MAPPED_BG)
                table.setItem(i, j, item)
        table.setVerticalHeaderLabels([str(n or "") for n in self._row_numbers()[:PREVIEW_ROWS]])
        table.resizeColumnsToContents()
        for j in range(table.columnCount()):
            table.setColumnWidth(j, min(max(table.columnWidth(j), 90), 260))

    def _row_numbers(self) -> list[int | None]:
        """File line (text) or sheet row (xlsx) of each preview row; None where not known.

        Blank rows are left out of the preview, so a text row's line is known only within the
        raw lines the preview keeps (the first 60).
        """
        p = self.preview
        if p is None:
            return []
        if p.kind == "text":
            found: list[int | None] = [
                i
                for i, line in enumerate(p.lines, start=1)
                if i >= p.first_data_line and line.strip()
            ]
            return (found + [None] * len(p.rows))[: len(p.rows)]
        return [p.first_data_line + i for i in range(len(p.rows))]

    def _where(self, i: int) -> str:
        """``"name.csv, line 12"`` for preview row ``i`` (``"data row 80"`` when not known)."""
        p = self.preview
        numbers = self._row_numbers()
        n = numbers[i] if i < len(numbers) else None
        if p is None or n is None:
            return f"{self.path.name}, data row {i + 1}"
        return f"{self.path.name}, {'line' if p.kind == 'text' else 'row'} {n}"

    def _converted(self, m: ColumnMapping) -> tuple[list[str], list[list[str]], str]:
        """Headers, rows and the first problem of the preview rows read with ``m``."""
        p = self.preview
        if p is None:
            return [], [], ""
        index = {c: j for j, c in enumerate(p.columns)}
        n = len(p.rows)
        decimal = p.decimal or "."

        def raw(column: str | None) -> list[str]:
            j = index.get(column or "")
            return ["" if j is None or j >= len(r) else r[j].strip() for r in p.rows]

        def numbers(role: str, column: str) -> tuple[np.ndarray, str]:
            out = np.full(n, np.nan)
            for i, v in enumerate(raw(column)):
                if not v:
                    continue
                try:
                    out[i] = parse_number(v, decimal)
                except ValueError:
                    where = self._where(i)
                    return out, (
                        f"{where}: \u201c{v}\u201d in the {role} column \u201c{column}\u201d is "
                        f"not a number (check the delimiter, decimal separator and header line)"
                    )
            return out, ""

        # Raw values as the import hands them to the core: numbers parsed with the file's
        # decimal separator; the time (unless in seconds) and the state column as text.
        problem = ""
        values: dict[str, object] = {}
        numeric_roles = ["voltage", "current", "step", "cycle", "capacity"]
        if m.time_format == "seconds":
            numeric_roles.insert(0, "time")
        for role in ("time", "voltage", "current", "step", "cycle", "capacity", "state"):
            column = getattr(m, f"{role}_column")
            if column not in index:
                continue
            if role in numeric_roles:
                x, err = numbers(role, column)
                problem = problem or err
                values[role] = x
            else:
                values[role] = raw(column)
        for role in ("time", "voltage", "current"):
            values.setdefault(role, np.full(n, np.nan))
        if m.current_sign == "unsigned_with_state":
            values.setdefault("state", [""] * n)
        mapped = convert_mapped(m, values)
        texts = raw(m.time_column)
        if m.time_column in index and mapped.bad_time_row is not None:
            k = mapped.bad_time_row
            if texts[k]:
                what = {"seconds": "number", "duration": "hh:mm:ss time", "datetime": "date"}
                fmt = (
                    f" ({m.datetime_format})"
                    if m.time_format == "datetime" and m.datetime_format
                    else ""
                )
                problem = problem or (
                    f"{self._where(k)}: \u201c{texts[k]}\u201d in the time column is not a "
                    f"{what[m.time_format]}{fmt}"
                )
        headers: list[str] = []
        cols: list[list[str]] = []
        for role, header, array, signed in (
            ("time", "time (s)", mapped.time_s, False),
            ("voltage", "voltage (V)", mapped.voltage_V, False),
            ("current", "current (mA)", mapped.current_mA, True),
            ("step", "step", mapped.extras.get("step_index"), False),
            ("cycle", "cycle", mapped.extras.get("source_cycle"), False),
            ("capacity", "capacity (mAh)", mapped.extras.get("capacity_mAh"), False),
        ):
            if getattr(m, f"{role}_column") in index and array is not None:
                headers.append(header)
                cols.append([_format(v, signed=signed) if signed else _format(v) for v in array])
        rows = [[c[i] for c in cols] for i in range(n)] if cols else []
        return headers, rows, problem

    def _fill_result_table(self, m: ColumnMapping) -> None:
        headers, rows, problem = self._converted(m)
        self._convert_error = problem
        table = self.result_table
        table.clear()
        table.setColumnCount(len(headers))
        rows = rows[:PREVIEW_ROWS]
        table.setRowCount(len(rows))
        table.setHorizontalHeaderLabels(headers)
        table.setVerticalHeaderLabels([str(n or "") for n in self._row_numbers()[: len(rows)]])
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(i, j, item)
        table.resizeColumnsToContents()
        for j in range(table.columnCount()):
            table.setColumnWidth(j, max(table.columnWidth(j), 110))

    # ================================================================ validation
    def problems(self) -> list[str]:
        """Why the file cannot be imported with the current settings (empty: it can)."""
        if self.preview is None:
            return [self._preview_error or "The file cannot be read with these settings."]
        p = self.preview
        if not p.columns or not p.rows:
            return ["No data rows with these settings: check the header line and rows to skip."]
        out: list[str] = []
        m = self.mapping()
        missing = {
            role: self._wanted[role]
            for role in REQUIRED
            if not getattr(m, f"{role}_column") and self._wanted.get(role)
        }
        if missing:
            names = ", ".join(f"\u201c{c}\u201d" for c in missing.values())
            roles = ", ".join(missing)
            plural = len(missing) > 1
            out.append(
                f"Column{'s' if plural else ''} {names} ({roles}) {'are' if plural else 'is'} "
                "not in the header read with these settings: check the header line, or choose "
                f"the {'columns' if plural else 'column'}."
            )
        unchosen = [r for r in REQUIRED if not getattr(m, f"{r}_column") and r not in missing]
        if unchosen:
            out.append(
                f"Choose the {' and '.join(unchosen)} column{'s' if len(unchosen) > 1 else ''}."
            )
        for column, roles in self._roles_by_column(m).items():
            if len(roles) > 1:
                out.append(f"\u201c{column}\u201d is chosen for both {' and '.join(roles)}.")
        for text in m.problems():
            if not text.startswith("no ") or not text.endswith(" column chosen"):
                out.append(text[0].upper() + text[1:] + ".")
        if not out and self._convert_error:
            out.append(self._convert_error + ".")
        return out

    def warnings(self) -> list[str]:
        """Doubts that do not stop the import (shown in amber)."""
        m = self.mapping()
        out: list[str] = list(self._doubts)
        if m.current_sign == "unsigned_with_state" and m.state_column:
            codes = {c.lower() for c in (*m.charge_codes, *m.discharge_codes)}
            other = [v for v in self._state_values() if v.lower() not in codes]
            if other:
                shown = ", ".join(f"\u201c{v}\u201d" for v in other[:6])
                out.append(
                    f"State {shown} in the preview is neither a charge nor a discharge code: "
                    "the current of those rows is imported as 0."
                )
        return out

    def _update_message(self) -> None:
        problems = self.problems()
        self.ok_button.setEnabled(not problems)
        if problems:
            self._set_message(" ".join(problems[:3]), level="error")
            return
        p = self.preview
        assert p is not None
        notes = " ".join(self._notes)
        doubts = self.warnings()
        if doubts:
            self._set_message(" ".join([*self._notes, *doubts]), level="warning")
            return
        self._set_message(
            (notes + " " if notes else "")
            + f"The first {len(p.rows)} data rows read fine; Import reads the whole file.",
            level="ok",
        )

    def _set_message(self, text: str, *, level: str) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("error", level == "error")
        self.message_label.setProperty("level", level)
        self.message_label.setStyleSheet(
            {
                "error": "color: #c5221f; font-weight: bold;",
                "warning": "color: #b06000;",
                "ok": "color: #188038;",
            }[level]
        )

    def message(self) -> str:
        """The text of the message line (an error when :meth:`is_error_shown`)."""
        return self.message_label.text()

    def is_error_shown(self) -> bool:
        """Whether the message line shows a problem (in red)."""
        return bool(self.message_label.property("error"))

    # ================================================================ OK
    def accept(self) -> None:
        """Read the whole file with the mapping; stay open and show the error if that fails."""
        self._update_message()
        if not self.ok_button.isEnabled():
            return
        mapping = self.mapping()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            tables = read_with_mapping(self.path, mapping)
        except (LbpoError, OSError, ValueError) as exc:
            text = str(exc)
            if not isinstance(exc, ReaderError):
                text = f"{self.path.name}: {text}"
            self._set_message(text, level="error")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.tables = tables
        self.accepted_mapping = mapping
        super().accept()


def map_columns(parent: QWidget | None, path: str | Path) -> list[ImportedData] | None:
    """Run :class:`ColumnMapDialog` for ``path`` modally; its tables, or None when cancelled.

    Never shows anything in non-interactive mode (returns None), like :mod:`.dialogs`.
    """
    if dialogs.is_noninteractive():
        return None
    dialog = ColumnMapDialog(path, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.tables
        return None
    finally:
        dialog.deleteLater()
