"""Row state (charge / discharge / rest) and half-cycle segmentation from the sign of the current.

Conventions
-----------
``current_mA`` is signed: + = charge (oxidation of the working electrode, i.e. charging a cathode
half cell), - = discharge. State per row: ``CHARGE`` (+1), ``DISCHARGE`` (-1), ``REST`` (0).

Rules, applied in this order (all vectorised):

1. **Rest threshold.** A row is rest when ``|I| < threshold``. The default threshold is
   ``max(1e-6 mA, 0.5 % of the robust max |I|)``; see :func:`robust_max_abs_current`.
2. **Blips.** A run of consecutive rows with the same non-rest state that has fewer than
   ``min_points`` rows *or* lasts less than ``min_duration_s`` seconds (last minus first time of the
   run) is a blip (an overshoot at a step change, a noise spike during a rest) and is set to rest.
   Defaults: 3 rows, 1 s. A real half cycle is thousands of rows and minutes to hours long.
3. **Half cycles.** Ignoring rest rows, maximal runs of the same state are half cycles: a rest (or a
   removed blip) inside a charge does not end it unless the next current flows the other way.
   Consecutive half cycles therefore always alternate in sign.

Each half cycle spans the rows ``start..stop`` (inclusive) from its first to its last non-rest row;
rest rows inside that span belong to it, rest rows between half cycles get id -1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

CHARGE = 1
DISCHARGE = -1
REST = 0

DEFAULT_REST_FRACTION = 0.005
REST_FLOOR_MA = 1e-6
DEFAULT_MIN_POINTS = 3
DEFAULT_MIN_DURATION_S = 1.0


def direction_name(sign: int) -> str:
    """``'charge'`` for +1, ``'discharge'`` for -1, ``'rest'`` for 0."""
    return {CHARGE: "charge", DISCHARGE: "discharge"}.get(int(sign), "rest")


def robust_max_abs_current(current_mA: ArrayLike) -> float:
    """A spike-proof maximum of ``|I|`` in mA.

    A scale is taken as the k-th largest ``|I|`` with ``k = max(10, rows // 1000)``, so that a few
    spikes cannot set it; the result is the 99th percentile of ``|I|`` over the rows carrying at
    least 5 % of that scale. Rest rows, however many, do not pull it down. 0.0 for an all-zero or
    empty current.
    """
    magnitude = np.abs(np.asarray(current_mA, dtype=np.float64))
    n = magnitude.size
    if n == 0:
        return 0.0
    k = min(n, max(10, n // 1000))
    scale = float(np.partition(magnitude, n - k)[n - k])
    if not scale > 0:
        scale = float(magnitude.max())
        if not scale > 0:
            return 0.0
    flowing = magnitude[magnitude >= 0.05 * scale]
    return float(np.percentile(flowing, 99))


def default_rest_threshold_mA(
    current_mA: ArrayLike, *, fraction: float = DEFAULT_REST_FRACTION
) -> float:
    """``max(1e-6 mA, fraction x robust max |I|)``, the |I| below which a row counts as rest."""
    return max(REST_FLOOR_MA, fraction * robust_max_abs_current(current_mA))


def current_state(current_mA: ArrayLike, threshold_mA: float) -> np.ndarray:
    """Per-row state (int8): +1 charge, -1 discharge, 0 rest (``|I| < threshold_mA``)."""
    current = np.asarray(current_mA, dtype=np.float64)
    state = np.sign(current).astype(np.int8)
    state[np.abs(current) < threshold_mA] = REST
    return state


def run_bounds(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last index (inclusive) of each run of equal consecutive values."""
    n = values.size
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    change = np.flatnonzero(values[1:] != values[:-1]) + 1
    starts = np.concatenate(([0], change))
    stops = np.concatenate((change - 1, [n - 1]))
    return starts, stops


def suppress_blips(
    state: np.ndarray,
    time_s: ArrayLike,
    *,
    min_points: int = DEFAULT_MIN_POINTS,
    min_duration_s: float = DEFAULT_MIN_DURATION_S,
) -> tuple[np.ndarray, int]:
    """``state`` with short non-rest runs set to rest, and how many runs were removed.

    A run of consecutive rows of one non-rest state is removed when it has fewer than
    ``min_points`` rows or spans less than ``min_duration_s`` seconds. Returns a new array.
    """
    time = np.asarray(time_s, dtype=np.float64)
    starts, stops = run_bounds(state)
    values = state[starts]
    n_points = stops - starts + 1
    duration = time[stops] - time[starts]
    blip = (values != REST) & ((n_points < min_points) | (duration < min_duration_s))
    cleaned = state.copy()
    n_blips = int(blip.sum())
    if n_blips:
        cleaned[np.repeat(blip, n_points)] = REST
    return cleaned, n_blips


def half_cycle_ids(n_rows: int, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """Per-row half-cycle id (int64): k for rows ``start[k]..stop[k]``, -1 elsewhere."""
    marks = np.zeros(n_rows + 1, dtype=np.int64)
    marks[start] += 1
    marks[stop + 1] -= 1
    inside = np.cumsum(marks[:n_rows]) > 0
    first = np.zeros(n_rows, dtype=np.int64)
    first[start] = 1
    ids = np.cumsum(first) - 1
    return np.where(inside, ids, -1)


@dataclass(frozen=True)
class HalfCycles:
    """Half-cycle segmentation of one cycling record.

    Per row (length = number of rows): ``state`` (int8, after blip removal) and ``half_cycle``
    (int64 id, -1 for rests outside any half cycle). Per half cycle (in time order): ``start`` and
    ``stop`` (row indices, inclusive) and ``sign`` (+1 charge, -1 discharge).
    """

    state: np.ndarray
    half_cycle: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    sign: np.ndarray
    threshold_mA: float
    min_points: int
    min_duration_s: float
    n_blips: int

    @property
    def count(self) -> int:
        """Number of half cycles."""
        return int(self.start.size)

    def settings(self) -> dict[str, Any]:
        """The segmentation settings actually used (JSON-serialisable)."""
        return {
            "rest_threshold_mA": float(self.threshold_mA),
            "min_points": int(self.min_points),
            "min_duration_s": float(self.min_duration_s),
        }

    def to_dict(self) -> dict[str, Any]:
        """Settings, blip count and the half-cycle table (no per-row arrays)."""
        return {
            **self.settings(),
            "n_blips_removed": int(self.n_blips),
            "half_cycles": [
                {
                    "half_cycle": k,
                    "direction": direction_name(int(self.sign[k])),
                    "start_row": int(self.start[k]),
                    "stop_row": int(self.stop[k]),
                }
                for k in range(self.count)
            ],
        }


def segment_half_cycles(
    time_s: ArrayLike,
    current_mA: ArrayLike,
    *,
    rest_threshold_mA: float | None = None,
    rest_fraction: float = DEFAULT_REST_FRACTION,
    min_points: int = DEFAULT_MIN_POINTS,
    min_duration_s: float = DEFAULT_MIN_DURATION_S,
) -> HalfCycles:
    """Split a cycling record into half cycles (see the module docstring for the rules).

    ``rest_threshold_mA`` (mA) overrides the default threshold ``max(1e-6, rest_fraction x robust
    max |I|)``. Arrays must already be validated (equal length, time non-decreasing). A record
    without any current flow gives zero half cycles; callers decide whether that is an error.
    """
    time = np.asarray(time_s, dtype=np.float64)
    current = np.asarray(current_mA, dtype=np.float64)
    if rest_threshold_mA is None:
        threshold = default_rest_threshold_mA(current, fraction=rest_fraction)
    else:
        threshold = max(float(rest_threshold_mA), 0.0)
    raw_state = current_state(current, threshold)
    state, n_blips = suppress_blips(
        raw_state, time, min_points=min_points, min_duration_s=min_duration_s
    )
    flowing = np.flatnonzero(state)
    flowing_state = state[flowing]
    first, last = run_bounds(flowing_state)
    start = flowing[first].astype(np.int64)
    stop = flowing[last].astype(np.int64)
    sign = flowing_state[first].astype(np.int8)
    return HalfCycles(
        state=state,
        half_cycle=half_cycle_ids(current.size, start, stop),
        start=start,
        stop=stop,
        sign=sign,
        threshold_mA=float(threshold),
        min_points=int(min_points),
        min_duration_s=float(min_duration_s),
        n_blips=n_blips,
    )
