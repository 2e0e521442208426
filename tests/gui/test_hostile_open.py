"""Opening a hostile project file in the window: one calm message, the open project intact."""

from __future__ import annotations

import pytest

from lbpo_gui.gui import dialogs
from tests.core.project.helpers import small_project
from tests.core.project.test_container_security import CRAFTED

HOSTILE = [k for k in CRAFTED if k != "1,000,000 zip entries"]  # that one takes ~1 s to make


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    from lbpo_gui.core.project import save_project

    folder = tmp_path_factory.mktemp("hostile")
    p = small_project()
    good = (save_project(p, folder / "good.lbpo"), p.samples[0].datasets[0].id)
    out = {}
    for key in HOSTILE:
        dst = folder / (key.replace(" ", "_").replace(",", "") + ".lbpo")
        CRAFTED[key][0](good, dst)
        out[key] = dst
    return out


def test_every_hostile_file_is_refused_and_the_open_project_kept(
    qtbot, make_window, small_lbpo, hostile_files
):
    window = make_window(small_lbpo)
    project = window.document.project
    names = [s.name for s in project.samples]
    revision = project.revision
    for key, path in hostile_files.items():
        dialogs.recorded.clear()
        assert window.open_project(path) is False, key
        assert window.document.project is project, key
        assert [s.name for s in project.samples] == names and project.revision == revision
        (message,) = [m for m in dialogs.recorded if m.level == "critical"]
        assert "\n" not in message.text and path.name in message.text, (key, message.text)
        assert "Traceback" not in message.text
    assert window.document.path == small_lbpo
