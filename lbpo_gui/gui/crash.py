"""Unhandled exceptions: write the traceback to a log file and tell the user, instead of dying.

:func:`install` replaces ``sys.excepthook``. Each unhandled error is appended to
``<log dir>/errors.log`` (see :func:`lbpo_gui.core.project.autosave.log_dir`) with the time and the
program version, then :func:`show_error_dialog` shows a non-blocking message with the error and
the log path. Tests replace ``crash.show_error_dialog``.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.errorlog import append_error_log, error_log_path

#: At most this many error boxes are open at once; further errors are only logged.
MAX_OPEN_DIALOGS = 3

_open_boxes: list[QMessageBox] = []
_in_hook = False
_previous_hook: Callable | None = None


def log_path() -> Path:
    """The error log file."""
    return error_log_path()


def write_crash_log(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> Path | None:
    """Append the traceback to the error log; returns its path (None if it cannot be written)."""
    return append_error_log(exc_type, exc, tb)


def show_error_dialog(message: str, log_file: Path | None) -> None:
    """Show the error without blocking (replaced in tests)."""
    app = QApplication.instance()
    if app is None:
        return
    # A closed box is deleted (deleteLater): never touch it again, only drop it.
    _open_boxes[:] = [b for b in _open_boxes if shiboken6.isValid(b) and b.isVisible()]
    if len(_open_boxes) >= MAX_OPEN_DIALOGS:
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", message)
    box.setInformativeText(
        "The program keeps running, but the last action may not have completed. "
        "Save your project under a new name to be safe."
        + (f"\n\nDetails were written to:\n{log_file}" if log_file else "")
    )
    box.setModal(False)
    box.finished.connect(lambda _result, b=box: _closed(b))
    _open_boxes.append(box)
    box.show()


def _closed(box: QMessageBox) -> None:
    """An error box was closed: forget it, then let Qt delete it."""
    if box in _open_boxes:
        _open_boxes.remove(box)
    if shiboken6.isValid(box):
        box.deleteLater()


def open_error_dialogs() -> list[QMessageBox]:
    """The error boxes currently shown (for tests and the self-test)."""
    return [b for b in _open_boxes if shiboken6.isValid(b) and b.isVisible()]


def _print_stderr(text: str) -> None:
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(text)


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log the error, print it (when there is a console) and show the dialog."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        app = QApplication.instance()
        if app is not None:
            app.quit()
        return
    if _in_hook:  # an error while reporting an error: fall back to the plain hook
        _print_stderr("".join(traceback.format_exception(exc_type, exc, tb)))
        return
    _in_hook = True
    try:
        path = write_crash_log(exc_type, exc, tb)
        _print_stderr("".join(traceback.format_exception(exc_type, exc, tb)))
        message = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
        show_error_dialog(message, path)
    except Exception:
        _print_stderr("".join(traceback.format_exception(*sys.exc_info())))
    finally:
        _in_hook = False


def install() -> None:
    """Make :func:`excepthook` the interpreter's exception hook."""
    global _previous_hook
    if sys.excepthook is not excepthook:
        _previous_hook = sys.excepthook
        sys.excepthook = excepthook


def uninstall() -> None:
    """Put back the hook that was active before :func:`install`."""
    global _previous_hook
    if sys.excepthook is excepthook:
        sys.excepthook = _previous_hook or sys.__excepthook__
    _previous_hook = None
