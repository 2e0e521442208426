"""The sample tree: samples with their datasets, selection, inline rename, add/edit/delete.

:class:`SampleTreeModel` mirrors the project's structure (sample and dataset ids) and updates
itself incrementally from :attr:`ProjectDocument.projectChanged` events, so expansion and
selection survive edits. It never changes the project: an inline edit emits
:attr:`SampleTreeModel.renameRequested`, and :class:`SamplePanel` turns that into an undo command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import ProjectError
from ..core.project import Dataset, Project, Sample
from ..core.project.events import ProjectEvent
from . import dialogs
from .commands import (
    AddSample,
    RemoveDataset,
    RemoveSample,
    RenameDataset,
    RenameSample,
    sample_fields_command,
)
from .document import ProjectDocument
from .kinds import coating_text, format_number, kind_icon, kind_info, sample_icon
from .sample_dialog import SampleDialog

ID_ROLE = Qt.ItemDataRole.UserRole + 1
TYPE_ROLE = Qt.ItemDataRole.UserRole + 2
SAMPLE, DATASET = "sample", "dataset"
COLUMNS = ("Sample / dataset", "Points")

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass
class _Node:
    sample_id: str
    key: int
    dataset_ids: list[str] = field(default_factory=list)


def sample_display_text(sample: Sample) -> str:
    """``name  (LBO x / LPO y wt%)`` as shown in the tree."""
    coating = coating_text(sample.lbo_wt_pct, sample.lpo_wt_pct)
    return f"{sample.name}  ({coating})" if coating else sample.name


def sample_tooltip(sample: Sample) -> str:
    """Details of a sample for its tooltip."""
    mass = sample.active_mass_mg
    lines = [
        f"<b>{sample.name}</b>",
        f"Coating: {coating_text(sample.lbo_wt_pct, sample.lpo_wt_pct) or 'not entered'}",
        f"Cathode: {sample.cathode}",
        f"Active mass: {format_number(mass) + ' mg' if mass is not None else 'not set'}",
        f"{len(sample.datasets)} dataset(s)",
    ]
    return "<br>".join(lines)


def dataset_tooltip(dataset: Dataset) -> str:
    """Details of a dataset for its tooltip."""
    p = dataset.provenance
    lines = [
        f"<b>{dataset.label}</b>",
        f"{kind_info(dataset.kind).title} data, {dataset.n_points:,} points",
    ]
    if p.original_name:
        lines.append(f"File: {p.original_name}")
    if p.reader:
        lines.append(f"Reader: {p.reader}")
    if p.imported_at:
        lines.append(f"Imported: {p.imported_at}")
    return "<br>".join(lines)


class SampleTreeModel(QAbstractItemModel):
    """Two-level model of the open project: samples (top level) and their datasets."""

    #: (sample id, new name) typed by the user.
    renameRequested = Signal(str, str)
    #: (dataset id, new label) typed by the user.
    datasetRenameRequested = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document: ProjectDocument | None = None
        self._nodes: list[_Node] = []
        self._next_key = 1
        self._keys: dict[str, int] = {}

    # ------------------------------------------------------------ document
    def set_document(self, document: ProjectDocument | None) -> None:
        """Show ``document``'s project (and follow its changes)."""
        if self._document is not None:
            self._document.projectChanged.disconnect(self.on_project_changed)
            self._document.projectReplaced.disconnect(self.rebuild)
        self._document = document
        if document is not None:
            document.projectChanged.connect(self.on_project_changed)
            document.projectReplaced.connect(self.rebuild)
        self.rebuild()

    @property
    def project(self) -> Project | None:
        """The project shown."""
        return self._document.project if self._document else None

    def _key(self, sample_id: str) -> int:
        key = self._keys.get(sample_id)
        if key is None:
            key = self._keys[sample_id] = self._next_key
            self._next_key += 1
        return key

    def _mirror(self) -> list[_Node]:
        project = self.project
        if project is None:
            return []
        return [_Node(s.id, self._key(s.id), [d.id for d in s.datasets]) for s in project.samples]

    @Slot()
    def rebuild(self) -> None:
        """Re-read the whole project (after open/new)."""
        self.beginResetModel()
        self._keys.clear()
        self._nodes = self._mirror()
        self.endResetModel()

    # ------------------------------------------------------------ lookups
    def _row_of(self, sample_id: str) -> int:
        for i, n in enumerate(self._nodes):
            if n.sample_id == sample_id:
                return i
        return -1

    def _row_of_key(self, key: int) -> int:
        for i, n in enumerate(self._nodes):
            if n.key == key:
                return i
        return -1

    def sample_index(self, sample_id: str, column: int = 0) -> QModelIndex:
        """The index of a sample row (invalid when not shown)."""
        row = self._row_of(sample_id)
        return self.createIndex(row, column, 0) if row >= 0 else QModelIndex()

    def dataset_index(self, dataset_id: str, column: int = 0) -> QModelIndex:
        """The index of a dataset row (invalid when not shown)."""
        for n in self._nodes:
            if dataset_id in n.dataset_ids:
                return self.createIndex(n.dataset_ids.index(dataset_id), column, n.key)
        return QModelIndex()

    def item_of(self, index: AnyIndex) -> tuple[str, str] | None:
        """(``sample`` or ``dataset``, id) of an index."""
        if not index.isValid():
            return None
        key = index.internalId()
        if key == 0:
            if 0 <= index.row() < len(self._nodes):
                return SAMPLE, self._nodes[index.row()].sample_id
            return None
        row = self._row_of_key(key)
        if row < 0:
            return None
        ids = self._nodes[row].dataset_ids
        return (DATASET, ids[index.row()]) if 0 <= index.row() < len(ids) else None

    # ------------------------------------------------------------ Qt model API
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._nodes) else QModelIndex()
        if parent.internalId() != 0 or not 0 <= parent.row() < len(self._nodes):
            return QModelIndex()
        node = self._nodes[parent.row()]
        if row >= len(node.dataset_ids):
            return QModelIndex()
        return self.createIndex(row, column, node.key)

    def parent(self, index: AnyIndex | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._row_of_key(index.internalId())
        return self.createIndex(row, 0, 0) if row >= 0 else QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._nodes)
        if (
            parent.internalId() == 0
            and parent.column() == 0
            and 0 <= parent.row() < len(self._nodes)
        ):
            return len(self._nodes[parent.row()].dataset_ids)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item_of(index)
        project = self.project
        if item is None or project is None:
            return None
        what, ident = item
        if role == ID_ROLE:
            return ident
        if role == TYPE_ROLE:
            return what
        try:
            if what == SAMPLE:
                return self._sample_data(project.sample(ident), index.column(), role)
            return self._dataset_data(project.dataset(ident)[1], index.column(), role)
        except ProjectError:  # mirror momentarily ahead of the project
            return None

    def _sample_data(self, sample: Sample, column: int, role: int) -> Any:
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return sample_display_text(sample)
            if role == Qt.ItemDataRole.EditRole:
                return sample.name
            if role == Qt.ItemDataRole.DecorationRole:
                return sample_icon()
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        elif column == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                n = len(sample.datasets)
                return f"{n} dataset{'s' if n != 1 else ''}" if n else "no data"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#707070")
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return sample_tooltip(sample)
        return None

    def _dataset_data(self, dataset: Dataset, column: int, role: int) -> Any:
        if column == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return dataset.label
            if role == Qt.ItemDataRole.DecorationRole:
                return kind_icon(dataset.kind)
        elif column == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{dataset.n_points:,}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return dataset_tooltip(dataset)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Inline edits only request a rename; the project change updates the model."""
        item = self.item_of(index)
        if item is None or role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        what, ident = item
        current = self.data(index, Qt.ItemDataRole.EditRole)
        if value == current:
            return False
        if what == SAMPLE:
            self.renameRequested.emit(ident, value)
        else:
            self.datasetRenameRequested.emit(ident, value)
        return False

    # ------------------------------------------------------------ incremental updates
    @Slot(object)
    def on_project_changed(self, event: ProjectEvent) -> None:
        """Apply one project event to the mirror (falls back to a rebuild when out of step)."""
        project = self.project
        if project is None:
            return
        what = event.what
        sid = event.sample_id or ""
        ok = True
        if what == "sample_added":
            ok = self._sample_added(project, sid)
        elif what == "sample_removed":
            row = self._row_of(sid)
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._nodes[row]
                self.endRemoveRows()
        elif what == "samples_reordered":
            ok = self._sample_moved(project, sid)
        elif what == "sample_changed":
            self._sample_changed(sid)
        elif what == "dataset_added":
            ok = self._dataset_added(project, sid, event.dataset_id or "")
        elif what == "dataset_removed":
            self._dataset_removed(sid, event.dataset_id or "")
        elif what in ("dataset_changed", "analysis_changed"):
            idx = self.dataset_index(event.dataset_id or "")
            if idx.isValid():
                self.dataChanged.emit(idx, idx.siblingAtColumn(len(COLUMNS) - 1))
        elif what == "project":
            self.layoutChanged.emit()
        if what in ("dataset_added", "dataset_removed"):
            ok = ok and self._sample_in_step(project, sid)
        elif what != "project":
            ok = ok and [n.sample_id for n in self._nodes] == [s.id for s in project.samples]
        if not ok:
            self.rebuild()

    def _sample_in_step(self, project: Project, sample_id: str) -> bool:
        """Whether one sample's datasets match the mirror (a sample the project lacks is fine
        when the mirror lacks it too)."""
        row = self._row_of(sample_id)
        try:
            sample = project.sample(sample_id)
        except ProjectError:
            return row < 0
        return row >= 0 and self._nodes[row].dataset_ids == [d.id for d in sample.datasets]

    def _sample_added(self, project: Project, sample_id: str) -> bool:
        ids = [s.id for s in project.samples]
        if sample_id not in ids:
            return False
        if self._row_of(sample_id) >= 0:
            return True  # already shown (e.g. after a rebuild)
        row = ids.index(sample_id)
        sample = project.samples[row]
        self.beginInsertRows(QModelIndex(), row, row)
        self._nodes.insert(
            row, _Node(sample_id, self._key(sample_id), [d.id for d in sample.datasets])
        )
        self.endInsertRows()
        return True

    def _sample_moved(self, project: Project, sample_id: str) -> bool:
        old = self._row_of(sample_id)
        ids = [s.id for s in project.samples]
        if old < 0 or sample_id not in ids:
            return False
        new = ids.index(sample_id)
        if new == old:
            return True
        dest = new + 1 if new > old else new
        if not self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), dest):
            return False
        self._nodes.insert(new, self._nodes.pop(old))
        self.endMoveRows()
        return True

    def _sample_changed(self, sample_id: str) -> None:
        idx = self.sample_index(sample_id)
        if idx.isValid():
            self.dataChanged.emit(idx, idx.siblingAtColumn(len(COLUMNS) - 1))

    def _dataset_added(self, project: Project, sample_id: str, dataset_id: str) -> bool:
        row = self._row_of(sample_id)
        if row < 0:
            return False
        try:
            sample = project.sample(sample_id)
        except ProjectError:
            return False
        ids = [d.id for d in sample.datasets]
        if dataset_id not in ids:
            return False
        pos = ids.index(dataset_id)
        node = self._nodes[row]
        if dataset_id in node.dataset_ids:
            return True  # already shown (e.g. after a rebuild)
        self.beginInsertRows(self.createIndex(row, 0, 0), pos, pos)
        node.dataset_ids.insert(pos, dataset_id)
        self.endInsertRows()
        self._sample_changed(sample_id)
        return True

    def _dataset_removed(self, sample_id: str, dataset_id: str) -> None:
        row = self._row_of(sample_id)
        if row < 0 or dataset_id not in self._nodes[row].dataset_ids:
            return
        node = self._nodes[row]
        pos = node.dataset_ids.index(dataset_id)
        self.beginRemoveRows(self.createIndex(row, 0, 0), pos, pos)
        del node.dataset_ids[pos]
        self.endRemoveRows()
        self._sample_changed(sample_id)


class SampleTreeView(QTreeView):
    """The tree view, with a hint painted when the project has no samples."""

    EMPTY_HINT = (
        "No samples yet.\n\nClick \u201cAdd sample\u2026\u201d above, or drop instrument files "
        "(cycler, impedance, XPS, EDS) on the window to import them."
    )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#808080"))
            rect = self.viewport().rect().adjusted(16, 24, -16, -16)
            painter.drawText(
                rect,
                int(
                    Qt.AlignmentFlag.AlignHCenter
                    | Qt.AlignmentFlag.AlignTop
                    | Qt.TextFlag.TextWordWrap
                ),
                self.EMPTY_HINT,
            )
            painter.end()


class SamplePanel(QWidget):
    """The left-hand panel: a small toolbar and the sample tree, with its actions.

    Signals carry ids; an empty string means "nothing selected".
    """

    sampleSelected = Signal(str)
    datasetSelected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: ProjectDocument | None = None
        self._sample_id = ""
        self._dataset_id = ""
        self._restore_ids: tuple[str, str] = ("", "")
        #: The open sample dialog (non-blocking), if any.
        self.sample_dialog: SampleDialog | None = None

        self.model = SampleTreeModel(self)
        self.view = SampleTreeView(self)
        self.view.setModel(self.model)
        self.view.setObjectName("sampleTree")
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A fixed width: ResizeToContents would re-read every row on each change.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, self.view.fontMetrics().horizontalAdvance("88 datasets") + 16)

        self.model.renameRequested.connect(self._rename_sample_requested)
        self.model.datasetRenameRequested.connect(self._rename_dataset_requested)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._after_reset)
        selection = self.view.selectionModel()
        selection.selectionChanged.connect(self._sync_selection)
        selection.currentChanged.connect(self._sync_selection)

        self.add_action = QAction("Add sample\u2026", self)
        self.add_action.setToolTip("Add a sample (name, coating, cathode mass)")
        self.add_action.triggered.connect(self.add_sample)
        self.edit_action = QAction("Edit sample\u2026", self)
        self.edit_action.setToolTip("Edit the selected sample's coating, masses and notes")
        self.edit_action.triggered.connect(self.edit_sample)
        self.rename_action = QAction("Rename", self)
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.rename_action.triggered.connect(self.rename_selected)
        self.delete_action = QAction("Delete", self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.setToolTip("Delete the selected sample or dataset (Del)")
        self.delete_action.triggered.connect(self.delete_selected)
        self.view.addAction(self.delete_action)
        #: Set by the main window: File > Import data... (shown in the toolbar and context menu).
        self.import_action: QAction | None = None

        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.add_action)
        self.toolbar.addAction(self.edit_action)
        self.toolbar.addAction(self.delete_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view)
        self._update_actions()

    # ------------------------------------------------------------ document
    def set_document(self, document: ProjectDocument | None) -> None:
        """Show and edit ``document``."""
        self._document = document
        self.model.set_document(document)
        self.view.expandAll()
        self._update_actions()

    @property
    def document(self) -> ProjectDocument | None:
        """The document shown."""
        return self._document

    def set_import_action(self, action: QAction) -> None:
        """Show the main window's import action in the toolbar and context menu."""
        self.import_action = action
        self.toolbar.addSeparator()
        self.toolbar.addAction(action)

    # ------------------------------------------------------------ selection
    def current_sample_id(self) -> str:
        """The selected sample, or the sample of the selected dataset ("" when none)."""
        return self._sample_id

    def current_dataset_id(self) -> str:
        """The selected dataset ("" when a sample or nothing is selected)."""
        return self._dataset_id

    def select_sample(self, sample_id: str) -> None:
        """Select a sample row."""
        self._select(self.model.sample_index(sample_id))

    def select_dataset(self, dataset_id: str) -> None:
        """Select a dataset row (expanding its sample)."""
        idx = self.model.dataset_index(dataset_id)
        if idx.isValid():
            self.view.expand(idx.parent())
        self._select(idx)

    def _select(self, index: QModelIndex) -> None:
        sm = self.view.selectionModel()
        if not index.isValid():
            sm.clear()
        else:
            sm.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.view.scrollTo(index)
        self._sync_selection()

    @Slot()
    def _sync_selection(self, *_: object) -> None:
        rows = self.view.selectionModel().selectedRows(0)
        index = rows[0] if rows else QModelIndex()
        item = self.model.item_of(index)
        sample_id = dataset_id = ""
        if item is not None:
            what, ident = item
            if what == SAMPLE:
                sample_id = ident
            else:
                dataset_id = ident
                parent = self.model.item_of(index.parent())
                sample_id = parent[1] if parent else ""
        if sample_id != self._sample_id:
            self._sample_id = sample_id
            self.sampleSelected.emit(sample_id)
        if dataset_id != self._dataset_id:
            self._dataset_id = dataset_id
            self.datasetSelected.emit(dataset_id)
        self._update_actions()

    @Slot()
    def _remember_selection(self) -> None:
        self._restore_ids = (self._sample_id, self._dataset_id)

    @Slot()
    def _after_reset(self) -> None:
        self.view.expandAll()
        sample_id, dataset_id = self._restore_ids
        if dataset_id and self.model.dataset_index(dataset_id).isValid():
            self.select_dataset(dataset_id)
        elif sample_id and self.model.sample_index(sample_id).isValid():
            self.select_sample(sample_id)
        elif self.model.rowCount() > 0:
            self._select(self.model.index(0, 0))
        else:
            self._sync_selection()

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self.view.expand(self.model.index(row, 0))
        else:
            self.view.expand(parent)
        self._sync_selection()
        self.view.viewport().update()

    def _update_actions(self) -> None:
        has_doc = self._document is not None
        self.add_action.setEnabled(has_doc)
        self.edit_action.setEnabled(bool(self._sample_id))
        self.rename_action.setEnabled(bool(self._sample_id))
        self.delete_action.setEnabled(bool(self._sample_id or self._dataset_id))

    # ------------------------------------------------------------ edits
    def _push(self, command: Any, title: str) -> bool:
        assert self._document is not None
        try:
            self._document.push(command)
        except ProjectError as exc:
            dialogs.warning(self, title, str(exc))
            return False
        return True

    @Slot(str, str)
    def _rename_sample_requested(self, sample_id: str, name: str) -> None:
        if self._document is not None:
            self._push(RenameSample(self._document, sample_id, name), "Sample not renamed")

    @Slot(str, str)
    def _rename_dataset_requested(self, dataset_id: str, label: str) -> None:
        if self._document is not None:
            self._push(RenameDataset(self._document, dataset_id, label), "Dataset not renamed")

    def _unique_sample_name(self, base: str = "Sample") -> str:
        assert self._document is not None
        names = {s.name.casefold() for s in self._document.project.samples}
        i = len(names) + 1
        while f"{base} {i}".casefold() in names:
            i += 1
        return f"{base} {i}"

    @Slot()
    def add_sample(self) -> SampleDialog | None:
        """Open the (non-blocking) dialog for a new sample; OK adds it as one undo step."""
        doc = self._document
        if doc is None:
            return None

        def submit(fields: dict[str, Any]) -> None:
            fields = dict(fields)
            name = fields.pop("name")
            command = AddSample(doc, name, fields)
            doc.push(command)
            if command.sample_id:
                self.select_sample(command.sample_id)

        return self._open_dialog(SampleDialog(submit, None, self, self._unique_sample_name()))

    @Slot()
    def edit_sample(self, sample_id: str | None = None) -> SampleDialog | None:
        """Open the (non-blocking) metadata dialog of a sample; OK = one undo step (the fields,
        plus refreshed stored cycling results when the active mass changes)."""
        doc = self._document
        sid = sample_id or self._sample_id
        if doc is None or not sid:
            return None
        sample = doc.project.sample(sid)

        def submit(fields: dict[str, Any]) -> None:
            doc.push(sample_fields_command(doc, sid, fields))

        return self._open_dialog(SampleDialog(submit, sample, self))

    def _open_dialog(self, dialog: SampleDialog) -> SampleDialog:
        if self.sample_dialog is not None:
            self.sample_dialog.close()
        self.sample_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_finished)
        dialog.open()
        return dialog

    @Slot()
    def _dialog_finished(self) -> None:
        self.sample_dialog = None

    @Slot()
    def rename_selected(self) -> None:
        """Start the inline editor on the selected row."""
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index.siblingAtColumn(0))

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected dataset or sample (after confirmation)."""
        doc = self._document
        if doc is None:
            return
        if self._dataset_id:
            _, dataset = doc.project.dataset(self._dataset_id)
            if dialogs.ask_yes_no(
                self,
                "Delete dataset",
                f"Delete the dataset \u201c{dataset.label}\u201d ({dataset.n_points:,} points)?\n"
                "Edit \u25b8 Undo brings it back.",
            ):
                self._push(RemoveDataset(doc, self._dataset_id), "Dataset not deleted")
        elif self._sample_id:
            sample = doc.project.sample(self._sample_id)
            n = len(sample.datasets)
            extra = f" and its {n} dataset{'s' if n != 1 else ''}" if n else ""
            if dialogs.ask_yes_no(
                self,
                "Delete sample",
                f"Delete the sample \u201c{sample.name}\u201d{extra}?\nEdit \u25b8 Undo brings it back.",
            ):
                self._push(RemoveSample(doc, self._sample_id), "Sample not deleted")

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The context menu for a right click at ``pos`` (viewport coordinates); selects the row."""
        index = self.view.indexAt(pos)
        if index.isValid():
            self._select(index)
        menu = QMenu(self)
        menu.addAction(self.add_action)
        if self._sample_id:
            menu.addAction(self.edit_action)
            menu.addAction(self.rename_action)
        if self.import_action is not None:
            menu.addSeparator()
            menu.addAction(self.import_action)
        if self._sample_id or self._dataset_id:
            menu.addSeparator()
            menu.addAction(self.delete_action)
        return menu

    @Slot(QPoint)
    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.build_context_menu(pos)
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()
