"""The core keeps stored results in step with the edits they depend on (no GUI involved)."""

from __future__ import annotations

import pytest

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.errors import ProjectError
from lbpo_gui.core.project import load_project, rules, save_project


@pytest.fixture(scope="module")
def demo():
    return build_demo_project()


def _first_discharge(dataset) -> float:
    return dataset.analyses["cycling"].results["cycles"][1]["discharge_mAh_g"]


def test_mass_edit_through_the_core_api_recomputes_stored_cycling_results():
    project = build_demo_project()
    sample = project.sample_by_name("Pristine")
    rate = sample.datasets_of("cycling")[0]
    rules.run_analysis(project, rate.id, "cycling", {"convention": "cathode"})
    before = _first_discharge(rate)
    assert before == pytest.approx(178.7, rel=0.005)
    assert not rules.is_stale(project, rate.id, "cycling")

    edit = rules.edit_sample(project, sample.id, composite_mass_mg=30.0)
    assert _first_discharge(rate) == pytest.approx(before / 2, rel=1e-3)
    assert rate.analyses["cycling"].settings == {"convention": "cathode"}
    assert [(r.dataset_id, r.name) for r in edit.recomputed] == [(rate.id, "cycling")]
    assert rules.stale_analyses(project) == []

    rules.undo_edit(project, edit)
    assert sample.composite_mass_mg == 15.0
    assert _first_discharge(rate) == before
    rules.redo_edit(project, edit)
    assert sample.composite_mass_mg == 30.0
    assert _first_discharge(rate) == pytest.approx(before / 2, rel=1e-3)


def test_an_edit_that_does_not_touch_the_mass_recomputes_nothing():
    project = build_demo_project()
    sample = project.sample_by_name("Pristine")
    rate = sample.datasets_of("cycling")[0]
    rules.run_analysis(project, rate.id, "cycling")
    stored = rate.analyses["cycling"]
    edit = rules.edit_sample(project, sample.id, notes="checked")
    assert edit.recomputed == []
    assert rate.analyses["cycling"] is stored


def test_a_refused_edit_changes_nothing():
    project = build_demo_project()
    sample = project.sample_by_name("Pristine")
    rate = sample.datasets_of("cycling")[0]
    rules.run_analysis(project, rate.id, "cycling")
    revision = project.revision
    with pytest.raises(ProjectError):
        rules.edit_sample(project, sample.id, composite_mass_mg=-1.0)
    assert project.revision == revision and sample.composite_mass_mg == 15.0


def test_results_written_around_the_rules_are_reported_stale_and_recomputed(tmp_path):
    project = build_demo_project()
    sample = project.sample_by_name("Pristine")
    rate = sample.datasets_of("cycling")[0]
    rules.run_analysis(project, rate.id, "cycling")
    project.update_sample(sample.id, composite_mass_mg=30.0)  # a script bypassing the rules
    assert rules.stale_analyses(project) == [(rate.id, "cycling")]
    # the fingerprint survives a save and reopen
    reopened = load_project(save_project(project, tmp_path / "p.lbpo"))
    assert rules.stale_analyses(reopened) == [(rate.id, "cycling")]
    done = rules.recompute(reopened, rules.stale_analyses(reopened))
    assert len(done) == 1 and rules.stale_analyses(reopened) == []
    _, again = reopened.dataset(rate.id)
    assert _first_discharge(again) == pytest.approx(178.7 / 2, rel=0.005)


def test_metadata_edit_recomputes_what_reads_it():
    project = build_demo_project()
    sample = project.sample_by_name("Pristine")
    rate = sample.datasets_of("cycling")[0]
    rules.run_analysis(project, rate.id, "cycling", {"mass_source": "file"})
    results = rate.analyses["cycling"].results
    edit = rules.edit_dataset_metadata(project, rate.id, "notes_of_operator", "ok")
    assert edit.recomputed == [] and rate.analyses["cycling"].results is results
    edit = rules.edit_dataset_metadata(project, rate.id, "active_mass_mg", 20.0)
    assert [r.name for r in edit.recomputed] == ["cycling"]
    rules.undo_edit(project, edit)
    assert rate.metadata["active_mass_mg"] == pytest.approx(10.294, abs=1e-3)


def test_a_failing_analysis_is_stored_as_its_error_not_raised():
    project = build_demo_project()
    sample = project.sample_by_name("Pristine")
    rate = sample.datasets_of("cycling")[0]
    rules.run_analysis(project, rate.id, "cycling", {"convention": "sideways"})
    assert "error" in rate.analyses["cycling"].results
    with pytest.raises(ProjectError):
        rules.run_analysis(project, rate.id, "no_such_analysis")
