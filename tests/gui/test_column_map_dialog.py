"""The column-mapping import dialog, its templates and the import hook for unrecognised tables."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QDialog

from lbpo_gui.core.readers import ReaderSpec, register
from lbpo_gui.core.readers import registry as reader_registry
from lbpo_gui.core.readers.column_map import ColumnMapping
from lbpo_gui.gui import column_map_dialog, dialogs, templates
from lbpo_gui.gui.column_map_dialog import ColumnMapDialog
from lbpo_gui.gui.importing import looks_like_table

N_ROWS = 300
HALF = N_ROWS // 2
TEMPLATE = "Zelle L/E (Potentiostat 3)"


def expected_arrays(n: int = N_ROWS) -> dict[str, np.ndarray]:
    """What the synthetic cell file holds, in the schema units (s, V, mA)."""
    k = np.arange(n)
    half = n // 2
    voltage = np.where(k < half, 3.0 + 1.2 * k / half, 4.2 - 1.2 * (k - half) / half)
    return {
        "time_s": 10.0 * k,
        "voltage_V": np.round(voltage, 4),
        "current_mA": np.where(k < half, 0.5, -0.5),
    }


def write_cell(
    path: Path, current_header: str = "Strom/mA", factor: float = 1.0, n: int = N_ROWS
) -> Path:
    """A German instrument export: preamble, ``;`` delimiter, decimal comma, cp1252.

    The current is written unsigned; ``Modus`` says L (Laden, charge) or E (Entladen).
    """
    exp = expected_arrays(n)
    lines = [
        "Messdatei: Zelle 12 (Laden/Entladen)",
        "Gerät: Potentiostat 3",
        "",
        f"Zeit/s;Spannung/V;{current_header};Modus;Zyklus",
    ]
    for k in range(n):
        row = (
            f"{exp['time_s'][k]:.1f};{exp['voltage_V'][k]:.4f};"
            f"{abs(exp['current_mA'][k]) * factor:.6g};{'L' if k < n // 2 else 'E'};1"
        )
        lines.append(row.replace(".", ","))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def cell(table, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def column_of(table, header_start: str) -> int:
    for j in range(table.columnCount()):
        if table.horizontalHeaderItem(j).text().startswith(header_start):
            return j
    raise AssertionError(f"no column {header_start!r}")


def open_dialog(qtbot, path: Path) -> ColumnMapDialog:
    dialog = ColumnMapDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def select(combo, data) -> None:
    """Pick the entry holding ``data`` as a user would (the index of the widget changes)."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not in {combo.objectName()}"
    combo.setCurrentIndex(index)


