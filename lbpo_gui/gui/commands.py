"""Undo commands: every user edit of the project is one of these on the document's undo stack.

Each command calls only :class:`~lbpo_gui.core.project.Project` methods and keeps what they return
to undo itself. Give a command to :meth:`ProjectDocument.push <.document.ProjectDocument.push>`:
it is applied once there (a :class:`~lbpo_gui.core.errors.ProjectError` propagates and nothing is
recorded), then recorded; the undo stack's first ``redo()`` is skipped because the edit is done.

Several edits that belong together (a dialog's fields, a mass edit, an import into a new sample)
are one :class:`CompositeCommand` and therefore one undo step.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from ..core.errors import ProjectError
from ..core.project import Analysis, Dataset, Project, Sample, rules

if TYPE_CHECKING:
    from .document import ProjectDocument


#: QUndoCommand ids of the commands that merge (see :func:`new_gesture`).
MERGE_ID_ANALYSIS = 1001
_gestures = itertools.count(1)


def new_gesture() -> int:
    """A token for one user gesture (a drag from press to release, a held spin box): commands
    pushed with the same token merge into one undo step (``QUndoCommand.mergeWith``)."""
    return next(_gestures)


class DocumentCommand(QUndoCommand):
    """Base class: subclasses implement :meth:`apply` and :meth:`revert` with Project methods."""

    def __init__(self, document: ProjectDocument, text: str) -> None:
        super().__init__(text)
        # Weak: the document's undo stack owns the commands; a strong reference back would make
        # a cycle through C++ that the garbage collector cannot see whole.
        self._document = weakref.ref(document)
        self._skip_next_redo = False

    @property
    def document(self) -> ProjectDocument:
        """The document this command edits."""
        document = self._document()
        if document is None:
            raise RuntimeError("the document of this command is gone")
        return document

    @property
    def project(self) -> Project:
        """The document's project."""
        return self.document.project

    # ------------------------------------------------------------ to implement
    def apply(self) -> None:
        """Make the change (first time and every redo). Raise ProjectError to refuse."""
        raise NotImplementedError

    def revert(self) -> None:
        """Undo the change."""
        raise NotImplementedError

    # ------------------------------------------------------------ QUndoCommand
    def mark_applied(self) -> None:
        """Called by the document after the first :meth:`apply` succeeded."""
        self._skip_next_redo = True

    def redo(self) -> None:
        """QUndoStack's redo: applies the change unless it was just applied by push()."""
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        self.document.run_guarded(self.apply)

    def undo(self) -> None:
        """QUndoStack's undo."""
        self.document.run_guarded(self.revert)


class CompositeCommand(DocumentCommand):
    """Several commands as one undo step; if one fails, those already applied are reverted."""

    def __init__(
        self, document: ProjectDocument, text: str, commands: Iterable[DocumentCommand]
    ) -> None:
        super().__init__(document, text)
        self.commands: list[DocumentCommand] = list(commands)

    def apply(self) -> None:
        done: list[DocumentCommand] = []
        try:
            for c in self.commands:
                c.apply()
                done.append(c)
        except Exception:
            for c in reversed(done):
                c.revert()
            raise

    def revert(self) -> None:
        for c in reversed(self.commands):
            c.revert()


# ============================================================================ project
class SetProjectField(DocumentCommand):
    """Change the project's name or notes."""

    def __init__(self, document: ProjectDocument, field: str, value: str) -> None:
        super().__init__(document, f"Change project {field}")
        self.field = field
        self.value = value
        self.old: str | None = None

    def apply(self) -> None:
        self.old = self.project.set_project_field(self.field, self.value)

    def revert(self) -> None:
        assert self.old is not None
        self.project.set_project_field(self.field, self.old)


# ============================================================================ samples
class AddSample(DocumentCommand):
    """Create a sample (with optional fields) at ``index`` (default: at the end)."""

    def __init__(
        self,
        document: ProjectDocument,
        name: str,
        fields: dict[str, Any] | None = None,
        index: int | None = None,
    ) -> None:
        super().__init__(document, f"Add sample \u201c{name}\u201d")
        self.name = name
        self.fields = dict(fields or {})
        self.fields.pop("name", None)
        self.index = index
        self.sample: Sample | None = None

    @property
    def sample_id(self) -> str | None:
        """The id of the created sample (after the first apply)."""
        return self.sample.id if self.sample else None

    def apply(self) -> None:
        if self.sample is None:
            self.sample = self.project.add_sample(self.name, self.index, **self.fields)
            self.index = self.project.samples.index(self.sample)
        else:
            self.project.insert_sample(self.sample, self.index)

    def revert(self) -> None:
        assert self.sample is not None
        self.project.remove_sample(self.sample.id)


class RemoveSample(DocumentCommand):
    """Remove a sample with its datasets; undo puts it back at the same place."""

    def __init__(self, document: ProjectDocument, sample_id: str) -> None:
        name = document.project.sample(sample_id).name
        super().__init__(document, f"Delete sample \u201c{name}\u201d")
        self.sample_id = sample_id
        self.sample: Sample | None = None
        self.index: int | None = None

    def apply(self) -> None:
        self.sample, self.index = self.project.remove_sample(self.sample_id)

    def revert(self) -> None:
        assert self.sample is not None
        self.project.insert_sample(self.sample, self.index)


