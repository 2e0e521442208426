"""The project API: validation, undo information, change events."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.errors import ProjectError
from lbpo_gui.core.project import Dataset, Project

from .helpers import small_project


def test_active_mass_from_composite_and_ratio():
    p = Project()
    s = p.add_sample("A", composite_mass_mg=15.0)
    assert s.active_mass_mg == pytest.approx(15.0 * 70 / 102)
    p.update_sample(s.id, active_parts=80.0, total_parts=100.0)
    assert s.active_mass_mg == pytest.approx(12.0)
    p.update_sample(s.id, active_mass_override_mg=9.5)
    assert s.active_mass_mg == 9.5
    assert Project().add_sample("B").active_mass_mg is None


def test_events_are_emitted_and_revision_counts():
    p = Project()
    seen = []
    p.events.subscribe(seen.append)
    s = p.add_sample("A")
    p.rename_sample(s.id, "B")
    assert [e.what for e in seen] == ["sample_added", "sample_changed"]
    assert seen[1].field == "name" and seen[1].sample_id == s.id
    assert p.revision == 2


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": "  "}, "non-empty name"),
        ({"composite_mass_mg": -1}, ">= 0"),
        ({"composite_mass_mg": float("nan")}, "finite"),
        ({"composite_mass_mg": "heavy"}, "must be a number"),
        ({"lbo_wt_pct": 150}, "<= 100"),
        ({"active_parts": 120.0}, "cannot exceed"),
        ({"colour": "red"}, "unknown sample field"),
    ],
)
def test_bad_edits_raise_and_change_nothing(fields, message):
    p = small_project()
    s = p.samples[0]
    before = (s.fields(), p.revision)
    with pytest.raises(ProjectError, match=message):
        p.update_sample(s.id, **fields)
    assert (s.fields(), p.revision) == before


def test_duplicate_names_refused_case_insensitively():
    p = small_project()
    with pytest.raises(ProjectError, match="already exists"):
        p.add_sample("pristine")
    with pytest.raises(ProjectError, match="already exists"):
        p.rename_sample(p.samples[1].id, "PRISTINE")
    assert [s.name for s in p.samples] == ["Pristine", "LBPO 0.05-0.15"]


def test_remove_and_reinsert_sample_restores_order_and_datasets():
    p = small_project()
    sid = p.samples[0].id
    sample, index = p.remove_sample(sid)
    assert [s.name for s in p.samples] == ["LBPO 0.05-0.15"]
    p.insert_sample(sample, index)
    assert [s.name for s in p.samples] == ["Pristine", "LBPO 0.05-0.15"]
    assert len(p.sample(sid).datasets) == 2


def test_dataset_validation():
    p = small_project()
    sid = p.samples[0].id
    with pytest.raises(ProjectError, match="unknown dataset kind"):
        p.add_dataset(sid, Dataset("raman", "x", {"a": np.ones(3)}))
    with pytest.raises(ProjectError, match="unsupported type"):
        p.add_dataset(sid, Dataset("xps", "x", {"a": np.array([object()], dtype=object)}))
    with pytest.raises(ProjectError, match="cannot be stored"):
        p.add_dataset(sid, Dataset("xps", "x", {"a": np.ones(3)}, {"when": object()}))
    assert len(p.samples[0].datasets) == 2


def test_analysis_set_and_restore():
    p = small_project()
    _, d = p.datasets("cycling")[0]
    old = p.set_analysis(d.id, "cycling", {"convention": "anode"}, {"x": np.float64(1.5)})
    assert d.analyses["cycling"].results == {"x": 1.5}
    assert old is not None and old.settings == {"convention": "cathode"}
    p.restore_analysis(d.id, "cycling", old)
    assert d.analyses["cycling"].settings == {"convention": "cathode"}
    with pytest.raises(ProjectError):
        p.set_analysis(d.id, "../evil", {})


def test_non_finite_results_become_null():
    p = small_project()
    _, d = p.datasets("cycling")[0]
    p.set_analysis(d.id, "cycling", {}, {"ce": float("nan"), "l": [1.0, float("inf")]})
    assert d.analyses["cycling"].results == {"ce": None, "l": [1.0, None]}
