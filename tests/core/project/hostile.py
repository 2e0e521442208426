"""Makers of hostile project files: each takes a good project file and writes a crafted one."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

DEEP = 100_000


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def write_zip(dst: Path, members: dict[str, bytes]) -> None:
    """A project zip of ``members`` in order (mimetype first and stored), written as given."""
    members = dict(members)
    with zipfile.ZipFile(dst, "w") as zout:
        zout.writestr("mimetype", members.pop("mimetype"), zipfile.ZIP_STORED)
        for name, data in members.items():
            zout.writestr(name, data, zipfile.ZIP_DEFLATED)


def entry(data: bytes) -> dict:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def rewrite_raw(good: Path, dst: Path, replace: dict[str, bytes], manifest_text=None) -> None:
    """Replace members, fix their manifest entries, and optionally edit the manifest's text."""
    members = members_of(good)
    members.update(replace)
    manifest = json.loads(members["manifest.json"])
    for name, data in replace.items():
        if name != "manifest.json":
            manifest["members"][name] = entry(data)
    text = json.dumps(manifest)
    if manifest_text is not None:
        text = manifest_text(text, manifest)
    members["manifest.json"] = text.encode()
    write_zip(dst, members)


def npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def dataset_arrays(good: Path, dataset_id: str) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(members_of(good)[f"data/{dataset_id}.npz"])) as f:
        return {k: f[k] for k in f.files}


def deep_json() -> bytes:
    return b"[" * DEEP + b"]" * DEEP


def make_deep_project_json(good, dst):
    rewrite_raw(good[0], dst, {"project.json": deep_json()})


def make_deep_manifest(good, dst):
    members = members_of(good[0])
    members["manifest.json"] = b'{"format": "lbpo-project", "x": ' + deep_json() + b"}"
    write_zip(dst, members)


def _size_token(token: str):
    def edit(text: str, manifest: dict) -> str:
        size = manifest["members"]["project.json"]["size"]
        old = f'"project.json": {{"size": {size},'
        assert old in text
        return text.replace(old, f'"project.json": {{"size": {token},')

    return edit


def make_size_list(good, dst):
    rewrite_raw(good[0], dst, {}, _size_token("[1, 2]"))


def make_size_string(good, dst):
    rewrite_raw(good[0], dst, {}, _size_token('"123"'))


def make_size_huge(good, dst):
    rewrite_raw(good[0], dst, {}, _size_token("1e999"))


def make_zero_d_array(good, dst):
    arrays = dataset_arrays(good[0], good[1])
    arrays["voltage_V"] = np.array(3.7)
    rewrite_raw(good[0], dst, {f"data/{good[1]}.npz": npz(**arrays)})


def make_ragged_arrays(good, dst):
    arrays = dataset_arrays(good[0], good[1])
    arrays["voltage_V"] = arrays["voltage_V"][:-1]
    rewrite_raw(good[0], dst, {f"data/{good[1]}.npz": npz(**arrays)})


def _project_json_edit(good: Path, old: bytes, new: bytes) -> bytes:
    doc = members_of(good)["project.json"]
    assert old in doc
    return doc.replace(old, new, 1)


def make_huge_number_in_metadata(good, dst):
    doc = _project_json_edit(good[0], b'"channel": 3', b'"channel": 1e999')
    rewrite_raw(good[0], dst, {"project.json": doc})


def make_metadata_nested_65(good, dst):
    """Deeper than a stored value may be (64), shallow enough for the JSON parser."""
    doc = _project_json_edit(good[0], b'"channel": 3', b'"channel": ' + b"[" * 65 + b"]" * 65)
    rewrite_raw(good[0], dst, {"project.json": doc})


def make_member_listed_twice(good, dst):
    def edit(text: str, manifest: dict) -> str:
        first = json.dumps({"project.json": manifest["members"]["project.json"]})[1:-1]
        return text.replace('"members": {', '"members": {' + first + ", ", 1)

    rewrite_raw(good[0], dst, {}, edit)


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    """A version 1.0 ``.npy`` header declaring ``shape``."""
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1")


def make_3gib_array_header(good, dst):
    """An .npy whose header declares a 3.2 GB float64 array, with only a few bytes behind it."""
    arrays = dataset_arrays(good[0], good[1])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as inner:
        for key, a in arrays.items():
            if key == "voltage_V":
                inner.writestr("voltage_V.npy", npy_header((400_000_000,)) + bytes(64))
            else:
                b = io.BytesIO()
                np.save(b, a)
                inner.writestr(f"{key}.npy", b.getvalue())
    rewrite_raw(good[0], dst, {f"data/{good[1]}.npz": buf.getvalue()})


def make_million_entries(good, dst, n: int = 1_000_000):
    """A zip with a real central directory of ``n`` entries (all naming one empty member).

    Built from struct records (zipfile would take a minute to write it).
    """
    mimetype = members_of(good[0])["mimetype"]
    crc = zlib.crc32(mimetype)
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(mimetype), len(mimetype), 8, 0
    )
    local += b"mimetype" + mimetype
    empty_local_offset = len(local)
    local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 9, 0) + b"x/0000000"
    head = struct.Struct("<4s6H3L5H2L")
    cd = [
        head.pack(
            b"PK\x01\x02",
            20,
            20,
            0,
            0,
            0,
            0,
            crc,
            len(mimetype),
            len(mimetype),
            8,
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + b"mimetype"
    ]
    fixed = head.pack(
        b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, empty_local_offset
    )
    cd.extend(fixed + b"x/%07d" % i for i in range(1, n))
    directory = b"".join(cd)
    cd_offset = len(local)
    zip64_eocd = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(directory), cd_offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, cd_offset + len(directory), 1)
    eocd = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(directory), cd_offset, 0
    )
    dst.write_bytes(local + directory + zip64_eocd + locator + eocd)
