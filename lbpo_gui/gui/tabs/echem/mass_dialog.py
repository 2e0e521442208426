"""The "Edit masses" dialog: composite mass, parts by weight, override; one undo step on OK.

The dialog only collects values. ``submit(fields)`` (from the tab) pushes one command and raises
:class:`~lbpo_gui.core.errors.ProjectError` when the project refuses the values: the message is
shown, the dialog stays open and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.errors import ProjectError
from ....core.project import Sample
from ... import dialogs
from ...kinds import format_number
from ...mass_text import active_mass_text
from ...sample_dialog import parse_number

MASS_FIELDS: dict[str, str] = {
    "composite_mass_mg": "Composite mass in the cell (mg)",
    "active_parts": "Active material (parts by weight)",
    "total_parts": "Whole composite (parts by weight)",
    "active_mass_override_mg": "Active mass override (mg)",
}


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:.10g}"


class MassDialog(QDialog):
    """Edit the active-mass fields of one sample."""

    def __init__(
        self,
        sample: Sample,
        submit: Callable[[dict[str, Any]], None],
        header_masses: Sequence[tuple[str, float]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("massDialog")
        self._submit = submit
        self.setWindowTitle(f"Active mass of \u201c{sample.name}\u201d")
        self.setMinimumWidth(460)
        self.edits: dict[str, QLineEdit] = {}
        for key in MASS_FIELDS:
            edit = QLineEdit(_number_text(getattr(sample, key)))
            edit.setObjectName(key)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.textChanged.connect(self._update_preview)
            self.edits[key] = edit
        self.edits["composite_mass_mg"].setPlaceholderText("e.g. 15")
        self.edits["active_mass_override_mg"].setPlaceholderText("blank = from the composite")
        self._initial = {k: e.text() for k, e in self.edits.items()}

        intro = QLabel(
            "Specific capacities are per gram of active material: composite mass \u00d7 active "
            "parts / total parts (the study: 15 mg \u00d7 70/102 = 10.294 mg), unless an "
            "override is entered."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #505050;")
        form = QFormLayout()
        for key, label in MASS_FIELDS.items():
            form.addRow(label, self.edits[key])
        self.preview = QLabel()
        self.preview.setObjectName("massPreview")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Active mass used", self.preview)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        self.header_buttons: list[QPushButton] = []
        for label, mass in header_masses:
            row = QHBoxLayout()
            text = QLabel(f"File header of \u201c{label}\u201d: {format_number(mass)} mg")
            text.setStyleSheet("color: #505050;")
            button = QPushButton("Use as override")
            button.setToolTip("Copy the file's active mass into the override field")
            button.clicked.connect(lambda _=False, m=mass: self._use_header(m))
            self.header_buttons.append(button)
            row.addWidget(text, 1)
            row.addWidget(button)
            layout.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_preview()

    def values(self) -> dict[str, Any]:
        """The fields as typed (numbers parsed; bad text is left for the project to refuse)."""
        return {k: parse_number(e.text()) for k, e in self.edits.items()}

    def changed_values(self) -> dict[str, Any]:
        """The fields whose text changed."""
        values = self.values()
        return {
            k: values[k]
            for k, e in self.edits.items()
            if e.text().strip() != self._initial[k].strip()
        }

    def _use_header(self, mass: float) -> None:
        self.edits["active_mass_override_mg"].setText(_number_text(mass))

    @Slot()
    def _update_preview(self) -> None:
        v = self.values()
        text = active_mass_text(
            v["composite_mass_mg"],
            v["active_parts"],
            v["total_parts"],
            v["active_mass_override_mg"],
        )
        self.preview.setText(text)

    def accept(self) -> None:
        """Submit the changes; on a ProjectError show it and stay open."""
        changed = self.changed_values()
        if changed:
            try:
                self._submit(changed)
            except ProjectError as exc:
                dialogs.warning(self, "Masses not changed", str(exc))
                return
        super().accept()
