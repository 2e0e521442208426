"""Import + summarise a 1,000,000-row EC-Lab .mpt written by the demo generator.

Budget (DESIGN.md): <= 1.5 s and <= 600 MB extra memory. Peers timed in the same run when they
are installed: galvani's MPTfile (GPL, only as a peer here). cellpy cannot read .mpt files (its
issue #187), so it is not timed on this file. Run with
``pytest tests/benchmarks --benchmark-enable``; without it each benchmark runs once as a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from lbpo_gui.core.demo.cycling import generate_long_mpt
from lbpo_gui.core.echem.table import summarise_table
from lbpo_gui.core.readers import read

N_ROWS = 1_000_000


@pytest.fixture(scope="module")
def long_mpt(tmp_path_factory):
    return generate_long_mpt(tmp_path_factory.mktemp("bench") / "long.mpt", n_rows=N_ROWS)


def import_and_summarise(path):
    (table,) = read(path, kind="cycling")
    mass = table.metadata["active_mass_mg"]
    return summarise_table(table.arrays, table.metadata, active_mass_mg=mass)


def test_bench_import_and_summarise_1M_rows(benchmark, long_mpt):
    summary = benchmark.pedantic(import_and_summarise, args=(long_mpt,), rounds=3, iterations=1)
    assert len(summary.cycles) == 120
    assert summary.cycle(1).discharge_mAh_g == pytest.approx(178.7, rel=0.005)
    assert summary.first_cycle_ce_pct == pytest.approx(76.37, abs=0.3)


MEMORY_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from lbpo_gui.core.echem.table import summarise_table
    from lbpo_gui.core.readers import read
    import pandas, numpy  # noqa: F401  (baseline includes the libraries)

    def peak_kb():
        # VmHWM is reset by exec; ru_maxrss may carry the parent's peak over on Linux.
        try:
            with open("/proc/self/status") as fh:
                return int(fh.read().split("VmHWM:")[1].split()[0])
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    base = peak_kb()
    t0 = time.perf_counter()
    (table,) = read(sys.argv[1], kind="cycling")
    s = summarise_table(table.arrays, table.metadata, active_mass_mg=table.metadata["active_mass_mg"])
    dt = time.perf_counter() - t0
    peak = peak_kb()
    print(json.dumps({"seconds": dt, "extra_MB": (peak - base) / 1024, "cycles": len(s.cycles)}))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="resource module is POSIX-only")
def test_import_memory_within_budget(long_mpt, record_property):
    proc = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(long_mpt)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    record_property("extra_MB", result["extra_MB"])
    assert result["cycles"] == 120
    assert result["extra_MB"] <= 600, f"import used {result['extra_MB']:.0f} MB extra"


def test_bench_peer_galvani_mpt(benchmark, long_mpt, record_property):
    galvani = pytest.importorskip("galvani.BioLogic")
    if benchmark.disabled:
        pytest.skip("peer timing runs only with --benchmark-enable (it takes ~15 s)")

    def peer():
        mpt, _comments = galvani.MPTfile(str(long_mpt), encoding="latin-1")
        return len(mpt)

    t0 = time.perf_counter()
    ours = import_and_summarise(long_mpt)
    ours_s = time.perf_counter() - t0
    n = benchmark.pedantic(peer, rounds=1, iterations=1)
    peer_s = benchmark.stats.stats.median if benchmark.stats else float("nan")
    assert n == pytest.approx(N_ROWS, rel=0.01)
    assert len(ours.cycles) == 120
    record_property("galvani_over_ours", peer_s / ours_s)
    benchmark.extra_info["ours_s"] = ours_s
    benchmark.extra_info["ratio_galvani_over_ours"] = peer_s / ours_s


CELLPY_SCRIPT = textwrap.dedent(
    """
    import json, sys, time, logging
    logging.disable(logging.CRITICAL)
    import cellpy
    t0 = time.perf_counter()
    c = cellpy.get(sys.argv[1], instrument="neware_txt", model="UIO", mass=float(sys.argv[2]),
                   cycle_mode="cathode")
    dt = time.perf_counter() - t0
    s = c.data.summary
    print(json.dumps({"seconds": dt, "first_discharge_mAh_g":
                      float(s["discharge_capacity_gravimetric"].iloc[0]), "cycles": len(s)}))
    """
)


def _peer_python() -> str | None:
    """A Python with cellpy: ``LBPO_PEER_PYTHON`` (cellpy 2 needs Python >= 3.13 and pandas 3,
    so it usually lives in its own venv), else this interpreter when cellpy imports here."""
    import importlib.util
    import os

    peer = os.environ.get("LBPO_PEER_PYTHON")
    if peer:
        return peer
    return sys.executable if importlib.util.find_spec("cellpy") else None


def test_bench_peer_cellpy_neware_csv(benchmark, long_mpt, tmp_path_factory):
    """Ours vs cellpy on the same 1M rows written as a Neware record CSV."""
    peer = _peer_python()
    if peer is None:
        pytest.skip("cellpy is not installed (set LBPO_PEER_PYTHON to a Python that has it)")
    if benchmark.disabled:
        pytest.skip("peer timing runs only with --benchmark-enable")
    from .neware_writer import write_neware_record_csv

    (table,) = read(long_mpt, kind="cycling")
    mass = table.metadata["active_mass_mg"]
    a = table.arrays
    csv_path = tmp_path_factory.mktemp("neware") / "long_neware.csv"
    write_neware_record_csv(csv_path, a["time_s"], a["voltage_V"], a["current_mA"], mass)

    ours = benchmark.pedantic(
        lambda: summarise_table(*_read_one(csv_path), active_mass_mg=mass), rounds=3, iterations=1
    )
    ours_s = benchmark.stats.stats.median
    proc = subprocess.run(
        [peer, "-c", CELLPY_SCRIPT, str(csv_path), str(mass)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert ours.cycle(1).discharge_mAh_g == pytest.approx(178.7, rel=0.005)
    assert result["first_discharge_mAh_g"] == pytest.approx(ours.cycle(1).discharge_mAh_g, rel=0.01)
    benchmark.extra_info["cellpy_s"] = result["seconds"]
    benchmark.extra_info["ratio_cellpy_over_ours"] = result["seconds"] / ours_s
    print(
        f"\nneware csv 1M rows: ours {ours_s:.2f} s, cellpy {result['seconds']:.2f} s, "
        f"ratio {result['seconds'] / ours_s:.1f}"
    )


def _read_one(path):
    (table,) = read(path, kind="cycling")
    return table.arrays, table.metadata
