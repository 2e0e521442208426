"""The sample metadata dialog: name, coating, cathode composite and active mass, notes.

The dialog only collects values; ``submit(fields)`` (given by the caller) pushes one command and
raises :class:`~lbpo_gui.core.errors.ProjectError` when the project refuses them. Then the
message is shown, the dialog stays open and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import ProjectError
from ..core.project import Sample
from ..core.project.model import DEFAULT_ACTIVE_PARTS, DEFAULT_TOTAL_PARTS
from . import dialogs
from .mass_text import active_mass_text

Submit = Callable[[dict[str, Any]], None]

#: Field -> label shown in the dialog (units in every label).
NUMBER_FIELDS: dict[str, str] = {
    "lbo_wt_pct": "LBO (Li\u2083BO\u2083) coating (wt%)",
    "lpo_wt_pct": "LPO (Li\u2083PO\u2084) coating (wt%)",
    "composite_mass_mg": "Composite mass in the cell (mg)",
    "active_parts": "Active material (parts by weight)",
    "total_parts": "Whole composite (parts by weight)",
    "active_mass_override_mg": "Active mass override (mg)",
}


def parse_number(text: str) -> float | str | None:
    """Blank -> None; a number (decimal comma allowed) -> float; anything else unchanged.

    Unparseable text is passed on so the project refuses it with its own message.
    """
    t = text.strip()
    if not t:
        return None
    try:
        return float(t.replace(",", "."))
    except ValueError:
        return t


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:.10g}"


class SampleDialog(QDialog):
    """Edit (or create) a sample's metadata; OK calls ``submit`` with the changed fields."""

    def __init__(
        self,
        submit: Submit,
        sample: Sample | None = None,
        parent: QWidget | None = None,
        default_name: str = "",
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self._original: dict[str, Any] = sample.fields() if sample else {}
        self.is_new = sample is None
        self.setWindowTitle("New sample" if sample is None else f"Sample \u201c{sample.name}\u201d")
        self.setMinimumWidth(440)

        self.name_edit = QLineEdit(sample.name if sample else default_name)
        self.name_edit.setPlaceholderText("e.g. LBPO 0.05-0.15")
        self.cathode_edit = QLineEdit(sample.cathode if sample else "")
        self.cathode_edit.setPlaceholderText("e.g. NCM811")
        self.number_edits: dict[str, QLineEdit] = {}
        defaults = {"active_parts": DEFAULT_ACTIVE_PARTS, "total_parts": DEFAULT_TOTAL_PARTS}
        for key in NUMBER_FIELDS:
            value = getattr(sample, key) if sample else defaults.get(key)
            edit = QLineEdit(_number_text(value))
            edit.setObjectName(key)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.textChanged.connect(self._update_active_mass)
            self.number_edits[key] = edit
        self.number_edits["lbo_wt_pct"].setPlaceholderText("blank = unknown, 0 = none")
        self.number_edits["lpo_wt_pct"].setPlaceholderText("blank = unknown, 0 = none")
        self.number_edits["composite_mass_mg"].setPlaceholderText("e.g. 15")
        self.number_edits["active_mass_override_mg"].setPlaceholderText("blank = computed")
        self.active_mass_label = QLabel()
        self.active_mass_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_edit = QPlainTextEdit(sample.notes if sample else "")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(70)

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        coating = QGroupBox("Coating")
        cform = QFormLayout(coating)
        cform.addRow(NUMBER_FIELDS["lbo_wt_pct"], self.number_edits["lbo_wt_pct"])
        cform.addRow(NUMBER_FIELDS["lpo_wt_pct"], self.number_edits["lpo_wt_pct"])
        cell = QGroupBox("Cathode composite")
        mform = QFormLayout(cell)
        mform.addRow("Cathode", self.cathode_edit)
        for key in ("composite_mass_mg", "active_parts", "total_parts", "active_mass_override_mg"):
            mform.addRow(NUMBER_FIELDS[key], self.number_edits[key])
        mform.addRow("Active mass used (mg)", self.active_mass_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(coating)
        layout.addWidget(cell)
        layout.addWidget(QLabel("Notes"))
        layout.addWidget(self.notes_edit)
        layout.addWidget(self.buttons)
        self._initial_texts = {k: e.text() for k, e in self.number_edits.items()}
        self._update_active_mass()

    # ------------------------------------------------------------ values
    def values(self) -> dict[str, Any]:
        """All fields as typed (numbers parsed; unparseable text left for the project to refuse)."""
        out: dict[str, Any] = {
            "name": self.name_edit.text(),
            "cathode": self.cathode_edit.text().strip(),
            "notes": self.notes_edit.toPlainText(),
        }
        for key, edit in self.number_edits.items():
            out[key] = parse_number(edit.text())
        return out

    def changed_values(self) -> dict[str, Any]:
        """The fields that differ from the sample's (all fields for a new sample)."""
        values = self.values()
        if self.is_new:
            return values
        changed = {}
        for k, v in values.items():
            if k in self.number_edits:
                # compare the text, so a number shown rounded is not "changed" by looking at it
                if self.number_edits[k].text().strip() != self._initial_texts[k].strip():
                    changed[k] = v
            elif (v.strip() if k == "name" else v) != self._original.get(k):
                changed[k] = v
        return changed

    @Slot()
    def _update_active_mass(self) -> None:
        v = self.values()
        numbers = {k: v[k] for k in NUMBER_FIELDS}
        text = active_mass_text(
            numbers["composite_mass_mg"],
            numbers["active_parts"],
            numbers["total_parts"],
            numbers["active_mass_override_mg"],
        )
        self.active_mass_label.setText(text)

    # ------------------------------------------------------------ OK
    def accept(self) -> None:
        """Submit the changes; on a ProjectError show it and stay open."""
        changed = self.changed_values()
        if changed:
            try:
                self._submit(changed)
            except ProjectError as exc:
                dialogs.warning(self, "Sample not changed", str(exc))
                return
        super().accept()
