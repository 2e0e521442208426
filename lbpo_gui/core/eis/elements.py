"""Circuit elements: their parameters (name, unit, default start, bounds) and impedance.

Every element gives its impedance Z and admittance Y = 1/Z as vectorised numpy functions of its
parameter values and of a :class:`Frequencies` context (angular frequency omega = 2 pi f, rad/s).

Conventions (Z in ohm, omega in rad/s, j = sqrt(-1)):

=====  ======================  =====================================  ============================
kind   parameters (units)      impedance                              impedance.py name / params
=====  ======================  =====================================  ============================
R      R (ohm)                 Z = R                                  R [R]
C      C (F)                   Z = 1 / (j omega C)                    C [C]
L      L (H)                   Z = j omega L                          L [L]
Q      Q (S s^n), n            Z = 1 / (Q (j omega)^n)   (CPE)        CPE [Q, alpha]
W      Y0 (S s^0.5)            Z = 1 / (Y0 sqrt(j omega))  (Boukamp)  W [A_W], A_W = 1/(sqrt2 Y0)
Wo     R (ohm), tau (s)        Z = R coth(sqrt(j omega tau)) /        Wo [Z0, tau]
                               sqrt(j omega tau)  (finite, open)
Ws     R (ohm), tau (s)        Z = R tanh(sqrt(j omega tau)) /        Ws [Z0, tau]
                               sqrt(j omega tau)  (finite, short)
G      R (ohm), tau (s)        Z = R / sqrt(1 + j omega tau)          G [R_G, t_G]
                               (Gerischer)
La     L (H s^(n-1)), n        Z = L (j omega)^n  (modified L)        La [L, alpha]
=====  ======================  =====================================  ============================

The semi-infinite Warburg uses Boukamp's / ZSimpWin's admittance parameter Y0. impedance.py writes
the same element as Z = A_W (1 - j) / sqrt(omega); since 1/sqrt(j) = (1 - j)/sqrt(2), the two agree
when **A_W = 1 / (sqrt(2) Y0)** (Warburg coefficient sigma = A_W). :func:`warburg_aw_from_y0` and
:func:`warburg_y0_from_aw` convert. The Gerischer element follows impedance.py (R, tau), not
pyimpspec's (Y, k, n).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

INF = math.inf


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of an element kind: name, unit, default start value, default bounds.

    ``positive``: the parameter is strictly positive by nature, so the fit works on its logarithm
    (scale-free steps over decades) while its bounds stay in natural units.
    """

    name: str
    unit: str
    default: float
    lower: float = 0.0
    upper: float = INF
    positive: bool = True


class Frequencies:
    """Quantities of the angular frequency shared by every element of one evaluation."""

    __slots__ = ("f", "inv_sqrt_jw", "jw", "log_w", "sqrt_jw", "w")

    def __init__(self, freq_Hz: np.ndarray) -> None:
        f = np.asarray(freq_Hz, dtype=float)
        self.f = f
        self.w = 2.0 * np.pi * f
        self.jw = 1j * self.w
        self.log_w = np.log(self.w)
        self.sqrt_jw = np.sqrt(self.jw)
        self.inv_sqrt_jw = 1.0 / self.sqrt_jw


ZFunction = Callable[[np.ndarray, Frequencies], np.ndarray]


@dataclass(frozen=True)
class ElementKind:
    """An element type: symbol, parameters, impedance and admittance functions.

    ``z(p, fr)`` and ``y(p, fr)`` take the element's own parameter values ``p`` (a sequence in
    :attr:`params` order) and return complex arrays (or a scalar for R, which numpy broadcasts).
    """

    symbol: str
    title: str
    params: tuple[ParamSpec, ...]
    z: ZFunction
    y: ZFunction
    impedance_py: str
    impedance_py_params: tuple[str, ...]

    @property
    def n_params(self) -> int:
        return len(self.params)

    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


def _cpe_y(q: float, n: float, fr: Frequencies) -> np.ndarray:
    # Q (j w)^n = Q w^n e^{j pi n / 2}: one real exp instead of a complex power
    return (q * complex(math.cos(0.5 * math.pi * n), math.sin(0.5 * math.pi * n))) * np.exp(
        n * fr.log_w
    )


def _sqrt_jwt(tau: float, fr: Frequencies) -> np.ndarray:
    return fr.sqrt_jw * math.sqrt(tau)


def _wo_z(p, fr):
    s = _sqrt_jwt(p[1], fr)
    return p[0] / (s * np.tanh(s))


