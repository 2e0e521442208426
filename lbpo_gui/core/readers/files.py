"""Opening instrument files: read bytes and turn OS errors into :class:`ReaderError`.

Kept free of pandas so that the registry (imported with the package) stays light to import;
:mod:`.text` re-exports :func:`read_head` and :func:`read_all` for the readers.
"""

from __future__ import annotations

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
