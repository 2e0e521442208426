"""``lbpo report`` on the demo project: in process and as a fresh process.

No DESIGN.md budget; the aim is that a report of a project whose analyses are stored and current
refits nothing (``rules.stale_analyses`` finds nothing to redo), so it costs the table building,
the figure set and the writing only. Run with ``pytest tests/benchmarks --benchmark-enable``;
without it each benchmark runs once as a test.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import save_project
from lbpo_gui.core.report.current import bring_up_to_date
from lbpo_gui.core.report.html import write_report


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    project = build_demo_project()
    bring_up_to_date(project)
    path = tmp_path_factory.mktemp("bench_report") / "demo.lbpo"
    save_project(project, path, backup=False)
    return project, path


def test_bench_write_report_in_process(benchmark, analysed, tmp_path):
    project, _ = analysed
    files = benchmark.pedantic(write_report, args=(project, tmp_path), rounds=5, iterations=1)
    assert len(files.tables) == 5 and len(files.figures) == 15


def test_bench_report_command_fresh_process(benchmark, analysed, tmp_path):
    _, path = analysed
    argv = [sys.executable, "-m", "lbpo_gui", "report", str(path), "--out", str(tmp_path), "--json"]

    def run():
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout

    out = json.loads(benchmark.pedantic(run, rounds=3, iterations=1))
    assert out["analyses"] == {"kept": 31, "recomputed": 0, "added": 0}
