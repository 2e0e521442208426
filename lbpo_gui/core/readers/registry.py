"""Reader registry: readers register a name, kinds, file patterns and a content sniffer.

``read(path)`` picks a reader by content first (the highest sniff score), by file-name pattern
second, and raises :class:`ReaderError` naming the file, line and expectation when none fits.
UTF-16 text exports are decoded first (sniffers see UTF-8; readers read a UTF-8 copy).
Readers only map formats to the common schema (see :mod:`.base`); they never analyse.
"""

from __future__ import annotations

import fnmatch
import logging
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReaderError
from .base import ImportedData
from .files import decode_utf16_head, read_head, utf8_copy, utf16_encoding

#: Bytes of the file given to every sniffer.
SNIFF_BYTES = 64 * 1024

Sniffer = Callable[[bytes, str], float]
ReadFunction = Callable[[Path], list[ImportedData]]


@dataclass(frozen=True)
class ReaderSpec:
    """A registered reader.

    ``sniff(head, filename)`` gets the first :data:`SNIFF_BYTES` bytes and the lower-case file
    name and returns a confidence in [0, 1] (0 = not mine). ``read(path)`` returns one or more
    tables and raises :class:`ReaderError` on bad input.
    """

    name: str
    kinds: tuple[str, ...]
    patterns: tuple[str, ...]
    sniff: Sniffer
    read: ReadFunction
    description: str = ""
    priority: int = 0

    def matches_name(self, filename: str) -> bool:
        """Whether the file name matches one of the glob patterns (case-insensitive)."""
        low = filename.lower()
        return any(fnmatch.fnmatch(low, p.lower()) for p in self.patterns)


_REGISTRY: dict[str, ReaderSpec] = {}


def register(spec: ReaderSpec) -> ReaderSpec:
    """Add (or replace) a reader in the registry."""
    _REGISTRY[spec.name] = spec
    return spec


def reader(
    name: str,
    *,
    kinds: Iterable[str],
    patterns: Iterable[str],
    sniff: Sniffer,
    description: str = "",
    priority: int = 0,
) -> Callable[[ReadFunction], ReadFunction]:
    """Decorator form of :func:`register` for a read function."""

    def deco(fn: ReadFunction) -> ReadFunction:
        register(ReaderSpec(name, tuple(kinds), tuple(patterns), sniff, fn, description, priority))
        return fn

    return deco


def readers() -> list[ReaderSpec]:
    """All registered readers (built-ins are loaded on first use)."""
    _load_builtins()
    return list(_REGISTRY.values())


def get_reader(name: str) -> ReaderSpec:
    """The reader registered under ``name``."""
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no reader named {name!r}; known: {sorted(_REGISTRY)}") from None


def choose_reader(path: str | Path, kind: str | None = None) -> ReaderSpec:
    """The reader that would read ``path``: content first, then file name."""
    path = Path(path)
    head = read_head(path, SNIFF_BYTES)
    utf16 = utf16_encoding(head)
    if utf16:
        head = decode_utf16_head(head, utf16)
    candidates = [r for r in readers() if kind is None or kind in r.kinds]
    name = path.name.lower()
    scored: list[tuple[float, int, int, ReaderSpec]] = []
    for r in candidates:
        try:
            score = float(r.sniff(head, name))
        except Exception:  # a sniffer must never break the choice
            score = 0.0
        if score > 0:
            scored.append((score, int(r.matches_name(name)), r.priority, r))
    if scored:
        scored.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
        return scored[0][3]
    by_name = sorted(
        (r for r in candidates if r.matches_name(name)), key=lambda r: r.priority, reverse=True
    )
    if by_name:
        return by_name[0]
    if not head:
        raise ReaderError(path, "file is empty", line=1, expected="an instrument data file")
    wanted = f"{kind} data" if kind else "data"
    known = "; ".join(supported_formats(kind)) or "none registered"
    raise ReaderError(
        path,
        f"no reader recognises this file's content or name as {wanted}",
        line=1,
        expected=f"one of the supported formats: {known}",
    )


def supported_formats(kind: str | None = None) -> list[str]:
    """One line per registered reader of ``kind`` (all kinds when None): its description (or
    name), in alphabetical order, e.g. ``"Arbin MITS Pro / MITS 8 CSV export"``."""
    return sorted(
        {r.description or r.name for r in readers() if kind is None or kind in r.kinds},
        key=str.lower,
    )


def read(path: str | Path, kind: str | None = None) -> list[ImportedData]:
    """Read ``path`` with the reader chosen by :func:`choose_reader`.

    Every table is checked for the required columns of its kind; a reader that returns nothing or
    an incomplete table raises :class:`ReaderError`. Warnings that libraries emit while reading
    (openpyxl, pandas ...) go into each table's ``metadata['warnings']``, never to stderr.
    """
    path = Path(path)
    utf16 = utf16_encoding(read_head(path, 4096))
    if utf16:
        return _read_utf16(path, kind, utf16)
    spec = choose_reader(path, kind)
    with library_messages() as caught:
        tables = spec.read(path)
    if not tables:
        raise ReaderError(path, f"{spec.name} found no data in the file", expected="data rows")
    if kind is not None:
        # a reader may return several kinds (a Modulo Bat file: cycling + impedance loops)
        wanted = [t for t in tables if t.kind == kind]
        if not wanted:
            raise ReaderError(path, f"holds {tables[0].kind} data", expected=f"{kind} data")
        tables = wanted
    for t in tables:
        missing = t.missing_columns()
        if missing:
            raise ReaderError(
                path, f"no {', '.join(missing)} column", expected=f"a {t.kind} file with {missing}"
            )
        if not t.reader:
            t.reader = spec.name
    library_warnings = list(dict.fromkeys(caught))
    for t in tables:
        if library_warnings:
            t.metadata.setdefault("warnings", []).extend(library_warnings)
    return tables


class _Collect(logging.Handler):
    """Keeps the WARNING-and-above records of third-party loggers as text lines."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("lbpo_gui"):
            self.into.append(f"{record.name} {record.levelname.lower()}: {record.getMessage()}")


@contextmanager
def library_messages() -> Iterator[list[str]]:
    """Collect what libraries say while a reader runs (``warnings.warn`` and log records of
    level WARNING and above) as lines, instead of letting them reach stderr."""
    lines: list[str] = []
    handler = _Collect(lines)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield lines
        lines[:0] = [f"{w.category.__name__} while reading: {w.message}" for w in caught]
    finally:
        root.removeHandler(handler)


def _read_utf16(path: Path, kind: str | None, encoding: str) -> list[ImportedData]:
    """Read a UTF-16 text export through a UTF-8 copy; errors name the original file."""
    try:
        with utf8_copy(path, encoding) as copy:
            tables = read(copy, kind)
    except ReaderError as exc:
        raise ReaderError(path, exc.reason, line=exc.line, expected=exc.expected) from None
    for t in tables:
        t.metadata["encoding"] = encoding
    return tables


_BUILTINS_LOADED = False


def _load_builtins() -> None:
    """Import the built-in reader modules (each registers itself on import)."""
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    _BUILTINS_LOADED = True
    from . import builtin  # noqa: F401
