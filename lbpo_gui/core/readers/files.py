"""Opening instrument files: read bytes and turn OS errors into :class:`ReaderError`.

Kept free of pandas so that the registry (imported with the package) stays light to import;
:mod:`.text` re-exports :func:`read_head` and :func:`read_all` for the readers.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ReaderError


@contextmanager
def reader_error_on_os_error(path: Path) -> Iterator[None]:
    """Re-raise an :class:`OSError` from opening or reading ``path`` as a :class:`ReaderError`.

    Reasons: ``file not found``, ``is a folder, not a file``, else ``cannot be opened: <why>``.
    """
    try:
        yield
    except FileNotFoundError:
        raise ReaderError(path, "file not found") from None
    except IsADirectoryError:
        raise ReaderError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise ReaderError(path, f"cannot be opened: {exc.strerror or exc}") from None


def read_head(path: str | Path, n_bytes: int = 64 * 1024) -> bytes:
    """The first ``n_bytes`` of ``path``; :class:`ReaderError` when it cannot be opened."""
    path = Path(path)
    with reader_error_on_os_error(path), path.open("rb") as fh:
        return fh.read(n_bytes)


def read_all(path: str | Path) -> bytes:
    """All bytes of ``path``; :class:`ReaderError` when it cannot be opened."""
    path = Path(path)
    with reader_error_on_os_error(path):
        return path.read_bytes()


def open_hdf5(path: str | Path, expected: str):
    """``h5py.File(path, "r")``; :class:`ReaderError` when it cannot be opened or is not HDF5."""
    import h5py

    path = Path(path)
    with reader_error_on_os_error(path):
        if not path.is_file():
            raise FileNotFoundError(path)
        try:
            return h5py.File(path, "r")
        except OSError as exc:
            raise ReaderError(
                path, f"is not a readable HDF5 file ({exc})", expected=expected
            ) from None


def utf16_encoding(head: bytes) -> str | None:
    """The codec of a UTF-16 text head, or None.

    ``"utf-16"`` with a byte-order mark (the codec reads and drops it); without one,
    ``"utf-16-le"`` / ``"utf-16-be"`` when nearly every other byte is NUL, as in ASCII text
    written as UTF-16 (Windows "Unicode" exports).
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[: 4096 - len(head[:4096]) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_utf16_head(head: bytes, encoding: str) -> bytes:
    """A UTF-16 head as UTF-8 bytes (a character cut at the end is dropped), for sniffers."""
    return head.decode(encoding, errors="ignore").encode("utf-8")


@contextmanager
def utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """A UTF-8 copy of the UTF-16 file ``path``, under the same file name in a temporary
    folder (so that every message names the file as the user knows it), decoded 4 MiB at a
    time; removed afterwards. Line breaks, and so line numbers, are kept."""
    with tempfile.TemporaryDirectory(prefix="lbpo-utf16-") as tmp:
        copy = Path(tmp) / path.name
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        with reader_error_on_os_error(path), path.open("rb") as src, copy.open("wb") as dst:
            while chunk := src.read(1 << 22):
                dst.write(decoder.decode(chunk).encode("utf-8"))
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
        yield copy
