"""Project files from strangers, beyond the refusals of test_container_security: memory bounds
of the loader, unexpected errors, and "whatever opens, saves"."""

from __future__ import annotations

import contextlib
import json
import tracemalloc
import zipfile

import numpy as np
import pytest

from lbpo_gui.cli import main as cli_main
from lbpo_gui.core.errors import ProjectFileError
from lbpo_gui.core.project import Dataset, Project, load_project, save_project
from lbpo_gui.core.project import container as container_module
from lbpo_gui.core.project.container import Limits

from . import hostile
from .helpers import small_project

MB = 1024**2


@pytest.fixture
def good(tmp_path):
    p = small_project()
    return save_project(p, tmp_path / "good.lbpo"), p.samples[0].datasets[0].id


def peak_bytes(fn) -> int:
    """Peak traced allocation while ``fn()`` runs (numpy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        with contextlib.suppress(ProjectFileError):
            fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def big_project(tmp_path):
    """A project whose one dataset is a 40 MB array of noise (saved as a stored member)."""
    p = Project("Big")
    s = p.add_sample("S")
    rng = np.random.default_rng(0)
    p.add_dataset(s.id, Dataset("cycling", "big", {"voltage_V": rng.standard_normal(5_000_000)}))
    path = save_project(p, tmp_path / "big.lbpo")
    with zipfile.ZipFile(path) as zf:
        member = max(zf.infolist(), key=lambda i: i.file_size)
    assert member.compress_type == zipfile.ZIP_STORED and member.file_size > 40_000_000
    return path, member, p.samples[0].datasets[0].arrays["voltage_V"]


def test_each_member_is_held_once(big_project):
    """A 40 MB stored array member costs the array, not its bytes too (nor chunks + join)."""
    path, member, voltage = big_project
    peak = peak_bytes(lambda: load_project(path))
    assert peak < 1.2 * member.file_size, f"peak {peak / MB:.0f} MB for a 40 MB member"
    loaded = load_project(path).samples[0].datasets[0].arrays["voltage_V"]
    np.testing.assert_array_equal(loaded, voltage)
    loaded[0] = 1.0  # an ordinary, writable array


def test_stored_member_read_in_place_still_checks_its_hash(big_project, tmp_path):
    path, member, _ = big_project
    data = bytearray(path.read_bytes())
    data[member.header_offset + 1000 + len(member.filename) + 30] ^= 0xFF
    damaged = tmp_path / "damaged.lbpo"
    damaged.write_bytes(bytes(data))
    with pytest.raises(ProjectFileError, match="damaged|sha256"):
        load_project(damaged)


def test_npy_header_is_checked_against_the_cap_before_reading(good, tmp_path):
    dst = tmp_path / "declares.lbpo"
    hostile.make_3gib_array_header(good, dst)
    assert dst.stat().st_size < 1 * MB
    peak = peak_bytes(lambda: load_project(dst))
    assert peak < 5 * MB, f"refusing a 3.2 GB header used {peak / MB:.0f} MB"
    with pytest.raises(ProjectFileError, match=r"declares \(200,\) x float64 = 1,600 bytes"):
        load_project(good[0], Limits(max_array_bytes=1000))


def test_entry_count_is_read_before_the_directory_is_parsed(good, tmp_path):
    dst = tmp_path / "million.lbpo"
    hostile.make_million_entries(good, dst)
    assert len(zipfile.ZipFile(dst).infolist()) == 1_000_000  # a real directory
    peak = peak_bytes(lambda: load_project(dst))
    assert peak < 2 * MB, f"refusing 1M entries used {peak / MB:.0f} MB"
    with pytest.raises(ProjectFileError, match="1000000 members, more than 20000"):
        load_project(dst)


def test_directory_larger_than_its_entry_count_allows_is_refused(good, tmp_path):
    dst = tmp_path / "many.lbpo"
    hostile.make_million_entries(good, dst, n=30_000)
    with pytest.raises(ProjectFileError, match="zip directory of 1,649,999 bytes"):
        load_project(dst, Limits(max_members=40_000, max_directory_entry_bytes=40))


def test_unexpected_error_while_loading_is_one_line(good, monkeypatch):
    def broken(doc, version):
        raise RuntimeError("a bug\nwith a second line")

    monkeypatch.setattr(container_module, "migrate", broken)
    with pytest.raises(ProjectFileError) as err:
        load_project(good[0])
    message = str(err.value)
    assert message == "good.lbpo: could not be read (RuntimeError: a bug with a second line)"


def test_cli_logs_an_unexpected_error_and_prints_one_line(good, capsys, monkeypatch, tmp_path):
    from lbpo_gui.cli import info

    def broken(args):
        raise ZeroDivisionError("unexpected 7f3a")

    monkeypatch.setenv("LBPO_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(info, "run", broken)
    rc = cli_main(["info", str(good[0])])
    out, err = capsys.readouterr()
    log = tmp_path / "logs" / "errors.log"
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("lbpo: error: unexpected ZeroDivisionError: unexpected 7f3a")
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: unexpected 7f3a" in text


# ----------------------------------------------------------------- whatever opens, saves
def _edit_metadata(good, dst, value: bytes):
    doc = hostile.members_of(good[0])["project.json"]
    doc = doc.replace(b'"channel": 3', b'"channel": ' + value, 1)
    hostile.rewrite_raw(good[0], dst, {"project.json": doc})


ODD_BUT_VALID = {
    "nested 60 deep": b"[" * 60 + b"]" * 60,
    "largest float": b"1.7976931348623157e308",
    "tiny float": b"5e-324",
    "big integer": b"1" + b"0" * 40,
    "unicode text": json.dumps("\u00b5A \U0001f50b \u0000 \u202e").encode(),
    "empty containers": b'{"": [], "x": {}}',
}


@pytest.mark.parametrize("key", list(ODD_BUT_VALID))
def test_odd_but_valid_metadata_opens_and_saves(key, good, tmp_path):
    dst = tmp_path / "odd.lbpo"
    _edit_metadata(good, dst, ODD_BUT_VALID[key])
    project = load_project(dst)
    saved = save_project(project, tmp_path / "again.lbpo")
    again = load_project(saved)
    meta = again.samples[0].datasets[0].metadata
    assert meta["channel"] == json.loads(ODD_BUT_VALID[key])


def test_every_crafted_file_that_opens_also_saves(good, tmp_path):
    """Each crafted file (test_container_security's and these) is refused, or loads and saves."""
    from .test_container_security import CRAFTED

    makers = {k: m for k, (m, _) in CRAFTED.items()}
    makers.update(
        {f"odd {k}": (lambda g, d, v=v: _edit_metadata(g, d, v)) for k, v in ODD_BUT_VALID.items()}
    )
    makers["huge integer"] = lambda g, d: _edit_metadata(g, d, b"9" * 5000)
    opened = []
    for i, (key, make) in enumerate(makers.items()):
        dst = tmp_path / f"c{i}.lbpo"
        make(good, dst)
        try:
            project = load_project(dst)
        except ProjectFileError as exc:
            assert "\n" not in str(exc), key
            continue
        save_project(project, tmp_path / f"saved{i}.lbpo")
        load_project(tmp_path / f"saved{i}.lbpo")
        opened.append(key)
    assert len(opened) == len(ODD_BUT_VALID)
