"""The ``lbpo-gui`` entry point: self-test, screenshot, options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from lbpo_gui.gui import app as gui_app
from lbpo_gui.gui import selftest


def test_self_test_with_small_project(qtbot, small_lbpo, tmp_path, capsys):
    report_path = tmp_path / "report.json"
    code = gui_app.main(["--self-test", str(small_lbpo), "--report", str(report_path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "self-test OK" in out.out
    report = json.loads(report_path.read_text())
    assert report["ok"] is True and report["failures"] == []
    assert [t["title"] for t in report["tabs"]] == [
        "Electrochemistry",
        "Impedance",
        "XPS",
        "EDS",
        "Summary",
    ]
    technique = report["tabs"][:4]
    assert all(
        t["dataset_selected"] and t["plot_items"] >= 1 and not t["empty_state"] for t in technique
    )
    # the EDS profile view alone draws the data and the fitted edge of each of the 4 elements
    assert report["tabs"][3]["plot_items"] >= 8, "data and fit per EDS element"
    assert report["fonts"] > 0
    assert report["project"] == {"name": "Small study", "samples": 2, "datasets": 8}
    assert not (Path(os.environ["LBPO_SETTINGS_DIR"]) / "lbpo-workbench.ini").exists(), (
        "no settings written"
    )


def test_self_test_fails_without_fonts(qtbot, small_lbpo, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(selftest, "real_font_families", lambda: [])
    report_path = tmp_path / "report.json"
    assert gui_app.main(["--self-test", str(small_lbpo), "--report", str(report_path)]) == 1
    assert "no fonts installed" in capsys.readouterr().err
    assert json.loads(report_path.read_text())["ok"] is False


def test_self_test_reports_a_missing_demo(qtbot, monkeypatch, capsys):
    def unavailable():
        raise gui_app.DemoUnavailable(
            "the built-in demo project is not available in this installation (test)"
        )

    monkeypatch.setattr(gui_app, "load_demo_project", unavailable)
    assert gui_app.main(["--self-test"]) == 1
    assert "demo project is not available" in capsys.readouterr().err


def test_self_test_with_damaged_project(qtbot, tmp_path, capsys):
    bad = tmp_path / "bad.lbpo"
    bad.write_bytes(b"PK\x03\x04garbage")
    assert gui_app.main(["--self-test", str(bad)]) == 1
    assert "bad.lbpo" in capsys.readouterr().err


def test_screenshot(qtbot, small_lbpo, tmp_path):
    png = tmp_path / "shot.png"
    assert gui_app.main(["--screenshot", str(png), "--tab", "Impedance", str(small_lbpo)]) == 0
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 800


def test_screenshot_unknown_tab(qtbot, small_lbpo, tmp_path, capsys):
    png = tmp_path / "shot.png"
    assert gui_app.main(["--screenshot", str(png), "--tab", "Nope", str(small_lbpo)]) == 2
    assert "no tab 'Nope'" in capsys.readouterr().err
    assert not png.exists()


def test_bad_options(qtbot, capsys):
    assert gui_app.main(["--no-such-option"]) == 2
    assert gui_app.main(["--version"]) == 0
    assert "LBPO Workbench" in capsys.readouterr().out


def test_qt_options_are_passed_to_qt():
    ours, qt = gui_app.split_qt_args(["-platform", "offscreen", "--demo", "-reverse", "x.lbpo"])
    assert ours == ["--demo", "x.lbpo"] and qt == ["-platform", "offscreen", "-reverse"]


@pytest.mark.slow
def test_self_test_with_demo_in_subprocess(tmp_path):
    try:
        import lbpo_gui.core.demo.project  # noqa: F401
    except ImportError:
        pytest.skip("the demo project module is not there yet")
    report = tmp_path / "demo.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "lbpo_gui.gui.app", "--self-test", "--report", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(report.read_text())
    assert data["ok"] and data["project"]["samples"] >= 3