# ============================================================================ the dialog
def test_map_german_csv_save_template_and_reuse_it(qtbot, tmp_path, monkeypatch):
    first = write_cell(tmp_path / "zelle12.csv")
    dialog = open_dialog(qtbot, first)

    # layout and columns guessed from the file
    assert dialog.delimiter_combo.currentData() == ";"
    assert dialog.decimal_combo.currentData() == ","
    assert dialog.header_spin.value() == 4 and dialog.skip_spin.value() == 0
    assert dialog.encoding_combo.currentData() == "cp1252"
    assert not dialog.sheet_combo.isEnabled()
    raw = dialog.raw_view.toPlainText().splitlines()
    assert raw[3].strip() == "4 \u2502 Zeit/s;Spannung/V;Strom/mA;Modus;Zyklus"
    assert raw[1].endswith("Gerät: Potentiostat 3"), "decoded as cp1252"
    font = dialog.raw_view.font()
    assert QFontInfo(font).fixedPitch() or font.styleHint() == QFont.StyleHint.TypeWriter
    assert dialog.column_combos["time"].currentText() == "Zeit/s"
    assert dialog.column_combos["voltage"].currentText() == "Spannung/V"
    assert dialog.column_combos["current"].currentText() == "Strom/mA"
    assert dialog.column_combos["cycle"].currentText() == "Zyklus"
    table = dialog.table
    assert table.columnCount() == 5 and table.rowCount() == 20
    assert table.verticalHeaderItem(0).text() == "5", "rows are numbered by file line"
    assert [cell(table, 1, j) for j in range(5)] == ["10,0", "3,0080", "0,5", "L", "1"]
    assert "\u2192 time" in table.horizontalHeaderItem(0).text()
    assert dialog.ok_button.isEnabled() and not dialog.is_error_shown()

    # the current is unsigned: the user picks the state column and types its codes
    select(dialog.sign_combo, "unsigned")
    assert dialog.state_combo.isEnabled()
    assert dialog.is_error_shown() and not dialog.ok_button.isEnabled()
    dialog.state_combo.setFocus()
    qtbot.keyClicks(dialog.state_combo, "Modus")
    assert dialog.state_combo.currentText() == "Modus"
    assert "Values in the first 296 rows: L, E" in dialog.state_values_label.text()
    qtbot.keyClicks(dialog.charge_edit, "L")
    assert not dialog.ok_button.isEnabled(), "no discharge code yet"
    qtbot.keyClicks(dialog.discharge_edit, "E")
    assert dialog.ok_button.isEnabled() and not dialog.is_error_shown()

    # the converted preview follows the units
    result = dialog.result_table
    i_col = column_of(result, "current (mA)")
    assert cell(result, 1, column_of(result, "time (s)")) == "10"
    assert cell(result, 1, column_of(result, "voltage (V)")) == "3.008"
    assert cell(result, 1, i_col) == "+0.5"
    select(dialog.unit_combos["current"], "A")
    assert cell(result, 1, i_col) == "+500"
    select(dialog.unit_combos["time"], "min")
    assert cell(result, 1, column_of(result, "time (s)")) == "600"
    select(dialog.unit_combos["current"], "mA")
    select(dialog.unit_combos["time"], "s")
    assert cell(result, 1, i_col) == "+0.5"

    # a wrong header line is refused in red, and the choices come back with the right one
    dialog.header_spin.setValue(2)
    assert dialog.is_error_shown() and not dialog.ok_button.isEnabled()
    assert "Zeit/s" in dialog.message() and "header line" in dialog.message()
    assert dialog.column_combos["time"].currentData() is None
    dialog.header_spin.setValue(4)
    assert dialog.column_combos["time"].currentText() == "Zeit/s"
    assert dialog.state_combo.currentText() == "Modus"
    assert dialog.ok_button.isEnabled()

    # save as template (the name is asked through dialogs.py)
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "ask_text", lambda parent, title, label, text="": asked.append(text) or TEMPLATE
    )
    qtbot.mouseClick(dialog.save_template_button, Qt.MouseButton.LeftButton)
    assert asked == ["zelle12"], "the file name is offered as the template name"
    assert dialog.template_combo.currentText() == TEMPLATE
    assert dialog.delete_template_button.isEnabled()
    saved = templates.templates_dir() / "Zelle L_E (Potentiostat 3).json"
    assert saved.is_file(), sorted(templates.templates_dir().iterdir())
    data = json.loads(saved.read_text("utf-8"))
    assert data["format"] == "lbpo-column-mapping" and data["name"] == TEMPLATE
    assert (data["delimiter"], data["decimal"], data["header_line"]) == (";", ",", 4)
    assert data["current_sign"] == "unsigned_with_state" and data["state_column"] == "Modus"
    assert (data["charge_codes"], data["discharge_codes"]) == (["L"], ["E"])
    round_trip = ColumnMapping.from_json(saved.read_text("utf-8"))
    assert round_trip == templates.load_template(TEMPLATE)
    assert round_trip.to_dict() == data
    dialog.reject()

    # a second, similar file: the current is in A; the template is picked from the list
    second = write_cell(tmp_path / "zelle13.csv", current_header="Strom/A", factor=1e-3)
    dialog2 = open_dialog(qtbot, second)
    assert dialog2.template_names() == [TEMPLATE]
    assert dialog2.sign_combo.currentData() == "signed", "the guess knows nothing of Modus"
    dialog2.template_combo.setCurrentIndex(dialog2.template_combo.findText(TEMPLATE))
    assert dialog2.column_combos["current"].currentText() == "Strom/A"
    assert dialog2.unit_combos["current"].currentData() == "A", "unit from the header"
    assert "Strom/A" in dialog2.message() and "unit set to A" in dialog2.message()
    assert dialog2.sign_combo.currentData() == "unsigned"
    assert dialog2.state_combo.currentText() == "Modus"
    assert dialog2.charge_edit.text() == "L" and dialog2.discharge_edit.text() == "E"
    result2 = dialog2.result_table
    assert cell(result2, 0, column_of(result2, "current (mA)")) == "+0.5"
    assert dialog2.ok_button.isEnabled()
    qtbot.mouseClick(dialog2.ok_button, Qt.MouseButton.LeftButton)
    assert dialog2.result() == QDialog.DialogCode.Accepted
    (table2,) = dialog2.tables
    exp = expected_arrays()
    assert table2.kind == "cycling" and table2.reader == "column_map"
    assert table2.label == "zelle13"
    np.testing.assert_allclose(table2.arrays["time_s"], exp["time_s"])
    np.testing.assert_allclose(table2.arrays["voltage_V"], exp["voltage_V"])
    np.testing.assert_allclose(table2.arrays["current_mA"], exp["current_mA"], rtol=1e-12)
    assert table2.arrays["current_mA"][HALF - 1] > 0 > table2.arrays["current_mA"][HALF]
    np.testing.assert_array_equal(table2.arrays["source_cycle"], np.ones(N_ROWS))
    assert dialog2.accepted_mapping.current_column == "Strom/A"
    assert table2.metadata["mapping"]["current_unit"] == "A"


