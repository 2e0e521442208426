"""Soak test of signal delivery: PySide6 6.12.0 on CPython 3.11 dropped a reference to True on
every emit and aborted after ~570 emits (``bool_dealloc``). These tests emit far more than that
through real connections and check that the reference counts of True and None do not drop.

(A count that grows is harmless: PySide6 6.11 adds one reference to None for some item-view
calls, e.g. replacing a QTableWidgetItem that carries a tooltip in a visible table, and never
gives it back. Only a count that falls can reach zero and abort the interpreter.)
"""

from __future__ import annotations

import gc
import sys

from guikit import build_small_project
from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from lbpo_gui.gui.commands import EditSampleFields
from lbpo_gui.gui.document import ProjectDocument

N = 20_000
#: Allowed drift of the reference counts (other threads, caches); the bug drops N.
TOLERANCE = 20


class Emitter(QObject):
    with_object = Signal(object)
    without_args = Signal()
    with_bool = Signal(bool)


class Counter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.objects = 0
        self.plain = 0
        self.trues = 0

    @Slot(object)
    def on_object(self, value: object) -> None:
        self.objects += 1

    @Slot()
    def on_plain(self) -> None:
        self.plain += 1

    @Slot(bool)
    def on_bool(self, value: bool) -> None:
        self.trues += value is True


def refcounts() -> tuple[int, int]:
    """Reference counts of True and None after pending deletions and garbage are cleared
    (objects of earlier tests dying during the loop would otherwise look like a drop)."""
    app = QApplication.instance()
    if app is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    gc.collect()
    return sys.getrefcount(True), sys.getrefcount(None)


def assert_stable(
    before: tuple[int, int], after: tuple[int, int], none_may_grow: bool = False
) -> None:
    assert abs(after[0] - before[0]) <= TOLERANCE, f"refcount(True) {before[0]} -> {after[0]}"
    assert after[1] >= before[1] - TOLERANCE, f"refcount(None) fell {before[1]} -> {after[1]}"
    if not none_may_grow:
        assert after[1] <= before[1] + TOLERANCE, f"refcount(None) {before[1]} -> {after[1]}"


def test_raw_signal_soak(qtbot):
    emitter, counter = Emitter(), Counter()
    emitter.with_object.connect(counter.on_object)
    emitter.without_args.connect(counter.on_plain)
    emitter.with_bool.connect(counter.on_bool)
    payload = {"x": 1}
    before = refcounts()
    for _ in range(N):
        emitter.with_object.emit(payload)
        emitter.without_args.emit()
        emitter.with_bool.emit(True)
    after = refcounts()
    assert (counter.objects, counter.plain, counter.trues) == (N, N, N)
    assert_stable(before, after)


def test_document_bridge_soak(qtbot):
    project = build_small_project()
    doc = ProjectDocument(project, autosave_delay_ms=0)
    counter = Counter()
    doc.projectChanged.connect(counter.on_object)
    sample = project.samples[0]
    before = refcounts()
    for i in range(N):
        project.update_sample(sample.id, notes=str(i % 7))
    after = refcounts()
    assert counter.objects == N
    assert project.events.errors == []
    assert_stable(before, after)
    doc.close()


def test_window_soak_through_commands(qtbot, make_window, small_lbpo):
    """Edits, undos and redos through the undo stack with every view connected."""
    window = make_window(small_lbpo)
    doc = window.document
    sample = doc.project.samples[0]
    window.sample_panel.select_sample(sample.id)
    window.tab_widget.setCurrentWidget(window.tab("Summary"))
    counter = Counter()
    doc.projectChanged.connect(counter.on_object)
    doc.dirtyChanged.connect(counter.on_bool)
    before = refcounts()
    n = 400
    app = QApplication.instance()
    for i in range(n):
        doc.push(EditSampleFields(doc, sample.id, {"composite_mass_mg": 10.0 + i % 5}))
        app.processEvents()  # let the views refresh after every edit
    for _ in range(n):
        doc.undo()
        app.processEvents()
    for _ in range(n):
        doc.redo()
        app.processEvents()
    after = refcounts()
    assert counter.objects == 3 * n
    assert sample.composite_mass_mg == 10.0 + (n - 1) % 5
    assert_stable(before, after, none_may_grow=True)
