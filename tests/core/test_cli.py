"""The `lbpo` command line: JSON contract, exit codes, errors on stderr."""

from __future__ import annotations

import json
import subprocess
import sys

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
