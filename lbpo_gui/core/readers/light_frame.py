"""A pandas-free reader for small, plain numeric data blocks, and the light frame it returns.

A fresh ``lbpo echem small.mpt`` spends ~0.1 s importing pandas, which is 40 % of DESIGN's
0.25 s budget, for a few thousand rows that numpy's C ``loadtxt`` parses in milliseconds. So
:func:`~.text.read_numeric_block` tries :func:`read_block_numpy` first when its caller asks for
a light result and the block is small, numeric, TAB or comma separated with a decimal point.
Anything unusual (an empty or non-numeric field, a short row, a decimal comma) returns None and
the pandas path reads the block instead, naming the offending file line as it always does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np


class LightColumn:
    """One column of a :class:`LightFrame` (what the readers use of a pandas Series)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def to_numpy(self, dtype: type | None = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype, copy=False)

    def __len__(self) -> int:
        return len(self.values)


class LightFrame:
    """Float64 columns by name, with the few DataFrame operations the readers use:
    ``len(frame)``, ``frame[name].to_numpy()``, ``frame[bool_mask]`` and ``frame.columns``."""

    def __init__(self, columns: dict[str, np.ndarray]) -> None:
        self._cols = columns

    @property
    def columns(self) -> list[str]:
        return list(self._cols)

    def __len__(self) -> int:
        return len(next(iter(self._cols.values()))) if self._cols else 0

    def __getitem__(self, key: str | np.ndarray) -> LightColumn | LightFrame:
        if isinstance(key, str):
            return LightColumn(self._cols[key])
        mask = np.asarray(key, dtype=bool)
        return LightFrame({k: v[mask] for k, v in self._cols.items()})


def read_block_numpy(
    path: Path,
    offset: int,
    names: Sequence[str],
    usecols: Sequence[str],
    delimiter: str,
    encoding: str,
) -> LightFrame | None:
    """The columns ``usecols`` of the block from byte ``offset`` on as float64, or None when the
    block is not plain numbers (then the caller's pandas path explains what is wrong)."""
    if delimiter not in ("\t", ",") or not usecols:
        return None
    index = {n: i for i, n in enumerate(names)}
    try:
        wanted = [index[c] for c in usecols]
        with path.open("rb") as fh:
            fh.seek(offset)
            lines = fh.read().decode(encoding).splitlines()
        lines = [ln for ln in lines if ln.strip()]
        if not lines:
            return None
        data = np.loadtxt(
            lines,
            delimiter=delimiter,
            usecols=wanted,
            comments=None,
            dtype=np.float64,
            ndmin=2,
            quotechar=None,
        )
    except (KeyError, ValueError, UnicodeDecodeError, OSError):
        return None
    if data.shape != (len(lines), len(wanted)):
        return None
    return LightFrame({c: np.ascontiguousarray(data[:, k]) for k, c in enumerate(usecols)})
