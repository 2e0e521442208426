"""The `lbpo` command line: JSON contract, exit codes, errors on stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from lbpo_gui.cli import main
from lbpo_gui.core.project import save_project

from .project.helpers import small_project


def run_json(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if out.strip() else None), err


def test_info_on_a_project(tmp_path, capsys):
    path = save_project(small_project(), tmp_path / "s.lbpo")
    rc, out, err = run_json(capsys, "info", str(path), "--json")
    assert rc == 0 and err == ""
    assert out["format"] == "lbpo-project" and out["kind"] == "project"
    assert [s["name"] for s in out["samples"]] == ["Pristine", "LBPO 0.05-0.15"]
    kinds = {d["kind"] for s in out["samples"] for d in s["datasets"]}
    assert kinds == {"cycling", "impedance", "xps", "eds_profile"}
    assert {"kind", "label"} <= set(out["samples"][0]["datasets"][0])


def test_missing_file_and_unknown_format_exit_2(tmp_path, capsys):
    rc, out, err = run_json(capsys, "info", str(tmp_path / "nope.mpt"), "--json")
    assert rc == 2 and out is None and "nope.mpt" in err and "not found" in err
    junk = tmp_path / "junk.xyz"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    rc, out, err = run_json(capsys, "info", str(junk), "--json")
    assert rc == 2 and "junk.xyz" in err and err.count("\n") == 1


def test_bad_arguments_exit_2(capsys):
    rc = main(["frobnicate"])
    _, err = capsys.readouterr()
    assert rc == 2 and "invalid choice" in err
    rc = main(["info"])
    assert rc == 2


def test_human_output_without_json(tmp_path, capsys):
    path = save_project(small_project(), tmp_path / "s.lbpo")
    assert main(["info", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert "Pristine" in out and not out.lstrip().startswith("{")


def test_console_script_entry_point(tmp_path):
    path = save_project(small_project(), tmp_path / "s.lbpo")
    proc = subprocess.run(
        [sys.executable, "-m", "lbpo_gui", "info", str(path), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "project"


def test_info_tables_report_the_x_range_and_where_the_signal_peaks(tmp_path, capsys):
    from lbpo_gui.core.demo.cycling import rate_test_dataset
    from lbpo_gui.core.demo.writers import write_biologic_gcpl_mpt

    data = rate_test_dataset("Pristine", 1)
    path = write_biologic_gcpl_mpt(tmp_path / "rate.mpt", data)
    rc, out, _ = run_json(capsys, "info", str(path), "--json")
    assert rc == 0
    table = out["tables"][0]
    t, v = data.arrays["time_s"], data.arrays["voltage_V"]
    assert table["x_min"] == pytest.approx(t.min(), abs=0.01)
    assert table["x_max"] == pytest.approx(t.max(), abs=0.01)
    assert table["x_at_max"] == pytest.approx(t[np.argmax(v)], abs=0.01)


def test_x_summary_of_impedance_is_the_apex_frequency():
    from lbpo_gui.core.demo.impedance import impedance_dataset
    from lbpo_gui.core.readers.base import x_summary

    d = impedance_dataset("Pristine", 1)
    s = x_summary("impedance", d.arrays)
    assert s["x_min"] == pytest.approx(0.01) and s["x_max"] == pytest.approx(5e5)
    assert s["x_at_max"] == d.arrays["frequency_Hz"][np.argmax(-d.arrays["z_imag_ohm"])]
    assert x_summary("xps", {}) == {"x_min": None, "x_max": None, "x_at_max": None}
