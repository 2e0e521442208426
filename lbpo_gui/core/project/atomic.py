"""Atomic file replacement: write a temp file beside the target, fsync, then ``os.replace``.

A crash or kill at any moment leaves either the old file or the new one, never a mix. The old
file is kept as ``<name>.bak``. On Windows, ``os.replace`` fails for a moment when an antivirus
scanner, the search indexer or OneDrive holds the file; those errors are retried with backoff.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

#: Windows error numbers of transient sharing violations (access denied, sharing, lock).
_TRANSIENT_WINERRORS = {5, 32, 33}


def _replace_with_retry(src: str | Path, dst: str | Path, tries: int = 6) -> None:
    delay = 0.05
    for attempt in range(tries):
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            winerror = getattr(exc, "winerror", None)
            if attempt == tries - 1 or (
                sys.platform == "win32" and winerror not in _TRANSIENT_WINERRORS
            ):
                raise
            time.sleep(delay)
            delay *= 2


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) do not support it
    finally:
        os.close(fd)


def _make_backup(path: Path) -> None:
    """Keep the current ``path`` as ``path.bak`` (hard link when possible, else a copy)."""
    bak = path.with_name(path.name + ".bak")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".baktmp", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        try:
            os.link(path, tmp)
        except OSError:
            shutil.copy2(path, tmp)
        _replace_with_retry(tmp, bak)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _default_mode(path: Path) -> int:
    """Permission bits for the new file: the old file's, else 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write_bytes(
    path: str | Path, data: bytes, *, backup: bool = True, durable: bool = True
) -> None:
    """Write ``data`` to ``path`` atomically, keeping the previous file as ``<name>.bak``.

    ``durable=False`` skips the fsyncs: readers still never see a half-written file, but a
    power cut may lose it (fine for outputs that can be written again, like a report's files).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    mode = _default_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        if os.name == "posix":
            os.fchmod(fd, mode)  # mkstemp creates 0600; a project is shared like any document
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if backup and path.exists():
            _make_backup(path)
        _replace_with_retry(tmp, path)
        if durable:
            _fsync_dir(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_temps(path: str | Path, older_than_s: float = 3600.0) -> None:
    """Delete temp files a killed save left beside ``path`` (older than ``older_than_s``)."""
    path = Path(path)
    now = time.time()
    for pattern in (f".{path.name}.*.tmp", f".{path.name}.*.baktmp"):
        for p in path.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime > older_than_s:
                    p.unlink()
