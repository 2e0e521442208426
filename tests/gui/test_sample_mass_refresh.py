"""A mass edit in the sample dialog refreshes the stored cycling results in the same undo step."""

from __future__ import annotations

import pytest

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.report.cycling import stored_result, summarise_dataset
from lbpo_gui.gui.commands import SetAnalysis, sample_fields_command
from lbpo_gui.gui.document import ProjectDocument


def test_mass_edit_refreshes_stored_results_and_undoes_in_one_step(qtbot):
    project = build_demo_project()
    doc = ProjectDocument(project)
    sample = project.sample_by_name("Pristine")
    rate = sample.datasets_of("cycling")[0]
    summary, source = summarise_dataset(sample, rate)
    doc.push(
        SetAnalysis(
            doc, rate.id, "cycling", {"convention": "cathode"}, stored_result(summary, source)
        )
    )
    before = rate.analyses["cycling"].results["cycles"][1]["discharge_mAh_g"]
    assert before == pytest.approx(178.7, rel=0.005)
    depth = doc.undo_stack.count()

    doc.push(sample_fields_command(doc, sample.id, {"composite_mass_mg": 30.0}))
    after = rate.analyses["cycling"].results["cycles"][1]["discharge_mAh_g"]
    assert after == pytest.approx(before / 2, rel=1e-3)
    assert rate.analyses["cycling"].settings == {"convention": "cathode"}
    assert doc.undo_stack.count() == depth + 1

    doc.undo()
    assert sample.composite_mass_mg == 15.0
    assert rate.analyses["cycling"].results["cycles"][1]["discharge_mAh_g"] == before
    doc.close()


def test_edit_without_mass_change_is_a_plain_field_edit(qtbot):
    project = build_demo_project()
    doc = ProjectDocument(project)
    sample = project.samples[0]
    cmd = sample_fields_command(doc, sample.id, {"notes": "checked"})
    assert type(cmd).__name__ == "EditSampleFields"
    doc.push(cmd)
    assert sample.notes == "checked"
    doc.close()
