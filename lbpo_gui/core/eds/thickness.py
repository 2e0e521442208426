"""Interlayer thickness of one EDS line profile, with its definition, uncertainty and warnings.

:func:`analyse_profile` runs the joint erf fit (:mod:`.fit`), derives T50 and T_theta, removes
the instrumental broadening in quadrature (:mod:`.broadening`), reads the overlap width
directly from the smoothed profiles (:mod:`.threshold`), fits every element alone for its own
centre and 10-90 % width, optionally fits a blurred box for an interphase with its own plateau,
and collects the warnings of :mod:`.checks`. :func:`pool_thickness` pools several profiles of
one sample as mean +- SD with N.

Definitions (always reported with the number):

- **T50**: distance between the 50 % points (erf centres) of the cathode and electrolyte edges;
  not changed by symmetric blur (so not by the instrument);
- **T_theta**: width over which both sides are at least theta of their bulk level,
  ``T50 + |Phi^-1(theta)| (sigma_c + sigma_e)`` for theta < 0.5: it contains the broadening.
  ``theta = 0.1`` (T10) is the default: the "where the signals overlap" reading of the study.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import AnalysisError
from . import checks
from .broadening import Broadening, estimate_broadening, remove_in_quadrature
from .checks import EdsWarning
from .edges import theta_offset, width_10_90
from .fit import (
    InterphaseFit,
    JointEdgeFit,
    SideEdge,
    fit_element_edges,
    fit_interphase,
    fit_joint_edges,
)
from .threshold import OverlapReading, overlap_width

DEFAULT_CATHODE = ("Ni", "Co", "Mn")
DEFAULT_ELECTROLYTE = ("S", "P", "Cl")
#: The study's reading: overlap of both sides at 10 % of their bulk levels.
STUDY_THETA = 0.1


@dataclass
class EdsSettings:
    """Settings of one thickness analysis (JSON round trip with :meth:`to_dict`).

    - ``cathode`` / ``electrolyte``: element symbols of each side (default: those of
      :data:`DEFAULT_CATHODE` / :data:`DEFAULT_ELECTROLYTE` present in the profile);
    - ``theta``: level of the T_theta reading (0 < theta < 1; default 0.1);
    - ``smoothing_nm``: Gaussian smoothing of the direct reading;
    - ``weighting``: ``auto`` (Poisson for counts, else from the scatter), ``poisson``, ``uniform``;
    - ``sigma_instr_nm``: instrumental sigma removed in quadrature, one number or
      ``{"cathode": s, "electrolyte": s}``; None = no correction (or the estimate below);
    - ``instrument``: when ``sigma_instr_nm`` is None, the terms to estimate it from
      (:func:`.broadening.estimate_broadening` keywords, shared by both sides, plus
      ``cathode_material`` / ``electrolyte_material``, keys of :data:`.broadening.MATERIALS`, for
      the beam spread in each phase), e.g. ``{"probe_fwhm_nm": 1.0, "lamella_thickness_nm": 60,
      "beam_energy_keV": 200, "cathode_material": "NCM811", "electrolyte_material":
      "Li6PS5Cl"}``;
    - ``interphase``: also fit a blurred box (interphase with its own plateau);
    - ``coating_contains_p``: the sample's coating holds P (warns when P marks the electrolyte);
    - ``line_angle_deg``: angle of the line to the interface normal (from the map tool);
    - ``min_plateau_nm``, ``max_line_angle_deg``, ``plateau_fraction``: check thresholds;
    - ``bootstrap``: number of parametric-bootstrap resamples for the SE of the direct reading
      (0 = none; about 100 resamples cost 0.1-0.3 s; counts only).
    """

    cathode: list[str] = field(default_factory=list)
    electrolyte: list[str] = field(default_factory=list)
    theta: float = STUDY_THETA
    smoothing_nm: float = 0.5
    weighting: str = "auto"
    sigma_instr_nm: float | dict[str, float] | None = None
    instrument: dict[str, Any] | None = None
    interphase: bool = False
    coating_contains_p: bool | None = None
    line_angle_deg: float | None = None
    min_plateau_nm: float = 2.0
    max_line_angle_deg: float = 10.0
    plateau_fraction: float = 0.2
    bootstrap: int = 0

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> EdsSettings:
        """Settings from JSON; unknown keys are refused (AnalysisError)."""
        d = dict(d or {})
        known = set(cls.__dataclass_fields__)
        bad = sorted(set(d) - known)
        if bad:
            raise AnalysisError(f"unknown EDS settings: {', '.join(bad)}")
        s = cls(**d)
        s.cathode, s.electrolyte = list(s.cathode), list(s.electrolyte)
        if not 0 < float(s.theta) < 1:
            raise AnalysisError(f"theta must be between 0 and 1, got {s.theta}")
        if s.weighting not in ("auto", "poisson", "uniform"):
            raise AnalysisError(f"weighting must be auto, poisson or uniform, not {s.weighting!r}")
        return s

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def broadening(self, side: str) -> Broadening | None:
        """The instrumental broadening of ``side`` (typed in, estimated, or None)."""
        v = self.sigma_instr_nm
        if isinstance(v, Mapping):
            return Broadening(float(v[side])) if v.get(side) is not None else None
        if v is not None:
            return Broadening(float(v))
        if not self.instrument:
            return None
        terms = dict(self.instrument)
        materials = {k: terms.pop(f"{k}_material", None) for k in ("cathode", "electrolyte")}
        if materials[side] is not None:
            terms["material"] = materials[side]
        try:
            return estimate_broadening(**terms)
        except TypeError as exc:
            raise AnalysisError(f"instrument settings: {exc}") from None


def definition_text(code: str, cathode: Sequence[str], electrolyte: Sequence[str]) -> str:
    """The sentence that goes with a number (``T50``, ``T10``, ``T05``...)."""
    c, e = ", ".join(cathode), ", ".join(electrolyte)
    if code == "T50":
        return (
            f"T50: distance between the 50 % points (erf centres) of the cathode edge ({c}) and "
            f"the electrolyte edge ({e}), joint erf fit"
        )
    theta = int(code[1:]) / 100
    k = theta_offset(theta)
    return (
        f"{code}: width over which cathode ({c}) and electrolyte ({e}) signals are both >= "
        f"{theta:.0%} of their bulk levels, T50 {'+' if k >= 0 else '-'} {abs(k):.2f} "
        "(sigma_c + sigma_e) from the joint erf fit"
    )


def theta_code(theta: float) -> str:
    """``T10`` for 0.1, ``T05`` for 0.05, ``T50`` for 0.5."""
    return f"T{round(theta * 100):02d}"


@dataclass
class ThicknessResult:
    """Everything one profile gives: numbers, definitions, edges, warnings."""

    fit: JointEdgeFit
    settings: EdsSettings
    theta: float
    t_theta_nm: float
    t_theta_stderr_nm: float
    reading: OverlapReading
    element_edges: dict[str, SideEdge]
    sigma_instr: dict[str, float | None]
    broadening: dict[str, Broadening | None]
    intrinsic_sigma_nm: dict[str, float | None]
    t_theta_intrinsic_nm: float | None
    signal_unit: str
    warnings: list[EdsWarning]
    interphase: InterphaseFit | None = None
    reading_stderr_nm: float | None = None

    @property
    def t50_nm(self) -> float:
        return self.fit.t50_nm

    @property
    def t50_stderr_nm(self) -> float:
        return self.fit.t50_stderr_nm

    @property
    def definition(self) -> str:
        return definition_text("T50", self.fit.cathode.elements, self.fit.electrolyte.elements)

    @property
    def theta_definition(self) -> str:
        c, e = self.fit.cathode.elements, self.fit.electrolyte.elements
        return definition_text(theta_code(self.theta), c, e)

    def to_dict(self) -> dict[str, Any]:
        """The JSON result (the ``lbpo eds`` contract keys first)."""
        f = self.fit
        edges = {}
        for edge in (f.cathode, f.electrolyte):
            d = edge.to_dict()
            sig_int = self.intrinsic_sigma_nm[edge.side]
            d["sigma_instr_nm"] = self.sigma_instr[edge.side]
            b = self.broadening[edge.side]
            d["broadening"] = None if b is None else b.to_dict()
            d["sigma_intrinsic_nm"] = sig_int
            d["width_10_90_intrinsic_nm"] = None if sig_int is None else width_10_90(sig_int)
            edges[edge.side] = d
        code = theta_code(self.theta)
        out: dict[str, Any] = {
            "thickness_nm": self.t50_nm,
            "thickness_stderr_nm": self.t50_stderr_nm,
            "definition": self.definition,
            "definition_code": "T50",
            "band_nm": list(f.overlap_band(0.5)),
            "edges": edges,
            "t_theta": {
                "theta": self.theta,
                "code": code,
                "definition": self.theta_definition,
                "fit_nm": self.t_theta_nm,
                "fit_stderr_nm": self.t_theta_stderr_nm,
                "fit_band_nm": list(f.overlap_band(self.theta)),
                "intrinsic_nm": self.t_theta_intrinsic_nm,
                "read_nm": self.reading.width_nm,
                "read_stderr_nm": self.reading_stderr_nm,
                "reading": self.reading.to_dict(),
            },
            "elements": {
                el: {
                    "side": f.elements[el].side,
                    "center_nm": self.element_edges[el].center_nm,
                    "center_stderr_nm": self.element_edges[el].center_stderr_nm,
                    "sigma_nm": self.element_edges[el].sigma_nm,
                    "width_10_90_nm": self.element_edges[el].width_10_90_nm,
                    "background": f.elements[el].background,
                    "amplitude": f.elements[el].amplitude,
                }
                for el in f.elements
            },
            "correlation_centers": float(f.correlation[0, 2]),
            "reduced_chi_square": f.reduced_chi_square,
            "weighting": f.weighting,
            "signal_unit": self.signal_unit,
            "n_points": f.n_points,
            "step_nm": float(np.median(np.diff(f.x_nm))),
            "warnings": [w.message for w in self.warnings],
            "warning_codes": [w.code for w in self.warnings],
        }
        if self.interphase is not None:
            ip = self.interphase
            out["interphase"] = {
                "thickness_nm": ip.thickness_nm,
                "thickness_stderr_nm": ip.thickness_stderr_nm,
                "start_nm": ip.a_nm,
                "end_nm": ip.b_nm,
                "sigma_start_nm": ip.sigma_a_nm,
                "sigma_end_nm": ip.sigma_b_nm,
                "definition": "width b - a of a box (interphase plateau) blurred by a Gaussian "
                "at each boundary, all elements jointly",
                "reduced_chi_square": ip.reduced_chi_square,
            }
        return out


def default_sides(elements: Sequence[str]) -> tuple[list[str], list[str]]:
    """The default cathode and electrolyte markers present among ``elements``."""
    c = [e for e in DEFAULT_CATHODE if e in elements and e != "Mn"] or [
        e for e in DEFAULT_CATHODE if e in elements
    ]
    e = [x for x in DEFAULT_ELECTROLYTE if x in elements and x != "Cl"] or [
        x for x in DEFAULT_ELECTROLYTE if x in elements
    ]
    return c, e


def analyse_profile(
    distance_nm: np.ndarray,
    signals: Mapping[str, np.ndarray],
    settings: EdsSettings | Mapping[str, Any] | None = None,
    *,
    signal_unit: str = "counts",
    metadata: Mapping[str, Any] | None = None,
) -> ThicknessResult:
    """Interlayer thickness of one profile (see the module doc).

    ``signals`` maps element symbols to profiles; ``metadata`` may carry ``map_filter`` and
    ``pixel_size_nm`` (Velox maps) and ``line_angle_deg`` (map tool) for the warnings.
    """
    s = settings if isinstance(settings, EdsSettings) else EdsSettings.from_dict(settings)
    meta = dict(metadata or {})
    cathode, electrolyte = s.cathode, s.electrolyte
    if not cathode or not electrolyte:
        dc, de = default_sides(list(signals))
        cathode, electrolyte = cathode or dc, electrolyte or de
    if not cathode or not electrolyte:
        raise AnalysisError(
            f"say which elements mark the cathode and the electrolyte (profile has "
            f"{', '.join(signals)})"
        )
    weighting = s.weighting
    if weighting == "auto":
        weighting = "poisson" if signal_unit == "counts" else "uniform"
    x = np.asarray(distance_nm, dtype=float)
    fit = fit_joint_edges(
        x, signals, cathode, electrolyte, weighting=weighting, plateau_fraction=s.plateau_fraction
    )
    t_theta, t_theta_se = fit.t_theta(s.theta)
    reading = overlap_width(
        x,
        signals,
        cathode,
        electrolyte,
        theta=s.theta,
        smoothing_nm=s.smoothing_nm,
        plateau_fraction=s.plateau_fraction,
    )
    per_element = fit_element_edges(
        x,
        signals,
        [*cathode, *electrolyte],
        weighting=weighting,
        plateau_fraction=s.plateau_fraction,
    )
    broadening = {side: s.broadening(side) for side in ("cathode", "electrolyte")}
    instr = {side: (b.sigma_nm if b else None) for side, b in broadening.items()}
    intrinsic: dict[str, float | None] = {}
    warnings: list[EdsWarning] = []
    for edge in (fit.cathode, fit.electrolyte):
        si = instr[edge.side]
        intrinsic[edge.side] = None if si is None else remove_in_quadrature(edge.sigma_nm, si)
        if si is not None and si >= edge.sigma_nm:
            warnings.append(
                EdsWarning(
                    "broadening_exceeds_edge",
                    f"the instrumental sigma ({si:.2f} nm) is at least the measured {edge.side} "
                    f"edge sigma ({edge.sigma_nm:.2f} nm): the edge is instrument-limited",
                )
            )
    t_int = None
    if all(v is not None for v in intrinsic.values()):
        t_int = fit.t50_nm + theta_offset(s.theta) * (
            intrinsic["cathode"] + intrinsic["electrolyte"]
        )
    interphase = None
    if s.interphase:
        a, b = sorted((fit.cathode.center_nm, fit.electrolyte.center_nm))
        if b - a < fit.x_nm[1] - fit.x_nm[0]:
            b = a + 2 * (fit.x_nm[1] - fit.x_nm[0])
        interphase = fit_interphase(
            x,
            signals,
            [*cathode, *electrolyte],
            a_nm=a,
            b_nm=b,
            sigma_nm=min(fit.cathode.sigma_nm, fit.electrolyte.sigma_nm),
            weighting=weighting,
        )
    warnings = (
        _warnings(s, fit, reading, cathode, electrolyte, signals, signal_unit, meta) + warnings
    )
    read_se = None
    if s.bootstrap and weighting == "poisson":
        read_se = reading_bootstrap_se(fit, s, n=int(s.bootstrap))
    return ThicknessResult(
        fit=fit,
        settings=s,
        theta=float(s.theta),
        t_theta_nm=t_theta,
        t_theta_stderr_nm=t_theta_se,
        reading=reading,
        element_edges=per_element,
        sigma_instr=instr,
        broadening=broadening,
        intrinsic_sigma_nm=intrinsic,
        t_theta_intrinsic_nm=t_int,
        signal_unit=signal_unit,
        warnings=warnings,
        interphase=interphase,
        reading_stderr_nm=read_se,
    )


def reading_bootstrap_se(
    fit: JointEdgeFit, settings: EdsSettings, *, n: int = 100, seed: int = 0
) -> float:
    """SD of the direct T_theta reading over ``n`` Poisson resamples of the fitted model (the
    parametric bootstrap of the notes; a reading has no analytic SE)."""
    rng = np.random.default_rng(seed)
    c, e = list(fit.cathode.elements), list(fit.electrolyte.elements)
    widths = []
    for _ in range(max(2, n)):
        sample = {el: rng.poisson(np.maximum(m, 0)).astype(float) for el, m in fit.model.items()}
        r = overlap_width(
            fit.x_nm,
            sample,
            c,
            e,
            theta=settings.theta,
            smoothing_nm=settings.smoothing_nm,
            plateau_fraction=settings.plateau_fraction,
        )
        widths.append(r.width_nm)
    return float(np.std(widths, ddof=1))


def _warnings(s, fit, reading, cathode, electrolyte, signals, signal_unit, meta):
    out: list[EdsWarning] = []
    out += checks.p_overlap([*cathode, *electrolyte], signals)
    out += checks.p_in_coating(electrolyte, s.coating_contains_p)
    out += checks.quantified(signal_unit)
    x0, x1 = float(fit.x_nm[0]), float(fit.x_nm[-1])
    for edge in (fit.cathode, fit.electrolyte):
        out += checks.short_plateau(
            edge.side, edge.center_nm, edge.sigma_nm, x0, x1, s.min_plateau_nm
        )
    angle = s.line_angle_deg if s.line_angle_deg is not None else meta.get("line_angle_deg")
    out += checks.not_perpendicular(angle, s.max_line_angle_deg)
    out += checks.map_prefilter(meta.get("map_filter"), meta.get("pixel_size_nm"))
    for el, lv in fit.elements.items():
        if abs(lv.amplitude) < 3 * lv.amplitude_stderr:
            out.append(
                EdsWarning(
                    "weak_edge",
                    f"the {el} step ({lv.amplitude:.3g} +- {lv.amplitude_stderr:.2g}) is less than "
                    "3 standard errors: it hardly constrains its edge",
                )
            )
        side = fit.cathode if lv.side == "cathode" else fit.electrolyte
        if lv.direction and lv.direction != side.direction:
            out.append(
                EdsWarning(
                    "odd_direction",
                    f"{el} {'rises' if lv.direction > 0 else 'falls'} along the line, unlike the "
                    f"other {lv.side} markers: is it on the right side?",
                )
            )
    if fit.t50_nm < 0:
        out.append(
            EdsWarning(
                "no_overlap",
                f"the 50 % points leave a gap of {-fit.t50_nm:.2f} nm (T50 < 0): the sides do not "
                "overlap at half their bulk levels; check the side assignment",
            )
        )
    if reading.reaches_end:
        out.append(
            EdsWarning(
                "reading_reaches_end",
                "the direct overlap reading runs into an end of the profile: it is a lower bound",
            )
        )
    if (
        math.isfinite(fit.reduced_chi_square)
        and fit.reduced_chi_square > 3
        and fit.weighting == "poisson"
    ):
        out.append(
            EdsWarning(
                "poor_fit",
                f"reduced chi-square {fit.reduced_chi_square:.1f}: single erf edges do not describe "
                "the profile (an interphase with its own plateau? try the box model)",
            )
        )
    return out


@dataclass(frozen=True)
class PooledThickness:
    """Several profiles of one sample: mean +- SD with N (the between-location spread is the
    real uncertainty), the standard error of the mean and the mean fit SE."""

    definition: str
    n: int
    mean_nm: float
    sd_nm: float | None
    sem_nm: float | None
    mean_fit_stderr_nm: float | None
    values_nm: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "definition": self.definition,
            "n": self.n,
            "mean_nm": self.mean_nm,
            "sd_nm": self.sd_nm,
            "sem_nm": self.sem_nm,
            "mean_fit_stderr_nm": self.mean_fit_stderr_nm,
            "values_nm": list(self.values_nm),
        }


def pool_thickness(
    values_nm: Sequence[float],
    stderrs_nm: Sequence[float] | None = None,
    *,
    definition: str = "T50",
) -> PooledThickness:
    """Mean +- SD (ddof 1) with N of several profiles' thicknesses of one definition."""
    v = np.asarray(values_nm, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        raise AnalysisError("no thickness to pool")
    n = len(v)
    sd = float(np.std(v, ddof=1)) if n > 1 else None
    se = None
    if stderrs_nm is not None and len(stderrs_nm):
        se = float(np.mean(np.asarray(stderrs_nm, dtype=float)))
    return PooledThickness(
        definition, n, float(v.mean()), sd, None if sd is None else sd / math.sqrt(n), se, tuple(v)
    )


def pool_results(results: Sequence[ThicknessResult], *, use_theta: bool = False) -> PooledThickness:
    """:func:`pool_thickness` of several :class:`ThicknessResult` (T50, or T_theta)."""
    if not results:
        raise AnalysisError("no profiles to pool")
    if use_theta:
        thetas = {r.theta for r in results}
        if len(thetas) > 1:
            raise AnalysisError("the profiles were read at different theta levels")
        return pool_thickness(
            [r.t_theta_nm for r in results],
            [r.t_theta_stderr_nm for r in results],
            definition=results[0].theta_definition,
        )
    return pool_thickness(
        [r.t50_nm for r in results],
        [r.t50_stderr_nm for r in results],
        definition=results[0].definition,
    )


__all__ = [
    "Broadening",
    "EdsSettings",
    "PooledThickness",
    "ThicknessResult",
    "analyse_profile",
    "pool_results",
    "pool_thickness",
]
