"""Undo commands: each goes through Project methods, undo restores, refusals record nothing."""

from __future__ import annotations

import numpy as np
import pytest
from guikit import build_small_project, make_dataset

from lbpo_gui.core.errors import ProjectError
from lbpo_gui.gui.commands import (
    AddSample,
    CompositeCommand,
    EditSampleFields,
    ImportDatasets,
    MoveDataset,
    MoveSample,
    RemoveDataset,
    RemoveSample,
    RenameDataset,
    RenameSample,
    SetAnalysis,
    SetProjectField,
)
from lbpo_gui.gui.document import ProjectDocument, ReentrantEditError


@pytest.fixture
def doc(qtbot):
    document = ProjectDocument(build_small_project(), autosave_delay_ms=0)
    yield document
    document.close()


def snapshot(doc: ProjectDocument) -> str:
    """Everything the commands can change, as text, to compare states."""
    p = doc.project
    return repr(
        (
            p.name,
            [
                (s.id, s.fields(), [(d.id, d.label, sorted(d.analyses)) for d in s.datasets])
                for s in p.samples
            ],
        )
    )


def roundtrip(doc: ProjectDocument, command) -> None:
    """push, undo (state as before), redo (state as after push)."""
    before = snapshot(doc)
    doc.push(command)
    after = snapshot(doc)
    assert after != before
    doc.undo()
    assert snapshot(doc) == before
    doc.redo()
    assert snapshot(doc) == after
    doc.undo()
    doc.redo()
    assert snapshot(doc) == after


def test_every_command_roundtrips(doc):
    p = doc.project
    s0, s1 = p.samples
    roundtrip(doc, AddSample(doc, "New", {"lbo_wt_pct": 0.1}, index=1))
    assert p.samples[1].name == "New"
    roundtrip(doc, RemoveSample(doc, s0.id))
    roundtrip(doc, RenameSample(doc, s1.id, "Renamed"))
    roundtrip(doc, EditSampleFields(doc, s1.id, {"composite_mass_mg": 9.5, "notes": "n"}))
    roundtrip(doc, MoveSample(doc, s1.id, 0))
    dataset = s1.datasets[0]
    roundtrip(doc, RenameDataset(doc, dataset.id, "Relabelled"))
    roundtrip(doc, MoveDataset(doc, dataset.id, p.sample_by_name("New").id, 0))
    roundtrip(doc, RemoveDataset(doc, dataset.id))
    roundtrip(doc, SetProjectField(doc, "name", "Other study"))
    new = make_dataset(
        "impedance", "EIS 2", {"frequency_Hz": [1.0], "z_real_ohm": [2.0], "z_imag_ohm": [-1.0]}
    )
    roundtrip(doc, ImportDatasets(doc, s1.id, [new]))
    roundtrip(
        doc,
        ImportDatasets(
            doc,
            None,
            [make_dataset("xps", "x", {"binding_energy_eV": [1.0], "counts_per_s": [1.0]})],
            new_sample_name="Fresh",
        ),
    )


def test_remove_sample_restores_same_index_and_datasets(doc):
    p = doc.project
    first = p.samples[0]
    datasets = list(first.datasets)
    doc.push(RemoveSample(doc, first.id))
    doc.undo()
    assert p.samples[0] is first and first.datasets == datasets


def test_refused_edit_raises_and_records_nothing(doc):
    p = doc.project
    revision = p.revision
    with pytest.raises(ProjectError):
        doc.push(RenameSample(doc, p.samples[0].id, p.samples[1].name))
    with pytest.raises(ProjectError):
        doc.push(EditSampleFields(doc, p.samples[0].id, {"composite_mass_mg": -1}))
    assert p.revision == revision
    assert doc.undo_stack.count() == 0
    assert not doc.is_dirty()


def test_import_is_all_or_nothing(doc):
    p = doc.project
    good = make_dataset("xps", "good", {"binding_energy_eV": [1.0], "counts_per_s": [2.0]})
    bad = make_dataset("xps", "bad", {"binding_energy_eV": np.array([object()], dtype=object)})
    revision = p.revision
    with pytest.raises(ProjectError):
        doc.push(ImportDatasets(doc, None, [good, bad], new_sample_name="Temp"))
    assert [s.name for s in p.samples] == ["Pristine", "LBPO 0.05-0.15"]
    assert good not in p.samples[0].datasets
    assert doc.undo_stack.count() == 0
    assert p.revision > revision  # changes were made and reverted through the API


