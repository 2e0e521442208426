"""Parse speed of the .mpt reader on a synthetic 1,000,000-row, 18-column GCPL export.

The file mimics EC-Lab: CRLF, cp1252 header, trailing TAB on the column line, float64 and
float32-style numbers. Measured here (2-core VM): 0.3-0.5 s with the polars fast path and
0.5-0.8 s with pandas' C parser, about +430 MB peak. The assertions leave head-room for slow CI
machines but catch any regression to a per-row Python loop (tens of seconds).
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.readers import biologic_mpt
from lbpo_gui.core.readers import text as text_mod

COLUMNS = [
    "mode", "ox/red", "error", "control changes", "Ns changes", "counter inc.", "Ns", "time/s",
    "dq/mA.h", "(Q-Qo)/mA.h", "control/V/mA", "Ewe/V", "I Range", "I/mA",
    "Q charge/discharge/mA.h", "half cycle", "Energy charge/W.h", "cycle number",
]  # fmt: skip


def write_big_mpt(path: Path, n_rows: int, block: int = 10_000) -> np.ndarray:
    """Write an EC-Lab-like .mpt with ``n_rows`` rows; returns the voltage of one block."""
    rng = np.random.default_rng(1)
    i = np.arange(block)
    volt = 3.5 + 0.5 * rng.random(block)
    cur = np.where((i // 2500) % 2 == 0, 0.17, -0.17)

    def f64(a: np.ndarray) -> np.ndarray:
        return np.char.mod("%.15E", a)

    def f32(a: np.ndarray) -> np.ndarray:
        return np.char.mod("%.7E", a)

    head_cols = np.char.add("1\t1\t0\t0\t0\t0\t1\t", "")
    tail = [
        f64(np.full(block, 1e-4)), f64(i * 1e-4), f32(np.full(block, 0.17)), f32(volt),
        np.full(block, "13"), f64(cur), f64(i * 1e-5), (i // 2500).astype(str),
        f64(np.zeros(block)), (i // 5000).astype(str),
    ]  # fmt: skip
    rest = tail[0]
    for col in tail[1:]:
        rest = np.char.add(np.char.add(rest, "\t"), col)
    header = [
        "EC-Lab ASCII FILE",
        "Nb header lines : 6                           ",
        "",
        "Galvanostatic Cycling with Potential Limitation",
        "Characteristic mass : 1.500 mg",
        "\t".join(COLUMNS) + "\t",
    ]
    with path.open("wb") as fh:
        fh.write(("\r\n".join(header) + "\r\n").encode("cp1252"))
        for b in range(n_rows // block):
            t = f64((b * block + i) * 2.0)
            rows = np.char.add(np.char.add(np.char.add(head_cols, t), "\t"), rest)
            fh.write(("\r\n".join(rows.tolist()) + "\r\n").encode())
    return volt


@pytest.mark.parametrize("polars", [True, False], ids=["polars", "pandas"])
def test_100k_rows_quickly(tmp_path: Path, monkeypatch, polars: bool) -> None:
    monkeypatch.setattr(text_mod, "USE_POLARS", polars)
    monkeypatch.setattr(text_mod, "POLARS_MIN_BYTES", 0)
    p = tmp_path / "mid.mpt"
    volt = write_big_mpt(p, 100_000)
    t0 = time.perf_counter()
    (d,) = biologic_mpt.read(p)
    elapsed = time.perf_counter() - t0
    assert d.n_points == 100_000
    np.testing.assert_allclose(d.arrays["voltage_V"][:10_000], volt, rtol=1e-7)
    np.testing.assert_array_equal(d.arrays["time_s"][[0, 1, -1]], [0.0, 2.0, 199_998.0])
    assert d.arrays["current_mA"][0] == 0.17 and d.arrays["current_mA"][2500] == -0.17
    assert d.metadata["active_mass_mg"] == 1.5
    assert elapsed < 1.0, f"100k rows took {elapsed:.2f} s"


@pytest.mark.slow
def test_one_million_rows(tmp_path: Path) -> None:
    p = tmp_path / "big.mpt"
    write_big_mpt(p, 1_000_000)
    assert p.stat().st_size > 150e6
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    (d,) = biologic_mpt.read(p)
    elapsed = time.perf_counter() - t0
    extra_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    assert d.n_points == 1_000_000
    assert d.arrays["time_s"][-1] == 1_999_998.0
    assert np.all(np.diff(d.arrays["time_s"]) > 0)
    assert set(np.unique(d.arrays["source_cycle"])) == {0, 1}
    assert elapsed < 2.5, f"1 M rows took {elapsed:.2f} s"
    assert extra_mb < 700, f"peak memory grew by {extra_mb:.0f} MB"
