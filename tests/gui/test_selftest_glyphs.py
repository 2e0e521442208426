"""The self-test's font check renders text (boxes fail) and its --save option."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from lbpo_gui.core.project import load_project
from lbpo_gui.gui import app as gui_app
from lbpo_gui.gui.selftest import GLYPH_SAMPLE, glyph_check


def test_glyph_check_passes_with_installed_fonts(qapp):
    result = glyph_check()
    assert result["ok"], result
    assert result["distinct"] == len(GLYPH_SAMPLE)
    assert min(result["ink_px"].values()) > 20


def test_self_test_fails_when_text_renders_as_boxes(tmp_path):
    # fontconfig with an empty font folder: Qt draws every character as the same box
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'none'}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    report = tmp_path / "st.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FONTCONFIG_FILE": str(conf)}
    code = (
        "import sys; from lbpo_gui.gui.app import main; "
        "sys.exit(main(['--self-test', '--report', sys.argv[1]]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "text renders as boxes" in proc.stderr
    glyphs = json.loads(report.read_text())["glyphs"]
    assert not glyphs["ok"] and glyphs["distinct"] == 1


def test_self_test_saves_the_project(qtbot, small_lbpo, tmp_path, capsys):
    saved = tmp_path / "copy.lbpo"
    report = tmp_path / "st.json"
    code = gui_app.main(
        ["--self-test", str(small_lbpo), "--save", str(saved), "--report", str(report)]
    )
    assert code == 0, capsys.readouterr().err
    assert json.loads(report.read_text())["saved"] == str(saved)
    assert [s.name for s in load_project(saved).samples] == [
        s.name for s in load_project(small_lbpo).samples
    ]
