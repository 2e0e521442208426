"""The pandas-free path for small EC-Lab text files: the same arrays and metadata as the pandas
path on every public ``.mpt``, the pandas path's messages for bad rows, and no pandas import in
a fresh process reading a small file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.demo.cycling import generate_long_mpt
from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import read
from lbpo_gui.core.readers import text as text_module
from lbpo_gui.core.readers.light_frame import LightFrame, read_block_numpy


def _read_both(path: Path, monkeypatch):
    light = read(path)
    with monkeypatch.context() as m:
        m.setattr(text_module, "read_block_numpy", lambda *a, **k: None)
        heavy = read(path)
    return light, heavy


def _same(a, b) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.metadata == y.metadata
        assert set(x.arrays) == set(y.arrays)
        for k in x.arrays:
            np.testing.assert_array_equal(x.arrays[k], y.arrays[k], err_msg=k)


def test_every_public_mpt_reads_the_same_without_pandas(shared_data, monkeypatch):
    files = sorted(p for p in shared_data.rglob("*.mpt") if "MissingFreq" not in p.name)
    assert len(files) >= 10
    for path in files:
        _same(*_read_both(path, monkeypatch))


@pytest.fixture
def small_mpt(tmp_path) -> Path:
    return generate_long_mpt(tmp_path / "small.mpt", n_rows=3000)


def test_small_demo_file_takes_the_light_path(small_mpt, monkeypatch):
    used = []
    real = text_module.read_block_numpy

    def spy(*a, **k):
        out = real(*a, **k)
        used.append(out)
        return out

    monkeypatch.setattr(text_module, "read_block_numpy", spy)
    light = read(small_mpt)
    assert used and isinstance(used[0], LightFrame)
    monkeypatch.setattr(text_module, "read_block_numpy", lambda *a, **k: None)
    _same(light, read(small_mpt))


def _with_bad_value(path: Path, value: str) -> tuple[Path, int]:
    lines = path.read_bytes().split(b"\n")
    header = next(i for i, ln in enumerate(lines) if b"Ewe/V" in ln)
    col = lines[header].split(b"\t").index(b"Ewe/V")
    k = (header + len(lines)) // 2
    fields = lines[k].split(b"\t")
    fields[col] = value.encode()
    lines[k] = b"\t".join(fields)
    path.write_bytes(b"\n".join(lines))
    return path, k + 1


def test_a_bad_value_falls_back_and_is_named_with_its_line(small_mpt):
    path, line = _with_bad_value(small_mpt, "1.2.3")
    with pytest.raises(ReaderError) as info:
        read(path)
    assert info.value.line == line and "not a number" in str(info.value)


def test_light_frame_refuses_what_is_not_plain_numbers(tmp_path):
    p = tmp_path / "block.txt"
    p.write_text("1\t2\n3\t\n")  # an empty field
    assert read_block_numpy(p, 0, ["a", "b"], ["a", "b"], "\t", "latin-1") is None
    p.write_text("1\t2\n3\t4\n\n")
    frame = read_block_numpy(p, 0, ["a", "b"], ["b"], "\t", "latin-1")
    assert frame is not None and len(frame) == 2
    assert frame["b"].to_numpy().tolist() == [2.0, 4.0]
    assert frame[np.array([False, True])]["b"].to_numpy().tolist() == [4.0]
    assert read_block_numpy(p, 0, ["a", "b"], ["c"], "\t", "latin-1") is None
    assert read_block_numpy(p, 0, ["a", "b"], ["a"], ";", "latin-1") is None


def test_a_fresh_process_reads_a_small_file_without_pandas(small_mpt):
    code = (
        "import sys; from lbpo_gui.core.readers import read; "
        "from lbpo_gui.core.echem.table import summarise_table; "
        f"(t,) = read({str(small_mpt)!r}, kind='cycling'); "
        "summarise_table(t.arrays, t.metadata, active_mass_mg=10.0); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
