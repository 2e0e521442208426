"""Quick fit of one arc (like ZView's Instant Fit): fit R(RQ) to a frequency range and use the
arc's R, Q and n as the start values of the matching R-Q pair of a circuit.

The leading R absorbs whatever lies in series before the arc (the high-frequency intercept),
so only the arc's own parameters are carried over.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .arcs import characteristic_frequency
from .circuit import Circuit, CircuitError, set_param
from .start import arc_blocks
from .workflow import fit_spectrum


@dataclass(frozen=True)
class ArcFit:
    """One fitted arc: R (ohm), Q (S s^n), n, its characteristic frequency (Hz) and the
    frequency range fitted (Hz)."""

    r_ohm: float
    q: float
    n: float
    frequency_Hz: float
    fmin_Hz: float
    fmax_Hz: float


def fit_arc(
    freq_Hz: Sequence[float], z: Sequence[complex], fmin_Hz: float, fmax_Hz: float
) -> ArcFit:
    """Fit one R-Q arc (plus a series R) to the points with ``fmin_Hz <= f <= fmax_Hz``."""
    lo, hi = sorted((float(fmin_Hz), float(fmax_Hz)))
    sf = fit_spectrum("R(RQ)", freq_Hz, z, fmin=lo, fmax=hi, n_starts=3)
    c = sf.circuit
    _, r_el, q_el = arc_blocks(c)[0]
    r = r_el.param("R").value
    q, n = q_el.param("Q").value, q_el.param("n").value
    return ArcFit(r, q, n, characteristic_frequency(r, q, n), lo, hi)


def _pair_frequency(circuit: Circuit, r_id: str, cap_id: str) -> float:
    r = circuit.element(r_id).param("R").value
    cap = circuit.element(cap_id)
    if cap.kind == "C":
        return characteristic_frequency(r, cap.param("C").value)
    return characteristic_frequency(r, cap.param("Q").value, cap.param("n").value)


def matching_pair(circuit: Circuit, arc: ArcFit, prefer: str | None = None) -> tuple[str, str]:
    """(R id, Q/C id) of the pair the arc belongs to: the pair holding element ``prefer`` when
    given, else the pair whose characteristic frequency is nearest the arc's (log scale)."""
    pairs = [(r.id, cap.id) for _, r, cap in arc_blocks(circuit)]
    if not pairs:
        raise CircuitError("the circuit has no R-Q or R-C pair for the arc")
    for pair in pairs:
        if prefer in pair:
            return pair
    return min(
        pairs,
        key=lambda p: abs(
            math.log10(max(_pair_frequency(circuit, *p), 1e-300)) - math.log10(arc.frequency_Hz)
        ),
    )


def apply_arc(circuit: Circuit, arc: ArcFit, pair: tuple[str, str]) -> Circuit:
    """The circuit with the arc's values as the pair's values (a C gets the Q as C)."""
    r_id, cap_id = pair
    out = set_param(circuit, r_id, "R", value=arc.r_ohm)
    if circuit.element(cap_id).kind == "C":
        return set_param(out, cap_id, "C", value=arc.q)
    out = set_param(out, cap_id, "Q", value=arc.q)
    return set_param(out, cap_id, "n", value=arc.n)
