"""The demo project: contents, labels, determinism, size, speed, no Qt."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from lbpo_gui.core.demo import DemoSample, demo_samples, write_demo_files
from lbpo_gui.core.demo import cycling as C
from lbpo_gui.core.demo import samples as S


def test_contents(demo):
    assert list(demo) == list(S.SAMPLE_NAMES)
    for s in demo.values():
        assert isinstance(s, DemoSample)
        assert s.cathode == "Li[Ni0.82Co0.12Mn0.06]O2 (NCM811)"
        assert s.composite_mass_mg == 15.0 and (s.active_parts, s.total_parts) == (70.0, 102.0)
        assert s.active_mass_mg == pytest.approx(10.294)
        assert s.datasets[0].label == "Rate test 17-340 mA/g"
        for d in s.datasets:
            assert d.missing_columns() == []
            assert d.metadata["seed"] == 20230529
    labels = {n: [d.label for d in s.datasets] for n, s in demo.items()}
    for n in ("Pristine", "LPO 0.15", "LBPO 0.05-0.15"):
        assert "100 cycles @ 170 mA/g" in labels[n] and "EIS charged 1st cycle" in labels[n]
    assert {"S 2p before cycling", "S 2p after 100 cycles", "P 2p after 100 cycles"} <= set(
        labels["Pristine"]
    )
    assert {"EDS before cycling", "EDS after 100 cycles"} <= set(labels["Pristine"])
    lbpo = set(labels["LBPO 0.05-0.15"])
    assert {
        "S 2p after 100 cycles",
        "B 1s etch 0 s",
        "B 1s etch 240 s",
        "EDS after 100 cycles",
    } <= lbpo
    assert len(labels["LPO 0.1"]) == 1
    for s in demo.values():  # labels are unique within a sample
        assert len(set(labels[s.name])) == len(labels[s.name])


def test_metadata_is_json_serialisable(demo):
    import json

    for s in demo.values():
        for d in s.datasets:
            json.dumps(d.metadata)


def test_size(demo):
    total = sum(a.nbytes for s in demo.values() for d in s.datasets for a in d.arrays.values())
    assert total < 20e6


def test_determinism(demo):
    again = {s.name: s for s in demo_samples()}
    other = {s.name: s for s in demo_samples(1)}
    for name, s in demo.items():
        for a, b, c in zip(s.datasets, again[name].datasets, other[name].datasets, strict=True):
            for k in a.arrays:
                np.testing.assert_array_equal(a.arrays[k], b.arrays[k])
            noisy = {
                "cycling": "voltage_V",
                "impedance": "z_real_ohm",
                "xps": "counts_per_s",
                "eds_profile": "Ni",
            }[a.kind]
            assert not np.array_equal(a.arrays[noisy], c.arrays[noisy]), (name, a.label)


def test_generation_time():
    C.calibrate_rate_test.cache_clear()
    C.calibrate_long_test.cache_clear()
    t0 = time.perf_counter()
    demo_samples(7)
    cold = time.perf_counter() - t0
    assert cold < 3.0, f"demo took {cold:.2f} s"


def test_write_demo_files(tmp_path):
    paths = write_demo_files(tmp_path, seed=3)
    names = {p.name for p in paths}
    assert "Pristine_Rate_test_17-340_mA_per_g.mpt" in names
    assert "LBPO_0p05-0p15_XPS.vms" in names
    assert all(p.stat().st_size > 0 for p in paths)


def test_core_demo_imports_no_qt():
    code = (
        "import sys; from lbpo_gui.core.demo import demo_samples; demo_samples(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', "
        "'pyqtgraph', 'shiboken6')]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