def _ws_z(p, fr):
    s = _sqrt_jwt(p[1], fr)
    return p[0] * np.tanh(s) / s


def _g_z(p, fr):
    return p[0] / np.sqrt(1.0 + fr.jw * p[1])


def _la_z(p, fr):
    n = p[1]
    return (p[0] * complex(math.cos(0.5 * math.pi * n), math.sin(0.5 * math.pi * n))) * np.exp(
        n * fr.log_w
    )


def _inv(fn: ZFunction) -> ZFunction:
    return lambda p, fr: 1.0 / fn(p, fr)


_R = ElementKind(
    "R",
    "resistor",
    (ParamSpec("R", "ohm", 100.0),),
    lambda p, fr: p[0],
    lambda p, fr: 1.0 / p[0],
    "R",
    ("R",),
)
_C = ElementKind(
    "C",
    "capacitor",
    (ParamSpec("C", "F", 1e-6),),
    lambda p, fr: 1.0 / (fr.jw * p[0]),
    lambda p, fr: fr.jw * p[0],
    "C",
    ("C",),
)
_L = ElementKind(
    "L",
    "inductor",
    (ParamSpec("L", "H", 1e-6),),
    lambda p, fr: fr.jw * p[0],
    lambda p, fr: 1.0 / (fr.jw * p[0]),
    "L",
    ("L",),
)
_Q = ElementKind(
    "Q",
    "constant-phase element",
    (ParamSpec("Q", "S s^n", 1e-5), ParamSpec("n", "", 0.9, 0.0, 1.0, positive=False)),
    lambda p, fr: 1.0 / _cpe_y(p[0], p[1], fr),
    lambda p, fr: _cpe_y(p[0], p[1], fr),
    "CPE",
    ("Q", "alpha"),
)
_W = ElementKind(
    "W",
    "semi-infinite Warburg",
    (ParamSpec("Y0", "S s^0.5", 1e-2),),
    lambda p, fr: fr.inv_sqrt_jw * (1.0 / p[0]),
    lambda p, fr: fr.sqrt_jw * p[0],
    "W",
    ("A_W",),
)
_WO = ElementKind(
    "Wo",
    "finite Warburg, open (reflective) boundary",
    (ParamSpec("R", "ohm", 10.0), ParamSpec("tau", "s", 1.0)),
    _wo_z,
    _inv(_wo_z),
    "Wo",
    ("Z0", "tau"),
)
_WS = ElementKind(
    "Ws",
    "finite Warburg, short (transmissive) boundary",
    (ParamSpec("R", "ohm", 10.0), ParamSpec("tau", "s", 1.0)),
    _ws_z,
    _inv(_ws_z),
    "Ws",
    ("Z0", "tau"),
)
_G = ElementKind(
    "G",
    "Gerischer",
    (ParamSpec("R", "ohm", 10.0), ParamSpec("tau", "s", 1e-3)),
    _g_z,
    _inv(_g_z),
    "G",
    ("R_G", "t_G"),
)
_LA = ElementKind(
    "La",
    "modified inductance",
    (ParamSpec("L", "H s^(n-1)", 1e-6), ParamSpec("n", "", 1.0, 0.0, 1.0, positive=False)),
    _la_z,
    _inv(_la_z),
    "La",
    ("L", "alpha"),
)

#: Every element kind by symbol, in palette order.
ELEMENT_KINDS: dict[str, ElementKind] = {
    k.symbol: k for k in (_R, _C, _L, _Q, _W, _WO, _WS, _G, _LA)
}


def element_kind(symbol: str) -> ElementKind:
    """The element kind ``symbol`` (R, C, L, Q, W, Wo, Ws, G, La); KeyError when unknown."""
    try:
        return ELEMENT_KINDS[symbol]
    except KeyError:
        raise KeyError(
            f"unknown circuit element {symbol!r}; known: {', '.join(ELEMENT_KINDS)}"
        ) from None


def warburg_aw_from_y0(y0_S_s05: float) -> float:
    """impedance.py's Warburg coefficient A_W (ohm s^-0.5) from Boukamp's Y0 (S s^0.5)."""
    return 1.0 / (math.sqrt(2.0) * y0_S_s05)


def warburg_y0_from_aw(aw_ohm_s05: float) -> float:
    """Boukamp's Y0 (S s^0.5) from impedance.py's Warburg coefficient A_W (ohm s^-0.5)."""
    return 1.0 / (math.sqrt(2.0) * aw_ohm_s05)
