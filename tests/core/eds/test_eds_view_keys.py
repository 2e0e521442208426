"""The EDS tab keeps its chosen definition (``method``) in the stored settings: the analysis
accepts it and ignores it (every definition is in the results whatever it is)."""

from __future__ import annotations

import pytest

from lbpo_gui.core.demo.eds import eds_profile_dataset
from lbpo_gui.core.project import Dataset, Project, rules
from lbpo_gui.core.report.eds import METHODS, VIEW_KEYS, analyse_dataset, default_settings


def test_method_is_stored_and_does_not_change_the_numbers():
    project = Project("p")
    sample = project.add_sample("Pristine")
    dataset = project.add_dataset(
        sample.id, Dataset.from_import(eds_profile_dataset("Pristine", "before cycling", 3))
    )
    base = analyse_dataset(sample, dataset, default_settings(dataset)).to_dict()
    assert "method" in VIEW_KEYS and "T50" in METHODS
    for method in METHODS:
        settings = {**default_settings(dataset), "method": method}
        analysis = rules.compute_analysis(sample, dataset, "eds_thickness", settings)
        assert "error" not in analysis.results
        assert analysis.settings["method"] == method
        assert analysis.results["thickness_nm"] == pytest.approx(base["thickness_nm"])
        assert analysis.results["t_theta"]["fit_nm"] == pytest.approx(base["t_theta"]["fit_nm"])
