"""The main window's tabs. Each is a :class:`~.base.WorkbenchTab`; see :func:`default_tabs`."""

from __future__ import annotations

from .base import TabSpec, WorkbenchTab
from .dataset_tab import DatasetTab
from .summary_tab import SummaryTab


def default_tabs() -> list[TabSpec]:
    """The tabs of the main window, in order. Swap a factory to replace a tab."""
    return [
        TabSpec("Electrochemistry", lambda: DatasetTab("cycling")),
        TabSpec("Impedance", lambda: DatasetTab("impedance")),
        TabSpec("XPS", lambda: DatasetTab("xps")),
        TabSpec("EDS", lambda: DatasetTab("eds_profile")),
        TabSpec("Summary", SummaryTab),
    ]


__all__ = ["DatasetTab", "SummaryTab", "TabSpec", "WorkbenchTab", "default_tabs"]
