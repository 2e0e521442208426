"""Sub-tab "Profile": the line profile with its fitted edges and the interlayer band."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QWidget

from ...analysis.export import ExportButton
from ...analysis.views import AnalysisView, note_label, plot_page
from .state import EdsState, definition_of, elements_of, settings_key, side_of


def profile_note(state: EdsState) -> str:
    """The sentence under a profile plot: what the band is, or why there is none."""
    dataset = state.dataset
    assert dataset is not None
    if state.error:
        return f"{dataset.label}: not analysed \u2014 {state.error}"
    text = definition_of(state.results, state.method)
    stored = "" if state.stored else " (defaults; stored once you change a setting)"
    ignored = [el for el in elements_of(dataset) if side_of(state.settings, el) == "ignore"]
    hidden = f" Not drawn (ignored): {', '.join(ignored)}." if ignored else ""
    n = len(state.results.get("warnings") or [])
    check = f" \u26a0 {n} warning{'s' if n > 1 else ''}: see Check in the panel." if n else ""
    return (
        f"{dataset.label}: shaded band = {text}. Dashed lines: the fitted edge centres; "
        f"solid: the joint erf fit.{hidden}{check}{stored}"
    )


class ProfileView(AnalysisView):
    """Data, fitted edges and the shaded, labelled interlayer band."""

    title = "Profile"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from .profile_plot import ProfilePlot

        self.profile = ProfilePlot("edsProfilePlot")
        self.plot_widget = self.profile.widget
        self.plot_item = self.profile.item
        self.normalised = QCheckBox("Normalised")
        self.normalised.setObjectName("edsNormalised")
        self.normalised.setToolTip(
            "Show each element as (I - background) / step from the joint fit, so weak and strong "
            "lines share one scale (display only)"
        )
        self.normalised.toggled.connect(self._redraw)
        self.export_button = ExportButton(self.plot_widget, "eds_profile")
        self.note = note_label()
        plot_page(
            self.content, [self.normalised], self.plot_widget, self.note, export=self.export_button
        )
        self._state: EdsState | None = None

    @Slot()
    def _redraw(self) -> None:
        if self._state is not None:
            self.render(self._state, force=True)

    def render_key(self, state: EdsState) -> Any:
        a = state.analysis
        return (
            state.dataset.id if state.dataset else "",
            id(a),
            settings_key(state.settings),
            self.normalised.isChecked(),
        )

    def render_content(self, state: EdsState) -> None:
        self._state = state
        problem = self.profile.draw(state, self.normalised.isChecked())
        self.note.setText(profile_note(state) if not problem or state.error else problem)
