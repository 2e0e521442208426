"""Importing by File > Import and by dropping files: accepted, refused, failed, cancelled."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QPushButton

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import ImportedData, ReaderSpec, register
from lbpo_gui.core.readers import registry as reader_registry
from lbpo_gui.gui import dialogs
from lbpo_gui.gui.main_window import MainWindow

MAGIC = b"#lbpo-gui-test-xps"
SLOW_MAGIC = b"#lbpo-gui-test-slow"


def _read_test_xps(path: Path) -> list[ImportedData]:
    lines = path.read_text("utf-8").splitlines()
    be, cps = [], []
    for n, line in enumerate(lines[1:], start=2):
        parts = line.split(",")
        try:
            be.append(float(parts[0]))
            cps.append(float(parts[1]))
        except (ValueError, IndexError):
            raise ReaderError(
                path, f"cannot read {line!r}", line=n, expected="two numbers"
            ) from None
    return [
        ImportedData(
            "xps",
            path.stem,
            {"binding_energy_eV": np.array(be), "counts_per_s": np.array(cps)},
            {"region": "S 2p"},
        )
    ]


def _read_slow(path: Path) -> list[ImportedData]:
    time.sleep(0.3)
    return _read_test_xps(path)


@pytest.fixture
def test_reader() -> Iterator[None]:
    """A tiny reader registered for these tests only (content-sniffed by its first line)."""
    specs = [
        ReaderSpec(
            "gui_test_xps",
            ("xps",),
            ("*.gtx",),
            lambda head, name: 1.0 if head.startswith(MAGIC) else 0.0,
            _read_test_xps,
        ),
        ReaderSpec(
            "gui_test_slow",
            ("xps",),
            (),
            lambda head, name: 1.0 if head.startswith(SLOW_MAGIC) else 0.0,
            _read_slow,
        ),
    ]
    for spec in specs:
        register(spec)
    yield
    for spec in specs:
        reader_registry._REGISTRY.pop(spec.name, None)


def write_xps(path: Path, magic: bytes = MAGIC, bad_line: bool = False) -> Path:
    rows = [f"{170 - 0.5 * i},{1000 + i}" for i in range(20)]
    if bad_line:
        rows[6] = "167.0;oops"
    path.write_bytes(magic + b"\n" + "\n".join(rows).encode())
    return path


def drop_files(window: MainWindow, paths: list[Path], urls: list[QUrl] | None = None) -> bool:
    """Send a drag-enter and a drop of ``paths`` to the window; returns whether enter was accepted."""
    mime = QMimeData()
    mime.setUrls(urls if urls is not None else [QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    return True


@pytest.fixture
def warnings_seen(monkeypatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "warning", lambda parent, title, text: seen.append((title, text)))
    return seen


def test_drop_unknown_file_is_refused(qtbot, make_window, small_lbpo, tmp_path, warnings_seen):
    window = make_window(small_lbpo)
    window.sample_panel.select_sample(window.document.project.samples[0].id)
    revision = window.document.project.revision
    unknown = tmp_path / "notes.xyz"
    unknown.write_text("just some notes, not data\n")
    assert drop_files(window, [unknown])
    qtbot.waitUntil(lambda: bool(warnings_seen))
    title, text = warnings_seen[0]
    assert title == "Cannot import"
    assert "notes.xyz" in text and "line 1" in text and "Nothing was imported" in text
    assert window.document.project.revision == revision
    assert not window.document.undo_stack.canUndo()


def test_drag_of_non_file_is_not_accepted(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    assert not drop_files(window, [], urls=[QUrl("https://example.org/data.mpt")])


def test_drop_accepted_file_imports_into_selected_sample(
    qtbot, make_window, small_lbpo, tmp_path, test_reader
):
    window = make_window(small_lbpo)
    project = window.document.project
    sample = project.samples[1]
    window.sample_panel.select_sample(sample.id)
    files = [write_xps(tmp_path / "S2p_after.txt"), write_xps(tmp_path / "P2p_after.gtx")]
    n_before = len(sample.datasets)
    with qtbot.waitSignal(window.importer.finished, timeout=5000) as done:
        assert drop_files(window, files)
    assert done.args == [2]
    assert len(sample.datasets) == n_before + 2
    new = sample.datasets[-2:]
    assert [d.label for d in new] == ["S2p_after", "P2p_after"]
    assert new[0].provenance.reader == "gui_test_xps" and new[0].provenance.sha256
    assert new[0].raw == files[0].read_bytes()
    assert window.document.undo_stack.count() == 1, "one import = one undo step"
    assert window.tab_widget.currentWidget() is window.tab("XPS")
    assert window.sample_panel.current_dataset_id() == new[0].id
    window.undo_action.trigger()
    assert len(sample.datasets) == n_before
    window.redo_action.trigger()
    assert sample.datasets[-1] is new[1]


def test_import_without_selection_asks_for_a_new_sample(
    qtbot, make_window, tmp_path, test_reader, monkeypatch
):
    window = make_window()
    assert window.sample_panel.current_sample_id() == ""
    monkeypatch.setattr(
        dialogs, "open_file_names", lambda *a: [str(write_xps(tmp_path / "B1s.txt"))]
    )
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs,
        "ask_text",
        lambda parent, title, label, text="": asked.append(text) or "LBPO 0.05-0.15",
    )
    with qtbot.waitSignal(window.importer.finished, timeout=5000):
        window.import_action.trigger()
    assert asked == ["B1s"], "the file name is offered as the sample name"
    project = window.document.project
    assert [s.name for s in project.samples] == ["LBPO 0.05-0.15"]
    assert [d.label for d in project.samples[0].datasets] == ["B1s"]
    assert project.samples[0].cathode == "", "nothing assumes the cathode is NCM811"
    assert window.sample_panel.current_sample_id() == project.samples[0].id
    window.undo_action.trigger()
    assert project.samples == (), "undo removes the data and the sample created for it"


def test_import_cancelled_by_declining_the_sample_name(qtbot, make_window, tmp_path, test_reader):
    window = make_window()
    with qtbot.waitSignal(window.importer.finished) as done:
        window.import_data([write_xps(tmp_path / "a.txt")])  # non-interactive ask_text: None
    assert done.args == [0]
    assert window.document.project.samples == ()


def test_reader_error_names_file_and_line_and_changes_nothing(
    qtbot, make_window, small_lbpo, tmp_path, test_reader, warnings_seen
):
    window = make_window(small_lbpo)
    project = window.document.project
    window.sample_panel.select_sample(project.samples[0].id)
    revision = project.revision
    good = write_xps(tmp_path / "good.txt")
    bad = write_xps(tmp_path / "bad.txt", bad_line=True)
    with qtbot.waitSignal(window.importer.finished, timeout=5000) as done:
        window.import_data([good, bad])
    assert done.args == [0]
    title, text = warnings_seen[-1]
    assert "bad.txt, line 8" in text and "Nothing was imported" in text
    assert project.revision == revision, "all or nothing"
    assert not window.importer.is_busy()


def test_cancel_leaves_project_unchanged(qtbot, make_window, small_lbpo, tmp_path, test_reader):
    window = make_window(small_lbpo)
    project = window.document.project
    window.sample_panel.select_sample(project.samples[0].id)
    revision = project.revision
    files = [write_xps(tmp_path / f"slow{i}.txt", SLOW_MAGIC) for i in range(4)]
    with qtbot.waitSignal(window.importer.finished, timeout=5000) as done:
        assert window.import_data(files)
        assert window.importer.is_busy()
        cancel_button = window.importer.progress_dialog.findChild(QPushButton)
        assert cancel_button.text() == "Cancel"
        cancel_button.click()
    assert done.args == [0]
    assert project.revision == revision
    assert "cancelled" in window.statusBar().currentMessage()


def test_drop_project_file_opens_it_after_prompt(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window()
    window.sample_panel.add_sample()
    dialog = window.sample_panel.sample_dialog
    dialog.accept()
    assert window.document.is_dirty()
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "ask_save_changes", lambda parent, name: asked.append(name) or "discard"
    )
    assert drop_files(window, [small_lbpo])
    qtbot.waitUntil(lambda: window.document.path == small_lbpo)
    assert asked == ["Untitled project"]
    assert len(window.document.project.samples) == 2


def test_drop_real_biologic_file(qtbot, make_window, small_lbpo, shared_data):
    path = shared_data / "echem" / "yadg-eclab" / "gcpl.issue_226.I.mpt"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    window = make_window(small_lbpo)
    sample = window.document.project.samples[0]
    window.sample_panel.select_sample(sample.id)
    with qtbot.waitSignal(window.importer.finished, timeout=10000) as done:
        drop_files(window, [path])
    assert done.args == [1]
    dataset = sample.datasets[-1]
    assert dataset.kind == "cycling" and dataset.provenance.reader == "biologic_mpt"
    assert window.tab_widget.currentWidget() is window.tab("Electrochemistry")
    tab = window.tab("Electrochemistry")
    qtbot.waitUntil(
        lambda: tab.current_dataset() is dataset and tab.cycles_view.model.rowCount() > 0
    )
