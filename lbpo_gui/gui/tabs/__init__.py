"""The main window's tabs. Each is a :class:`~.base.WorkbenchTab`; see :func:`default_tabs`.

The tab classes are imported on first use, so that :mod:`lbpo_gui.gui.analysis` (which the
technique tabs build on) can import :mod:`.base` without importing every tab.
"""

from __future__ import annotations

from typing import Any

from .base import TabSpec, WorkbenchTab


def default_tabs() -> list[TabSpec]:
    """The tabs of the main window, in order. Swap a factory to replace a tab."""
    from .echem import EchemTab
    from .eds import EdsTab
    from .impedance import ImpedanceTab
    from .summary_tab import SummaryTab
    from .xps import XpsTab

    return [
        TabSpec("Electrochemistry", EchemTab),
        TabSpec("Impedance", ImpedanceTab),
        TabSpec("XPS", XpsTab),
        TabSpec("EDS", EdsTab),
        TabSpec("Summary", SummaryTab),
    ]


def __getattr__(name: str) -> Any:
    if name == "EchemTab":
        from .echem import EchemTab

        return EchemTab
    if name == "ImpedanceTab":
        from .impedance import ImpedanceTab

        return ImpedanceTab
    if name == "XpsTab":
        from .xps import XpsTab

        return XpsTab
    if name == "EdsTab":
        from .eds import EdsTab

        return EdsTab
    if name == "XpsTab":
        from .xps import XpsTab

        return XpsTab
    if name == "SummaryTab":
        from .summary_tab import SummaryTab

        return SummaryTab
    raise AttributeError(name)


__all__ = [
    "EchemTab",
    "EdsTab",
    "ImpedanceTab",
    "SummaryTab",
    "TabSpec",
    "WorkbenchTab",
    "XpsTab",
    "XpsTab",
    "default_tabs",
]
