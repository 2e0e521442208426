"""A save killed half-way leaves the previous file readable."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from lbpo_gui.core.project import Dataset, load_project, save_project

from .helpers import small_project

SAVER = textwrap.dedent(
    """
    import sys, numpy as np
    from lbpo_gui.core.project import Dataset, load_project, save_project
    path = sys.argv[1]
    p = load_project(path)
    sid = p.samples[0].id
    rng = np.random.default_rng(0)
    big = {"time_s": rng.random(2_000_000), "voltage_V": rng.random(2_000_000),
           "current_mA": rng.random(2_000_000)}
    p.add_dataset(sid, Dataset("cycling", "big", big))
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        p.rename_sample(sid, f"Saved {i}")
        save_project(p, path)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_save_killed_half_way_leaves_a_readable_file(tmp_path):
    path = save_project(small_project(), tmp_path / "study.lbpo")
    names_seen = set()
    for delay in (0.05, 0.2, 0.45, 0.8, 1.3, 2.1):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        p = load_project(path)  # must not raise: either the old or a complete new file
        names_seen.add(p.samples[0].name)
        assert len(p.samples) == 2
    # The killed processes did complete some saves, so the kill hit the writing loop.
    assert any(n.startswith("Saved") for n in names_seen)


def test_failed_serialisation_does_not_touch_the_file(tmp_path):
    p = small_project()
    path = save_project(p, tmp_path / "study.lbpo")
    before = path.read_bytes()
    sample = p.samples[0]
    bad = Dataset("cycling", "bad", {"time_s": np.arange(3.0)})
    p.add_dataset(sample.id, bad)
    bad.metadata["oops"] = object()  # bypasses the API on purpose: serialisation must fail
    from lbpo_gui.core.errors import ProjectFileError

    with pytest.raises(ProjectFileError):
        save_project(p, path)
    assert path.read_bytes() == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["study.lbpo"]
