"""Arcs of a fitted circuit: effective capacitance, characteristic frequency and what they are.

For every R-Q (or R-C) parallel pair (see :func:`.start.arc_blocks`):

- effective capacitance: C for a capacitor; for a CPE in parallel with R, Brug's formula
  (Brug et al. 1984, J. Electroanal. Chem. 176, 275; the R || CPE form also given by Hsu &
  Mansfeld 2001): **C_eff = Q^(1/n) R^((1-n)/n)** = (R Q)^(1/n) / R, in F;
- characteristic (apex) frequency **f_c = 1 / (2 pi (R Q)^(1/n))** (1/(2 pi R C) for C), Hz.

Assignment by capacitance (Irvine, Sinclair & West, Adv. Mater. 2 (1990) 132, Table 1, for a
cell constant near 1 cm^-1): bulk ~1e-12 F, grain boundary 1e-11..1e-8 F, sample-electrode
interface 1e-7..1e-5 F. Arcs are labelled in order of capacitance (a higher-capacitance arc is
never given a "lower" class), each class at most once, choosing the labelling with the smallest
total distance |log10 C - log10 C_class| (class centres 1e-12, 3e-10, 1e-6 F). This is robust to
an unknown cell constant, which shifts all capacitances together. A series resistor at the
high-frequency intercept is the bulk when no arc is (the bulk arc of a fast ion conductor lies
above the measured frequencies at room temperature), else series (leads, contacts). Every label
carries the reason.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from .circuit import Circuit, Element
from .start import arc_blocks

#: (label, centre capacitance F, Irvine range text), in order of capacitance.
CLASSES: tuple[tuple[str, float, str], ...] = (
    ("bulk", 1e-12, "1e-12 F (bulk)"),
    ("grain boundary", 3e-10, "1e-11..1e-8 F (grain boundary)"),
    ("electrode interface", 1e-6, "1e-7..1e-5 F (sample-electrode interface)"),
)


@dataclass
class ArcResult:
    """One R-Q / R-C pair of a circuit."""

    elements: list[str]  # [R id, Q/C id]
    resistance_ohm: float
    capacitance_F: float
    frequency_Hz: float
    assignment: str
    reason: str

    def to_dict(self) -> dict:
        return {
            "elements": self.elements,
            "resistance_ohm": self.resistance_ohm,
            "capacitance_F": self.capacitance_F,
            "frequency_Hz": self.frequency_Hz,
            "assignment": self.assignment,
            "reason": self.reason,
        }


def _log_tau(r_ohm: float, q: float, n: float) -> float:
    """ln((R Q)^(1/n)); -inf/inf/nan for degenerate fits instead of an exception."""
    if r_ohm <= 0 or q <= 0 or n <= 0:
        return math.nan
    return (math.log(r_ohm) + math.log(q)) / n


def effective_capacitance(r_ohm: float, q: float, n: float) -> float:
    """Brug's C_eff = (R Q)^(1/n) / R of R || CPE, F (n = 1 gives C = Q); NaN when R, Q or n
    is not positive, inf/0 beyond the float range."""
    lt = _log_tau(r_ohm, q, n)
    if math.isnan(lt):
        return math.nan
    return math.exp(min(lt - math.log(r_ohm), 700.0)) if lt - math.log(r_ohm) > -745 else 0.0


def characteristic_frequency(r_ohm: float, q: float, n: float = 1.0) -> float:
    """f_c = 1 / (2 pi (R Q)^(1/n)) of R || CPE (or R || C with n = 1), Hz (NaN as above)."""
    lt = _log_tau(r_ohm, q, n)
    if math.isnan(lt):
        return math.nan
    return math.exp(min(-lt, 700.0)) / (2.0 * math.pi) if -lt > -745 else 0.0


def _pair_values(r: Element, cap: Element) -> tuple[float, float, float]:
    rv = r.param("R").value
    if cap.kind == "C":
        c = cap.param("C").value
        return rv, c, characteristic_frequency(rv, c)
    q, n = cap.param("Q").value, cap.param("n").value
    return rv, effective_capacitance(rv, q, n), characteristic_frequency(rv, q, n)


def _log10_or_far(c: float) -> float:
    return math.log10(c) if math.isfinite(c) and c > 0 else 300.0


def assign_by_capacitance(capacitances_F: list[float]) -> list[int | None]:
    """Class index (into :data:`CLASSES`) per capacitance, monotone in C, each class once;
    None for arcs left over when there are more arcs than classes."""
    k = len(capacitances_F)
    order = sorted(range(k), key=lambda i: capacitances_F[i])
    out: list[int | None] = [None] * k
    m = min(k, len(CLASSES))
    best = None
    # the m smallest-distance monotone choice; extra arcs (beyond 3) stay unassigned
    for chosen_arcs in itertools.combinations(order, m):
        for classes in itertools.combinations(range(len(CLASSES)), m):
            cost = sum(
                abs(_log10_or_far(capacitances_F[a]) - math.log10(CLASSES[c][1]))
                for a, c in zip(chosen_arcs, classes, strict=True)
            )
            if best is None or cost < best[0]:
                best = (cost, chosen_arcs, classes)
    if best is not None:
        for a, c in zip(best[1], best[2], strict=True):
            out[a] = c
    return out


def circuit_arcs(circuit: Circuit) -> list[ArcResult]:
    """The arcs of ``circuit`` (with its current values), labelled by capacitance."""
    pairs = arc_blocks(circuit)
    values = [_pair_values(r, cap) for _, r, cap in pairs]
    labels = assign_by_capacitance([c for _, c, _ in values])
    out = []
    for (_, r, cap), (rv, c, fc), lab in zip(pairs, values, labels, strict=True):
        if lab is None:
            name, reason = "unassigned", f"C_eff = {c:.3g} F; more arcs than classes"
        else:
            name, _centre, rng = CLASSES[lab]
            reason = (
                f"C_eff = {c:.3g} F at f_c = {fc:.3g} Hz; Irvine-Sinclair-West range {rng}; "
                "arcs labelled in order of capacitance"
            )
        out.append(ArcResult([r.id, cap.id], rv, c, fc, name, reason))
    return out


def series_resistances(circuit: Circuit, arcs: list[ArcResult]) -> list[ArcResult]:
    """The resistors in series at the top level, labelled bulk (high-frequency intercept) when
    no arc is the bulk, else series resistance. Capacitance and frequency are NaN."""
    has_bulk = any(a.assignment == "bulk" for a in arcs)
    out = []
    for node in circuit.root.children:
        if isinstance(node, Element) and node.kind == "R":
            if has_bulk:
                label, reason = "series", "an arc is the bulk; this is leads and contacts"
            else:
                label = "bulk"
                reason = (
                    "high-frequency intercept: the bulk arc lies above the measured frequencies"
                )
            out.append(
                ArcResult([node.id], node.param("R").value, math.nan, math.nan, label, reason)
            )
    return out
