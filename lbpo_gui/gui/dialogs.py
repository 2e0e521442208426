"""Every message box, question and file dialog the GUI shows, in one patchable place.

Callers always go through this module (``dialogs.warning(...)``, never ``from .dialogs import
warning``) so tests can replace a function with ``monkeypatch.setattr(dialogs, "warning", ...)``.

In non-interactive mode (self-test, screenshots, the test suite) nothing is shown and nothing
blocks: messages are recorded in :data:`recorded` and questions return their default answer
(``discard`` for unsaved changes, ``later`` for recovery, ``None`` for file dialogs).
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from typing import Literal

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

SaveAnswer = Literal["save", "discard", "cancel"]
RecoveryAnswer = Literal["restore", "discard", "later"]


@dataclass(frozen=True)
class RecordedMessage:
    """A message that would have been shown in non-interactive mode."""

    level: str
    title: str
    text: str


_noninteractive = False
#: Messages "shown" while non-interactive (newest last).
recorded: list[RecordedMessage] = []


def set_noninteractive(flag: bool) -> None:
    """Never show a dialog (True) or show them normally (False)."""
    global _noninteractive
    _noninteractive = flag


def is_noninteractive() -> bool:
    """Whether dialogs are suppressed."""
    return _noninteractive


def _record(level: str, title: str, text: str) -> None:
    recorded.append(RecordedMessage(level, title, text))
    del recorded[:-200]
    stream = sys.stderr
    if stream is not None and level in ("warning", "critical"):
        with contextlib.suppress(OSError, ValueError):
            print(f"[{level}] {title}: {text}", file=stream)


# ------------------------------------------------------------------ messages
def information(parent: QWidget | None, title: str, text: str) -> None:
    """An information box with an OK button."""
    if _noninteractive:
        _record("information", title, text)
        return
    QMessageBox.information(parent, title, text)


def warning(parent: QWidget | None, title: str, text: str) -> None:
    """A warning box (something was refused; nothing changed)."""
    if _noninteractive:
        _record("warning", title, text)
        return
    QMessageBox.warning(parent, title, text)


def critical(parent: QWidget | None, title: str, text: str) -> None:
    """An error box (an operation failed)."""
    if _noninteractive:
        _record("critical", title, text)
        return
    QMessageBox.critical(parent, title, text)


def about(parent: QWidget | None, title: str, text: str) -> None:
    """The About box (rich text)."""
    if _noninteractive:
        _record("information", title, text)
        return
    QMessageBox.about(parent, title, text)


# ------------------------------------------------------------------ questions
def ask_yes_no(parent: QWidget | None, title: str, text: str, default: bool = False) -> bool:
    """A Yes/No question; returns ``default`` when non-interactive."""
    if _noninteractive:
        _record("question", title, text)
        return default
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default_button = QMessageBox.StandardButton.Yes if default else QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, buttons, default_button)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_changes(parent: QWidget | None, project_name: str) -> SaveAnswer:
    """Save / Discard / Cancel for a project with unsaved changes."""
    text = f"The project \u201c{project_name}\u201d has unsaved changes."
    if _noninteractive:
        _record("question", "Unsaved changes", text)
        return "discard"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(text)
    box.setInformativeText("Do you want to save them?")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"


def ask_recovery(
    parent: QWidget | None, project_name: str, saved_at: str, path: str | None
) -> RecoveryAnswer:
    """Restore / Discard / Later for an autosave left behind by a crash."""
    where = f"\nIts file: {path}" if path else "\nIt had not been saved to a file yet."
    text = (
        f"LBPO Workbench did not close properly. An autosave of \u201c{project_name}\u201d "
        f"from {saved_at} can be restored.{where}"
    )
    if _noninteractive:
        _record("question", "Recover project", text)
        return "later"
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Recover project")
    box.setText(text)
    box.setInformativeText(
        "Restore opens it (with unsaved changes), Discard deletes the autosave, "
        "Later keeps it for the next start."
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore:
        return "restore"
    if clicked is discard:
        return "discard"
    return "later"


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A one-line text question; None when cancelled (or non-interactive)."""
    if _noninteractive:
        _record("question", title, label)
        return None
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_int(
    parent: QWidget | None,
    title: str,
    label: str,
    value: int,
    minimum: int,
    maximum: int,
) -> int | None:
    """A whole number between ``minimum`` and ``maximum``; None when cancelled
    (non-interactive: the default ``value``)."""
    if _noninteractive:
        _record("question", title, label)
        return value
    number, ok = QInputDialog.getInt(parent, title, label, value, minimum, maximum)
    return int(number) if ok else None


# ------------------------------------------------------------------ files
def open_file_name(parent: QWidget | None, title: str, directory: str, filters: str) -> str | None:
    """One existing file, or None."""
    if _noninteractive:
        return None
    path, _ = QFileDialog.getOpenFileName(parent, title, directory, filters)
    return path or None


def open_file_names(parent: QWidget | None, title: str, directory: str, filters: str) -> list[str]:
    """Several existing files (empty when cancelled)."""
    if _noninteractive:
        return []
    paths, _ = QFileDialog.getOpenFileNames(parent, title, directory, filters)
    return list(paths)


def existing_directory(parent: QWidget | None, title: str, directory: str) -> str | None:
    """A folder (created or chosen), or None."""
    if _noninteractive:
        return None
    path = QFileDialog.getExistingDirectory(parent, title, directory)
    return path or None


def save_file_name(parent: QWidget | None, title: str, directory: str, filters: str) -> str | None:
    """A file name to save to, or None."""
    if _noninteractive:
        return None
    path, _ = QFileDialog.getSaveFileName(parent, title, directory, filters)
    return path or None