def test_inverted_sign_and_back_to_the_guess(qtbot, tmp_path):
    path = tmp_path / "signed.csv"
    rows = ["time,voltage,current"] + [
        f"{k},{3 + 0.01 * k:.2f},{-0.2 if k < 5 else 0.2}" for k in range(10)
    ]
    path.write_text("\n".join(rows) + "\n")
    dialog = open_dialog(qtbot, path)
    assert dialog.delimiter_combo.currentData() == ","
    i_col = column_of(dialog.result_table, "current (mA)")
    assert cell(dialog.result_table, 0, i_col) == "-0.2"
    select(dialog.sign_combo, "inverted")
    assert cell(dialog.result_table, 0, i_col) == "+0.2"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (table,) = dialog.tables
    np.testing.assert_allclose(table.arrays["current_mA"], [0.2] * 5 + [-0.2] * 5)


def test_read_error_is_shown_inline_and_the_dialog_stays_open(qtbot, tmp_path):
    path = write_cell(tmp_path / "broken.csv")
    text = path.read_bytes().decode("cp1252")
    # data row 299 (line 303) lies beyond the 300 lines checked live; OK finds it
    path.write_bytes(text.replace("2980,0;", "2980,0?;").encode("cp1252"))
    dialog = open_dialog(qtbot, path)
    select(dialog.sign_combo, "unsigned")
    select(dialog.state_combo, "Modus")
    dialog.charge_edit.setText("L")
    dialog.discharge_edit.setText("E")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tables is None
    assert dialog.is_error_shown()
    assert "broken.csv, line 303" in dialog.message() and "2980,0?" in dialog.message()
    # within the rows checked live, the same mistake disables Import at once
    path.write_bytes(text.replace("500,0;", "500,0?;").encode("cp1252"))
    dialog2 = open_dialog(qtbot, path)
    assert not dialog2.ok_button.isEnabled() and dialog2.is_error_shown()
    assert "broken.csv, line 55" in dialog2.message() and "500,0?" in dialog2.message()


