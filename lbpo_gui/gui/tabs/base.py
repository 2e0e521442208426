"""The interface every main-window tab implements.

A tab is a :class:`WorkbenchTab` (a QWidget). The main window calls, in this order:

1. :meth:`WorkbenchTab.set_document` once per window (and again with None on close);
2. :meth:`WorkbenchTab.set_sample` whenever the selected sample changes ("" = none);
3. :meth:`WorkbenchTab.set_dataset` when a dataset of one of the tab's :attr:`kinds` is selected
   in the tree (the window also switches to the tab).

Subclasses implement :meth:`refresh` (re-read what they show from the project) and may override
:meth:`on_project_changed` for finer updates. The base class connects to the document's signals,
defers refreshes of hidden tabs until they are shown, and folds the refreshes requested by a burst
of project events (an import, a mass edit, undo of either) into one, run from the event loop. Tabs edit the project only through
commands (``self.document.push(SetAnalysis(...))``) and compute nothing themselves: they call the
core's science functions and store the results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from ...core.project import Project, Sample
from ...core.project.events import ProjectEvent
from ..document import ProjectDocument


class WorkbenchTab(QWidget):
    """Base class of the main window's tabs (see module docstring)."""

    #: Dataset kinds this tab shows; selecting such a dataset in the tree switches to the tab.
    kinds: ClassVar[tuple[str, ...]] = ()
    #: Ask the main window to select a sample (e.g. a row of a table was double-clicked).
    sampleRequested = Signal(str)
    #: Ask the main window to select a dataset.
    datasetRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: ProjectDocument | None = None
        self._sample_id = ""
        self._dataset_id = ""
        self._stale = True
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._deferred_refresh)

    # ------------------------------------------------------------ state
    @property
    def document(self) -> ProjectDocument | None:
        """The document shown (None before :meth:`set_document`)."""
        return self._document

    @property
    def project(self) -> Project | None:
        """The document's project."""
        return self._document.project if self._document else None

    @property
    def sample_id(self) -> str:
        """The selected sample's id ("" = none)."""
        return self._sample_id

    @property
    def dataset_id(self) -> str:
        """The dataset last given to :meth:`set_dataset` ("" = none)."""
        return self._dataset_id

    def sample(self) -> Sample | None:
        """The selected sample, or None (also when it was deleted meanwhile)."""
        project = self.project
        if project is None or not self._sample_id:
            return None
        try:
            return project.sample(self._sample_id)
        except Exception:
            return None

    # ------------------------------------------------------------ called by the main window
    def set_document(self, document: ProjectDocument | None) -> None:
        """Show ``document`` (connects to its change signals)."""
        if self._document is not None:
            self._document.projectChanged.disconnect(self._on_project_changed)
            self._document.projectReplaced.disconnect(self._on_project_replaced)
        self._document = document
        if document is not None:
            document.projectChanged.connect(self._on_project_changed)
            document.projectReplaced.connect(self._on_project_replaced)
        self._sample_id = ""
        self._dataset_id = ""
        self.request_refresh()

    def set_sample(self, sample_id: str) -> None:
        """The selected sample changed ("" = none)."""
        if sample_id == self._sample_id:
            return
        self._sample_id = sample_id
        self._dataset_id = ""
        self.request_refresh()

    def set_dataset(self, dataset_id: str) -> None:
        """A dataset of one of :attr:`kinds` was selected in the tree (default: remember it)."""
        self._dataset_id = dataset_id
        self.request_refresh()

    # ------------------------------------------------------------ to implement
    def refresh(self) -> None:
        """Re-read everything shown from the project."""
        raise NotImplementedError

    def on_project_changed(self, event: ProjectEvent) -> None:
        """One change of the project (default: one refresh after the burst of changes)."""
        self.request_refresh(deferred=True)

    # ------------------------------------------------------------ helpers
    def request_refresh(self, deferred: bool = False) -> None:
        """Refresh now (or, ``deferred``, once control returns to the event loop) when visible;
        a hidden tab refreshes when it is next shown."""
        if not self.isVisible():
            self._stale = True
            return
        if deferred:
            self._refresh_timer.start()
            return
        self._refresh_timer.stop()
        self._stale = False
        self.refresh()

    def has_pending_refresh(self) -> bool:
        """Whether a deferred refresh is waiting for the event loop."""
        return self._refresh_timer.isActive() or self._stale

    @Slot()
    def _deferred_refresh(self) -> None:
        self.request_refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.request_refresh()

    @Slot(object)
    def _on_project_changed(self, event: ProjectEvent) -> None:
        self.on_project_changed(event)

    @Slot()
    def _on_project_replaced(self) -> None:
        # The main window sends the new selection; ids of a reopened project stay valid.
        self.request_refresh(deferred=True)


@dataclass(frozen=True)
class TabSpec:
    """A tab of the main window: its title and a factory making the widget."""

    title: str
    factory: Callable[[], WorkbenchTab]
