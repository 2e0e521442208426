"""``lbpo-gui``: start the workbench.

::

    lbpo-gui [FILE.lbpo] [--demo] [--self-test [--report R.json] [--save P.lbpo]]
             [--screenshot PNG [--tab TITLE]]

``FILE`` opens a project (other instrument files are imported into a new sample). ``--demo``
opens the built-in demo project. ``--self-test`` starts, loads the demo (or ``FILE``), shows the
window, renders every tab and checks that fonts exist, then exits 0 or 1 with the reason on
stderr (and a JSON report with ``--report``). ``--screenshot`` saves a picture of the window and
quits. Neither mode ever waits for a dialog.

Settings go to an INI file in ``$LBPO_SETTINGS_DIR`` when that is set; autosaves to the recovery
folder (``$LBPO_RECOVERY_DIR``); unhandled errors to the log folder (``$LBPO_LOG_DIR``).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from .. import APP_NAME, __version__
from ..core.errors import ProjectFileError
from ..core.project import Project, is_project_file, load_project
from ..core.project import autosave as core_autosave
from . import crash, dialogs
from .main_window import MainWindow
from .settings import ORGANIZATION

DEMO_SEED = 20230529
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

#: Windows opened by :func:`main` (kept referenced so they are not garbage-collected).
windows: list[MainWindow] = []


class DemoUnavailable(RuntimeError):
    """The built-in demo project cannot be built in this installation."""


def eprint(text: str) -> None:
    """Print to stderr when there is one (windowed builds have none)."""
    stream = sys.stderr
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            print(text, file=stream, flush=True)


def oprint(text: str) -> None:
    """Print to stdout when there is one."""
    stream = sys.stdout
    if stream is not None:
        with contextlib.suppress(OSError, ValueError):
            print(text, file=stream, flush=True)


def build_parser() -> argparse.ArgumentParser:
    """The command-line options of ``lbpo-gui``."""
    p = argparse.ArgumentParser(prog="lbpo-gui", description=f"{APP_NAME} {__version__}")
    p.add_argument(
        "file", nargs="?", help="a .lbpo project to open (or instrument files to import)"
    )
    p.add_argument("--demo", action="store_true", help="open the built-in demo project")
    p.add_argument(
        "--self-test",
        action="store_true",
        help="start, load the demo (or FILE), render every tab, check fonts, exit 0/1",
    )
    p.add_argument("--report", metavar="JSON", help="with --self-test: write a JSON report")
    p.add_argument(
        "--save",
        metavar="LBPO",
        help="with --self-test: save the loaded project to this file (checks saving)",
    )
    p.add_argument("--screenshot", metavar="PNG", help="save a picture of the window and quit")
    p.add_argument("--tab", metavar="TITLE", help="with --screenshot: the tab to show")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return p


#: Qt's own command-line options (single dash) that take a value / that take none.
QT_VALUE_OPTIONS = frozenset(
    {
        "-platform",
        "-platformpluginpath",
        "-platformtheme",
        "-plugin",
        "-qwindowgeometry",
        "-qwindowicon",
        "-qwindowtitle",
        "-style",
        "-stylesheet",
        "-display",
        "-geometry",
        "-session",
    }
)
QT_FLAG_OPTIONS = frozenset({"-reverse", "-widgetcount", "-nograb", "-dograb", "-sync"})


def split_qt_args(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(our arguments, Qt's arguments such as ``-platform offscreen``)."""
    ours: list[str] = []
    qt: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in QT_VALUE_OPTIONS:
            qt.append(arg)
            value = next(it, None)
            if value is not None:
                qt.append(value)
        elif arg in QT_FLAG_OPTIONS:
            qt.append(arg)
        else:
            ours.append(arg)
    return ours, qt


def app_icon() -> QIcon:
    """The window icon: a rounded square with 'LB'."""
    icon = QIcon()
    for size in (16, 32, 64, 128):
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#1f4e79"))
        rect = QRectF(0, 0, size, size)
        painter.drawRoundedRect(rect, size * 0.18, size * 0.18)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.45))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "LB")
        painter.end()
        icon.addPixmap(pix)
    return icon