def test_garbage_in_the_preview_disables_import(qtbot, tmp_path):
    path = tmp_path / "dots.csv"
    path.write_text("t;U;I\n0;3,1;0,5\n1;3,2;0,5\n2;3,x;0,5\n3;3,3;0,5\n")
    dialog = open_dialog(qtbot, path)
    select(dialog.column_combos["time"], "t")
    select(dialog.column_combos["voltage"], "U")
    select(dialog.column_combos["current"], "I")
    assert not dialog.ok_button.isEnabled() and dialog.is_error_shown()
    assert "dots.csv, line 4" in dialog.message() and "3,x" in dialog.message()
    select(dialog.column_combos["voltage"], "I")
    assert "chosen for both voltage and current" in dialog.message()


def test_xlsx_sheet_and_units(qtbot, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "Info"
    wb.active.append(["Zelle 7"])
    ws = wb.create_sheet("Daten")
    ws.append(["Versuch 3"])
    ws.append(["Zeit (h)", "Spannung (V)", "Strom (µA)", "Zustand"])
    for k in range(40):
        ws.append([k * 0.5, 3 + 0.01 * k, 50, "C" if k < 20 else "D"])
    path = tmp_path / "versuch.xlsx"
    wb.save(path)
    assert looks_like_table(path)
    dialog = open_dialog(qtbot, path)
    assert dialog.sheet_combo.isEnabled() and not dialog.delimiter_combo.isEnabled()
    assert dialog.sheet_combo.currentText() == "Daten"
    assert [dialog.sheet_combo.itemText(i) for i in range(2)] == ["Info", "Daten"]
    assert dialog.unit_combos["time"].currentData() == "h"
    assert dialog.unit_combos["current"].currentData() == "uA"
    assert dialog.sign_combo.currentData() == "unsigned"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (table,) = dialog.tables
    np.testing.assert_allclose(table.arrays["time_s"], np.arange(40) * 1800.0)
    np.testing.assert_allclose(table.arrays["current_mA"], [0.05] * 20 + [-0.05] * 20)
    dialog2 = open_dialog(qtbot, path)
    dialog2.sheet_combo.setCurrentText("Info")
    assert not dialog2.ok_button.isEnabled() and dialog2.is_error_shown()


# ============================================================================ templates
def test_template_files_round_trip_and_broken_ones_are_skipped(qtbot, tmp_path, caplog):
    folder = templates.templates_dir()
    assert folder == tmp_path / "user" / "settings" / "templates"
    assert templates.list_templates() == []
    m = ColumnMapping(
        delimiter="\t", time_column="t", voltage_column="E/V", current_column="<I>/mA"
    )
    path = templates.save_template("  Bio/Logic:\tEC-Lab?  ", m)
    assert path.parent == folder and path.name == "Bio_Logic_ EC-Lab_.json"
    assert templates.load_template("bio/logic: ec-lab?").voltage_column == "E/V"
    assert templates.save_template("Bio/Logic: EC-Lab?", m) == path, "same name: replaced"
    assert templates.save_template("Bio_Logic_ EC-Lab_", m) != path, "no clash of file names"

    (folder / "broken.json").write_text("{not json")
    (folder / "evil.json").write_text(
        '{"format": "lbpo-column-mapping", "skip_rows": "__import__(\'os\').system(\'x\')"}'
    )
    (folder / "list.json").write_text("[1, 2, 3]")
    (folder / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    (folder / "other.json").write_text('{"format": "something-else"}')
    (folder / "notes.txt").write_text("not a template")
    problems: list[str] = []
    with caplog.at_level(logging.WARNING, logger="lbpo_gui.gui.templates"):
        found = templates.list_templates(problems)
    assert [t.name for t in found] == ["Bio/Logic: EC-Lab?", "Bio_Logic_ EC-Lab_"]
    assert sorted(p.split(":")[0] for p in problems) == [
        "binary.json",
        "broken.json",
        "evil.json",
        "list.json",
        "other.json",
    ]
    assert len([r for r in caplog.records if "skipping template" in r.getMessage()]) == 5

    dialog = open_dialog(qtbot, write_cell(tmp_path / "a.csv", n=20))
    assert dialog.template_names() == ["Bio/Logic: EC-Lab?", "Bio_Logic_ EC-Lab_"]
    assert dialog.template_note.isVisible()
    assert "5 template files could not be read" in dialog.template_note.text()


def test_delete_template_from_the_dialog(qtbot, tmp_path, monkeypatch):
    path = write_cell(tmp_path / "a.csv", n=30)
    templates.save_template("keep", ColumnMapping())
    doomed = templates.save_template("old export", ColumnMapping(time_column="x"))
    dialog = open_dialog(qtbot, path)
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findText("old export"))
    assert dialog.is_error_shown()
    assert "Column \u201cx\u201d (time) is not in the header" in dialog.message()
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text, default=False: False)
    qtbot.mouseClick(dialog.delete_template_button, Qt.MouseButton.LeftButton)
    assert doomed.exists(), "answered no"
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text, default=False: True)
    qtbot.mouseClick(dialog.delete_template_button, Qt.MouseButton.LeftButton)
    assert not doomed.exists()
    assert dialog.template_names() == ["keep"] and dialog.template_combo.currentIndex() == 0
    assert not dialog.delete_template_button.isEnabled()
    # picking "none" goes back to the guess
    dialog.template_combo.setCurrentIndex(1)
    dialog.template_combo.setCurrentIndex(0)
    assert dialog.column_combos["time"].currentText() == "Zeit/s"


