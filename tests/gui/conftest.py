"""Fixtures of the GUI tests: isolated user folders, no blocking dialogs, a small project."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import shiboken6  # noqa: E402
from guikit import build_small_project  # noqa: E402

from lbpo_gui.core.project import Project, save_project  # noqa: E402
from lbpo_gui.gui import dialogs  # noqa: E402


@pytest.fixture(autouse=True)
def _gui_isolation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Per-test user folders, and dialogs that never block (tests patch the ones they answer)."""
    monkeypatch.setenv("LBPO_RECOVERY_DIR", str(tmp_path / "user" / "recovery"))
    monkeypatch.setenv("LBPO_LOG_DIR", str(tmp_path / "user" / "logs"))
    monkeypatch.setenv("LBPO_SETTINGS_DIR", str(tmp_path / "user" / "settings"))
    dialogs.set_noninteractive(True)
    dialogs.recorded.clear()
    try:
        yield
    finally:
        dialogs.recorded.clear()
        _collect_qt_garbage()


def _collect_qt_garbage() -> None:
    """Delete what deleteLater() scheduled and collect Python cycles, with nothing else running."""
    from PySide6.QtCore import QCoreApplication, QEvent

    _drain_workers()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def small_project() -> Project:
    """A fresh two-sample project."""
    return build_small_project()


@pytest.fixture
def small_lbpo(tmp_path: Path) -> Path:
    """The small project saved as a .lbpo file."""
    return save_project(build_small_project(), tmp_path / "small.lbpo")


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., object]]:
    """Create shown, active MainWindows; they are closed at the end of the test (strong
    references until then, so none is garbage-collected while shown)."""
    from lbpo_gui.gui.main_window import MainWindow

    windows: list[MainWindow] = []

    def factory(path: Path | None = None, **kwargs: object) -> MainWindow:
        kwargs.setdefault("autosave_delay_ms", 0)
        window = MainWindow(**kwargs)  # type: ignore[arg-type]
        windows.append(window)
        qtbot.addWidget(window)
        if path is not None:
            assert window.open_project(path)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
        return window

    yield factory
    dialogs.set_noninteractive(True)
    for window in windows:
        if shiboken6.isValid(window):
            window._closing_accepted = True  # the test is over: no unsaved-changes prompt
            window.close()
            window.deleteLater()
    windows.clear()
    _drain_workers()


def _drain_workers() -> None:
    """Let background jobs finish and deliver their signals before objects go away, so no
    worker thread outlives the widgets it reports to."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    QThreadPool.globalInstance().waitForDone(30_000)
    app = QApplication.instance()
    if app is not None:
        app.processEvents()


@pytest.fixture(scope="session", autouse=True)
def _drain_workers_at_exit() -> Iterator[None]:
    """At the end of the GUI tests: no job may still run while Python tears Qt down."""
    yield
    import gc

    _drain_workers()
    gc.collect()
    _drain_workers()
