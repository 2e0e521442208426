"""XPS line shapes, as CasaXPS defines them, normalised to unit *area* (eV^-1).

Every shape is a function of the binding energy x (eV), a position E and a width parameter F
(the CasaXPS "FWHM"); a component of area A (cps eV, the full analytic area) is A * profile.
With u = (x - E) / F and a = 4 ln 2:

- ``GL(p)``, the Gaussian-Lorentzian *product*, m = p / 100:
  g(u) = exp(-a (1 - m) u^2) / (1 + 4 m u^2). No closed-form area: the area per unit height and
  unit F is integrated numerically once per m. Its true FWHM is slightly below F for 0 < m < 1.
- ``SGL(p)``, the *sum*: g(u) = (1 - m) exp(-a u^2) + m / (1 + 4 u^2); FWHM = F exactly;
  area = h F [(1 - m) sqrt(pi / a) + m pi / 2].
- ``PV(p)``: pseudo-Voigt, lmfit's ``PseudoVoigtModel`` with fraction p / 100: the same shape as
  SGL(p) (only the parametrisation differs there, area vs height).
- ``V(p)``: Voigt (Faddeeva function, scipy ``voigt_profile``) with total FWHM F (Olivero &
  Longbothum 1977) and Lorentzian share p / 100 = f_L / (f_L + f_G).
- ``LA(alpha,beta,m)``: the CasaXPS asymmetric Lorentzian: L(u) = 1 / (1 + 4 u^2) raised to alpha
  on the high-BE side (x > E, the tail side on a BE axis) and to beta on the low-BE side, then
  convolved with a Gaussian. CasaXPS does not publish how its integer m maps to the Gaussian
  width; here **the Gaussian FWHM is m % of F** (m = 0: no convolution). Area finite for
  alpha, beta > 1/2.
- ``DS(alpha,m)``: Doniach-Sunjic with asymmetry alpha and Lorentzian FWHM F, the tail on the
  high-BE side, convolved with a Gaussian of FWHM m % of F. Its area diverges for alpha > 0, so
  "area" is the area within E +- 20 F (stated, as every finite DS convention must be).

Functions of a :class:`LineShape`: :meth:`~LineShape.profile` (one row per line) and
:meth:`~LineShape.derivatives` (the profile and its derivatives with respect to E and F, analytic
for GL/SGL/PV, central differences otherwise). Shapes are parsed from their CasaXPS names
(``LineShape.parse("SGL(30)")``), which is plain parsing of numbers, never evaluation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import integrate, special

A4LN2 = 4.0 * np.log(2.0)
SQRT_PI_OVER_A = float(np.sqrt(np.pi / A4LN2))
KINDS = ("GL", "SGL", "PV", "V", "LA", "DS")
#: Half-width, in units of F, of the window that defines a DS "area".
DS_AREA_HALF_WIDTH = 20.0
_NAME = re.compile(r"^\s*([A-Za-z]+)\s*(?:\(([^)]*)\))?\s*$")


@lru_cache(maxsize=256)
def gl_area_per_height(mix: float) -> float:
    """Area of the GL(100 mix) product of unit height and unit F (integrated numerically)."""
    if mix <= 0:
        return SQRT_PI_OVER_A
    if mix >= 1:
        return np.pi / 2.0

    def g(u: float) -> float:
        return np.exp(-A4LN2 * (1 - mix) * u * u) / (1 + 4 * mix * u * u)

    val, _ = integrate.quad(g, 0.0, np.inf, epsabs=0, epsrel=1e-12, limit=200)
    return 2.0 * val


def sgl_area_per_height(mix: float) -> float:
    """Area of SGL(100 mix) of unit height and unit F: (1 - m) sqrt(pi / 4ln2) + m pi / 2."""
    return (1.0 - mix) * SQRT_PI_OVER_A + mix * np.pi / 2.0


@dataclass(frozen=True)
class LineShape:
    """A line shape: ``kind`` (one of :data:`KINDS`) and its shape parameters.

    ``mix``: Lorentzian share m in [0, 1] of GL/SGL/PV/V; ``alpha``, ``beta``: LA exponents (DS:
    ``alpha`` is the asymmetry); ``gauss_pct``: LA/DS Gaussian FWHM as a percentage of F.
    """

    kind: str = "GL"
    mix: float = 0.3
    alpha: float = 1.0
    beta: float = 1.0
    gauss_pct: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown line shape {self.kind!r}; expected one of {KINDS}")
        if not 0.0 <= self.mix <= 1.0:
            raise ValueError(f"line-shape mix {self.mix} outside [0, 1]")
        if self.kind == "LA" and min(self.alpha, self.beta) <= 0.5:
            raise ValueError("LA exponents must exceed 0.5 for a finite area")
        if self.kind == "DS" and not 0.0 <= self.alpha < 1.0:
            raise ValueError("DS asymmetry must be in [0, 1)")

    # ---------------------------------------------------------------------------- names
    @classmethod
    def parse(cls, text: str) -> LineShape:
        """``"GL(30)"``, ``"SGL(30)"``, ``"PV(50)"``, ``"V(30)"``, ``"LA(1.53,243,50)"``,
        ``"DS(0.1,40)"``, ``"Gaussian"`` (= GL(0)), ``"Lorentzian"`` (= GL(100))."""
        m = _NAME.match(text or "")
        if not m:
            raise ValueError(f"cannot read line shape {text!r}")
        kind = m.group(1).upper()
        try:
            args = [float(a) for a in (m.group(2) or "").split(",") if a.strip()]
        except ValueError:
            raise ValueError(f"cannot read the numbers of line shape {text!r}") from None
        if kind in ("G", "GAUSSIAN"):
            return cls("GL", 0.0)
        if kind in ("L", "LORENTZIAN"):
            return cls("GL", 1.0)
        if kind in ("GL", "SGL", "PV", "V", "VOIGT"):
            return cls("V" if kind == "VOIGT" else kind, (args[0] if args else 30.0) / 100.0)
        if kind == "LA":
            a, b, g = (args + [1.0, 1.0, 0.0][len(args) :])[:3]
            return cls("LA", 0.0, a, b, g)
        if kind == "DS":
            a, g = (args + [0.0, 0.0][len(args) :])[:2]
            return cls("DS", 0.0, a, 1.0, g)
        raise ValueError(f"unknown line shape {text!r}; expected one of {KINDS}")

    @property
    def name(self) -> str:
        """The CasaXPS-style name (``"SGL(30)"``); :meth:`parse` reads it back."""
        if self.kind in ("GL", "SGL", "PV", "V"):
            return f"{self.kind}({self.mix * 100:g})"
        if self.kind == "LA":
            return f"LA({self.alpha:g},{self.beta:g},{self.gauss_pct:g})"
        return f"DS({self.alpha:g},{self.gauss_pct:g})"

    # ---------------------------------------------------------------------------- values
    def height_to_area(self, fwhm: float) -> float:
        """Area of a line of unit height and width ``fwhm`` (eV)."""
        x = np.array([0.0])
        if self.kind in ("LA", "DS"):  # the maximum is not at E after convolution
            x = np.linspace(-5 * fwhm, 5 * fwhm, 2001)
        peak = self.profile(x, np.array([0.0]), np.array([float(fwhm)]))[0].max()
        return float(1.0 / peak)

    def profile(self, x: np.ndarray, centers: np.ndarray, fwhms: np.ndarray) -> np.ndarray:
        """Unit-area lines, shape ``(len(centers), len(x))``."""
        x = np.asarray(x, dtype=float)
        c = np.asarray(centers, dtype=float)[:, None]
        w = np.asarray(fwhms, dtype=float)[:, None]
        if self.kind in ("GL", "SGL", "PV"):
            u = (x - c) / w
            return self._g(u) / (self._k() * w)
        if self.kind == "V":
            return self._voigt(x, c, w)
        return np.vstack(
            [
                self._convolved(x, float(ci), float(wi))
                for ci, wi in zip(c[:, 0], w[:, 0], strict=True)
            ]
        )

    def derivatives(
        self, x: np.ndarray, centers: np.ndarray, fwhms: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(f, df/dE, df/dF)`` of the unit-area lines, each ``(len(centers), len(x))``."""
        c = np.asarray(centers, dtype=float)
        w = np.asarray(fwhms, dtype=float)
        if self.kind in ("GL", "SGL", "PV"):
            u = (np.asarray(x, dtype=float) - c[:, None]) / w[:, None]
            g, dg = self._g(u), self._dg(u)
            kw = self._k() * w[:, None]
            return g / kw, -dg / (kw * w[:, None]), -(u * dg + g) / (kw * w[:, None])
        f = self.profile(x, c, w)
        hc = 1e-4 * w
        dfc = (self.profile(x, c + hc, w) - self.profile(x, c - hc, w)) / (2 * hc[:, None])
        dfw = (self.profile(x, c, w + hc) - self.profile(x, c, w - hc)) / (2 * hc[:, None])
        return f, dfc, dfw

    # ---------------------------------------------------------------------------- internals
    def _k(self) -> float:
        if self.kind == "GL":
            return gl_area_per_height(round(self.mix, 6))
        return sgl_area_per_height(self.mix)

    def _g(self, u: np.ndarray) -> np.ndarray:
        m = self.mix
        u2 = u * u
        if self.kind == "GL":
            return np.exp(-A4LN2 * (1 - m) * u2) / (1 + 4 * m * u2)
        return (1 - m) * np.exp(-A4LN2 * u2) + m / (1 + 4 * u2)

    def _dg(self, u: np.ndarray) -> np.ndarray:
        m = self.mix
        u2 = u * u
        if self.kind == "GL":
            g = np.exp(-A4LN2 * (1 - m) * u2) / (1 + 4 * m * u2)
            return g * (-2 * A4LN2 * (1 - m) * u - 8 * m * u / (1 + 4 * m * u2))
        return (1 - m) * (-2 * A4LN2 * u) * np.exp(-A4LN2 * u2) - m * 8 * u / (1 + 4 * u2) ** 2

    def _voigt(self, x: np.ndarray, c: np.ndarray, w: np.ndarray) -> np.ndarray:
        eta = min(self.mix, 1 - 1e-9)
        rho = eta / (1 - eta)  # f_L / f_G
        f_g = w / (0.5346 * rho + np.sqrt(0.2166 * rho * rho + 1.0))
        sigma = f_g / (2 * np.sqrt(2 * np.log(2)))
        gamma = rho * f_g / 2.0
        return special.voigt_profile(x - c, np.maximum(sigma, 1e-12), gamma)

    def _convolved(self, x: np.ndarray, c: float, w: float) -> np.ndarray:
        """LA or DS on a fine grid, Gaussian-convolved, normalised, interpolated to ``x``."""
        g_fwhm = self.gauss_pct / 100.0 * w
        step = min(w, g_fwhm if g_fwhm > 0 else w) / 40.0
        half = DS_AREA_HALF_WIDTH * w
        lo = min(float(np.min(x)) if x.size else c, c - half) - 5 * g_fwhm
        hi = max(float(np.max(x)) if x.size else c, c + half) + 5 * g_fwhm
        n = int(min(np.ceil((hi - lo) / step), 400_000)) + 1
        t = np.linspace(lo, hi, n)
        dt = t[1] - t[0]
        d = t - c
        if self.kind == "LA":
            lor = 1.0 / (1.0 + 4.0 * (d / w) ** 2)
            y = np.where(d > 0, lor**self.alpha, lor**self.beta)
        else:
            a = self.alpha
            gam = w / 2.0
            e = -d  # tail towards high BE: DS is written on a kinetic-energy-like axis
            y = np.cos(np.pi * a / 2 + (1 - a) * np.arctan2(e, gam)) / (e * e + gam * gam) ** (
                (1 - a) / 2
            )
        if g_fwhm > 0:
            s = g_fwhm / (2 * np.sqrt(2 * np.log(2)))
            k = np.arange(-int(np.ceil(5 * s / dt)), int(np.ceil(5 * s / dt)) + 1) * dt
            kern = np.exp(-0.5 * (k / s) ** 2)
            y = np.convolve(y, kern / kern.sum(), mode="same")
        if self.kind == "LA":  # analytic: the convolution keeps the area
            area = (
                w
                / 2.0
                * (_half_lorentz_power_area(self.alpha) + _half_lorentz_power_area(self.beta))
            )
        else:
            inside = np.abs(d) <= half
            area = np.trapezoid(y[inside], t[inside])
        return np.interp(x, t, y / area)


def _half_lorentz_power_area(p: float) -> float:
    """Integral from 0 to infinity of (1 + v^2)^-p dv = sqrt(pi) Gamma(p - 1/2) / (2 Gamma(p))."""
    return float(np.sqrt(np.pi) * special.gamma(p - 0.5) / (2.0 * special.gamma(p)))


def parse_shape(shape: str | LineShape) -> LineShape:
    """A :class:`LineShape` from a name or itself."""
    return shape if isinstance(shape, LineShape) else LineShape.parse(shape)