def test_safe_file_stems_and_default_folder(monkeypatch):
    assert templates.safe_file_stem("CON") == "CON_"
    assert templates.safe_file_stem("../../etc/passwd") == "_.._etc_passwd"
    assert "/" not in templates.safe_file_stem("a/b\\c") and "\\" not in "a_b_c"
    assert templates.safe_file_stem(" ... ") == "template"
    assert templates.safe_file_stem("Zyklus ä 测试") == "Zyklus ä 测试"
    assert len(templates.safe_file_stem("x" * 500)) == 80
    monkeypatch.delenv("LBPO_SETTINGS_DIR")
    QStandardPaths.setTestModeEnabled(True)
    try:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        assert templates.templates_dir() == Path(base) / "templates"
    finally:
        QStandardPaths.setTestModeEnabled(False)


def test_map_columns_never_blocks_when_non_interactive(tmp_path):
    assert dialogs.is_noninteractive()
    assert column_map_dialog.map_columns(None, write_cell(tmp_path / "a.csv", n=5)) is None


# ============================================================================ import hook
def test_looks_like_table(tmp_path):
    assert looks_like_table(write_cell(tmp_path / "a.csv", n=5))
    numbers = tmp_path / "run.xyz"
    numbers.write_text("# my potentiostat\n0 3.1 0.5\n1 3.2 0.5\n2 3.3 -0.5\n")
    assert looks_like_table(numbers)
    prose = tmp_path / "notes.xyz"
    prose.write_text("just some notes, not data\nand a second line of words\n")
    assert not looks_like_table(prose)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert not looks_like_table(binary)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert not looks_like_table(empty)
    assert not looks_like_table(tmp_path / "missing.csv")


@pytest.fixture
def questions(monkeypatch) -> list[tuple[str, str]]:
    """Answer yes to the "Map columns…" question (and record it)."""
    asked: list[tuple[str, str]] = []

    def answer(parent, title, text, default=False):
        asked.append((title, text))
        return True

    monkeypatch.setattr(dialogs, "ask_yes_no", answer)
    return asked


