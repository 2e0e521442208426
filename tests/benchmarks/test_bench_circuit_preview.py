"""Live preview of the circuit editor on the study's circuit R(QR)(QR)W over a demo spectrum.

Budget (issue 9): <= 30 ms per update. Timed:

- a value change: the preview curve evaluated on the plot grid and set into the Nyquist, |Z| and
  phase plots (``CircuitView.update_preview``);
- a drop: the editor commits a new circuit (schematic re-laid out and redrawn, preview curve
  recompiled and redrawn) and the event loop paints it.

Run with ``pytest tests/benchmarks --benchmark-enable``; without it each runs once as a test.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication  # noqa: E402

from lbpo_gui.core.demo.project import build_demo_project  # noqa: E402
from lbpo_gui.core.eis import parse_circuit, set_param  # noqa: E402
from lbpo_gui.core.eis.drop import Drop, apply_drop  # noqa: E402
from lbpo_gui.core.project import Project  # noqa: E402
from lbpo_gui.gui.tabs.impedance.circuit_view import CircuitView  # noqa: E402
from lbpo_gui.gui.tabs.impedance.common import ImpedanceState  # noqa: E402


@pytest.fixture(scope="module")
def demo_state():
    project: Project = build_demo_project()
    sample = project.sample_by_name("LBPO 0.05-0.15")
    dataset = next(d for d in sample.datasets if d.kind == "impedance")
    return ImpedanceState(project, sample, [dataset], dataset)


@pytest.fixture
def view(qtbot, demo_state, tmp_path):
    v = CircuitView(lambda: tmp_path)
    qtbot.addWidget(v)
    v.resize(1000, 640)
    v.show()
    qtbot.waitExposed(v)
    v.render(demo_state, force=True)
    return v


def test_bench_preview_value_change(benchmark, view):
    base = parse_circuit("R(QR)(QR)W")
    circuits = [set_param(base, "R2", "R", value=50.0 + i) for i in range(200)]
    it = iter(circuits * 1000)

    def update():
        view.update_preview(next(it))

    benchmark.pedantic(update, rounds=200, iterations=1, warmup_rounds=5)
    x = view.plots.curves["preview"][0].xData
    assert x is not None and len(x) > 100


def test_bench_drop_redraw_and_preview(benchmark, view):
    base = parse_circuit("R(QR)(QR)W")
    editor = view.editor
    variants = [base, apply_drop(base, Drop("series", "W1"), kind="R")]
    state = {"i": 0}

    def drop():
        state["i"] += 1
        editor.commit(variants[state["i"] % 2], "bench")
        QApplication.processEvents()

    benchmark.pedantic(drop, rounds=60, iterations=1, warmup_rounds=3)
    assert len(editor.view.elements) in (6, 7)
