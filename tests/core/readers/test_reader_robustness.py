"""Readers on files like the real ones that broke them (issue 7, part 3), crafted in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import read

REPO = Path(__file__).resolve().parents[3]
MPT_HEAD = [
    "EC-Lab ASCII FILE",
    "Nb header lines : 5",
    "",
    "Galvanostatic Cycling with Potential Limitation",
]
MPT_COLUMNS = "mode\tox/red\ttime/s\tEwe/V\tI/mA\thalf cycle\tQ charge/discharge/mA.h\t"


def _long_row_file(path: Path, n_fields: int) -> Path:
    rows = [f"1\t1\t{i}.0\t3.{i}\t0.1\t0\t0.{i}" for i in range(50)]
    big = "1\t1\t50.0\t3.5\t0.1\t0\t0.5" + "\t1" * n_fields
    path.write_text("\r\n".join([*MPT_HEAD, MPT_COLUMNS, *rows, big, *rows]) + "\r\n")
    return path


_MEASURE = """
import json, resource, sys
import lbpo_gui.core.readers.text as T
T.USE_POLARS = sys.argv[2] == "polars"
import polars  # noqa: imported before the baseline (its own size is not the file's)
from lbpo_gui.core.readers import read
from lbpo_gui.core.errors import ReaderError
r0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    read(sys.argv[1]); msg = None
except ReaderError as e:
    msg = str(e)
print(json.dumps({"msg": msg, "kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - r0}))
"""


@pytest.mark.parametrize("parser", ["polars", "pandas"])
def test_row_with_far_more_fields_is_refused_with_bounded_memory(tmp_path: Path, parser) -> None:
    """A 20 MB single row of 10 M fields (a 200 MB one used 22 GB): refused with its line
    number; the peak memory of the read stays within a few times the file size."""
    p = _long_row_file(tmp_path / "long.mpt", 10_000_000)
    size_mb = p.stat().st_size / 2**20
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(p), parser],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert "long.mpt, line 56" in res["msg"]
    assert "10,000,007 fields, the header names 7" in res["msg"]
    assert res["kb"] / 1024 < 4 * size_mb + 40, res


def test_short_rows_around_a_long_text_field_still_read(tmp_path: Path) -> None:
    """A long row with the right number of fields is not refused."""
    rows = [f"1\t1\t{i}.0\t3.{i}\t0.1\t0\t0.{i}" for i in range(30)]
    p = tmp_path / "ok.mpt"
    p.write_text("\r\n".join([*MPT_HEAD, MPT_COLUMNS, *rows]) + "\r\n")
    (t,) = read(p)
    assert t.n_points == 30


def test_ragged_row_error_names_its_line(tmp_path: Path) -> None:
    rows = [f"1\t1\t{i}.0\t3.{i}\t0.1\t0\t0.{i}" for i in range(30)]
    rows[10] += "\t1" * 5000 + "\t2" * 40000
    p = tmp_path / "ragged.mpt"
    p.write_text("\r\n".join([*MPT_HEAD, MPT_COLUMNS, *rows]) + "\r\n")
    with pytest.raises(ReaderError, match=r"ragged.mpt, line 16: .*45,007 fields"):
        read(p)
