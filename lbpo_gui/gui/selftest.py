"""``lbpo-gui --self-test``: start, load a project, render every tab, check fonts; exit 0 or 1.

It never waits for a dialog (dialogs are non-interactive) and records unhandled exceptions as
failures. With ``--report FILE.json`` it writes what it checked; with ``--save FILE.lbpo`` it also
saves the loaded project (the packaged program's smoke test opens that file from source).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from .. import __version__
from .main_window import MainWindow
from .tabs.base import WorkbenchTab

#: Family names fontconfig reports even when no font file is installed.
FONT_ALIASES = frozenset(
    {
        "sans serif",
        "sans-serif",
        "sans",
        "serif",
        "monospace",
        "mono",
        "cursive",
        "fantasy",
        "system-ui",
    }
)


def real_font_families() -> list[str]:
    """Installed font families (fontconfig's generic aliases left out)."""
    return [f for f in QFontDatabase.families() if f.strip().lower() not in FONT_ALIASES]


#: Characters rendered one by one by :func:`glyph_check`; with no usable font every one of them
#: comes out as the same box ("tofu").
GLYPH_SAMPLE = "AHOgx5"
#: Characters of the program's units and labels that the default font should have: Ohm, micro,
#: degree, prime, double prime, minus.
UNIT_SAMPLE = "\u03a9\u00b5\u00b0\u2032\u2033\u2212"


def glyph_check(font: QFont | None = None, chars: str = GLYPH_SAMPLE) -> dict[str, Any]:
    """Render each character of ``chars`` alone and compare the pictures.

    Returns ``{"ok", "distinct", "ink_px", "missing_units"}``: ``ok`` when every character left
    ink and no two pictures are equal (missing glyphs all render as the same box), ``ink_px`` the
    dark pixels per character, ``missing_units`` the characters of :data:`UNIT_SAMPLE` the font
    does not have (reported, not a failure: Qt may substitute another font for them).
    """
    font = QFont(font) if font is not None else QFont()
    font.setPixelSize(24)
    pictures: list[bytes] = []
    ink: list[int] = []
    for ch in chars:
        image = QImage(32, 32, QImage.Format.Format_Grayscale8)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(QColor("black"))
        painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, ch)
        painter.end()
        data = bytes(image.constBits())
        pictures.append(data)
        ink.append(sum(1 for b in data if b < 128))
    metrics = QFontMetrics(font)
    distinct = len(set(pictures))
    return {
        "ok": distinct == len(chars) and min(ink, default=0) > 0,
        "distinct": distinct,
        "ink_px": dict(zip(chars, ink, strict=True)),
        "missing_units": [c for c in UNIT_SAMPLE if not metrics.inFontUcs4(ord(c))],
    }


def select_data_for_tab(window: MainWindow, tab: WorkbenchTab) -> str:
    """Select the first dataset of one of the tab's kinds in the tree; returns its id ("" = none)."""
    for _, dataset in window.document.project.datasets():
        if dataset.kind in tab.kinds:
            window.sample_panel.select_dataset(dataset.id)
            return dataset.id
    return ""


def _plot_items(tab: WorkbenchTab) -> int | None:
    plot = getattr(tab, "plot", None)
    if plot is None or not hasattr(plot, "listDataItems"):
        return None
    return len(plot.listDataItems())


def _sub_view_plot_items(tab: WorkbenchTab, app: QApplication) -> tuple[int | None, list[str]]:
    """Show every sub-view of a tab that has them (e.g. Electrochemistry) and count the plotted
    items over all of them; returns (items or None, titles of sub-views that did not render)."""
    views = getattr(tab, "views", None)
    show = getattr(tab, "show_view", None)
    if not views or show is None:
        return _plot_items(tab), []
    total: int | None = None
    broken = []
    for view in views:
        show(view.title)
        app.processEvents()
        if view.grab().isNull():
            broken.append(view.title)
        n = _plot_items(tab)
        if n is not None:
            total = (total or 0) + n
    show(views[0].title)
    app.processEvents()
    return total, broken