def test_composite_is_one_step_and_rolls_back(doc):
    p = doc.project
    s0, s1 = p.samples
    composite = CompositeCommand(
        doc,
        "Mass edit",
        [EditSampleFields(doc, s.id, {"composite_mass_mg": 20.0}) for s in (s0, s1)],
    )
    doc.push(composite)
    assert doc.undo_stack.count() == 1
    assert s0.composite_mass_mg == s1.composite_mass_mg == 20.0
    doc.undo()
    assert s0.composite_mass_mg == s1.composite_mass_mg == 15.0
    failing = CompositeCommand(
        doc,
        "Bad",
        [EditSampleFields(doc, s0.id, {"composite_mass_mg": 30.0}), RenameSample(doc, s1.id, "")],
    )
    with pytest.raises(ProjectError):
        doc.push(failing)
    assert s0.composite_mass_mg == 15.0


def test_set_analysis_undo_redo_keeps_objects(doc):
    p = doc.project
    dataset = p.samples[0].datasets[0]
    doc.push(
        SetAnalysis(doc, dataset.id, "cycling", {"mass": 1}, {"ce": 80.0}, {"q": np.arange(3.0)})
    )
    first = dataset.analyses["cycling"]
    doc.push(SetAnalysis(doc, dataset.id, "cycling", {"mass": 2}, {"ce": 81.0}))
    second = dataset.analyses["cycling"]
    doc.undo()
    assert dataset.analyses["cycling"] is first
    doc.undo()
    assert "cycling" not in dataset.analyses
    doc.redo()
    doc.redo()
    assert dataset.analyses["cycling"] is second


def test_reentrant_edit_is_refused(doc):
    p = doc.project
    errors: list[BaseException] = []

    def meddle(event) -> None:
        try:
            doc.push(RenameSample(doc, p.samples[1].id, "Meddled"))
        except ReentrantEditError as exc:
            errors.append(exc)

    doc.projectChanged.connect(meddle)
    doc.push(RenameSample(doc, p.samples[0].id, "First"))
    doc.projectChanged.disconnect(meddle)
    assert errors and p.samples[1].name == "LBPO 0.05-0.15"
    assert doc.undo_stack.count() == 1


def test_command_of_other_document_is_refused(doc, qtbot):
    other = ProjectDocument(build_small_project(), autosave_delay_ms=0)
    with pytest.raises(ValueError):
        doc.push(AddSample(other, "x"))
    other.close()


def test_edits_of_one_gesture_merge_into_one_undo_step(doc):
    from lbpo_gui.gui.commands import SetAnalysis, new_gesture

    project = doc.project
    dataset = project.samples[0].datasets[0]
    stack = doc.undo_stack
    depth = stack.count()
    drag = new_gesture()
    for x in (1.0, 2.0, 3.0):  # e.g. three mouse-move steps of one drag
        doc.push(SetAnalysis(doc, dataset.id, "probe", {"x": x}, {}, gesture=drag))
    assert stack.count() == depth + 1
    assert dataset.analyses["probe"].settings == {"x": 3.0}
    doc.push(SetAnalysis(doc, dataset.id, "probe", {"x": 9.0}, {}, gesture=new_gesture()))
    assert stack.count() == depth + 2, "another gesture is another step"
    doc.undo()
    assert dataset.analyses["probe"].settings == {"x": 3.0}
    doc.undo()
    assert "probe" not in dataset.analyses, "one undo takes back the whole drag"
    doc.redo()
    assert dataset.analyses["probe"].settings == {"x": 3.0}
    # without a gesture nothing merges
    doc.push(SetAnalysis(doc, dataset.id, "probe", {"x": 4.0}, {}))
    doc.push(SetAnalysis(doc, dataset.id, "probe", {"x": 5.0}, {}))
    assert stack.count() == depth + 3