def ensure_app(qt_args: Sequence[str] = ()) -> QApplication:
    """The QApplication (created when there is none), named and with its icon."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "lbpo-gui", *qt_args])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    return app


def load_demo_project() -> Project:
    """The built-in demo project (raises :class:`DemoUnavailable` with the reason)."""
    try:
        from ..core.demo.project import build_demo_project
    except ImportError as exc:
        raise DemoUnavailable(
            f"the built-in demo project is not available in this installation ({exc})"
        ) from None
    return build_demo_project(seed=DEMO_SEED)


def new_window(**kwargs: object) -> MainWindow:
    """A new main window, kept referenced in :data:`windows`."""
    window = MainWindow(**kwargs)  # type: ignore[arg-type]
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    windows.append(window)
    key = id(window)

    def forget(*_: object) -> None:
        windows[:] = [w for w in windows if id(w) != key]

    window.destroyed.connect(forget)
    return window


def _is_fresh(window: MainWindow) -> bool:
    doc = window.document
    return doc.path is None and not doc.is_dirty() and not doc.project.samples


def offer_recovery(
    window: MainWindow, make_window: Callable[[], MainWindow] | None = None
) -> list[MainWindow]:
    """Offer each autosave left by a crashed session: Restore / Discard / Later.

    The first restored project goes into ``window`` when it is still empty, the others into new
    windows from ``make_window``. Returns the windows that received a restored project.
    """
    restored: list[MainWindow] = []
    for entry in core_autosave.find_recoverable():
        answer = dialogs.ask_recovery(
            window, entry.project_name, entry.saved_at, entry.project_path
        )
        if answer == "discard":
            core_autosave.discard(entry)
            continue
        if answer != "restore":
            continue
        try:
            project = load_project(entry.autosave_path)
        except ProjectFileError as exc:
            dialogs.warning(window, "Cannot restore project", str(exc))
            continue
        if not restored and _is_fresh(window):
            target = window
        else:
            target = (make_window or new_window)()
            target.show()
        target.load_project(project, entry.project_path, dirty=True)
        # Same project id -> same autosave files: writing ours takes the entry over.
        if target.document.autosave_now() is None:
            continue
        restored.append(target)
    return restored


def _open_initial(window: MainWindow, args: argparse.Namespace) -> str | None:
    """Load FILE or the demo into ``window``; returns an error message or None."""
    if args.file:
        path = Path(args.file)
        if path.suffix.lower() == ".lbpo" or is_project_file(path):
            try:
                project = load_project(path)
            except ProjectFileError as exc:
                return str(exc)
            window.load_project(project, path)
            return None
        if not path.exists():
            return f"{path}: file not found"
        QTimer.singleShot(0, lambda: window.open_or_import([path]))
        return None
    if args.demo or getattr(args, "self_test", False):
        try:
            window.load_project(load_demo_project())
        except DemoUnavailable as exc:
            return f"--demo: {exc}"
    return None


def take_screenshot(window: MainWindow, path: str | Path, tab_title: str | None = None) -> bool:
    """Show the window, pick a tab (and a dataset for it), save a grab as PNG.

    Raises ValueError for an unknown tab title.
    """
    from .selftest import select_data_for_tab

    if tab_title and tab_title not in window.tab_titles():
        raise ValueError(f"--tab: no tab {tab_title!r}; tabs: {', '.join(window.tab_titles())}")
    window.show()
    QTest.qWaitForWindowExposed(window, 3000)
    if tab_title:
        tab = window.tab(tab_title)
        select_data_for_tab(window, tab)
        window.tab_widget.setCurrentWidget(tab)
    QTest.qWait(300)
    return window.grab().save(str(path))


def main(argv: list[str] | None = None) -> int:
    """The ``lbpo-gui`` entry point; returns the exit code."""
    t0 = time.perf_counter()
    parser = build_parser()
    ours, qt_args = split_qt_args(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(ours)
    except SystemExit as exc:  # --help, --version, bad options
        return int(exc.code or 0)
    app = ensure_app(qt_args)
    if args.self_test:
        from .selftest import run_self_test

        dialogs.set_noninteractive(True)
        code = run_self_test(app, args, t0)
        stop_workers()
        return code
    if args.screenshot:
        dialogs.set_noninteractive(True)
        code = _screenshot_main(args)
        stop_workers()
        return code

    crash.install()
    if args.demo:
        try:  # fail before showing anything
            from ..core.demo import project as _demo  # noqa: F401
        except ImportError as exc:
            message = f"--demo: the built-in demo project is not available ({exc})"
            eprint(message)
            dialogs.critical(None, APP_NAME, message)
            return EXIT_USAGE
    window = new_window()
    window.show()

    def after_show() -> None:
        # Load after the window is up: the demo takes about a second to synthesise.
        if args.file or args.demo:
            window.setCursor(Qt.CursorShape.WaitCursor)
            try:
                error = _open_initial(window, args)
            finally:
                window.unsetCursor()
            if error:
                eprint(error)
                dialogs.critical(window, APP_NAME, error)
        offer_recovery(window)

    QTimer.singleShot(0, after_show)
    code = int(app.exec())
    stop_workers()
    return code


def stop_workers(timeout_ms: int = 5000) -> None:
    """Ask running background jobs to stop and wait for them, so none outlives the Qt objects
    it reports to while Python shuts down."""
    from PySide6.QtCore import QThreadPool

    from .workers import Worker

    for worker in list(Worker._active):
        worker.cancel()
    QThreadPool.globalInstance().waitForDone(timeout_ms)


def _screenshot_main(args: argparse.Namespace) -> int:
    window = new_window(restore_state=False)
    try:
        error = _open_initial(window, args)
        if error:
            eprint(error)
            return EXIT_USAGE
        try:
            written = take_screenshot(window, args.screenshot, args.tab)
        except ValueError as exc:
            eprint(str(exc))
            return EXIT_USAGE
        if not written:
            eprint(f"could not write {args.screenshot}")
            return EXIT_FAIL
    finally:
        window.document.close()
        window.close()
    oprint(str(Path(args.screenshot).resolve()))
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