def drive_dialog(qtbot, opened: list[Path]):
    """A stand-in for map_columns that drives the real dialog like a user and clicks Import."""

    def run(parent, path):
        opened.append(Path(path))
        dialog = ColumnMapDialog(path, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        select(dialog.sign_combo, "unsigned")
        select(dialog.state_combo, "Modus")
        qtbot.keyClicks(dialog.charge_edit, "L")
        qtbot.keyClicks(dialog.discharge_edit, "E")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.message()
        return dialog.tables

    return run


def test_unrecognised_csv_dropped_is_mapped_and_imported_in_one_undo_step(
    qtbot, make_window, small_lbpo, tmp_path, questions, monkeypatch
):
    from test_import_drop import drop_files

    window = make_window(small_lbpo)
    project = window.document.project
    sample = project.samples[0]
    window.sample_panel.select_sample(sample.id)
    n_before = len(sample.datasets)
    path = write_cell(tmp_path / "zelle12.csv")
    opened: list[Path] = []
    monkeypatch.setattr(column_map_dialog, "map_columns", drive_dialog(qtbot, opened))
    with qtbot.waitSignal(window.importer.finished, timeout=10000) as done:
        assert drop_files(window, [path])
    assert done.args == [1]
    assert len(questions) == 1
    title, text = questions[0]
    assert title == "Map columns\u2026" and "zelle12.csv" in text
    assert opened == [path]
    assert len(sample.datasets) == n_before + 1
    dataset = sample.datasets[-1]
    assert dataset.kind == "cycling" and dataset.label == "zelle12"
    assert dataset.provenance.reader == "column_map"
    assert dataset.provenance.original_name == "zelle12.csv"
    assert dataset.raw == path.read_bytes()
    np.testing.assert_allclose(dataset.arrays["current_mA"], expected_arrays()["current_mA"])
    assert window.document.undo_stack.count() == 1, "one import = one undo step"
    assert window.sample_panel.current_dataset_id() == dataset.id
    window.undo_action.trigger()
    assert len(sample.datasets) == n_before
    window.redo_action.trigger()
    assert sample.datasets[-1] is dataset


def test_recognised_and_mapped_files_are_one_undo_step(
    qtbot, make_window, small_lbpo, tmp_path, questions, monkeypatch
):
    from test_import_drop import MAGIC, _read_test_xps, write_xps

    register(
        ReaderSpec(
            "gui_test_cm_xps",
            ("xps",),
            (),
            lambda head, name: 1.0 if head.startswith(MAGIC) else 0.0,
            _read_test_xps,
        )
    )
    try:
        window = make_window(small_lbpo)
        sample = window.document.project.samples[1]
        window.sample_panel.select_sample(sample.id)
        n_before = len(sample.datasets)
        files = [write_xps(tmp_path / "S2p.txt"), write_cell(tmp_path / "zelle12.csv")]
        opened: list[Path] = []
        monkeypatch.setattr(column_map_dialog, "map_columns", drive_dialog(qtbot, opened))
        with qtbot.waitSignal(window.importer.finished, timeout=10000) as done:
            window.import_data(files)
        assert done.args == [2]
        assert opened == [files[1]], "only the unrecognised file is mapped"
        assert [d.label for d in sample.datasets[n_before:]] == ["S2p", "zelle12"]
        assert window.document.undo_stack.count() == 1
        window.undo_action.trigger()
        assert len(sample.datasets) == n_before
    finally:
        reader_registry._REGISTRY.pop("gui_test_cm_xps", None)


def test_answering_no_leaves_the_project_unchanged(
    qtbot, make_window, small_lbpo, tmp_path, monkeypatch
):
    window = make_window(small_lbpo)
    project = window.document.project
    window.sample_panel.select_sample(project.samples[0].id)
    revision = project.revision
    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "warning", lambda parent, title, text: warned.append((title, text))
    )
    opened: list[Path] = []
    monkeypatch.setattr(column_map_dialog, "map_columns", lambda parent, p: opened.append(p))
    path = write_cell(tmp_path / "zelle12.csv", n=10)
    # non-interactive: the question is recorded and answered with its default, no
    with qtbot.waitSignal(window.importer.finished, timeout=5000) as done:
        window.import_data([path])
    assert done.args == [0]
    assert [m.title for m in dialogs.recorded if m.level == "question"] == ["Map columns\u2026"]
    assert warned and "zelle12.csv, line 1: no reader recognises" in warned[-1][1]
    assert "Nothing was imported" in warned[-1][1]
    # an explicit no does the same
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text, default=False: False)
    with qtbot.waitSignal(window.importer.finished, timeout=5000) as done:
        window.import_data([path])
    assert done.args == [0]
    assert opened == []
    assert project.revision == revision
    assert not window.document.undo_stack.canUndo()


