"""Synthetic galvanostatic records with known answers, for the echem tests.

Each half cycle is a constant current (density ``current_mA_g`` x active mass) held for exactly
the time that passes its capacity (``capacity_mAh_g`` x mass), sampled uniformly in time, with a
simple linear V(Q) curve (charge 3.6 -> 4.2 V, discharge 4.2 -> 3.3 V) and Gaussian noise on I
and V. Rests (|I| = small noise around 0, relaxing voltage) sit before the first and after every
half cycle. The vendor columns imitate the three capacity semantics of real cyclers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

STUDY_MASS_MG = 15.0 * 70.0 / 102.0  # 10.294 mg of NCM in 15 mg of composite (70:30:2)
STUDY_RATES_MA_G = (17.0, 85.0, 170.0, 340.0)
# Discharge capacities (mAh/g) of the 20 rate-test cycles; cycles 1, 7, 12, 17 are Table 1's
# pristine values (178.7, 129.3, 108.8, 82.1).
STUDY_DISCHARGE_MAH_G = (
    (178.7, 181.0, 180.5, 180.0, 179.6),
    (131.0, 129.3, 128.9, 128.6, 128.2),
    (110.5, 108.8, 108.4, 108.0, 107.7),
    (83.5, 82.1, 81.6, 81.2, 80.9),
)
STUDY_FIRST_CE_PCT = 76.37
LATER_CE_PCT = 99.0


@dataclass
class SynthRecord:
    """Arrays of a synthetic record plus the truth it was built from."""

    time_s: np.ndarray
    voltage_V: np.ndarray
    current_mA: np.ndarray
    active_mass_mg: float
    half_capacity_mAh: list[float]  # signed: + charge, - discharge, in time order
    half_current_mA_g: list[float]
    half_bounds: list[tuple[int, int]]  # true first/last row of each half cycle
    vendor_per_half_cycle_mAh: np.ndarray = field(repr=False)  # signed, reset each half cycle
    vendor_per_step_mAh: np.ndarray = field(repr=False)  # unsigned, two steps per half cycle
    vendor_cumulative_mAh: np.ndarray = field(repr=False)  # signed running total (Q-Qo)
    step_index: np.ndarray = field(repr=False)

    @property
    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(time_s, voltage_V, current_mA)``."""
        return self.time_s, self.voltage_V, self.current_mA


def voltage_curve(x: np.ndarray, sign: int) -> np.ndarray:
    """V(Q) of a half cycle with x = Q / Q_half in [0, 1]: charge 3.6 + 0.6x, discharge 4.2 - 0.9x."""
    return 3.6 + 0.6 * x if sign > 0 else 4.2 - 0.9 * x


def make_record(
    halves: Sequence[tuple[float, float]],
    *,
    active_mass_mg: float = STUDY_MASS_MG,
    points: int = 300,
    rest_s: float = 600.0,
    rest_points: int = 20,
    current_noise_rel: float = 0.002,
    rest_noise_mA: float = 1e-5,
    voltage_noise_V: float = 0.5e-3,
    step_split: float = 0.7,
    seed: int = 0,
) -> SynthRecord:
    """A record of the given half cycles ``(signed capacity_mAh_g, current_mA_g)``.

    ``points`` rows per half cycle (uniform in time, first row at the start, last at the end),
    ``rest_points`` rows of rest over ``rest_s`` seconds before the first and after each half
    cycle. The per-step vendor column resets at ``step_split`` of each half cycle (a CC/CV-like
    second step).
    """
    rng = np.random.default_rng(seed)
    mass_g = active_mass_mg / 1000.0
    t_parts, v_parts, i_parts = [], [], []
    per_half, per_step, steps = [], [], []
    bounds: list[tuple[int, int]] = []
    now = 0.0
    rows = 0
    step = 0
    last_v = 3.0

    def add_rest(v_from: float) -> None:
        nonlocal now, rows, step
        t = now + np.linspace(rest_s / rest_points, rest_s, rest_points)
        t_parts.append(t)
        v_parts.append(v_from - 0.05 * (1 - np.exp(-(t - now) / (rest_s / 4))))
        i_parts.append(rng.normal(0.0, rest_noise_mA, rest_points))
        per_half.append(np.full(rest_points, per_half[-1][-1] if per_half else 0.0))
        per_step.append(np.zeros(rest_points))
        step += 1
        steps.append(np.full(rest_points, step))
        now = float(t[-1])
        rows += rest_points

    add_rest(last_v)
    for capacity_mAh_g, current_mA_g in halves:
        sign = 1 if capacity_mAh_g > 0 else -1
        q_mAh = abs(capacity_mAh_g) * mass_g
        i_mA = current_mA_g * mass_g
        duration = q_mAh / i_mA * 3600.0
        t_local = np.linspace(0.0, duration, points)
        x = t_local / duration
        t_parts.append(now + t_local)
        v_parts.append(voltage_curve(x, sign) + rng.normal(0.0, voltage_noise_V, points))
        i_parts.append(sign * i_mA * (1.0 + rng.normal(0.0, current_noise_rel, points)))
        q_local = i_mA * t_local / 3600.0
        per_half.append(sign * q_local)
        split = int(step_split * points)
        step_values = q_local.copy()
        step_values[split:] = q_local[split:] - q_local[split - 1]
        per_step.append(step_values)
        steps.append(np.where(np.arange(points) < split, step + 1, step + 2))
        step += 2
        bounds.append((rows, rows + points - 1))
        rows += points
        now += duration
        last_v = float(voltage_curve(np.array([1.0]), sign)[0])
        add_rest(last_v)

    current = np.concatenate(i_parts)
    time = np.concatenate(t_parts)
    increments = np.concatenate(([0.0], 0.5 * (current[1:] + current[:-1]) * np.diff(time)))
    return SynthRecord(
        time_s=time,
        voltage_V=np.concatenate(v_parts),
        current_mA=current,
        active_mass_mg=active_mass_mg,
        half_capacity_mAh=[c * mass_g for c, _ in halves],
        half_current_mA_g=[r for _, r in halves],
        half_bounds=bounds,
        vendor_per_half_cycle_mAh=np.concatenate(per_half),
        vendor_per_step_mAh=np.concatenate(per_step),
        vendor_cumulative_mAh=np.cumsum(increments) / 3600.0,
        step_index=np.concatenate(steps),
    )


def study_rate_halves(
    discharge_mAh_g: Sequence[Sequence[float]] = STUDY_DISCHARGE_MAH_G,
    rates_mA_g: Sequence[float] = STUDY_RATES_MA_G,
    first_ce_pct: float = STUDY_FIRST_CE_PCT,
    later_ce_pct: float = LATER_CE_PCT,
) -> list[tuple[float, float]]:
    """Charge/discharge half cycles of the study's rate test (5 cycles at each of 17/85/170/340
    mA/g), CE 76.37 % in cycle 1 and 99 % after."""
    halves: list[tuple[float, float]] = []
    first = True
    for rate, capacities in zip(rates_mA_g, discharge_mAh_g, strict=True):
        for discharge in capacities:
            ce = first_ce_pct if first else later_ce_pct
            first = False
            halves.append((discharge / (ce / 100.0), rate))
            halves.append((-discharge, rate))
    return halves


def study_discharge_by_cycle() -> dict[int, float]:
    """Cycle number -> discharge capacity (mAh/g) of :func:`study_rate_halves`."""
    flat = [c for step in STUDY_DISCHARGE_MAH_G for c in step]
    return {n: c for n, c in enumerate(flat, start=1)}
