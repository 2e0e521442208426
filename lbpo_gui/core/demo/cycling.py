"""Galvanostatic NCM811 | Li half-cell model: rate test, 100-cycle test and a long .mpt generator.

The model (all capacities per gram of NCM811, mAh/g; x = fraction of the *accessible* capacity
``Q`` that has been delithiated):

* **Open-circuit voltage** U(x), V vs Li/Li+: the inverse of x(U) = sum_i w_i / (1 + exp(-(U -
  U_i)/s_i)), a sum of logistic steps whose derivatives are the dQ/dV peaks of NCM811 (H1->M near
  3.7 V, the monoclinic solid solution, M->H2 near 4.0 V, H2->H3 near 4.2 V) plus a low-voltage
  tail and the high-voltage end. About 0.82 of the capacity lies below 4.25 V.
* **Solid-state diffusion**: the particle surface is offset from the bulk by delta (parabolic
  profile of a sphere under constant flux), d(delta)/dt = (delta_ss - delta) / tau_r with
  delta_ss = (dx/dt) tau_D / 15. During rests delta relaxes to 0 (OCV relaxation).
* **Cell voltage** V = U(x + delta) + I R_eff (I > 0 on charge), R_eff the apparent DC resistance
  (electrolyte + interphases + charge transfer) of the cell in that cycle.
* **Side reactions**: a constant fraction ``leak`` of the charge current oxidises the
  electrolyte (CEI formation) instead of delithiating NCM. It is large in the first charge (this
  sets the first-cycle CE, together with the lithium left in the particles at 2.5 V) and small
  afterwards (CE ~ 99.4-99.7 %).
* **Fade**: the accessible capacity shrinks by a fixed fraction per cycle and, in the 100-cycle
  test, R_eff grows linearly with the cycle number (interphase growth).

A half cycle runs at constant current until V reaches the cut-off (4.25 V on charge, 2.5 V on
discharge); its capacity *follows* from where that happens (first crossing on a grid, then
``scipy.optimize.brentq`` on the analytic V(t)). Between half cycles the cell rests at open
circuit for ``REST_S``.

Calibration (done at first use and cached; it does not depend on the seed, which only draws the
measurement noise):

* rate test, per sample: R_eff at 17 mA/g is the sample's ``interfacial_resistance_ohm``; the
  accessible capacity Q is solved (brentq) so that cycle 1 delivers the Table 1 capacity, with
  the first-charge leak solved (fixed point) so that cycle 1 has the Table 1 CE; then R_eff of
  the 85, 170 and 340 mA/g steps is solved in turn (brentq) so that cycles 7, 12 and 17 deliver
  the Table 1 capacities. The resulting step resistances fall with current, as an apparent
  charge-transfer resistance does (Butler-Volmer).
* 100-cycle test (a fresh cell of the same powder): R_eff of cycle 1 is solved for the first
  discharge capacity, then the resistance growth per cycle for the retention at cycle 100. The
  study's long-test cells deliver more at 170 mA/g in their first cycle (Pristine 152 mAh/g) than
  its rate-test cells at cycle 12 (108.8 mAh/g): they are other cells, and their solved R_eff is
  lower accordingly.

Arrays come from the model trajectory, sampled like a cycler records (a point whenever V moved by
10 mV or a time step elapsed), plus Gaussian noise on V (0.2 mV) and on I (0.05 % of I; I is
exactly 0 during rests).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from ..readers.base import ImportedData
from . import samples as S

#: Open-circuit rest after every half cycle (and before the first charge), s.
REST_S = 600.0
#: Largest time step of the recorded points during a rest, s.
REST_DT_S = 60.0
#: Voltage change that triggers a recorded point, V.
RECORD_DV_V = 0.010
#: Noise of the recorded voltage, V, and relative noise of the recorded current.
NOISE_V = 2.0e-4
NOISE_I_REL = 5.0e-4
#: Delay of the first point of a step after the end of the previous one, s (as EC-Lab records).
STEP_DELAY_S = 1.0e-3

# (U_i / V, s_i / V, w_i): logistic steps of x(U) for NCM811 (demo OCV, smooth and monotonic).
_OCV_STEPS: tuple[tuple[float, float, float], ...] = (
    (3.45, 0.100, 0.06),  # low-voltage tail (fully lithiated end)
    (3.69, 0.050, 0.27),  # H1 -> M
    (3.88, 0.100, 0.15),  # monoclinic solid solution
    (4.03, 0.040, 0.09),  # M -> H2
    (4.205, 0.018, 0.25),  # H2 -> H3 (sharp, just below the 4.25 V cut-off)
    (4.42, 0.080, 0.18),  # high-voltage end (beyond the cut-off)
)
_U_TAB = np.linspace(1.5, 5.0, 7001)


def ocv_lithium_fraction(u_V: np.ndarray | float) -> np.ndarray:
    """x(U): delithiated fraction of the accessible capacity at open-circuit voltage ``u_V``."""
    u = np.asarray(u_V, dtype=float)
    x = np.zeros_like(u)
    for ui, si, wi in _OCV_STEPS:
        x = x + wi / (1.0 + np.exp(-(u - ui) / si))
    return x


_X_TAB = ocv_lithium_fraction(_U_TAB)
_X_TOP = float(_X_TAB[-1])


def ocv_voltage(x: np.ndarray | float) -> np.ndarray | float:
    """U(x): open-circuit voltage of NCM811 vs Li/Li+, V, at delithiated fraction ``x``.

    Monotonic increasing; clamped to 1.5 V below the tabulated range and 5.0 V above.
    """
    return np.interp(x, _X_TAB, _U_TAB)


# --------------------------------------------------------------------------------------------
# Trajectory pieces
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleConditions:
    """What one cycle (charge + discharge) runs with.

    ``current_mA_g`` specific current (both half cycles), ``resistance_ohm`` apparent DC resistance,
    ``capacity_mAh_g`` accessible capacity Q of this cycle, ``leak_fraction`` fraction of the
    charge current consumed by side reactions.
    """

    current_mA_g: float
    resistance_ohm: float
    capacity_mAh_g: float
    leak_fraction: float


@dataclass(frozen=True)
class Segment:
    """One constant-current half cycle or one rest of the model trajectory.

    Times in s from the start of the experiment; ``x0``/``delta0`` the bulk state and surface
    offset at the start; ``rate_per_s`` dx/dt; ``current_mA`` the signed cell current (+ charge);
    ``ir_V`` the signed I*R_eff drop; ``q_mAh_g`` the accessible capacity used for x.
    """

    kind: str  # "rest", "charge" or "discharge"
    t_start_s: float
    duration_s: float
    x0: float
    delta0: float
    rate_per_s: float
    delta_ss: float
    current_mA: float
    ir_V: float
    current_mA_g: float
    q_mAh_g: float
    cycle: int
    step: int

    def delta(self, t: np.ndarray | float) -> np.ndarray | float:
        """Surface offset at time ``t`` (s from the start of this segment)."""
        return self.delta_ss + (self.delta0 - self.delta_ss) * np.exp(
            -np.asarray(t) / S.TAU_RELAX_S
        )

    def voltage(self, t: np.ndarray | float) -> np.ndarray:
        """Cell voltage, V, at time ``t`` (s from the start of this segment), noise-free."""
        t = np.asarray(t, dtype=float)
        return ocv_voltage(self.x0 + self.rate_per_s * t + self.delta(t)) + self.ir_V

    def end_state(self) -> tuple[float, float]:
        """(x, delta) at the end of the segment."""
        t = self.duration_s
        return self.x0 + self.rate_per_s * t, float(self.delta(t))

    @property
    def capacity_mAh_g(self) -> float:
        """Charge passed per gram of active material, mAh/g (unsigned; 0 for a rest)."""
        return abs(self.current_mA_g) * self.duration_s / 3600.0


def _cc_segment(
    x0: float,
    delta0: float,
    cond: CycleConditions,
    charge: bool,
    t_start: float,
    mass_mg: float,
    cycle: int,
    step: int,
) -> Segment:
    """Run one constant-current half cycle from (x0, delta0) to its voltage cut-off."""
    sign = 1.0 if charge else -1.0
    j = sign * cond.current_mA_g
    leak = cond.leak_fraction if charge else 0.0
    rate = j * (1.0 - leak) / (cond.capacity_mAh_g * 3600.0)
    d_ss = rate * S.TAU_DIFFUSION_S / 15.0
    i_mA = j * mass_mg / 1000.0
    ir = i_mA * 1e-3 * cond.resistance_ohm
    v_cut = S.V_MAX if charge else S.V_MIN
    t_max = ((_X_TOP - x0) if charge else (x0 + abs(d_ss) + 1e-3)) / abs(rate)

    def v_of_t(t: np.ndarray | float) -> np.ndarray | float:
        d = d_ss + (delta0 - d_ss) * np.exp(-np.asarray(t) / S.TAU_RELAX_S)
        return np.interp(x0 + rate * np.asarray(t) + d, _X_TAB, _U_TAB) + ir

    grid = np.linspace(0.0, t_max, 385)
    over = sign * (v_of_t(grid) - v_cut) >= 0.0
    k = int(np.argmax(over))
    if not over[k]:  # pragma: no cover - the OCV table spans 1.5-5 V, so a crossing exists
        raise RuntimeError("half cycle never reached its cut-off")
    if k == 0:
        duration = 0.0
    else:
        duration = brentq(
            lambda t: float(v_of_t(t)) - v_cut, grid[k - 1], grid[k], xtol=1e-9, rtol=1e-12
        )
    return Segment(
        "charge" if charge else "discharge",
        t_start,
        duration,
        x0,
        delta0,
        rate,
        d_ss,
        i_mA,
        ir,
        j,
        cond.capacity_mAh_g,
        cycle,
        step,
    )


def _rest_segment(
    x0: float, delta0: float, q: float, t_start: float, duration: float, cycle: int, step: int
) -> Segment:
    return Segment("rest", t_start, duration, x0, delta0, 0.0, 0.0, 0.0, 0.0, 0.0, q, cycle, step)


def simulate(
    cycles: Sequence[CycleConditions],
    *,
    x_start: float = S.X_PRISTINE,
    mass_mg: float = S.ACTIVE_MASS_MG,
    rest_s: float = REST_S,
) -> list[Segment]:
    """The trajectory of a fresh cell run through ``cycles``: rest, then per cycle charge, rest,
    discharge, rest. Cycle n (1-based) = the n-th charge and the discharge after it."""
    segs: list[Segment] = []
    t = 0.0
    x, d = x_start, 0.0
    step = 0
    segs.append(_rest_segment(x, d, cycles[0].capacity_mAh_g, t, rest_s, 0, step))
    t += rest_s
    for n, cond in enumerate(cycles, start=1):
        for charge in (True, False):
            step += 1
            seg = _cc_segment(x, d, cond, charge, t, mass_mg, n, step)
            segs.append(seg)
            t += seg.duration_s
            x, d = seg.end_state()
            step += 1
            rest = _rest_segment(x, d, cond.capacity_mAh_g, t, rest_s, n, step)
            segs.append(rest)
            t += rest_s
            d = float(rest.delta(rest_s))
    return segs


def _run(
    x: float, d: float, cycles: Sequence[CycleConditions], mass_mg: float = S.ACTIVE_MASS_MG
) -> tuple[float, float, list[tuple[float, float]]]:
    """Capacities only (fast path for calibration): returns the end state and, per cycle,
    (charge, discharge) in mAh/g."""
    caps: list[tuple[float, float]] = []
    relax = math.exp(-REST_S / S.TAU_RELAX_S)
    for cond in cycles:
        pair = []
        for charge in (True, False):
            seg = _cc_segment(x, d, cond, charge, 0.0, mass_mg, 0, 0)
            x, d = seg.end_state()
            d *= relax
            pair.append(seg.capacity_mAh_g)
        caps.append((pair[0], pair[1]))
    return x, d, caps


# --------------------------------------------------------------------------------------------
# Calibration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateTestCalibration:
    """Solved parameters of one sample's rate-test cell.

    ``capacity_mAh_g`` accessible capacity Q of cycle 1; ``first_leak_fraction`` side-reaction
    share of the first charge; ``step_resistance_ohm`` R_eff at 17, 85, 170, 340 mA/g (the first
    is the sample's fixed ``interfacial_resistance_ohm``, the others are solved).
    """

    sample: str
    capacity_mAh_g: float
    first_leak_fraction: float
    step_resistance_ohm: tuple[float, float, float, float]

    def cycles(self) -> list[CycleConditions]:
        """The 20 cycles of the rate test (5 per step)."""
        spec = S.get_sample(self.sample)
        out = []
        for n in range(1, len(S.RATE_STEPS_MA_G) * S.CYCLES_PER_STEP + 1):
            k = (n - 1) // S.CYCLES_PER_STEP
            out.append(
                CycleConditions(
                    S.RATE_STEPS_MA_G[k],
                    self.step_resistance_ohm[k],
                    self.capacity_mAh_g * (1.0 - spec.fade_per_cycle) ** (n - 1),
                    self.first_leak_fraction if n == 1 else spec.leak_fraction,
                )
            )
        return out


def _first_cycle(q: float, r: float, ce: float) -> tuple[float, float]:
    """Discharge capacity of cycle 1 (mAh/g) for accessible capacity ``q`` and resistance ``r``,
    and the first-charge leak that gives that cycle the CE ``ce`` (0-1), by fixed-point
    iteration (the leak changes the cathode's own charge only through the diffusion offset)."""
    leak = 0.15
    dis = 0.0
    for _ in range(30):
        cond = CycleConditions(S.RATE_STEPS_MA_G[0], r, q, leak)
        _, _, caps = _run(S.X_PRISTINE, 0.0, [cond])
        ch, dis = caps[0]
        cath = ch * (1.0 - leak)  # charge that actually delithiated NCM
        new = 1.0 - ce * cath / dis
        if abs(new - leak) < 1e-12:
            break
        leak = new
    if not 0.0 <= leak < 1.0:
        raise ValueError(f"first-cycle CE {ce:.4f} is not reachable with a side-reaction leak")
    return dis, leak


@functools.cache
def calibrate_rate_test(name: str) -> RateTestCalibration:
    """Solve the rate-test parameters of sample ``name`` (cached; seed-independent)."""
    spec = S.get_sample(name)
    targets = spec.rate_capacities_mAh_g
    ce = spec.first_cycle_ce_pct / 100.0
    r17 = spec.interfacial_resistance_ohm
    n_steps = len(S.RATE_STEPS_MA_G)

    q = brentq(lambda q: _first_cycle(q, r17, ce)[0] - targets[0], 150.0, 400.0, xtol=1e-10)
    leak1 = _first_cycle(q, r17, ce)[1]
    resist = [r17]

    def trial(r_steps: list[float]) -> list[CycleConditions]:
        padded = r_steps + [r_steps[-1]] * (n_steps - len(r_steps))
        return RateTestCalibration(name, q, leak1, tuple(padded)).cycles()  # type: ignore[arg-type]

    # state after the first step, then solve each later step's resistance in turn
    x, d, _ = _run(S.X_PRISTINE, 0.0, trial(resist)[: S.CYCLES_PER_STEP])
    for k in range(1, n_steps):
        first = k * S.CYCLES_PER_STEP + 1  # first cycle of the step (1-based)
        rep = S.REPRESENTATIVE_CYCLES[k]

        def cap_at(r: float, x=x, d=d, first=first, rep=rep) -> float:
            return _run(x, d, trial([*resist, r])[first - 1 : rep])[2][-1][1]

        resist.append(brentq(lambda r, k=k: cap_at(r) - targets[k], 0.0, 3000.0, xtol=1e-9))
        x, d, _ = _run(x, d, trial(resist)[first - 1 : first - 1 + S.CYCLES_PER_STEP])
    return RateTestCalibration(name, q, leak1, (resist[0], resist[1], resist[2], resist[3]))


@dataclass(frozen=True)
class LongTestCalibration:
    """Solved parameters of one sample's 100-cycle cell (170 mA/g).

    R_eff(n) = ``resistance_ohm`` (1 + ``resistance_growth_per_cycle`` (n - 1)); Q(n) =
    ``capacity_mAh_g`` (1 - ``capacity_loss_per_cycle``)^(n - 1).
    """

    sample: str
    capacity_mAh_g: float
    first_leak_fraction: float
    leak_fraction: float
    resistance_ohm: float
    resistance_growth_per_cycle: float
    capacity_loss_per_cycle: float

    def cycles(self, n_cycles: int = S.LONG_TEST_CYCLES) -> list[CycleConditions]:
        """The cycles of the test."""
        return [
            CycleConditions(
                S.LONG_TEST_CURRENT_MA_G,
                self.resistance_ohm * (1.0 + self.resistance_growth_per_cycle * (n - 1)),
                self.capacity_mAh_g * (1.0 - self.capacity_loss_per_cycle) ** (n - 1),
                self.first_leak_fraction if n == 1 else self.leak_fraction,
            )
            for n in range(1, n_cycles + 1)
        ]


@functools.cache
def calibrate_long_test(name: str) -> LongTestCalibration:
    """Solve the 100-cycle parameters of sample ``name`` (cached; seed-independent).

    The cell uses the powder's accessible capacity and first-charge leak from the rate test.
    """
    target = S.get_long_cycle_target(name)
    spec = S.get_sample(name)
    rate = calibrate_rate_test(name)

    def make(r: float, growth: float) -> LongTestCalibration:
        return LongTestCalibration(
            name,
            rate.capacity_mAh_g,
            rate.first_leak_fraction,
            spec.leak_fraction,
            r,
            growth,
            target.capacity_loss_per_cycle,
        )

    def first(r: float) -> float:
        return _run(S.X_PRISTINE, 0.0, make(r, 0.0).cycles(1))[2][0][1]

    r1 = brentq(lambda r: first(r) - target.first_discharge_mAh_g, 0.0, 3000.0, xtol=1e-9)
    c1 = first(r1)
    goal = c1 * target.retention_pct / 100.0

    def last(g: float) -> float:
        return _run(S.X_PRISTINE, 0.0, make(r1, g).cycles())[2][-1][1]

    g = brentq(lambda g: last(g) - goal, 0.0, 0.2, xtol=1e-12)
    return make(r1, g)


# --------------------------------------------------------------------------------------------
# Sampling and datasets
# --------------------------------------------------------------------------------------------


def _segment_times(seg: Segment, dt_max: float, dv: float) -> np.ndarray:
    """Record times (s from the segment start) of one segment: a point whenever V moved by
    ``dv`` or ``dt_max`` elapsed, first and last point included."""
    T = seg.duration_s
    if T <= 0.0:
        return np.array([0.0])
    dense = np.concatenate(
        [np.linspace(0.0, T, 401), T - np.geomspace(T * 1e-4, T * 0.05, 80)[::-1]]
    )
    dense = np.unique(np.clip(dense, 0.0, T))
    v = seg.voltage(dense)
    du = np.abs(np.diff(v)) / dv + np.diff(dense) / dt_max
    u = np.concatenate([[0.0], np.cumsum(du)])
    n = max(2, int(math.ceil(u[-1])) + 1)
    return np.interp(np.linspace(0.0, u[-1], n), u, dense)


def sample_trajectory(
    segments: Sequence[Segment],
    rng: np.random.Generator | None,
    *,
    cc_time_points: int = 100,
    dv: float = RECORD_DV_V,
    rest_dt: float = REST_DT_S,
) -> dict[str, np.ndarray]:
    """Turn a trajectory into recorded arrays (``time_s``, ``voltage_V``, ``current_mA``,
    ``step_index``). ``rng`` None gives the noise-free arrays.

    A constant-current segment gets a point every ``dv`` of voltage change or every
    duration/``cc_time_points``; a rest every ``dv`` or ``rest_dt``. The first point of every
    segment after the first is recorded :data:`STEP_DELAY_S` after the previous one ended.
    """
    times, volts, currents, steps = [], [], [], []
    for i, seg in enumerate(segments):
        if seg.kind == "rest":
            tt = _segment_times(seg, rest_dt, dv)
        else:
            tt = _segment_times(seg, max(seg.duration_s / cc_time_points, 1.0), dv)
        if i > 0:
            tt = tt[tt >= min(STEP_DELAY_S, seg.duration_s)]
            if tt.size == 0 or tt[0] > STEP_DELAY_S:
                tt = np.concatenate([[min(STEP_DELAY_S, seg.duration_s)], tt])
        times.append(seg.t_start_s + tt)
        volts.append(seg.voltage(tt))
        currents.append(np.full(tt.size, seg.current_mA))
        steps.append(np.full(tt.size, seg.step, dtype=np.int64))
    t = np.concatenate(times)
    v = np.concatenate(volts)
    i_mA = np.concatenate(currents)
    if rng is not None:
        v = v + rng.normal(0.0, NOISE_V, v.size)
        i_mA = i_mA * (1.0 + rng.normal(0.0, NOISE_I_REL, i_mA.size))
    return {
        "time_s": t,
        "voltage_V": np.round(v, 7),
        "current_mA": i_mA,
        "step_index": np.concatenate(steps),
    }


def _protocol_text(cycles: Sequence[CycleConditions]) -> str:
    steps: list[tuple[float, int]] = []
    for c in cycles:
        if steps and steps[-1][0] == c.current_mA_g:
            steps[-1] = (c.current_mA_g, steps[-1][1] + 1)
        else:
            steps.append((c.current_mA_g, 1))
    parts = ", ".join(f"{n} x {j:g} mA/g" for j, n in steps)
    return (
        f"GCPL {S.V_MIN:g}-{S.V_MAX:g} V vs Li, charge first; {parts}; "
        f"{REST_S:g} s open-circuit rest before the first charge and after every half cycle"
    )


def _dataset(
    label: str,
    sample: str,
    cycles: Sequence[CycleConditions],
    seed: int,
    rng: np.random.Generator | None,
    cc_time_points: int,
) -> ImportedData:
    arrays = sample_trajectory(simulate(cycles), rng, cc_time_points=cc_time_points)
    meta = {
        "technique": "GCPL",
        "active_mass_mg": S.ACTIVE_MASS_MG,
        "composite_mass_mg": S.COMPOSITE_MASS_MG,
        "sample": sample,
        "cathode": S.CATHODE,
        "protocol": _protocol_text(cycles),
        "voltage_window_V": [S.V_MIN, S.V_MAX],
        "seed": int(seed),
        "synthetic": True,
    }
    return ImportedData("cycling", label, arrays, meta, reader="demo")


def _half_cycles(cycles: Sequence[CycleConditions]) -> list[dict]:
    """The model's capacity of every half cycle (rests left out)."""
    return [
        {
            "cycle": s.cycle,
            "kind": s.kind,
            "current_mA_g": s.current_mA_g,
            "capacity_mAh_g": s.capacity_mAh_g,
        }
        for s in simulate(cycles)
        if s.kind != "rest"
    ]


def rate_test_dataset(name: str, seed: int, *, noise: bool = True) -> ImportedData:
    """The rate test of sample ``name``: 5 cycles each at 17, 85, 170 and 340 mA/g.

    Arrays ``time_s``, ``voltage_V``, ``current_mA`` (+ charge), ``step_index``; ``seed`` draws
    the measurement noise only (``noise=False`` gives the exact model).
    """
    cal = calibrate_rate_test(name)
    rng = np.random.default_rng([seed, 1, S.SAMPLE_NAMES.index(name)]) if noise else None
    return _dataset("Rate test 17-340 mA/g", name, cal.cycles(), seed, rng, 80)


def rate_test_truth(name: str) -> dict:
    """What the rate test of ``name`` was built from (for tests; no analysis reads it)."""
    cal = calibrate_rate_test(name)
    return {
        "half_cycles": _half_cycles(cal.cycles()),
        "model": {
            "accessible_capacity_mAh_g": cal.capacity_mAh_g,
            "first_charge_leak_fraction": cal.first_leak_fraction,
            "step_resistance_ohm": list(cal.step_resistance_ohm),
            "step_current_mA_g": list(S.RATE_STEPS_MA_G),
        },
    }


def long_test_dataset(name: str, seed: int, *, noise: bool = True) -> ImportedData:
    """The 100-cycle test at 170 mA/g of sample ``name`` (Pristine, LPO 0.15, LBPO 0.05-0.15)."""
    cal = calibrate_long_test(name)
    rng = np.random.default_rng([seed, 2, S.SAMPLE_NAMES.index(name)]) if noise else None
    return _dataset("100 cycles @ 170 mA/g", name, cal.cycles(), seed, rng, 40)


def long_test_truth(name: str) -> dict:
    """What the 100-cycle test of ``name`` was built from (for tests; no analysis reads it)."""
    cal = calibrate_long_test(name)
    return {
        "half_cycles": _half_cycles(cal.cycles()),
        "model": {
            "accessible_capacity_mAh_g": cal.capacity_mAh_g,
            "first_charge_leak_fraction": cal.first_leak_fraction,
            "resistance_ohm": cal.resistance_ohm,
            "resistance_growth_per_cycle": cal.resistance_growth_per_cycle,
            "capacity_loss_per_cycle": cal.capacity_loss_per_cycle,
        },
    }


def generate_long_mpt(
    path: str | Path, n_rows: int = 1_000_000, seed: int = 20230529, *, decimal_comma: bool = False
) -> Path:
    """Write a BioLogic GCPL ``.mpt`` of about ``n_rows`` data rows (for import benchmarks).

    The content is the Pristine rate test (20 cycles, Table 1) followed by cycles at 170 mA/g up
    to 120 cycles in all, recorded evenly in time within each step so that the file holds
    ``n_rows`` rows (to within a few hundred), in the 18 core EC-Lab GCPL columns. Written with
    vectorised formatting: ~1e6 rows in a few seconds.
    """
    from .writers import GCPL_COLUMNS_COMPACT, write_biologic_gcpl_mpt

    rate = calibrate_rate_test("Pristine")
    cycles = rate.cycles()
    last = cycles[-1]
    spec = S.get_sample("Pristine")
    for n in range(len(cycles) + 1, 121):
        cycles.append(
            CycleConditions(
                S.LONG_TEST_CURRENT_MA_G,
                rate.step_resistance_ohm[2],
                last.capacity_mAh_g * (1.0 - spec.fade_per_cycle) ** (n - len(rate.cycles())),
                spec.leak_fraction,
            )
        )
    segs = simulate(cycles)
    n_cc = sum(1 for s in segs if s.kind != "rest")
    n_rest = len(segs) - n_cc
    per_rest = 4
    per_cc = max(2, int(round((n_rows - per_rest * n_rest) / n_cc)))
    rng = np.random.default_rng([seed, 3])
    times, volts, currents, steps = [], [], [], []
    for i, seg in enumerate(segs):
        n = per_rest if seg.kind == "rest" else per_cc
        start = STEP_DELAY_S if i > 0 else 0.0
        tt = np.linspace(start, max(seg.duration_s, start), n)
        times.append(seg.t_start_s + tt)
        volts.append(seg.voltage(tt))
        currents.append(np.full(n, seg.current_mA))
        steps.append(np.full(n, seg.step, dtype=np.int64))
    v = np.concatenate(volts)
    i_mA = np.concatenate(currents)
    arrays = {
        "time_s": np.concatenate(times),
        "voltage_V": v + rng.normal(0.0, NOISE_V, v.size),
        "current_mA": i_mA * (1.0 + rng.normal(0.0, NOISE_I_REL, i_mA.size)),
        "step_index": np.concatenate(steps),
    }
    data = ImportedData(
        "cycling",
        "Long benchmark file (Pristine)",
        arrays,
        {"active_mass_mg": S.ACTIVE_MASS_MG, "technique": "GCPL", "seed": int(seed)},
        reader="demo",
    )
    return write_biologic_gcpl_mpt(
        path, data, decimal_comma=decimal_comma, columns=GCPL_COLUMNS_COMPACT
    )
