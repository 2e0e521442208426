"""Automatic start values from the spectrum itself.

What is read off the data (frequencies sorted high to low):

- the **high-frequency intercept** R_hf: Re Z at the highest frequency, or where an inductive
  high-frequency part crosses the real axis (an arc above the window is part of the
  intercept, which is what the study calls R_SE,bulk);
- the **arcs**: local maxima of -Z'' along log f (3-point smoothed); each gives its apex
  frequency f_apex and its width, the fall of Re Z between the -Z'' minima on either side;
- the **low-frequency tail**: -Z'' sqrt(omega) at the lowest frequency gives a Warburg's Y0.

How it is used: every parallel block of the circuit that holds a resistor and a capacitive
element (R-Q, R-C, or a series branch starting with R next to a Q/C) is an arc, taken in circuit
order from high to low frequency; arc k gets R = width_k, n = 0.85 and Q = 1/(R (2 pi f_apex)^n)
(C = 1/(2 pi f_apex R)). When the data show fewer arcs than the circuit has, the missing ones
share the unexplained resistance at frequencies spread between the found ones. Series resistors
share R_hf; a series Warburg takes Y0 from the tail, inductors the inductive high-frequency
part. :func:`start_candidates` adds a few variations (CPE exponents, arc capacitances a decade
each way) for the multi-start fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .circuit import Circuit, Element, Node, Parallel, Series, with_values
from .elements import element_kind

DEFAULT_N = 0.85


@dataclass(frozen=True)
class Arc:
    """An arc seen in the data: apex frequency (Hz), width (ohm), relative prominence."""

    f_apex_Hz: float
    width_ohm: float
    prominence: float = 0.0  # height above the neighbouring minima / |Z| at the apex


@dataclass(frozen=True)
class SpectrumFeatures:
    """What :func:`spectrum_features` reads off a spectrum."""

    r_hf_ohm: float
    r_lf_ohm: float  # Re Z at the -Z'' minimum before the low-frequency tail (or the end)
    arcs: tuple[Arc, ...]
    tail_y0: float | None  # Warburg Y0 from the last point, S s^0.5
    inductance_H: float | None
    f_min_Hz: float
    f_max_Hz: float


def spectrum_features(freq_Hz: np.ndarray, z: np.ndarray) -> SpectrumFeatures:
    """Intercepts, arcs and tail of a spectrum (any frequency order)."""
    order = np.argsort(-np.asarray(freq_Hz, dtype=float))
    f = np.asarray(freq_Hz, dtype=float)[order]
    zz = np.asarray(z, dtype=complex)[order]
    mim = -zz.imag
    # -dZ'/d ln f peaks once per relaxation (at omega tau = 1, height ~R/2 for an RC) and is
    # narrower than -Z'', so a small arc beside a big one still shows; a Warburg tail rises
    # monotonically and gives no peak.
    lnf = np.log(f)
    d = -np.gradient(zz.real, lnf) if f.size >= 3 else np.zeros(f.size)
    s = d.copy()
    if s.size >= 5:
        s[1:-1] = (d[:-2] + 2 * d[1:-1] + d[2:]) / 4.0
    peaks = _prominent_peaks(s, np.abs(zz))
    arcs: list[Arc] = []
    bounds = []
    for k, i in enumerate(peaks):
        lo = 0 if k == 0 else peaks[k - 1]
        hi = s.size - 1 if k == len(peaks) - 1 else peaks[k + 1]
        left = lo + int(np.argmin(s[lo : i + 1]))
        right = i + int(np.argmin(s[i : hi + 1]))
        bounds.append((left, right))
    for i, (left, right) in zip(peaks, bounds, strict=True):
        # the width is the rise of Z' across the peak of its derivative, at least 2x the peak
        width = max(float(zz.real[right] - zz.real[left]), 2.0 * float(s[i]))
        if width > 0:
            prominence = float(s[i] - max(s[left], s[right])) / float(abs(zz[i]))
            arcs.append(Arc(float(f[i]), width, prominence))
    r_hf = _hf_intercept(zz)
    r_lf = float(zz.real[bounds[-1][1]]) if bounds else float(zz.real[-1])
    w_last = 2 * math.pi * f[-1]
    tail = None
    if mim[-1] > 0:
        tail = 1.0 / (math.sqrt(2.0) * math.sqrt(w_last) * float(mim[-1]))
    ind = float(zz.imag[0] / (2 * math.pi * f[0])) if zz.imag[0] > 0 else None
    return SpectrumFeatures(r_hf, r_lf, tuple(arcs), tail, ind, float(f[-1]), float(f[0]))


#: A maximum of -dZ'/d ln f counts as an arc when it stands this fraction of |Z| there above
#: the higher of the minima beside it (bumps of 1 % noise, smoothed, do not).
MIN_PROMINENCE = 0.05


def _prominent_peaks(s: np.ndarray, modulus: np.ndarray) -> list[int]:
    """Indices of the local maxima of ``s`` that stand out (see :data:`MIN_PROMINENCE`)."""
    peaks = [i for i in range(1, s.size - 1) if s[i] > s[i - 1] and s[i] >= s[i + 1] and s[i] > 0]
    while True:
        weakest, weakest_score = None, None
        for k, i in enumerate(peaks):
            lo = 0 if k == 0 else peaks[k - 1]
            hi = s.size - 1 if k == len(peaks) - 1 else peaks[k + 1]
            prom = s[i] - max(np.min(s[lo : i + 1]), np.min(s[i : hi + 1]))
            score = prom / modulus[i]
            if score < MIN_PROMINENCE and (weakest_score is None or score < weakest_score):
                weakest, weakest_score = k, score
        if weakest is None:
            return peaks
        del peaks[weakest]


def arc_blocks(circuit: Circuit) -> list[tuple[Parallel, Element, Element]]:
    """(block, resistor, capacitive element) of every R-Q / R-C parallel pair, circuit order.

    The resistor is a direct child of the block or the first element of a series branch in it
    (``([RW]Q)`` counts: its R is the charge-transfer resistance)."""
    out = []
    for _, node in circuit.blocks():
        if not isinstance(node, Parallel):
            continue
        r = next((c for c in node.children if isinstance(c, Element) and c.kind == "R"), None)
        if r is None:
            for c in node.children:
                first = c.children[0] if isinstance(c, Series) else None
                if isinstance(first, Element) and first.kind == "R":
                    r = first
                    break
        cap = next(
            (c for c in node.children if isinstance(c, Element) and c.kind in ("Q", "C")), None
        )
        if r is not None and cap is not None:
            out.append((node, r, cap))
    return out


def _hf_intercept(zz: np.ndarray) -> float:
    """Re Z where the spectrum (high to low f) first crosses the real axis from an inductive
    start, else Re Z at the highest frequency."""
    capacitive = np.flatnonzero(zz.imag <= 0)
    if capacitive.size == 0 or capacitive[0] == 0:
        return float(zz.real[0])
    i = int(capacitive[0])
    a, b = zz[i - 1], zz[i]
    t = a.imag / (a.imag - b.imag) if a.imag != b.imag else 1.0
    return float(a.real + t * (b.real - a.real))


def _fill_arcs(found: list[Arc], wanted: int, feats: SpectrumFeatures) -> list[Arc]:
    if len(found) >= wanted:
        strongest = sorted(found, key=lambda a: -a.prominence)[:wanted]
        return sorted(strongest, key=lambda a: -a.f_apex_Hz)
    total = max(feats.r_lf_ohm - feats.r_hf_ohm, sum(a.width_ohm for a in found), 1e-12)
    rest = max(total - sum(a.width_ohm for a in found), 0.1 * total)
    missing = wanted - len(found)
    lf, hf = math.log10(feats.f_min_Hz), math.log10(feats.f_max_Hz)
    fs = np.logspace(hf - 0.5, lf + 0.5, missing + 2)[1:-1] if missing else []
    new = [Arc(float(fx), rest / missing) for fx in fs]
    return sorted(found + new, key=lambda a: -a.f_apex_Hz)


def _arc_values(el: Element, r: float, f_apex: float, n: float) -> dict[str, float]:
    w = 2 * math.pi * f_apex
    if el.kind == "Q":
        return {"Q": 1.0 / (r * w**n), "n": n}
    return {"C": 1.0 / (r * w)}


def _series_top(circuit: Circuit) -> list[Element]:
    return [c for c in circuit.root.children if isinstance(c, Element)]


def auto_start(
    circuit: Circuit, freq_Hz: np.ndarray, z: np.ndarray, *, n: float = DEFAULT_N
) -> Circuit:
    """``circuit`` with start values read off the spectrum (fixed parameters are kept)."""
    feats = spectrum_features(freq_Hz, z)
    vals: dict[tuple[str, str], float] = {}
    arcs = arc_blocks(circuit)
    seen = _fill_arcs(list(feats.arcs), len(arcs), feats)
    for (_block, r, cap), arc in zip(arcs, seen, strict=False):
        width = max(arc.width_ohm, 1e-9)
        vals[(r.id, "R")] = width
        for k, v in _arc_values(cap, width, arc.f_apex_Hz, n).items():
            vals[(cap.id, k)] = v
    top = _series_top(circuit)
    series_r = [e for e in top if e.kind == "R"]
    for e in series_r:
        vals[(e.id, "R")] = max(feats.r_hf_ohm, 1e-6) / len(series_r)
    w_min = 2 * math.pi * feats.f_min_Hz
    z_lf = np.asarray(z)[np.argmin(freq_Hz)]
    for e in _all_elements(circuit.root):
        if (e.id, element_kind(e.kind).params[0].name) in vals:
            continue
        if e.kind == "W" and feats.tail_y0:
            vals[(e.id, "Y0")] = feats.tail_y0
        elif e.kind in ("L", "La") and feats.inductance_H:
            vals[(e.id, "L")] = feats.inductance_H
        elif e.kind == "C" and -z_lf.imag > 0:
            vals[(e.id, "C")] = 1.0 / (w_min * -z_lf.imag)
        elif e.kind == "Q" and -z_lf.imag > 0:
            vals[(e.id, "Q")] = 1.0 / (w_min**n * abs(z_lf))
            vals[(e.id, "n")] = n
        elif e.kind in ("Wo", "Ws", "G"):
            vals[(e.id, "R")] = max(abs(z_lf.real - feats.r_lf_ohm), 1e-3)
            vals[(e.id, "tau")] = 1.0 / (2 * math.pi * feats.f_min_Hz) if e.kind != "G" else 1e-3
    out = []
    for e, p in circuit.parameters():
        v = vals.get((e.id, p.name), p.value)
        if p.fixed or not math.isfinite(v):
            v = p.value
        out.append(min(max(v, p.lower), p.upper))
    return with_values(circuit, out)


def _all_elements(node: Node) -> list[Element]:
    if isinstance(node, Element):
        return [node]
    return [e for c in node.children for e in _all_elements(c)]


def start_candidates(circuit: Circuit, n_extra: int = 3) -> list[list[float]]:
    """Up to ``n_extra`` variations of a start circuit (circuit order): CPE exponents 0.7 and
    0.95 with Q adjusted to keep the apex frequency, and arc capacitances a decade lower."""
    base = [p.value for _, p in circuit.parameters()]
    index = {(e.id, p.name): i for i, (e, p) in enumerate(circuit.parameters())}
    arcs = arc_blocks(circuit)
    out: list[list[float]] = []
    for variant in ("n07", "n095", "cdown")[:n_extra]:
        v = list(base)
        for _b, r, cap in arcs:
            if cap.kind == "Q" and variant in ("n07", "n095"):
                iq, i_n = index[(cap.id, "Q")], index[(cap.id, "n")]
                if cap.params[1].fixed:
                    continue
                rr = base[index[(r.id, "R")]]
                tau_n = rr * base[iq]  # (R Q) = tau^n: keep tau
                tau = tau_n ** (1.0 / base[i_n]) if tau_n > 0 else 1e-3
                new_n = 0.7 if variant == "n07" else 0.95
                v[i_n] = new_n
                v[iq] = tau**new_n / rr
            elif variant == "cdown":
                v[index[(cap.id, cap.params[0].name)]] *= 0.1
        out.append(v)
    return out
