"""The exception hook (log file + dialog) and the background worker."""

from __future__ import annotations

import sys
import threading

import pytest

from lbpo_gui.gui import crash
from lbpo_gui.gui.workers import Cancelled, TaskContext, Worker


def test_excepthook_writes_log_and_shows_dialog(qtbot, monkeypatch):
    shown: list[tuple[str, object]] = []
    monkeypatch.setattr(
        crash, "show_error_dialog", lambda message, path: shown.append((message, path))
    )
    try:
        raise ValueError("the fit diverged")
    except ValueError:
        crash.excepthook(*sys.exc_info())
    log = crash.log_path()
    assert log.is_file()
    text = log.read_text("utf-8")
    assert (
        "ValueError: the fit diverged" in text and "Traceback" in text and "LBPO Workbench" in text
    )
    assert shown == [("ValueError: the fit diverged", log)]
    # a second error is appended
    try:
        raise KeyError("x")
    except KeyError:
        crash.excepthook(*sys.exc_info())
    assert log.read_text("utf-8").count("=====") == 2


def test_excepthook_survives_a_failing_dialog(qtbot, monkeypatch, capsys):
    def broken(message, path):
        raise RuntimeError("dialog broke")

    monkeypatch.setattr(crash, "show_error_dialog", broken)
    try:
        raise ValueError("first")
    except ValueError:
        crash.excepthook(*sys.exc_info())
    err = capsys.readouterr().err
    assert "ValueError: first" in err and "dialog broke" in err


def test_excepthook_without_console(qtbot, monkeypatch):
    monkeypatch.setattr(crash, "show_error_dialog", lambda m, p: None)
    monkeypatch.setattr(sys, "stderr", None)
    try:
        raise ValueError("windowed build")
    except ValueError:
        crash.excepthook(*sys.exc_info())
    assert "windowed build" in crash.log_path().read_text("utf-8")


def test_real_dialog_is_non_blocking(qtbot):
    crash.show_error_dialog("ValueError: boom", crash.log_path())
    boxes = [b for b in crash._open_boxes if b.isVisible()]
    assert boxes and "boom" in boxes[-1].text()
    assert str(crash.log_path()) in boxes[-1].informativeText()
    for b in boxes:
        b.close()


def test_a_second_error_after_a_closed_dialog_shows_a_dialog_again(qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtWidgets import QMessageBox

    def raise_and_hook(text: str) -> None:
        try:
            raise ValueError(text)
        except ValueError:
            crash.excepthook(*sys.exc_info())

    raise_and_hook("first")
    (first,) = crash.open_error_dialogs()
    assert "first" in first.text()
    ok = first.button(QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the box is deleted
    assert crash.open_error_dialogs() == []
    raise_and_hook("second")
    (second,) = crash.open_error_dialogs()
    assert "second" in second.text()
    second.close()


def test_install_and_uninstall(qtbot):
    previous = sys.excepthook
    crash.install()
    try:
        assert sys.excepthook is crash.excepthook
    finally:
        crash.uninstall()
    assert sys.excepthook is previous


def test_worker_delivers_result_and_progress_in_gui_thread(qtbot):
    main_thread = threading.get_ident()
    seen: list[tuple[float, str, int]] = []

    def job(ctx: TaskContext) -> int:
        assert threading.get_ident() != main_thread
        for i in range(3):
            ctx.progress((i + 1) / 3, f"step {i}")
        return 42

    worker = Worker(job)
    worker.progress.connect(lambda f, m: seen.append((f, m, threading.get_ident())))
    with qtbot.waitSignal(worker.finished, timeout=3000) as sig:
        worker.start()
    assert sig.args == [42]
    assert seen and seen[-1][:2] == (1.0, "step 2")
    assert all(t == main_thread for *_, t in seen)
    assert not worker.is_running()
    with pytest.raises(RuntimeError):
        worker.start()


def test_worker_failure_and_cancel(qtbot):
    def failing(ctx: TaskContext) -> None:
        raise ZeroDivisionError("bad")

    worker = Worker(failing)
    with qtbot.waitSignal(worker.failed, timeout=3000) as sig:
        worker.start()
    assert isinstance(sig.args[0], ZeroDivisionError)

    gate = threading.Event()

    def slow(ctx: TaskContext) -> str:
        gate.wait(2)
        ctx.check_cancelled()
        return "not reached"

    worker = Worker(slow)
    with qtbot.waitSignal(worker.cancelled, timeout=3000):
        worker.start()
        worker.cancel()
        gate.set()
    assert worker.is_cancel_requested()
    assert issubclass(Cancelled, Exception)