class RenameSample(DocumentCommand):
    """Rename a sample."""

    def __init__(self, document: ProjectDocument, sample_id: str, name: str) -> None:
        super().__init__(document, f"Rename sample to \u201c{name.strip()}\u201d")
        self.sample_id = sample_id
        self.name = name
        self.old: str | None = None

    def apply(self) -> None:
        self.old = self.project.rename_sample(self.sample_id, self.name)

    def revert(self) -> None:
        assert self.old is not None
        self.project.rename_sample(self.sample_id, self.old)


class EditSampleFields(DocumentCommand):
    """Set several sample fields at once (one dialog = one undo step).

    The stored analyses that depend on the edited fields (cycling results on the active mass) are
    recomputed in the same step by the core (:func:`~lbpo_gui.core.project.rules.edit_sample`);
    undo restores the old values and the old results, redo the new ones, without recomputing.
    """

    def __init__(
        self, document: ProjectDocument, sample_id: str, fields: dict[str, Any], text: str = ""
    ) -> None:
        name = document.project.sample(sample_id).name
        super().__init__(document, text or f"Edit sample \u201c{name}\u201d")
        self.sample_id = sample_id
        self.fields = dict(fields)
        self.edit: rules.Edit | None = None

    def apply(self) -> None:
        if self.edit is None:
            self.edit = rules.edit_sample(self.project, self.sample_id, **self.fields)
        else:
            rules.redo_edit(self.project, self.edit)

    def revert(self) -> None:
        assert self.edit is not None
        rules.undo_edit(self.project, self.edit)


class EditDatasetMetadata(DocumentCommand):
    """Set one metadata entry of a dataset (e.g. an XPS spectrum's charge shift).

    The stored analyses that read the entry are recomputed in the same step by the core
    (:func:`~lbpo_gui.core.project.rules.edit_dataset_metadata`); undo restores the old value
    and the old results, redo the new ones, without recomputing.
    """

    def __init__(
        self, document: ProjectDocument, dataset_id: str, key: str, value: Any, text: str = ""
    ) -> None:
        super().__init__(document, text or f"Set {key}")
        self.dataset_id = dataset_id
        self.key = key
        self.value = value
        self.edit: rules.Edit | None = None

    def apply(self) -> None:
        if self.edit is None:
            self.edit = rules.edit_dataset_metadata(
                self.project, self.dataset_id, self.key, self.value
            )
        else:
            rules.redo_edit(self.project, self.edit)

    def revert(self) -> None:
        assert self.edit is not None
        rules.undo_edit(self.project, self.edit)


class MoveSample(DocumentCommand):
    """Move a sample to another position in the list."""

    def __init__(self, document: ProjectDocument, sample_id: str, new_index: int) -> None:
        name = document.project.sample(sample_id).name
        super().__init__(document, f"Move sample \u201c{name}\u201d")
        self.sample_id = sample_id
        self.new_index = new_index
        self.old_index: int | None = None

    def apply(self) -> None:
        self.old_index = self.project.move_sample(self.sample_id, self.new_index)

    def revert(self) -> None:
        assert self.old_index is not None
        self.project.move_sample(self.sample_id, self.old_index)


# ============================================================================ datasets
class ImportDatasets(DocumentCommand):
    """Add datasets to a sample as one step, optionally creating that sample first.

    Pass ``sample_id`` of an existing sample, or ``new_sample_name`` (and ``new_sample_fields``) to
    create the sample in the same undo step. If a dataset is refused, the ones added before it
    (and the new sample) are removed again and the ProjectError propagates.
    """

    def __init__(
        self,
        document: ProjectDocument,
        sample_id: str | None,
        datasets: Sequence[Dataset],
        *,
        new_sample_name: str | None = None,
        new_sample_fields: dict[str, Any] | None = None,
    ) -> None:
        if (sample_id is None) == (new_sample_name is None):
            raise ValueError("give either sample_id or new_sample_name")
        n = len(datasets)
        what = f"{n} dataset{'s' if n != 1 else ''}"
        target = new_sample_name or document.project.sample(sample_id or "").name
        super().__init__(document, f"Import {what} into \u201c{target}\u201d")
        self.datasets = list(datasets)
        self._sample_id = sample_id
        self._add_sample = (
            AddSample(document, new_sample_name, new_sample_fields) if new_sample_name else None
        )

    @property
    def sample_id(self) -> str | None:
        """The sample receiving the datasets (known after the first apply for a new sample)."""
        if self._add_sample is not None:
            return self._add_sample.sample_id
        return self._sample_id

    def apply(self) -> None:
        if not self.datasets:
            raise ProjectError("nothing to import")
        if self._add_sample is not None:
            self._add_sample.apply()
        sample_id = self.sample_id
        assert sample_id is not None
        added: list[Dataset] = []
        try:
            for d in self.datasets:
                self.project.add_dataset(sample_id, d)
                added.append(d)
        except Exception:
            for d in reversed(added):
                self.project.remove_dataset(d.id)
            if self._add_sample is not None:
                self._add_sample.revert()
            raise

    def revert(self) -> None:
        for d in reversed(self.datasets):
            self.project.remove_dataset(d.id)
        if self._add_sample is not None:
            self._add_sample.revert()


