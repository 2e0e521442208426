"""The ``.lbpo`` project file: a zip of JSON and NPZ members, written atomically, read safely.

Layout::

    mimetype            first member, stored: "application/x-lbpo-project"
    manifest.json       {format, schema_version, app_version, saved, members: {name: {size, sha256}}}
    project.json        everything but arrays
    data/<id>.npz       arrays of a dataset (np.savez; read with allow_pickle=False)
    data/<id>.<analysis>.npz   arrays of an analysis result
    raw/<id>/<name>     optional: the original instrument file

Loading treats the file as coming from a stranger: only members the manifest lists are read, names
with ``..``, absolute paths, backslashes or drive letters are refused, the member count is read
from the zip's end record before its directory is parsed, sizes (integers), total and compression
ratio are capped, every member's sha256 is checked, JSON with duplicate keys, ``1e999`` or deep
nesting is refused, each array's dtype and shape are checked from its ``.npy`` header against a cap
before it is read (no pickles, no 0-d arrays, one length per dataset), and nothing is evaluated.
Each member is held in memory once (a stored array member is read in place from the file). What
loads passes the same checks as an edit of the project (:meth:`Project.add_dataset`), so whatever
opens can be saved. Every refusal, and any unexpected error while reading, is a
:class:`~lbpo_gui.core.errors.ProjectFileError` with a one-line message; nothing is written.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.lib import format as npy_format

from ... import __version__
from ..errors import ProjectError, ProjectFileError
from ..readers.base import DATASET_KINDS
from .atomic import atomic_write_bytes, remove_stale_temps
from .migrations import CURRENT_SCHEMA, SchemaError, migrate
from .model import (
    SAMPLE_FIELDS,
    Analysis,
    Dataset,
    Project,
    Provenance,
    Sample,
    check_json_value,
    json_dumps,
    now_iso,
)
from .untrusted import FileWindow, JsonRefusal, parse_json_strictly, zip_directory_size

MIMETYPE = "application/x-lbpo-project"
FORMAT_NAME = "lbpo-project"
PROJECT_SUFFIX = ".lbpo"


@dataclass(frozen=True)
class Limits:
    """Caps applied when reading a project file (defensive against crafted files)."""

    max_file_bytes: int = 8 * 1024**3
    max_members: int = 20_000
    max_member_bytes: int = 2 * 1024**3
    max_total_bytes: int = 6 * 1024**3
    max_json_bytes: int = 64 * 1024**2
    #: Compression ratio refused above this for members larger than ``ratio_floor_bytes``.
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 16 * 1024**2
    max_arrays_per_npz: int = 1000
    #: One array's size as its ``.npy`` header declares it (checked before it is read).
    max_array_bytes: int = 1024**3
    #: Central directory bytes allowed per member (with ``max_members``: checked from the
    #: end-of-central-directory record before the directory is parsed).
    max_directory_entry_bytes: int = 1024


DEFAULT_LIMITS = Limits()

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_ANALYSIS_RE = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_DRIVE_RE = re.compile(r"^[A-Za-z]:")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


# ============================================================================ writing
def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **{k: np.asarray(v) for k, v in arrays.items()})
    return buf.getvalue()


def _safe_raw_name(name: str) -> str:
    base = re.split(r"[\\/]", name)[-1].strip() or "original"
    base = re.sub(r"[^A-Za-z0-9._ ()+-]", "_", base)
    return base.lstrip(".") or "original"


def project_to_members(project: Project, *, include_raw: bool = True) -> dict[str, bytes]:
    """Serialise the project to member name -> bytes (mimetype and manifest excluded)."""
    members: dict[str, bytes] = {}
    samples_doc = []
    for s in project.samples:
        datasets_doc = []
        for d in s.datasets:
            data_member = f"data/{d.id}.npz"
            members[data_member] = _npz_bytes(d.arrays)
            analyses_doc = {}
            for name, a in d.analyses.items():
                a_member = None
                if a.arrays:
                    a_member = f"data/{d.id}.{name}.npz"
                    members[a_member] = _npz_bytes(a.arrays)
                analyses_doc[name] = {
                    "settings": a.settings,
                    "results": a.results,
                    "updated_at": a.updated_at,
                    "inputs": a.inputs,
                    "arrays_member": a_member,
                }
            raw_member = None
            if include_raw and d.raw is not None:
                raw_member = f"raw/{d.id}/{_safe_raw_name(d.provenance.original_name)}"
                members[raw_member] = d.raw
            datasets_doc.append(
                {
                    "id": d.id,
                    "kind": d.kind,
                    "label": d.label,
                    "metadata": d.metadata,
                    "provenance": d.provenance.to_dict(),
                    "arrays_member": data_member,
                    "array_names": list(d.arrays),
                    "raw_member": raw_member,
                    "analyses": analyses_doc,
                }
            )
        samples_doc.append({"id": s.id, **s.fields(), "datasets": datasets_doc})
    doc = {
        "project": {
            "id": project.id,
            "name": project.name,
            "notes": project.notes,
            "created": project.created,
            "settings": project.settings,
        },
        "samples": samples_doc,
    }
    members["project.json"] = json_dumps(doc).encode("utf-8")
    return members


def _compression_for(data: bytes) -> int:
    """Deflate what compresses; store large members that don't (noisy float arrays).

    Deflating incompressible data costs ~30 ms per MB and saves nothing, so a 256 KiB probe
    decides for members over 1 MiB.
    """
    if len(data) < 1 << 20:
        return zipfile.ZIP_DEFLATED
    probe = data[: 256 * 1024]
    if len(zlib.compress(probe, 1)) > 0.8 * len(probe):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def project_to_bytes(project: Project, *, include_raw: bool = True) -> bytes:
    """The complete ``.lbpo`` file as bytes (serialised in memory, so errors never touch disk)."""
    members = project_to_members(project, include_raw=include_raw)
    manifest = {
        "format": FORMAT_NAME,
        "schema_version": CURRENT_SCHEMA,
        "app_version": __version__,
        "saved": now_iso(),
        "members": {
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in members.items()
        },
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", allowZip64=True) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE.encode("ascii"), zipfile.ZIP_STORED)
        zf.writestr("manifest.json", json_dumps(manifest), zipfile.ZIP_DEFLATED, 6)
        order = ["project.json"] + [n for n in members if n != "project.json"]
        for name in order:
            data = members[name]
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            zf.writestr(info, data, _compression_for(data), 1)
    return buf.getvalue()


def save_project(
    project: Project, path: str | Path, *, include_raw: bool = True, backup: bool = True
) -> Path:
    """Save atomically to ``path`` (keeping the previous file as ``<name>.bak``)."""
    path = Path(path)
    if path.suffix.lower() != PROJECT_SUFFIX:
        path = path.with_name(path.name + PROJECT_SUFFIX)
    try:
        data = project_to_bytes(project, include_raw=include_raw)
    except (ValueError, TypeError) as exc:
        raise ProjectFileError(path, f"could not be serialised: {exc}") from None
    if not path.parent.is_dir():
        raise ProjectFileError(path, f"cannot be saved: folder {path.parent} does not exist")
    try:
        atomic_write_bytes(path, data, backup=backup)
    except OSError as exc:
        raise ProjectFileError(path, f"cannot be saved: {exc.strerror or exc}") from None
    remove_stale_temps(path)
    return path


# ============================================================================ reading
def _check_member_name(path: Path, name: str) -> None:
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or _DRIVE_RE.match(name)
        or any(p in ("", ".", "..") for p in parts)
        or "\x00" in name
    ):
        raise ProjectFileError(path, f"refused: unsafe member name {name!r} in the archive")


def _short(value: Any, limit: int = 40) -> str:
    """``repr(value)`` cut to one short line (for messages about values from a file)."""
    if isinstance(value, list | dict):
        return "[...]" if isinstance(value, list) else "{...}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Reader:
    """Reads one project file with the checks described in the module docstring."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.total = 0

    def fail(self, message: str) -> ProjectFileError:
        return ProjectFileError(self.path, message)

    def open(self) -> zipfile.ZipFile:
        p = self.path
        if not p.exists():
            raise self.fail("file not found")
        if not p.is_file():
            raise self.fail("is not a file")
        size = p.stat().st_size
        if size > self.limits.max_file_bytes:
            raise self.fail(f"refused: file is {size / 1e9:.1f} GB, larger than the limit")
        try:
            directory = zip_directory_size(p)
            if directory is not None:
                self.check_directory_size(*directory)
            zf = zipfile.ZipFile(p)
        except zipfile.BadZipFile:
            raise self.fail(
                "is not a complete LBPO project (no zip directory: truncated, damaged or another kind of file)"
            ) from None
        except OSError as exc:
            raise self.fail(f"cannot be opened: {exc.strerror or exc}") from None
        return zf

    def check_directory_size(self, entries: int, cd_bytes: int) -> None:
        if entries > self.limits.max_members:
            raise self.fail(f"refused: {entries} members, more than {self.limits.max_members}")
        if cd_bytes > self.limits.max_members * self.limits.max_directory_entry_bytes:
            raise self.fail(f"refused: a zip directory of {cd_bytes:,} bytes (too many members)")

    def check_directory(self, zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
        infos = zf.infolist()
        if len(infos) > self.limits.max_members:
            raise self.fail(f"refused: {len(infos)} members, more than {self.limits.max_members}")
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            _check_member_name(self.path, info.filename)
            if info.filename in by_name:
                raise self.fail(f"refused: member {info.filename!r} appears twice")
            by_name[info.filename] = info
        if not infos or infos[0].filename != "mimetype":
            raise self.fail("is not an LBPO project (no 'mimetype' first member)")
        return by_name

    def check_inflation(self, name: str, infos: list[zipfile.ZipInfo]) -> int:
        """Refuse members whose declared sizes or compression ratios break the limits."""
        total = 0
        for info in infos:
            if (
                info.file_size > self.limits.ratio_floor_bytes
                and info.file_size > self.limits.max_ratio * max(info.compress_size, 1)
            ):
                raise self.fail(
                    f"refused: member {name!r} has a compression ratio of "
                    f"{info.file_size / max(info.compress_size, 1):.0f}:1 (a zip bomb?)"
                )
            total += info.file_size
        if self.total + total > self.limits.max_total_bytes:
            raise self.fail(f"refused: {name} would inflate beyond the total size limit")
        return total

    def check_member(self, info: zipfile.ZipInfo, cap: int, expected: dict | None = None) -> None:
        """The checks before a member is read: encryption, declared size, ratio, manifest size."""
        name = info.filename
        if info.flag_bits & 0x1:
            raise self.fail(f"refused: member {name!r} is encrypted")
        if info.file_size > cap:
            raise self.fail(
                f"refused: member {name!r} would inflate to {info.file_size:,} bytes (limit {cap:,})"
            )
        self.check_inflation(name, [info])
        if expected is not None and expected["size"] != info.file_size:
            raise self.fail(f"member {name!r} has the wrong size (damaged file)")

    def read_member(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, expected: dict | None = None
    ) -> bytes:
        """The member's bytes (held once: read in one piece), after size, ratio and hash checks."""
        self.check_member(info, cap, expected)
        return self._stream(zf, info, keep=True, expected=expected)

    def open_member(
        self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, expected: dict
    ) -> BinaryIO:
        """A seekable file of the member's checked bytes.

        A stored member (how large arrays are saved) is hashed in a streaming pass and then read
        in place from the project file, so its bytes are never held in memory; a deflated one
        is inflated once.
        """
        if info.compress_type != zipfile.ZIP_STORED:
            return io.BytesIO(self.read_member(zf, info, cap, expected))
        self.check_member(info, cap, expected)
        self._stream(zf, info, keep=False, expected=expected)
        with open(self.path, "rb") as fh:
            fh.seek(info.header_offset)
            local = fh.read(30)
        if len(local) != 30 or local[:4] != b"PK\x03\x04":
            raise self.fail(f"member {info.filename!r} is damaged (bad local header)")
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        start = info.header_offset + 30 + name_len + extra_len
        return FileWindow(self.path, start, info.file_size)

    def _stream(
        self,
        zf: zipfile.ZipFile,
        info: zipfile.ZipInfo,
        *,
        keep: bool,
        expected: dict | None = None,
    ) -> bytes:
        """Read a member (all of it when ``keep``, else in 1 MiB pieces), check size and sha256."""
        name = info.filename
        digest = hashlib.sha256()
        data, got = b"", 0
        try:
            with zf.open(info) as fh:
                if keep:
                    data = fh.read(info.file_size)
                    got = len(data)
                    digest.update(data)
                else:
                    while chunk := fh.read(1 << 20):
                        got += len(chunk)
                        digest.update(chunk)
                beyond = fh.read(1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise self.fail(f"member {name!r} is damaged ({exc})") from None
        except Exception as exc:  # zlib.error and friends
            raise self.fail(f"member {name!r} is damaged ({type(exc).__name__})") from None
        if got != info.file_size or beyond:
            raise self.fail(f"refused: member {name!r} inflates beyond its declared size")
        self.total += got
        if expected is not None and digest.hexdigest() != expected["sha256"]:
            raise self.fail(f"member {name!r} fails its sha256 check (damaged or altered file)")
        return data

    def read_json(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, expected: dict | None) -> Any:
        data = self.read_member(zf, info, self.limits.max_json_bytes, expected)
        name = info.filename
        try:
            return parse_json_strictly(data)
        except RecursionError:
            raise self.fail(f"refused: {name} is nested too deeply") from None
        except JsonRefusal as exc:
            raise self.fail(f"refused: {name}: {exc}") from None
        except ValueError as exc:  # UnicodeDecodeError, JSONDecodeError
            raise self.fail(f"{name} is not valid JSON ({exc})") from None

    def load_npz(self, name: str, source: BinaryIO) -> dict[str, np.ndarray]:
        """The arrays of an ``.npz`` member, each checked from its ``.npy`` header before reading."""
        with source:
            return self._load_npz(name, source)

    def _load_npz(self, name: str, source: BinaryIO) -> dict[str, np.ndarray]:
        try:
            inner = zipfile.ZipFile(source)
            infos = inner.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise self.fail(f"{name} is not a valid array file") from None
        if len(infos) > self.limits.max_arrays_per_npz:
            raise self.fail(f"refused: {name} holds {len(infos)} arrays")
        inner_total = self.check_inflation(name, infos)
        arrays: dict[str, np.ndarray] = {}
        for info in infos:
            key = info.filename.removesuffix(".npy")
            if not info.filename.endswith(".npy") or not key or "/" in key or key in arrays:
                raise self.fail(f"{name} holds an invalid array name {info.filename!r}")
            try:
                arrays[key] = self.read_npy(name, key, inner, info)
            except ProjectFileError:
                raise
            except Exception as exc:  # zlib.error, BadZipFile, EOFError, ...
                raise self.fail(
                    f"{name} is not a valid array file ({type(exc).__name__})"
                ) from None
        self.total += inner_total
        return arrays

    def read_npy(
        self, name: str, key: str, inner: zipfile.ZipFile, info: zipfile.ZipInfo
    ) -> np.ndarray:
        """One array: header (dtype, shape) checked against the caps, then read into place."""
        with inner.open(info) as fh:
            try:
                version = npy_format.read_magic(fh)
                if version == (1, 0):
                    shape, fortran, dtype = npy_format.read_array_header_1_0(fh)
                elif version == (2, 0):
                    shape, fortran, dtype = npy_format.read_array_header_2_0(fh)
                else:
                    raise ValueError(f"unsupported .npy version {version}")
            except ValueError as exc:
                if "pickle" in str(exc).lower() or "object" in str(exc).lower():
                    raise self.fail(f"refused: {name} contains pickled Python objects") from None
                raise self.fail(f"array {key!r} in {name} has an invalid header ({exc})") from None
            if dtype.hasobject:
                raise self.fail(f"refused: {name} contains pickled Python objects")
            if dtype.kind not in "biufcU" or dtype.fields is not None or dtype.subdtype:
                raise self.fail(f"refused: array {key!r} in {name} has type {dtype}")
            if not shape:
                raise self.fail(
                    f"refused: array {key!r} in {name} is a single number, not an array"
                )
            count = math.prod(shape)
            nbytes = count * dtype.itemsize
            if nbytes > self.limits.max_array_bytes:
                raise self.fail(
                    f"refused: array {key!r} in {name} declares {shape} x {dtype} = {nbytes:,} "
                    f"bytes (limit {self.limits.max_array_bytes:,})"
                )
            if fh.tell() + nbytes != info.file_size:
                raise self.fail(f"array {key!r} in {name} does not match its header (damaged)")
            flat = np.empty(count, dtype)
            view = memoryview(flat.view(np.uint8))
            pos = 0
            while pos < nbytes:
                got = fh.readinto(view[pos : pos + (1 << 20)])
                if not got:
                    raise self.fail(f"array {key!r} in {name} is truncated (damaged)")
                pos += got
        return flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)


def _req(d: Any, key: str, typ: type | tuple[type, ...], where: str, fail) -> Any:
    if not isinstance(d, dict) or key not in d:
        raise fail(f"project.json: {where} has no {key!r}")
    value = d[key]
    types = typ if isinstance(typ, tuple) else (typ,)
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        raise fail(f"project.json: {where}.{key} has the wrong type")
    return value


def _check_listed(r: _Reader, listed: Any, by_name: dict[str, zipfile.ZipInfo]) -> None:
    """The manifest's member table: safe names, integer sizes, sha256 digests, all present."""
    if not isinstance(listed, dict):
        raise r.fail("manifest.json lists no members")
    for name, entry in listed.items():
        _check_member_name(r.path, name)
        if not isinstance(entry, dict):
            raise r.fail(f"manifest.json entry for {name!r} is invalid")
        size, digest = entry.get("size"), entry.get("sha256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise r.fail(
                f"manifest.json: member {name!r} has an invalid size {_short(size)} "
                "(expected a whole number of bytes)"
            )
        if not isinstance(digest, str) or not _SHA256_RE.match(digest):
            raise r.fail(f"manifest.json: member {name!r} has an invalid sha256 {_short(digest)}")
        if name not in by_name:
            raise r.fail(f"member {name!r} listed in the manifest is missing (damaged file)")


def load_project(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Project:
    """Read a ``.lbpo`` file safely; raises :class:`ProjectFileError` with a one-line reason.

    Whatever loads passes the same checks as an edit of the project, so it can be saved again.
    Any unexpected error while reading also becomes a one-line :class:`ProjectFileError`.
    """
    r = _Reader(Path(path), limits)
    return _guarded(r, _load)


def _guarded(r: _Reader, work: Callable[[_Reader], Any]) -> Any:
    """Run ``work(r)``; any unexpected error becomes a one-line :class:`ProjectFileError`."""
    try:
        return work(r)
    except ProjectFileError:
        raise
    except MemoryError:
        raise r.fail("refused: not enough memory to open it") from None
    except RecursionError:
        raise r.fail("refused: nested too deeply") from None
    except Exception as exc:
        detail = " ".join(str(exc).split())[:160]
        raise r.fail(f"could not be read ({type(exc).__name__}: {detail})") from None


def _load(r: _Reader) -> Project:
    with r.open() as zf:
        by_name = r.check_directory(zf)
        mimetype = r.read_member(zf, by_name["mimetype"], 256)
        if mimetype.strip() != MIMETYPE.encode("ascii"):
            raise r.fail("is not an LBPO project (wrong mimetype)")
        if "manifest.json" not in by_name:
            raise r.fail("is not a complete LBPO project (no manifest.json)")
        manifest = r.read_json(zf, by_name["manifest.json"], None)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
            raise r.fail("is not an LBPO project (manifest format is not lbpo-project)")
        version = manifest.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise r.fail("manifest.json has no integer schema_version")
        if version > CURRENT_SCHEMA:
            writer = _short(manifest.get("app_version", "a newer version")).strip("'\"")
            raise r.fail(
                f"was written with project schema version {version} (by LBPO Workbench {writer}); "
                f"this version reads up to {CURRENT_SCHEMA}: update the program to open it"
            )
        listed = manifest.get("members")
        _check_listed(r, listed, by_name)

        def member(name: str, cap: int, *, as_file: bool = False) -> bytes | BinaryIO:
            if name not in listed:
                raise r.fail(f"refused: {name!r} is not listed in the manifest")
            if as_file:
                return r.open_member(zf, by_name[name], cap, listed[name])
            return r.read_member(zf, by_name[name], cap, listed[name])

        if "project.json" not in listed:
            raise r.fail("manifest.json does not list project.json")
        doc = r.read_json(zf, by_name["project.json"], listed["project.json"])
        try:
            doc = migrate(doc, version)
        except SchemaError as exc:
            raise r.fail(str(exc)) from None
        return _build_project(doc, r, member)


def _build_project(doc: Any, r: _Reader, member) -> Project:
    fail = r.fail
    if not isinstance(doc, dict):
        raise fail("project.json is not an object")
    pdoc = _req(doc, "project", dict, "file", fail)
    project = Project(_req(pdoc, "name", str, "project", fail))
    pid = _req(pdoc, "id", str, "project", fail)
    if not _ID_RE.match(pid):
        raise fail("project.json: invalid project id")
    project.id = pid
    for key in ("notes", "created"):
        if not isinstance(pdoc.get(key, ""), str):
            raise fail(f"project.json: project.{key} is not text")
    project.notes = pdoc.get("notes", "")
    project.created = pdoc.get("created", "")
    settings = pdoc.get("settings", {})
    if not isinstance(settings, dict):
        raise fail("project.json: project.settings is not an object")
    try:
        project.settings = check_json_value(settings, "project.settings")
    except ProjectError as exc:
        raise fail(f"project.json: {exc}") from None
    seen_ids: set[str] = set()
    for i, sdoc in enumerate(_req(doc, "samples", list, "file", fail)):
        where = f"samples[{i}]"
        sid = _req(sdoc, "id", str, where, fail)
        if not _ID_RE.match(sid) or sid in seen_ids:
            raise fail(f"project.json: {where} has an invalid or duplicate id")
        seen_ids.add(sid)
        fields = {key: sdoc[key] for key in SAMPLE_FIELDS if key in sdoc}
        sample = Sample(**{"name": "?", **fields}, id=sid)
        try:
            project.insert_sample(sample)
        except Exception as exc:  # validation of names and numbers
            raise fail(f"project.json: sample {sample.name!r} is invalid ({exc})") from None
        for j, ddoc in enumerate(_req(sdoc, "datasets", list, where, fail)):
            dataset = _build_dataset(ddoc, f"{where}.datasets[{j}]", r, member, seen_ids)
            try:  # the checks of every edit: lengths, types, JSON-clean metadata and results
                project.add_dataset(sid, dataset)
            except ProjectError as exc:
                raise fail(f"project.json: dataset {dataset.label!r} is invalid ({exc})") from None
    project.revision = 0
    return project


def _build_dataset(ddoc: Any, where: str, r: _Reader, member, seen_ids: set[str]) -> Dataset:
    fail = r.fail
    did = _req(ddoc, "id", str, where, fail)
    if not _ID_RE.match(did) or did in seen_ids:
        raise fail(f"project.json: {where} has an invalid or duplicate id")
    seen_ids.add(did)
    kind = _req(ddoc, "kind", str, where, fail)
    if kind not in DATASET_KINDS:
        raise fail(f"project.json: {where} has unknown kind {kind!r}")
    arrays_member = _req(ddoc, "arrays_member", str, where, fail)
    arrays = r.load_npz(
        arrays_member, member(arrays_member, r.limits.max_member_bytes, as_file=True)
    )
    names = ddoc.get("array_names")
    if isinstance(names, list) and all(isinstance(n, str) for n in names):
        if set(names) != set(arrays):
            raise fail(f"{arrays_member} does not hold the arrays project.json names")
        arrays = {n: arrays[n] for n in names}
    analyses = {}
    adoc_all = ddoc.get("analyses", {})
    if not isinstance(adoc_all, dict):
        raise fail(f"project.json: {where}.analyses is not an object")
    for name, adoc in adoc_all.items():
        if not _ANALYSIS_RE.match(name) or not isinstance(adoc, dict):
            raise fail(f"project.json: {where} has an invalid analysis {name!r}")
        a_arrays = {}
        a_member = adoc.get("arrays_member")
        if a_member is not None:
            if not isinstance(a_member, str):
                raise fail(f"project.json: {where}.analyses.{name} has an invalid member")
            a_arrays = r.load_npz(
                a_member, member(a_member, r.limits.max_member_bytes, as_file=True)
            )
        settings, results = adoc.get("settings", {}), adoc.get("results", {})
        if not isinstance(settings, dict) or not isinstance(results, dict):
            raise fail(f"project.json: {where}.analyses.{name} is invalid")
        inputs = adoc.get("inputs", "")
        if not isinstance(inputs, str) or len(inputs) > 128:
            raise fail(f"project.json: {where}.analyses.{name}.inputs is invalid")
        analyses[name] = Analysis(
            settings, results, a_arrays, str(adoc.get("updated_at", "")), inputs
        )
    raw = None
    raw_member = ddoc.get("raw_member")
    if raw_member is not None:
        if not isinstance(raw_member, str):
            raise fail(f"project.json: {where}.raw_member is invalid")
        raw = member(raw_member, r.limits.max_member_bytes)
    metadata = ddoc.get("metadata", {})
    prov = ddoc.get("provenance", {})
    if not isinstance(metadata, dict) or not isinstance(prov, dict):
        raise fail(f"project.json: {where} has invalid metadata")
    label = _req(ddoc, "label", str, where, fail)
    return Dataset(
        kind=kind,
        label=label,
        arrays=arrays,
        metadata=metadata,
        provenance=Provenance.from_dict(prov),
        analyses=analyses,
        raw=raw,
        id=did,
    )


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Only the manifest of a project file (for quick checks); same safety checks."""
    return _guarded(_Reader(Path(path), DEFAULT_LIMITS), _read_manifest)


def _read_manifest(r: _Reader) -> dict[str, Any]:
    with r.open() as zf:
        by_name = r.check_directory(zf)
        if "manifest.json" not in by_name:
            raise r.fail("is not a complete LBPO project (no manifest.json)")
        manifest = r.read_json(zf, by_name["manifest.json"], None)
    if not isinstance(manifest, dict):
        raise r.fail("manifest.json is not an object")
    return manifest


def is_project_file(path: str | Path) -> bool:
    """Whether ``path`` starts like an LBPO project (zip with the mimetype member first)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(30 + 8 + len(MIMETYPE))
    except OSError:
        return False
    return head[:4] == b"PK\x03\x04" and head[30:38] == b"mimetype" and MIMETYPE.encode() in head
