"""A project snapshot (what autosave writes from a worker) is independent of later edits."""

from __future__ import annotations

import numpy as np

from lbpo_gui.core.project import load_project, project_to_bytes, rules
from lbpo_gui.core.project.snapshot import snapshot_project

from .helpers import small_project


def test_snapshot_is_frozen_while_the_project_is_edited(tmp_path):
    project = small_project()
    sample = project.samples[0]
    dataset = sample.datasets[0]
    snap = snapshot_project(project)
    project.rename_sample(sample.id, "renamed")
    project.set_dataset_metadata(dataset.id, "operator", "A. N.")
    project.remove_dataset(sample.datasets[-1].id)
    snap_sample = snap.samples[0]
    assert snap_sample.name != "renamed"
    assert "operator" not in snap_sample.datasets[0].metadata
    assert len(snap_sample.datasets) == len(sample.datasets) + 1
    # arrays are shared, not copied (that is what makes it cheap)
    for name, a in dataset.arrays.items():
        assert snap_sample.datasets[0].arrays[name] is a
    # it serialises to the project as it was
    path = tmp_path / "snap.lbpo"
    path.write_bytes(project_to_bytes(snap))
    again = load_project(path)
    assert again.samples[0].name == snap_sample.name
    assert again.id == project.id
    np.testing.assert_array_equal(
        again.samples[0].datasets[0].arrays[next(iter(dataset.arrays))],
        next(iter(dataset.arrays.values())),
    )


def test_snapshot_keeps_analyses_and_their_fingerprints():
    from lbpo_gui.core.demo.project import build_demo_project

    project = build_demo_project()
    rate = project.sample_by_name("Pristine").datasets_of("cycling")[0]
    rules.run_analysis(project, rate.id, "cycling")
    snap = snapshot_project(project)
    snap_rate = snap.sample_by_name("Pristine").datasets_of("cycling")[0]
    assert snap_rate.analyses["cycling"].inputs == rate.analyses["cycling"].inputs
    assert rules.stale_analyses(snap) == []
