"""The demo's truth stays beside the generators: not in any dataset, not read by any analysis."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lbpo_gui
from lbpo_gui.core.demo.build import demo_samples
from lbpo_gui.core.demo.truth import dataset_truth

PACKAGE = Path(lbpo_gui.__file__).parent
#: Metadata keys, and first words of keys, that would give an analysis the answer.
TRUTH_KEYS = {"circuit", "circuit_description", "cathode_elements", "electrolyte_elements"}
TRUTH_FIRST_WORDS = {"true", "truth", "model", "definition"}


@pytest.fixture(scope="module")
def samples():
    return demo_samples(20230529)


def test_no_dataset_metadata_holds_the_truth(samples):
    for sample in samples:
        for d in sample.datasets:
            for key in d.metadata:
                first = key.lower().split("_")[0]
                assert key not in TRUTH_KEYS, (sample.name, d.label, key)
                assert first not in TRUTH_FIRST_WORDS, (sample.name, d.label, key)


def test_every_demo_dataset_has_its_truth(samples):
    for sample in samples:
        for d in sample.datasets:
            assert dataset_truth(sample.name, d.label), (sample.name, d.label)
    with pytest.raises(KeyError):
        dataset_truth("Pristine", "no such dataset")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_no_program_code_outside_the_demo_reads_the_truth():
    truth_api = {
        "truth",
        "dataset_truth",
        "impedance_truth",
        "eds_profile_truth",
        "core_level_truth",
        "b1s_truth",
        "rate_test_truth",
        "long_test_truth",
    }
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "demo" in path.relative_to(PACKAGE).parts:
            continue
        used = {n.rsplit(".", 1)[-1] for n in _imports(path)} & truth_api
        if used:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(used)}")
    assert not offenders
