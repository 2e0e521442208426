"""The main window's tabs. Each is a :class:`~.base.WorkbenchTab`; see :func:`default_tabs`."""

from __future__ import annotations

from .base import TabSpec, WorkbenchTab
from .dataset_tab import DatasetTab
from .echem import EchemTab
from .summary_tab import SummaryTab


def default_tabs() -> list[TabSpec]:
    """The tabs of the main window, in order. Swap a factory to replace a tab."""
    return [
        TabSpec("Electrochemistry", EchemTab),
        TabSpec("Impedance", lambda: DatasetTab("impedance")),
        TabSpec("XPS", lambda: DatasetTab("xps")),
        TabSpec("EDS", lambda: DatasetTab("eds_profile")),
        TabSpec("Summary", SummaryTab),
    ]


__all__ = ["DatasetTab", "EchemTab", "SummaryTab", "TabSpec", "WorkbenchTab", "default_tabs"]