def check_window(window: MainWindow, app: QApplication) -> tuple[list[str], list[dict[str, Any]]]:
    """Render each tab (with data selected when there is some); returns (failures, tab reports)."""
    failures: list[str] = []
    reports: list[dict[str, Any]] = []
    for i, tab in enumerate(window.tabs):
        title = window.tab_widget.tabText(i)
        dataset_id = select_data_for_tab(window, tab) if tab.kinds else ""
        window.tab_widget.setCurrentIndex(i)
        app.processEvents()
        items, broken = _sub_view_plot_items(tab, app)
        failures.extend(f"view {v!r} of tab {title!r} did not render" for v in broken)
        pix = tab.grab()
        showing_hint = bool(getattr(tab, "is_showing_hint", lambda: False)())
        report = {
            "title": title,
            "width": pix.width(),
            "height": pix.height(),
            "dataset_selected": bool(dataset_id),
            "plot_items": items,
            "empty_state": showing_hint,
        }
        reports.append(report)
        if pix.isNull() or pix.width() < 50 or pix.height() < 50:
            failures.append(f"tab {title!r} did not render ({pix.width()}x{pix.height()})")
        if dataset_id and showing_hint:
            failures.append(f"tab {title!r} shows its empty state although a dataset is selected")
        if dataset_id and items == 0:
            failures.append(f"tab {title!r} drew nothing for the selected dataset")
    if window.grab().isNull():
        failures.append("the main window did not render")
    return failures, reports


def run_self_test(app: QApplication, args: argparse.Namespace, t0: float) -> int:
    """Run the self-test (see module docstring); returns the exit code."""
    from . import app as app_module

    failures: list[str] = []
    errors: list[str] = []
    report: dict[str, Any] = {
        "ok": False,
        "version": __version__,
        "python": platform.python_version(),
        "pyside6": pyside_version,
        "qt": qVersion(),
        "pyqtgraph": pg.__version__,
        "platform": platform.platform(),
        "qpa_platform": QApplication.platformName(),
        "display": os.environ.get("DISPLAY", ""),
    }

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        errors.append("".join(traceback.format_exception(exc_type, exc, tb)).strip())

    previous_hook = sys.excepthook
    sys.excepthook = hook
    window: MainWindow | None = None
    try:
        fonts = real_font_families()
        report["fonts"] = len(fonts)
        report["font_sample"] = fonts[:5]
        if not fonts:
            failures.append(
                "no fonts installed: all text would render as boxes "
                "(install a font, e.g. Debian package fonts-dejavu-core)"
            )
        glyphs = glyph_check()
        report["glyphs"] = glyphs
        if not glyphs["ok"]:
            failures.append(
                f"text renders as boxes: {glyphs['distinct']} distinct pictures for "
                f"{len(GLYPH_SAMPLE)} characters {GLYPH_SAMPLE!r} (install a font, e.g. Debian "
                "package fonts-dejavu-core)"
            )
        window = MainWindow(autosave_delay_ms=0, restore_state=False)
        window.show()
        if not QTest.qWaitForWindowExposed(window, 5000):
            failures.append("the window was not shown within 5 s")
        report["startup_s"] = round(time.perf_counter() - t0, 3)
        t_load = time.perf_counter()
        error = app_module._open_initial(window, args)
        app.processEvents()
        report["load_s"] = round(time.perf_counter() - t_load, 3)
        if error:
            failures.append(error)
        else:
            project = window.document.project
            report["project"] = {
                "name": project.name,
                "samples": len(project.samples),
                "datasets": len(project.datasets()),
            }
            if not project.samples:
                failures.append("the project has no samples to show")
            tab_failures, tab_reports = check_window(window, app)
            failures.extend(tab_failures)
            report["tabs"] = tab_reports
            if getattr(args, "save", None):
                if window.document.save_as(args.save):
                    report["saved"] = str(window.document.path)
                else:
                    failures.append(f"--save: could not save the project to {args.save}")
        app.processEvents()
    except Exception:
        errors.append(traceback.format_exc().strip())
    finally:
        sys.excepthook = previous_hook
        if window is not None:
            window.document.close()
            window._closing_accepted = True
            window.close()
            window.deleteLater()
            app.processEvents()
    failures.extend(f"unhandled error: {e.splitlines()[-1]}" for e in errors)
    report["failures"] = failures
    report["errors"] = errors
    report["elapsed_s"] = round(time.perf_counter() - t0, 3)
    report["ok"] = not failures
    if args.report:
        try:
            Path(args.report).write_text(json.dumps(report, indent=1), encoding="utf-8")
        except OSError as exc:
            app_module.eprint(f"self-test: cannot write {args.report}: {exc}")
    if failures:
        for f in failures:
            app_module.eprint(f"self-test FAILED: {f}")
        for e in errors:
            app_module.eprint(e)
        return app_module.EXIT_FAIL
    app_module.oprint(
        f"self-test OK: {len(report.get('tabs', []))} tabs rendered, {report.get('fonts')} font "
        f"families, window shown after {report.get('startup_s')} s, project loaded in "
        f"{report.get('load_s')} s"
    )
    return app_module.EXIT_OK
