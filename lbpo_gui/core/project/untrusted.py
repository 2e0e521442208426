"""Reading untrusted files: the pieces the project loader checks a stranger's file with.

- :func:`zip_directory_size`: a zip's entry count and directory size from its end record, before
  :mod:`zipfile` parses a directory that may hold a million entries;
- :func:`parse_json_strictly`: JSON without duplicate keys, NaN/Infinity or numbers beyond a
  float (``1e999``); nesting beyond the interpreter's recursion limit raises ``RecursionError``;
- :class:`FileWindow`: a seekable file over part of another file (a stored zip member read in
  place, so its bytes are never held in memory).
"""

from __future__ import annotations

import io
import json
import math
import struct
from pathlib import Path
from typing import Any

# End-of-central-directory record, its zip64 locator and the zip64 record (APPNOTE 4.3.14-16).
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def zip_directory_size(path: Path) -> tuple[int, int] | None:
    """(entry count, central directory bytes) from the end-of-central-directory record.

    Read from the file's tail only, so a crafted directory of a million entries is refused
    before :mod:`zipfile` parses it. None when there is no such record (not a zip, truncated).
    """
    with open(path, "rb") as fh:
        size = fh.seek(0, io.SEEK_END)
        tail_len = min(size, _EOCD.size + 0xFFFF + _ZIP64_LOCATOR.size)
        fh.seek(size - tail_len)
        tail = fh.read(tail_len)
        pos = tail.rfind(b"PK\x05\x06")
        if pos < 0 or pos + _EOCD.size > len(tail):
            return None
        fields = _EOCD.unpack_from(tail, pos)
        entries, cd_bytes = fields[4], fields[5]
        loc = pos - _ZIP64_LOCATOR.size
        if (entries == 0xFFFF or cd_bytes == 0xFFFFFFFF) and loc >= 0:
            sig, _disk, offset, _disks = _ZIP64_LOCATOR.unpack_from(tail, loc)
            if sig == b"PK\x06\x07" and 0 <= offset <= size - _ZIP64_EOCD.size:
                fh.seek(offset)
                record = fh.read(_ZIP64_EOCD.size)
                if record[:4] == b"PK\x06\x06":
                    z = _ZIP64_EOCD.unpack(record)
                    entries, cd_bytes = z[7], z[8]
    return entries, cd_bytes


class JsonRefusal(ValueError):
    """JSON that parses but is refused (duplicate keys, out-of-range numbers)."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefusal(f"the number {text[:24]} is out of range")
    return value


def _no_constant(name: str) -> None:
    raise JsonRefusal(f"{name} is not allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonRefusal(f"{key[:80]!r} appears twice in one object")
            seen.add(key)
    return out


def parse_json_strictly(data: bytes) -> Any:
    """Parse UTF-8 JSON refusing duplicate keys, NaN/Infinity and numbers beyond a float.

    Raises ``ValueError`` (invalid or refused) or ``RecursionError`` (nested too deeply).
    """
    return json.loads(
        data.decode("utf-8"),
        parse_float=_finite_float,
        parse_constant=_no_constant,
        object_pairs_hook=_unique_keys,
    )


class FileWindow(io.RawIOBase):
    """A read-only, seekable file over ``length`` bytes of ``path`` from ``start``."""

    def __init__(self, path: Path, start: int, length: int) -> None:
        super().__init__()
        self._fh = open(path, "rb")  # noqa: SIM115  (closed by close())
        self._start, self._length, self._pos = start, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = max(0, min(len(buffer), self._length - self._pos))
        if n == 0:
            return 0
        self._fh.seek(self._start + self._pos)
        got = self._fh.readinto(memoryview(buffer)[:n]) or 0
        self._pos += got
        return got

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._fh.close()
        super().close()
