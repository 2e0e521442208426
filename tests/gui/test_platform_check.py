"""Before Qt starts, missing system libraries are named by their Debian package (no core dump)."""

from __future__ import annotations

import subprocess
import sys

from lbpo_gui.gui import launch, platform_check


def test_missing_xcb_libraries_are_named_by_package():
    gone = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    missing = platform_check.missing_packages("xcb", loads=lambda lib: lib not in gone)
    assert missing == ["libxcb-cursor0", "libxcb-icccm4"]
    line = platform_check.missing_message(missing, "xcb")
    assert "apt-get install libxcb-cursor0 libxcb-icccm4" in line and "\n" not in line
    # offscreen needs none of the X11 libraries
    assert platform_check.missing_packages("offscreen", loads=lambda lib: lib not in gone) == []


def test_platform_follows_qt_rules():
    assert platform_check.platform_name({"QT_QPA_PLATFORM": "offscreen"}) == "offscreen"
    assert platform_check.platform_name({"WAYLAND_DISPLAY": "wayland-0"}) == "wayland"
    assert platform_check.platform_name({"DISPLAY": ":0"}) == "xcb"


def test_launcher_refuses_in_one_line_before_importing_qt(monkeypatch, capsys):
    monkeypatch.setattr(launch, "missing_packages", lambda platform: ["libxcb-cursor0"])
    monkeypatch.setattr(launch, "platform_name", lambda: "xcb")
    assert launch.main(["--demo"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "libxcb-cursor0" in err[0]


def test_no_display_is_a_message_not_an_abort():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "QT_QPA_PLATFORM": ""}
    proc = subprocess.run(
        [sys.executable, "-c", "from lbpo_gui.gui.launch import main; raise SystemExit(main([]))"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert "no X display" in proc.stderr and "Traceback" not in proc.stderr
