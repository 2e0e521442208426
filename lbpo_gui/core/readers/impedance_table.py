"""What every impedance reader shares: column names, sweep splitting, the common table.

Schema (see :mod:`.base`): ``frequency_Hz``, ``z_real_ohm``, ``z_imag_ohm`` (Z'' signed,
negative for a capacitive response) plus, where the file has them, ``time_s``,
``potential_V``, ``current_A`` and ``cycle``.

Column names are matched after :func:`normalise_header` (lower case, no blanks or quotes, a
trailing unit such as ``(Hz)``, ``/Ohm``, ``[ohm]`` removed): a leading ``-`` marks a negated
column (``-Im(Z)``, ``-Z''``, ``-phase``). :func:`impedance_columns` finds frequency plus
either real and imaginary parts or modulus and phase (degrees).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData

_UNIT_SUFFIX = re.compile(
    r"(\((hz|ohm|ohms|Ω|deg|°|degree|degrees|a|b|s|sec|v|a)\)|\[(hz|ohm|ohms|Ω|deg|°)\]"
    r"|/(hz|ohm|ohms|Ω|deg|°))$"
)

FREQUENCY_NAMES = frozenset({"f", "freq", "frequency", "frequencies"})
REAL_NAMES = frozenset(
    {"z'", "zre", "zreal", "real", "re(z)", "re", "z_re", "z_real", "zr", "real(z)", "rez", "z'(a)"}
)
IMAG_NAMES = frozenset(
    {
        "z''",
        "zim",
        "zimag",
        "zimg",
        "imaginary",
        "im(z)",
        "im",
        "z_im",
        "z_imag",
        "zi",
        "imag(z)",
        "imz",
        'z"',
        "imag",
        "z''(b)",
    }
)
MODULUS_NAMES = frozenset({"|z|", "zmod", "mod", "modulus", "mod(z)", "abs(z)", "|z|(ohm)"})
PHASE_NAMES = frozenset({"phase", "zphz", "phase(z)", "phi", "theta", "zphase"})


def normalise_header(name: str) -> str:
    """``"Freq (Hz)"`` -> ``"freq"``, ``'-Im(Z)/Ohm'`` -> ``"-im(z)"``, ``'Z"/ohm'`` -> ``'z"'``."""
    h = str(name).strip().strip('"').strip().lower().replace(" ", "").replace("\u2032", "'")
    h = h.replace("\u2033", "''")
    for _ in range(2):
        h = _UNIT_SUFFIX.sub("", h)
    return h


@dataclass(frozen=True)
class ColumnMap:
    """Where the impedance is in a list of columns."""

    frequency: int
    first: int  # real part or modulus
    second: int  # imaginary part or phase
    polar: bool  # modulus and phase (degrees) instead of real and imaginary
    first_sign: float
    second_sign: float


def _find(names: list[str], wanted: frozenset[str]) -> tuple[int, float] | None:
    for i, n in enumerate(names):
        sign = -1.0 if n.startswith("-") else 1.0
        if n.lstrip("-+") in wanted:
            return i, sign
    return None


def impedance_columns(headers: Sequence[str]) -> ColumnMap | None:
    """Frequency + real/imaginary (or modulus/phase) columns among ``headers``, or None."""
    names = [normalise_header(h) for h in headers]
    fr = _find(names, FREQUENCY_NAMES)
    if fr is None:
        fr = next(((i, 1.0) for i, n in enumerate(names) if n.startswith("freq")), None)
    if fr is None:
        return None
    re_, im = _find(names, REAL_NAMES), _find(names, IMAG_NAMES)
    if re_ is not None and im is not None:
        return ColumnMap(fr[0], re_[0], im[0], False, re_[1], im[1])
    mod, ph = _find(names, MODULUS_NAMES), _find(names, PHASE_NAMES)
    if mod is not None and ph is not None:
        return ColumnMap(fr[0], mod[0], ph[0], True, 1.0, ph[1])
    return None


def complex_from(cols: ColumnMap, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Z (complex ohm) from the two mapped columns."""
    a = cols.first_sign * np.asarray(first, dtype=float)
    b = cols.second_sign * np.asarray(second, dtype=float)
    if cols.polar:
        return a * np.exp(1j * np.deg2rad(b))
    return a + 1j * b


def split_sweeps(freq_Hz: np.ndarray) -> list[slice]:
    """Slices of the consecutive frequency sweeps in ``freq_Hz``: a new sweep starts where the
    frequency steps against the direction of the sweep it is in (a restart)."""
    f = np.asarray(freq_Hz, dtype=float)
    if f.size < 3:
        return [slice(0, f.size)]
    out, start = [], 0
    direction = 0.0
    for i in range(1, f.size):
        step = math.copysign(1.0, f[i] - f[i - 1]) if f[i] != f[i - 1] else 0.0
        if direction == 0.0:
            direction = step
        elif step != 0.0 and step != direction:
            out.append(slice(start, i))
            start, direction = i, 0.0
    out.append(slice(start, f.size))
    return out


def split_by_values(values: np.ndarray) -> list[np.ndarray]:
    """Row indices of each distinct value of ``values`` (e.g. cycle number), in file order."""
    v = np.asarray(values)
    keys = list(dict.fromkeys(v.tolist()))
    return [np.flatnonzero(v == k) for k in keys]


def impedance_data(
    path: Path,
    freq_Hz: np.ndarray,
    z: np.ndarray,
    *,
    label: str,
    metadata: dict[str, Any],
    reader: str,
    extras: dict[str, np.ndarray] | None = None,
    line: int | None = None,
) -> ImportedData:
    """The common impedance table; ReaderError for no points, NaN/inf, f <= 0."""
    f = np.asarray(freq_Hz, dtype=float)
    zc = np.asarray(z, dtype=complex)
    if f.size == 0:
        raise ReaderError(path, "no impedance points", line=line, expected="data rows")
    bad = ~(np.isfinite(f) & np.isfinite(zc.real) & np.isfinite(zc.imag))
    if bad.any():
        raise ReaderError(
            path,
            f"{int(bad.sum())} impedance point(s) hold NaN or infinite values",
            line=line,
            expected="finite numbers",
        )
    if np.any(f <= 0):
        raise ReaderError(path, "a frequency <= 0 Hz", line=line, expected="frequencies > 0 Hz")
    arrays = {"frequency_Hz": f, "z_real_ohm": zc.real.copy(), "z_imag_ohm": zc.imag.copy()}
    for k, v in (extras or {}).items():
        arrays[k] = np.asarray(v, dtype=float)
    meta = {"technique": "EIS", **metadata, "n_points": int(f.size)}
    return ImportedData("impedance", label, arrays, meta, reader=reader)


#: Largest impedance file read (spectra are kilobytes; this bounds memory on a wrong file).
MAX_FILE_BYTES = 256 * 1024 * 1024


def read_bounded(path: Path, what: str) -> bytes:
    """All bytes of ``path`` (:class:`ReaderError` above :data:`MAX_FILE_BYTES`)."""
    from .files import read_all

    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size > MAX_FILE_BYTES:
        raise ReaderError(
            path,
            f"file is {size // 2**20} MB, larger than an impedance export",
            line=1,
            expected=what,
        )
    return read_all(path)


def parse_float(text: str, decimal: str = ".") -> float:
    """A number from a field (decimal comma swapped); ValueError when it is not one."""
    t = text.strip().strip('"')
    if decimal == ",":
        t = t.replace(",", ".")
    return float(t)
