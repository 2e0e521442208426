"""The stored ``eis_fit`` analysis: an equivalent-circuit fit of an impedance dataset.

Settings (JSON):

- ``circuit``: CDC, impedance.py string or extended CDC (values, bounds, fixed flags and ids in
  braces: ``R{R=14.5:R1}(Q{Q=1e-06/1e-09/0.001,n=0.9f:Q1}R{R=9.4:R2})``); default the study's
  ``R(QR)(QR)W``;
- ``weighting``: calc-modulus (default), data-modulus, unit, proportional, boukamp;
- ``fmin_Hz`` / ``fmax_Hz``: the frequency range fitted (null = all);
- ``auto_start``: start values from the spectrum (default true); false = the values written in
  the circuit are the start;
- ``n_starts``: starts tried, the lowest chi-square kept (default 4);
- ``kk``: run the Lin-KK test (with a series capacitance for the low-frequency tail) on the
  fitted range (default true; milliseconds);
- ``drt``: compute the DRT of the fitted range (default false; about a second).

Results: the ``lbpo eis`` summary (``circuit``, ``circuit_extended`` with the fitted values,
``parameters`` with standard errors, ``chi_square``, ``reduced_chi_square``, ``arcs`` with
capacitance, frequency, assignment and reason, ``correlation``, ``warnings``) plus the study's
``resistances`` (R_SE_bulk_ohm, R_SE_gb_ohm, R_electrode_SE_ohm, R_total_ohm). Arrays: the
fitted curve at the fitted frequencies (``frequency_Hz``, ``z_fit_real_ohm``,
``z_fit_imag_ohm``) and a smooth one (``curve_frequency_Hz``, ``curve_real_ohm``,
``curve_imag_ohm``, 20 points per decade); with ``kk`` the results' ``kk`` (M, mu,
max_residual_pct) and arrays ``kk_residual_real_pct``, ``kk_residual_imag_pct``; with ``drt``
the results' ``drt`` (lambda, method, peaks) and arrays ``drt_tau_s``, ``drt_gamma_ohm``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..eis.drt import drt
from ..eis.fit import frequency_mask
from ..eis.kk import lin_kk
from ..eis.model import circuit_impedance
from ..eis.weighting import DEFAULT_WEIGHTING, check_weighting
from ..eis.workflow import STUDY_CIRCUIT, fit_spectrum, fit_summary, study_resistances
from ..errors import AnalysisError
from ..project.model import Dataset, Sample
from .registry import AnalysisOutput, AnalysisSpec, register

ANALYSIS_NAME = "eis_fit"


def default_settings(dataset: Dataset | None = None) -> dict[str, Any]:
    """Settings of a first fit: the study's circuit, calc-modulus, automatic start."""
    return {
        "circuit": STUDY_CIRCUIT,
        "weighting": DEFAULT_WEIGHTING,
        "fmin_Hz": None,
        "fmax_Hz": None,
        "auto_start": True,
        "n_starts": 4,
        "kk": True,
        "drt": False,
    }


def _optional_float(settings: Mapping[str, Any], key: str) -> float | None:
    v = settings.get(key)
    if v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        raise AnalysisError(f"eis_fit setting {key} = {v!r} is not a number") from None


def compute_eis_fit(
    sample: Sample, dataset: Dataset, settings: Mapping[str, Any]
) -> AnalysisOutput:
    """Fit the settings' circuit to the dataset's spectrum and label the arcs."""
    s = {**default_settings(dataset), **dict(settings)}
    a = dataset.arrays
    if not {"frequency_Hz", "z_real_ohm", "z_imag_ohm"} <= set(a):
        raise AnalysisError(f"{dataset.label} has no frequency_Hz / z_real_ohm / z_imag_ohm")
    f = np.asarray(a["frequency_Hz"], dtype=float)
    z = np.asarray(a["z_real_ohm"], dtype=float) + 1j * np.asarray(a["z_imag_ohm"], dtype=float)
    sf = fit_spectrum(
        str(s["circuit"]),
        f,
        z,
        weighting=check_weighting(s["weighting"]),
        fmin=_optional_float(s, "fmin_Hz"),
        fmax=_optional_float(s, "fmax_Hz"),
        auto=bool(s["auto_start"]),
        n_starts=int(s["n_starts"]),
    )
    results = fit_summary(sf)
    results["resistances"] = study_resistances(sf)
    r = sf.fit
    lo, hi = np.log10(r.frequency_Hz.min()), np.log10(r.frequency_Hz.max())
    curve_f = np.logspace(hi, lo, max(int(round((hi - lo) * 20)) + 1, 2))
    curve = circuit_impedance(r.circuit, curve_f)
    arrays = {
        "frequency_Hz": r.frequency_Hz,
        "z_fit_real_ohm": r.z_fit.real,
        "z_fit_imag_ohm": r.z_fit.imag,
        "curve_frequency_Hz": curve_f,
        "curve_real_ohm": curve.real,
        "curve_imag_ohm": curve.imag,
    }
    keep = frequency_mask(f, _optional_float(s, "fmin_Hz"), _optional_float(s, "fmax_Hz"))
    if s.get("kk"):
        kk = lin_kk(f[keep], z[keep], add_cap=True)
        results["kk"] = kk.to_dict() if np.isfinite(kk.mu) else {**kk.to_dict(), "mu": None}
        arrays["kk_frequency_Hz"] = kk.frequency_Hz
        arrays["kk_residual_real_pct"] = 100 * kk.residual_real
        arrays["kk_residual_imag_pct"] = 100 * kk.residual_imag
    if s.get("drt"):
        d = drt(f[keep], z[keep])
        results["drt"] = d.to_dict()
        arrays["drt_tau_s"] = d.tau_s
        arrays["drt_gamma_ohm"] = d.gamma_ohm
    return AnalysisOutput(results, arrays)


SPEC = register(
    AnalysisSpec(
        name=ANALYSIS_NAME,
        kind="impedance",
        title="Equivalent-circuit fit",
        compute=compute_eis_fit,
        default_settings=default_settings,
    )
)
