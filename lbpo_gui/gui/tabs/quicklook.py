"""A technique tab on the analysis-tab base that shows its datasets' raw data with proper axes.

The Impedance, XPS and EDS tabs start as this and grow their analyses on the same base; the
quick look draws the data only (see :func:`..plotting.plot_dataset`), with the Export button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...core.project import Dataset, Project, Sample
from ..analysis.export import ExportButton
from ..analysis.tab import AnalysisTab
from ..analysis.views import AnalysisView, note_label, plot_page
from ..kinds import kind_info
from ..plotting import axis_labels, clear_plot, make_plot_widget, plot_dataset


@dataclass
class QuickLookState:
    """The selected sample, its datasets of the tab's kind, and the one shown."""

    noun: str
    project: Project | None = None
    sample: Sample | None = None
    datasets: list[Dataset] = field(default_factory=list)
    dataset: Dataset | None = None

    def dataset_problem(self) -> tuple[str, bool, bool] | None:
        """Why nothing can be drawn (message, no action, not busy), or None."""
        if self.project is not None and not self.project.samples:
            return (
                "This project has no samples yet.\n\nAdd one with \u201cAdd sample\u2026\u201d in "
                f"the Samples panel, or drop {self.noun} files on the window to import them.",
                False,
                False,
            )
        if self.sample is None:
            return (
                f"Select a sample in the tree on the left to see its {self.noun} data.",
                False,
                False,
            )
        if self.dataset is None:
            return (
                f"\u201c{self.sample.name}\u201d has no {self.noun} data yet.\n\n"
                f"Use File \u25b8 Import data\u2026 (Ctrl+I) or drop {self.noun} files on the window.",
                False,
                False,
            )
        return None


class DataView(AnalysisView):
    """The raw data of the selected dataset."""

    title = "Data"

    def __init__(self, kind: str, folder: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.plot_widget = make_plot_widget()
        self.plot_widget.setObjectName(f"{kind}Plot")
        self.plot_item = self.plot_widget.getPlotItem()
        clear_plot(self.plot_item, *axis_labels(kind))
        self.export_button = ExportButton(self.plot_widget, kind, folder)
        self.note = note_label("")
        self.problem = QLabel()
        self.problem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.problem.setVisible(False)
        plot_page(self.content, [], self.plot_widget, self.note, export=self.export_button)
        layout = self.content.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.problem)

    def render_key(self, state: QuickLookState) -> Any:
        d = state.dataset
        return (d.id, d.label) if d is not None else None

    def render_content(self, state: QuickLookState) -> None:
        dataset = state.dataset
        assert dataset is not None
        message = plot_dataset(self.plot_item, dataset)
        self.problem.setText(message or "")
        self.problem.setVisible(bool(message))
        self.note.setText(f"{dataset.label}: {dataset.n_points:,} points, as read from the file.")


class QuickLookTab(AnalysisTab):
    """Datasets of one kind for the selected sample, drawn as read."""

    settings_title = None

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        self.kind = kind
        self.kinds = (kind,)
        self.info = kind_info(kind)
        self.data_title = f"{self.info.noun[:1].upper()}{self.info.noun[1:]} data"
        super().__init__(parent)

    def make_views(self) -> list[AnalysisView]:
        self.data_view = DataView(self.kind, self.export_folder)
        return [self.data_view]

    def build_state(self) -> QuickLookState:
        sample = self.sample()
        datasets = self.tab_datasets(sample)
        return QuickLookState(
            self.info.noun, self.project, sample, datasets, self.choose_dataset(datasets)
        )

    def selected_dataset_id(self) -> str:
        """The dataset shown ("" = none)."""
        d = self.state.dataset if self.state is not None else None
        return d.id if d is not None else ""
