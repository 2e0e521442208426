"""Project files from strangers: every crafted file is refused with a one-line message, quickly,
without writing anything, and the project the user had open stays intact."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.cli import main as cli_main
from lbpo_gui.core.errors import ProjectFileError
from lbpo_gui.core.project import load_project, save_project
from tests.conftest import REPO_ROOT

from . import hostile
from .helpers import small_project

GIB = 1024**3


def rewrite(
    src: Path,
    dst: Path,
    *,
    replace: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
    edit_manifest: Callable[[dict], None] | None = None,
    rehash: bool = True,
) -> None:
    """Copy a project zip member by member, replacing/adding members and fixing the manifest."""
    replace, extra = replace or {}, extra or {}
    with zipfile.ZipFile(src) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    members.update(replace)
    manifest = json.loads(members["manifest.json"])
    for name, data in {**replace, **extra}.items():
        if rehash:
            manifest["members"][name] = {
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
    if edit_manifest:
        edit_manifest(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w") as zout:
        zout.writestr("mimetype", members.pop("mimetype"), zipfile.ZIP_STORED)
        for name, data in {**members, **extra}.items():
            zout.writestr(name, data, zipfile.ZIP_DEFLATED)


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("good")
    p = small_project()
    path = save_project(p, folder / "good.lbpo")
    return path, p.samples[0].datasets[0].id


def pickled_npz() -> bytes:
    buf = io.BytesIO()
    np.savez(buf, time_s=np.array([{"evil": "object"}], dtype=object))
    return buf.getvalue()


def make_zip_slip(good, dst):
    rewrite(good[0], dst, extra={"../../evil.txt": b"owned"})


def make_zip_slip_manifest_only(good, dst):
    # The name is only in the manifest (the loader must refuse it before touching any file).
    rewrite(
        good[0],
        dst,
        edit_manifest=lambda m: m["members"].update(
            {"C:/Windows/evil.dll": {"size": 1, "sha256": "0"}}
        ),
    )


def make_pickle(good, dst):
    rewrite(good[0], dst, replace={f"data/{good[1]}.npz": pickled_npz()})


def make_truncated(good, dst):
    data = good[0].read_bytes()
    dst.write_bytes(data[: len(data) // 2])


def make_newer_schema(good, dst):
    rewrite(good[0], dst, edit_manifest=lambda m: m.update(schema_version=99, app_version="9.0"))


def make_wrong_hash(good, dst):
    with zipfile.ZipFile(good[0]) as zf:
        doc = zf.read("project.json")
    tampered = doc.replace(b'"Pristine"', b'"Tampered"')  # same size, different content
    assert tampered != doc and len(tampered) == len(doc)
    rewrite(good[0], dst, replace={"project.json": tampered}, rehash=False)


def make_not_listed(good, dst):
    rewrite(good[0], dst, edit_manifest=lambda m: m["members"].pop(f"data/{good[1]}.npz"))


def make_zip_bomb(good, dst):
    """A member that inflates to 2.5 GiB of zeros (about 2.5 MB on disk)."""
    with zipfile.ZipFile(good[0]) as zin:
        members = {i.filename: zin.read(i) for i in zin.infolist()}
    name = f"data/{good[1]}.npz"
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        zout.writestr("mimetype", members.pop("mimetype"), zipfile.ZIP_STORED)
        for n, data in members.items():
            if n != name:
                zout.writestr(n, data)
        chunk = bytes(64 * 1024 * 1024)
        with zout.open(zipfile.ZipInfo(name), "w", force_zip64=True) as fh:
            for _ in range(40):
                fh.write(chunk)


CRAFTED = {
    "zip-slip member": (make_zip_slip, "unsafe member name"),
    "drive letter in manifest": (make_zip_slip_manifest_only, "unsafe member name"),
    "pickled object in npz": (make_pickle, "pickled"),
    "truncated file": (make_truncated, "truncated"),
    "newer schema": (make_newer_schema, "schema version 99"),
    "wrong hash": (make_wrong_hash, "sha256"),
    "member not in manifest": (make_not_listed, "not listed in the manifest"),
    "zip bomb": (make_zip_bomb, "inflate"),
    "project.json nested 100,000 deep": (hostile.make_deep_project_json, "nested too deeply"),
    "manifest.json nested 100,000 deep": (hostile.make_deep_manifest, "nested too deeply"),
    "member size a list": (hostile.make_size_list, "invalid size [...]"),
    "member size a string": (hostile.make_size_string, "invalid size '123'"),
    "member size 1e999": (hostile.make_size_huge, "1e999 is out of range"),
    "0-d array": (hostile.make_zero_d_array, "a single number, not an array"),
    "arrays of different lengths": (hostile.make_ragged_arrays, "differ in length"),
    "1e999 in metadata": (hostile.make_huge_number_in_metadata, "1e999 is out of range"),
    "metadata nested 65 deep": (hostile.make_metadata_nested_65, "nested deeper than 64"),
    "member listed twice in manifest": (
        hostile.make_member_listed_twice,
        "'project.json' appears twice",
    ),
    "npy header declares 3.2 GB": (hostile.make_3gib_array_header, "3,200,000,000 bytes"),
    "1,000,000 zip entries": (hostile.make_million_entries, "1000000 members"),
}


@pytest.fixture(scope="module")
def crafted(good, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("crafted")
    out = {}
    for key, (maker, _) in CRAFTED.items():
        dst = folder / (key.replace(" ", "_") + ".lbpo")
        maker(good, dst)
        out[key] = dst
    return out


def _snapshot(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


@pytest.mark.parametrize("key", list(CRAFTED))
def test_crafted_file_refused_by_loader(key, crafted):
    path = crafted[key]
    before = _snapshot(path.parent)
    t0 = time.perf_counter()
    with pytest.raises(ProjectFileError) as err:
        load_project(path)
    elapsed = time.perf_counter() - t0
    message = str(err.value)
    assert CRAFTED[key][1] in message
    assert "\n" not in message and message.startswith(path.name)
    assert elapsed < 5.0, f"refusal took {elapsed:.1f} s"
    assert _snapshot(path.parent) == before


@pytest.mark.parametrize("key", list(CRAFTED))
def test_crafted_file_gives_exit_2_on_command_line(key, crafted, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc = cli_main(["info", str(crafted[key]), "--json"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and CRAFTED[key][1] in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("key", list(CRAFTED))
def test_crafted_file_refused_in_a_fresh_process_within_5_s(key, crafted, tmp_path):
    env = {**os.environ, "LBPO_RECOVERY_DIR": str(tmp_path / "rec"), "PYTHONPATH": str(REPO_ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "lbpo_gui", "info", str(crafted[key]), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 2 and proc.stdout == ""
    assert CRAFTED[key][1] in proc.stderr and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
    assert elapsed < 5.0, f"refusal took {elapsed:.1f} s"
    assert list(tmp_path.iterdir()) == []


def test_bomb_member_larger_than_total_cap_refused_by_size(good, tmp_path):
    from lbpo_gui.core.project.container import Limits

    path = tmp_path / "b.lbpo"
    make_zip_bomb(good, path)
    tight = Limits(max_member_bytes=GIB, max_ratio=1e9)
    with pytest.raises(ProjectFileError, match="would inflate to"):
        load_project(path, tight)