class RemoveDataset(DocumentCommand):
    """Remove one dataset; undo puts it back in the same sample at the same place."""

    def __init__(self, document: ProjectDocument, dataset_id: str) -> None:
        _, dataset = document.project.dataset(dataset_id)
        super().__init__(document, f"Delete dataset \u201c{dataset.label}\u201d")
        self.dataset_id = dataset_id
        self.removed: tuple[str, Dataset, int] | None = None

    def apply(self) -> None:
        self.removed = self.project.remove_dataset(self.dataset_id)

    def revert(self) -> None:
        assert self.removed is not None
        sample_id, dataset, index = self.removed
        self.project.add_dataset(sample_id, dataset, index)


class MoveDataset(DocumentCommand):
    """Move a dataset to another sample (e.g. it was imported into the wrong one)."""

    def __init__(
        self,
        document: ProjectDocument,
        dataset_id: str,
        to_sample_id: str,
        index: int | None = None,
    ) -> None:
        _, dataset = document.project.dataset(dataset_id)
        target = document.project.sample(to_sample_id).name
        super().__init__(document, f"Move \u201c{dataset.label}\u201d to \u201c{target}\u201d")
        self.dataset_id = dataset_id
        self.to_sample_id = to_sample_id
        self.index = index
        self.old: tuple[str, int] | None = None

    def apply(self) -> None:
        self.old = self.project.move_dataset(self.dataset_id, self.to_sample_id, self.index)

    def revert(self) -> None:
        assert self.old is not None
        self.project.move_dataset(self.dataset_id, *self.old)


class RenameDataset(DocumentCommand):
    """Change a dataset's label."""

    def __init__(self, document: ProjectDocument, dataset_id: str, label: str) -> None:
        super().__init__(document, f"Rename dataset to \u201c{label.strip()}\u201d")
        self.dataset_id = dataset_id
        self.label = label
        self.old: str | None = None

    def apply(self) -> None:
        self.old = self.project.set_dataset_label(self.dataset_id, self.label)

    def revert(self) -> None:
        assert self.old is not None
        self.project.set_dataset_label(self.dataset_id, self.old)


class SetAnalysis(DocumentCommand):
    """Store an analysis (settings, results, arrays) of a dataset; undo restores the previous one.

    Later redos put back the very Analysis object the first apply created
    (:meth:`Project.restore_analysis`), so its time stamp and arrays are identical.
    """

    def __init__(
        self,
        document: ProjectDocument,
        dataset_id: str,
        name: str,
        settings: dict[str, Any] | None = None,
        results: dict[str, Any] | None = None,
        arrays: dict[str, Any] | None = None,
        text: str = "",
        inputs: str = "",
        gesture: int | None = None,
    ) -> None:
        super().__init__(document, text or f"Update {name.replace('_', ' ')}")
        self.dataset_id = dataset_id
        self.name = name
        self.settings = settings
        self.results = results
        self.arrays = arrays
        self.inputs = inputs
        self.gesture = gesture
        self.old: Analysis | None = None
        self.new: Analysis | None = None

    def id(self) -> int:  # noqa: A003 (QUndoCommand API)
        """Commands of one gesture (a drag, a spin box held down) share an id and merge."""
        return MERGE_ID_ANALYSIS if self.gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (QUndoCommand API)
        """Fold a later edit of the same analysis in the same gesture into this one: undo then
        goes back to the state before the gesture, in one step."""
        if (
            not isinstance(other, SetAnalysis)
            or self.gesture is None
            or other.gesture != self.gesture
            or (other.dataset_id, other.name) != (self.dataset_id, self.name)
        ):
            return False
        self.new = other.new
        self.settings, self.results, self.arrays = other.settings, other.results, other.arrays
        self.inputs = other.inputs
        self.setText(other.text())
        return True

    def apply(self) -> None:
        if self.new is None:
            self.old = self.project.set_analysis(
                self.dataset_id, self.name, self.settings, self.results, self.arrays, self.inputs
            )
            _, dataset = self.project.dataset(self.dataset_id)
            self.new = dataset.analyses[self.name]
        else:
            self.project.restore_analysis(self.dataset_id, self.name, self.new)

    def revert(self) -> None:
        self.project.restore_analysis(self.dataset_id, self.name, self.old)


def sample_fields_command(
    document: ProjectDocument, sample_id: str, fields: dict[str, Any]
) -> DocumentCommand:
    """One undo step for a sample-metadata edit (results that depend on it are recomputed)."""
    return EditSampleFields(document, sample_id, fields)