def test_cancelled_mapping_imports_nothing(
    qtbot, make_window, small_lbpo, tmp_path, questions, monkeypatch
):
    window = make_window(small_lbpo)
    project = window.document.project
    window.sample_panel.select_sample(project.samples[0].id)
    revision = project.revision
    monkeypatch.setattr(column_map_dialog, "map_columns", lambda parent, p: None)
    with qtbot.waitSignal(window.importer.finished, timeout=5000) as done:
        window.import_data([write_cell(tmp_path / "a.csv", n=10)])
    assert done.args == [0]
    assert project.revision == revision
    assert "cancelled" in window.statusBar().currentMessage()


def test_import_with_mapping_directly(qtbot, make_window, small_lbpo, tmp_path, monkeypatch):
    window = make_window(small_lbpo)
    sample = window.document.project.samples[1]
    path = write_cell(tmp_path / "zelle12.csv")
    opened: list[Path] = []
    monkeypatch.setattr(column_map_dialog, "map_columns", drive_dialog(qtbot, opened))
    monkeypatch.setattr(dialogs, "open_file_name", lambda *a: str(path))
    n_before = len(sample.datasets)
    with qtbot.waitSignal(window.importer.finished, timeout=10000) as done:
        assert window.importer.import_with_mapping(None, sample.id)
    assert done.args == [1]
    assert opened == [path]
    assert [d.label for d in sample.datasets[n_before:]] == ["zelle12"]
    assert window.document.undo_stack.count() == 1
    window.undo_action.trigger()
    assert len(sample.datasets) == n_before


def test_file_menu_offers_import_with_column_mapping(qtbot, make_window, small_lbpo, monkeypatch):
    """The File menu entry opens the mapping import for the selected sample."""
    window = make_window(small_lbpo)
    calls = []
    monkeypatch.setattr(
        window.importer, "import_with_mapping", lambda path, sample: calls.append((path, sample))
    )
    titles = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Import with column &mapping\u2026" in titles
    window.import_mapped_action.trigger()
    assert calls == [(None, window.sample_panel.current_sample_id())]
    assert calls[0][1] == window.document.project.samples[0].id


def test_day_first_date_template_preview_equals_the_import(qtbot, tmp_path):
    """A day-first date format and state codes: the preview shows what the import gives."""
    path = tmp_path / "dayfirst.csv"
    lines = ["Date;U [V];I [A];State"]
    for k in range(24):
        # every 12 h from 1 March: all days <= 12, so only the format says day-first
        day, hour = 1 + k // 2, 12 * (k % 2)
        state = " C " if k < 12 else "d"  # codes with spaces and another case
        lines.append(f"{day:02d}/03/2024 {hour:02d}:00:00;{3.5 + 0.01 * k:.3f};0.0005;{state}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = ColumnMapping(
        name="day-first cycler",
        time_column="Date",
        time_format="datetime",
        datetime_format="%d/%m/%Y %H:%M:%S",
        voltage_column="U [V]",
        current_column="I [A]",
        current_unit="A",
        current_sign="unsigned_with_state",
        state_column="State",
        charge_codes=["c"],
        discharge_codes=["D"],
        delimiter=";",
        header_line=1,
    )
    dialog = open_dialog(qtbot, path)
    dialog.apply_mapping(mapping)
    assert dialog.ok_button.isEnabled(), dialog.problems()
    result = dialog.result_table
    shown_t = [
        float(cell(result, r, column_of(result, "time (s)"))) for r in range(result.rowCount())
    ]
    shown_i = [
        float(cell(result, r, column_of(result, "current (mA)"))) for r in range(result.rowCount())
    ]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (table,) = dialog.tables
    n = len(shown_t)
    np.testing.assert_allclose(shown_t, table.arrays["time_s"][:n])
    np.testing.assert_allclose(shown_i, table.arrays["current_mA"][:n])
    np.testing.assert_allclose(table.arrays["time_s"], 12 * 3600.0 * np.arange(24))
    assert shown_i[0] == 0.5 and table.arrays["current_mA"][-1] == -0.5
