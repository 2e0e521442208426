"""The main window: sample tree on the left, technique tabs on the right, menus, drag and drop.

The window owns one :class:`~.document.ProjectDocument`. Tabs are created from a list of
:class:`~.tabs.TabSpec` (see :func:`~.tabs.default_tabs`), so a later technique view replaces a
tab by swapping its factory.
"""

from __future__ import annotations

import contextlib
import platform
from collections.abc import Sequence
from pathlib import Path

import pyqtgraph as pg
import shiboken6
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QTabWidget,
    QUndoView,
    QWidget,
)

from .. import APP_NAME, __version__
from ..core.project import PROJECT_SUFFIX, Project, Sample, is_project_file
from ..core.project.events import ProjectEvent
from . import dialogs
from .document import ProjectDocument
from .importing import ImportController, import_filters
from .kinds import format_number
from .sample_tree import SamplePanel
from .settings import (
    add_recent_file,
    app_settings,
    last_directory,
    recent_files,
    remove_recent_file,
    set_last_directory,
)
from .tabs import TabSpec, WorkbenchTab, default_tabs

PROJECT_FILTER = f"LBPO projects (*{PROJECT_SUFFIX});;All files (*)"
DEFAULT_SIZE = (1400, 860)


class MainWindow(QMainWindow):
    """One project window."""

    def __init__(
        self,
        settings: QSettings | None = None,
        tabs: Sequence[TabSpec] | None = None,
        *,
        autosave_delay_ms: int | None = None,
        restore_state: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else app_settings()
        self.document = ProjectDocument(autosave_delay_ms=autosave_delay_ms, parent=self)
        self.document.dialog_parent = self
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self._closing_accepted = False
        #: Save geometry and dock layout to the settings on close (off for self-test/screenshots).
        self.remember_state = restore_state

        # ---- samples dock
        self.sample_panel = SamplePanel()
        self.samples_dock = QDockWidget("Samples", self)
        self.samples_dock.setObjectName("samplesDock")
        self.samples_dock.setWidget(self.sample_panel)
        self.samples_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.samples_dock)

        # ---- tabs
        self.tab_widget = QTabWidget()
        self.tab_widget.setObjectName("techniqueTabs")
        self.tab_widget.setDocumentMode(True)
        self.tabs: list[WorkbenchTab] = []
        for spec in tabs if tabs is not None else default_tabs():
            self.add_tab(spec)
        self.setCentralWidget(self.tab_widget)

        # ---- undo history dock
        self.undo_view = QUndoView(self.document.undo_stack)
        self.undo_view.setEmptyLabel("<opened project>")
        self.undo_dock = QDockWidget("Undo history", self)
        self.undo_dock.setObjectName("undoDock")
        self.undo_dock.setWidget(self.undo_view)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.undo_dock)
        self.undo_dock.hide()

        # ---- import
        self.importer = ImportController(self.document, self)
        self.importer.message.connect(self._show_status_message)
        self.importer.imported.connect(self._on_imported)

        # ---- actions, menus, status bar
        self._create_actions()
        self._create_menus()
        self.sample_panel.set_import_action(self.import_action)
        self.status_sample = QLabel()
        self.status_sample.setObjectName("statusSample")
        self.statusBar().addPermanentWidget(self.status_sample)

        # ---- wiring
        doc = self.document
        doc.dirtyChanged.connect(self._update_title)
        doc.pathChanged.connect(self._update_title)
        doc.projectChanged.connect(self._on_project_changed)
        doc.projectReplaced.connect(self._on_project_replaced)
        doc.autosaved.connect(self._on_autosaved)
        doc.autosaveFailed.connect(self._on_autosave_failed)
        self.sample_panel.sampleSelected.connect(self._on_sample_selected)
        self.sample_panel.datasetSelected.connect(self._on_dataset_selected)
        self.sample_panel.set_document(doc)
        for tab in self.tabs:
            tab.set_document(doc)

        if restore_state:
            self._restore_window_state()
        else:
            self.fit_to_screen()
        self._update_title()
        self._update_status()

    # ================================================================== tabs
    def add_tab(self, spec: TabSpec) -> WorkbenchTab:
        """Create a tab from ``spec`` and add it (at the end)."""
        tab = spec.factory()
        tab.setObjectName(f"tab{spec.title.replace(' ', '')}")
        self.tab_widget.addTab(tab, spec.title)
        self.tabs.append(tab)
        tab.sampleRequested.connect(self.sample_panel.select_sample)
        tab.datasetRequested.connect(self.sample_panel.select_dataset)
        return tab

    def tab(self, title: str) -> WorkbenchTab:
        """The tab with ``title``."""
        for i in range(self.tab_widget.count()):
            if self.tab_widget.tabText(i) == title:
                widget = self.tab_widget.widget(i)
                assert isinstance(widget, WorkbenchTab)
                return widget
        raise KeyError(title)

    def tab_titles(self) -> list[str]:
        """The titles of the tabs, in order."""
        return [self.tab_widget.tabText(i) for i in range(self.tab_widget.count())]

    # ================================================================== actions
    def _action(
        self,
        text: str,
        slot: object,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        keys: list[QKeySequence] = []
        for s in shortcuts:
            key = QKeySequence(s)
            if not key.isEmpty() and all(key != k for k in keys):
                keys.append(key)  # StandardKey.Quit is Ctrl+Q on Linux, nothing on Windows
        if keys:
            action.setShortcuts(keys)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.new_action = self._action(
            "&New project", self.new_project, [K.New], "Start an empty project"
        )
        self.open_action = self._action(
            "&Open\u2026", self.open_project, [K.Open], "Open an .lbpo project"
        )
        self.save_action = self._action("&Save", self.save, [K.Save], "Save the project")
        self.save_as_action = self._action(
            "Save &As\u2026", self.save_as, ["Ctrl+Shift+S"], "Save the project under a new name"
        )
        self.import_action = self._action(
            "&Import data\u2026",
            self.import_data,
            ["Ctrl+I"],
            "Import instrument files (cycler, impedance, XPS, EDS) into the selected sample",
        )
        self.import_mapped_action = self._action(
            "Import with column &mapping\u2026",
            lambda *_: self.importer.import_with_mapping(
                None, self.sample_panel.current_sample_id() or None
            ),
            [],
            "Read any delimited text or xlsx file by choosing its columns and units",
        )
        self.quit_action = self._action("&Quit", self.close, [K.Quit, "Ctrl+Q"], "Close the window")
        self.undo_action = self._action("&Undo", self.document.undo, [K.Undo])
        self.redo_action = self._action("&Redo", self.document.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
        stack = self.document.undo_stack
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(self._set_undo_text)
        stack.redoTextChanged.connect(self._set_redo_text)
        self.about_action = self._action("&About LBPO Workbench", self.about)

    @Slot(str)
    def _set_undo_text(self, text: str) -> None:
        self.undo_action.setText(f"&Undo {text}" if text else "&Undo")

    @Slot(str)
    def _set_redo_text(self, text: str) -> None:
        self.redo_action.setText(f"&Redo {text}" if text else "&Redo")

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.import_mapped_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.sample_panel.add_action)
        edit_menu.addAction(self.sample_panel.edit_action)
        edit_menu.addAction(self.sample_panel.delete_action)
        edit_menu.addSeparator()
        history = self.undo_dock.toggleViewAction()
        history.setText("Undo &history")
        edit_menu.addAction(history)
        view_menu = bar.addMenu("&View")
        samples = self.samples_dock.toggleViewAction()
        samples.setText("&Samples panel")
        view_menu.addAction(samples)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

    # ================================================================== files
    def maybe_save(self) -> bool:
        """Ask about unsaved changes; True when it is fine to replace or close the project."""
        if not self.document.is_dirty():
            return True
        answer = dialogs.ask_save_changes(self, self.document.project.name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    @Slot()
    def new_project(self) -> bool:
        """Start an empty project (after the unsaved-changes prompt)."""
        if not self.maybe_save():
            return False
        self.document.new()
        return True

    @Slot()
    def open_project(self, path: str | Path | None = None) -> bool:
        """Open ``path`` (or ask for a file) after the unsaved-changes prompt."""
        if not isinstance(path, str | Path):  # triggered(bool) from the menu
            path = None
        if not self.maybe_save():
            return False
        if path is None:
            chosen = dialogs.open_file_name(
                self, "Open project", last_directory(self.settings, "project"), PROJECT_FILTER
            )
            if not chosen:
                return False
            path = chosen
        path = Path(path)
        if not self.document.open(path):
            return False
        add_recent_file(self.settings, path)
        set_last_directory(self.settings, "project", path)
        self._show_status_message(f"Opened {path}")
        return True

    def load_project(
        self, project: object, path: str | Path | None = None, *, dirty: bool = False
    ) -> None:
        """Show an already loaded project (demo, recovery); no prompt."""

        assert isinstance(project, Project)
        self.document.set_project(project, path, dirty=dirty)

    @Slot()
    def save(self) -> bool:
        """Save to the project's file (asks for a name the first time)."""
        if self.document.path is None:
            return self.save_as()
        ok = self.document.save()
        if ok and self.document.path is not None:
            add_recent_file(self.settings, self.document.path)
            self._show_status_message(f"Saved {self.document.path}")
        return ok

    @Slot()
    def save_as(self, path: str | Path | None = None) -> bool:
        """Save under a new name (asks when ``path`` is None)."""
        if not isinstance(path, str | Path):
            path = None
        if path is None:
            start = (
                str(self.document.path)
                if self.document.path
                else str(
                    Path(last_directory(self.settings, "project"))
                    / f"{self.document.project.name}{PROJECT_SUFFIX}"
                )
            )
            chosen = dialogs.save_file_name(self, "Save project as", start, PROJECT_FILTER)
            if not chosen:
                return False
            path = chosen
        if not self.document.save_as(path):
            return False
        assert self.document.path is not None
        add_recent_file(self.settings, self.document.path)
        set_last_directory(self.settings, "project", self.document.path)
        self._show_status_message(f"Saved {self.document.path}")
        return True

    @Slot()
    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = recent_files(self.settings)
        if not files:
            empty = self.recent_menu.addAction("(no recent projects)")
            empty.setEnabled(False)
            return
        for i, f in enumerate(files):
            action = self.recent_menu.addAction(f"&{(i + 1) % 10}  {Path(f).name}")
            action.setToolTip(f)
            action.setStatusTip(f)
            action.setData(f)
            action.triggered.connect(self._open_recent_action)
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list", self._clear_recent)

    @Slot()
    def _open_recent_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_recent(str(action.data()))

    def open_recent(self, path: str) -> bool:
        """Open a recent file; a missing one is removed from the list with a message."""
        if not Path(path).is_file():
            remove_recent_file(self.settings, path)
            dialogs.warning(
                self,
                "Project not found",
                f"{path}\nno longer exists. It was removed from the recent projects.",
            )
            return False
        return self.open_project(path)

    @Slot()
    def _clear_recent(self) -> None:
        self.settings.setValue("recent_files", [])

    # ================================================================== import
    @Slot()
    def import_data(self, paths: Sequence[str | Path] | None = None) -> bool:
        """Import files (asks for them when ``paths`` is None) into the selected sample."""
        if isinstance(paths, bool):
            paths = None
        if paths is None:
            chosen = dialogs.open_file_names(
                self, "Import data", last_directory(self.settings, "import"), import_filters()
            )
            if not chosen:
                return False
            paths = chosen
            set_last_directory(self.settings, "import", chosen[0])
        return self.importer.import_files(
            list(paths), self.sample_panel.current_sample_id() or None
        )

    @Slot(str, list)
    def _on_imported(self, sample_id: str, dataset_ids: list) -> None:
        if dataset_ids:
            self.sample_panel.select_dataset(dataset_ids[0])
        elif sample_id:
            self.sample_panel.select_sample(sample_id)

    # ================================================================== drag and drop
    @staticmethod
    def _has_files(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        mime = event.mimeData()
        return mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._has_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._has_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if not mime.hasUrls():
            event.ignore()
            return
        urls = mime.urls()
        paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
        remote = [u.toString() for u in urls if not u.isLocalFile()]
        event.acceptProposedAction()
        # Handle after the drop returns: a modal dialog inside dropEvent blocks the drag source.
        QTimer.singleShot(0, lambda: self.open_or_import(paths, remote))

    def open_or_import(self, paths: Sequence[Path], remote: Sequence[str] = ()) -> None:
        """What a drop does: a project opens, other files are imported into the selected sample."""
        if remote:
            dialogs.warning(
                self,
                "Cannot import",
                "Only files on this computer can be dropped:\n" + "\n".join(remote),
            )
        projects = [p for p in paths if p.suffix.lower() == PROJECT_SUFFIX or is_project_file(p)]
        others = [p for p in paths if p not in projects]
        if projects:
            if len(projects) > 1 or others:
                ignored = [p.name for p in projects[1:]] + [p.name for p in others]
                dialogs.information(
                    self,
                    "Open project",
                    f"Opening {projects[0].name}. One project opens at a time; these were "
                    f"ignored:\n" + "\n".join(ignored),
                )
            self.open_project(projects[0])
            return
        if others:
            self.import_data(others)

    # ================================================================== selection and status
    @Slot(str)
    def _on_sample_selected(self, sample_id: str) -> None:
        for tab in self.tabs:
            tab.set_sample(sample_id)
        self._update_status()

    @Slot(str)
    def _on_dataset_selected(self, dataset_id: str) -> None:
        if not dataset_id:
            return
        _, dataset = self.document.project.dataset(dataset_id)
        for tab in self.tabs:
            if dataset.kind in tab.kinds:
                tab.set_dataset(dataset_id)
                self.tab_widget.setCurrentWidget(tab)
                break
        self._update_status()

    @Slot(object)
    def _on_project_changed(self, event: ProjectEvent) -> None:
        if event.what == "project":
            self._update_title()
        if event.what in (
            "project",
            "sample_changed",
            "sample_removed",
            "sample_added",
            "dataset_added",
            "dataset_removed",
            "dataset_changed",
            "analysis_changed",
        ):
            self._update_status()

    @Slot()
    def _on_project_replaced(self) -> None:
        self._update_title()
        self._update_status()

    def _update_status(self) -> None:
        sample_id = self.sample_panel.current_sample_id()
        if not sample_id:
            n = len(self.document.project.samples)
            self.status_sample.setText(
                "No sample selected" if n else "No samples: Add sample\u2026 or drop files"
            )
            return
        try:
            sample = self.document.project.sample(sample_id)
        except Exception:
            self.status_sample.setText("")
            return
        mass_text = self._mass_in_use_text(sample)
        self.status_sample.setText(f"{sample.name}: {mass_text}")

    def _mass_in_use_text(self, sample: Sample) -> str:
        """The active mass the Electrochemistry tab uses for the sample's cycling data (the
        same rule: dataset setting, else sample, else file header), with its source."""
        from ..core.echem.table import resolve_active_mass_mg
        from ..core.errors import AnalysisError
        from ..core.report.cycling import cycling_settings

        datasets = sample.datasets_of("cycling")
        echem = next((t for t in self.tabs if "cycling" in t.kinds), None)
        shown = getattr(echem, "current_dataset", lambda: None)() if echem else None
        dataset = (
            shown if any(d is shown for d in datasets) else (datasets[0] if datasets else None)
        )
        mass, source = sample.active_mass_mg, "sample"
        if dataset is not None:
            try:
                mass, source = resolve_active_mass_mg(
                    cycling_settings(dataset), sample.active_mass_mg, dataset.metadata
                )
            except (AnalysisError, ValueError, TypeError):
                mass = None
        if mass is None:
            return "active mass not set (Edit sample\u2026)"
        if source == "file header":
            return f"active mass {format_number(mass)} mg (from the header of {dataset.label})"
        if source == "setting":
            return f"active mass {format_number(mass)} mg (set for {dataset.label})"
        if sample.active_mass_override_mg is not None:
            return f"active mass {format_number(mass)} mg (entered)"
        return (
            f"active mass {format_number(mass)} mg = {format_number(sample.composite_mass_mg)} mg "
            f"\u00d7 {format_number(sample.active_parts)}/{format_number(sample.total_parts)}"
        )

    @Slot()
    def _update_title(self, *_: object) -> None:
        doc = self.document
        star = "*" if doc.is_dirty() else ""
        where = doc.path.name if doc.path else "not saved"
        self.setWindowTitle(f"{doc.project.name}{star} \u2014 {where} \u2014 {APP_NAME}")

    @Slot(str)
    def _show_status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    @Slot(object)
    def _on_autosaved(self, path: object) -> None:
        self.statusBar().showMessage("Autosaved for crash recovery", 3000)

    @Slot(str)
    def _on_autosave_failed(self, reason: str) -> None:
        self.statusBar().showMessage(f"Autosave failed: {reason}", 10000)

    # ================================================================== help
    @Slot()
    def about(self) -> None:
        """The About box."""
        dialogs.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>From raw cycler, impedance, XPS and EDS files to the tables and figures of a "
            "coated-cathode study (Li<sub>3</sub>BO<sub>3</sub>\u2013Li<sub>3</sub>PO<sub>4</sub> "
            "coatings on NCM811 in sulphide all-solid-state cells).</p>"
            f"<p>Python {platform.python_version()}, PySide6 {pyside_version}, "
            f"pyqtgraph {pg.__version__}</p>",
        )

    # ================================================================== window state
    def _restore_window_state(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
            self.fit_to_screen(keep_size=True)
        else:
            self.fit_to_screen()
        state = self.settings.value("main_window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))

    def fit_to_screen(self, keep_size: bool = False) -> None:
        """Size the window to the screen's available area: :data:`DEFAULT_SIZE` where it fits,
        else the whole available area (a 1280 x 720 laptop gets the window it can show).
        ``keep_size`` keeps a restored size that fits and only shrinks one that does not."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(*DEFAULT_SIZE)
            return
        area = screen.availableGeometry()
        frame_w = max(0, self.frameGeometry().width() - self.geometry().width())
        frame_h = max(0, self.frameGeometry().height() - self.geometry().height())
        max_w, max_h = area.width() - frame_w, area.height() - frame_h
        want_w, want_h = (self.width(), self.height()) if keep_size else DEFAULT_SIZE
        width, height = min(want_w, max_w), min(want_h, max_h)
        self.resize(width, height)
        if keep_size and not area.contains(self.frameGeometry()):
            self.move(area.topLeft())
        # the samples panel takes about a fifth of the width, the tabs the rest
        self.resizeDocks(
            [self.samples_dock], [max(240, min(380, width // 5))], Qt.Orientation.Horizontal
        )

    def save_window_state(self) -> None:
        """Remember geometry and dock layout."""
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.sync()

    def __del__(self) -> None:
        # A window garbage-collected without close() (e.g. a dropped reference) would hide its
        # docks inside ~QWidget, when their toggle actions notify menus that are half torn
        # down (segfault in QAction::setChecked). Hide it while everything is still alive.
        with contextlib.suppress(Exception):
            if shiboken6.isValid(self) and self.isVisible():
                self.document.close()
                self.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.importer.is_busy():
            self.importer.cancel()
        if not self._closing_accepted and not self.maybe_save():
            event.ignore()
            return
        self._closing_accepted = True
        if self.remember_state:
            self.save_window_state()
        self.document.close()
        event.accept()
