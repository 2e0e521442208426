"""The stored ``xps_fit`` analysis: a template fitted to one XPS region.

Settings: ``template`` (a built-in name or a template dict stored in the project), ``mc``
(Monte Carlo refits, 0 = none) and ``seed``. Results: the fit summary of
:meth:`~lbpo_gui.core.xps.fit.FitResult.to_dict` (region, background, components with
covariance errors, reduced chi-square...), the Monte Carlo summary when asked, the template used
and the dataset's etch level and time. Arrays: the curves on the fit window
(``binding_energy_eV``, ``counts_per_s``, ``background_cps``, ``envelope_cps``,
``residual_cps`` and ``component_<k>_cps``, k in component order, background included).

It depends on the dataset's arrays (fingerprinted by the rules) and on the metadata that set
the weights (dwell, scans), the region and the charge shift (``charge_shift_eV``, added to the
binding energies before the fit; the stored curves are on the shifted axis).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import AnalysisError
from ..project.model import Dataset, Sample
from ..xps.casa import casa_spec_of
from ..xps.fit import FitError, FitResult, exposure_from_metadata, fit_spectrum
from ..xps.model import FitSpec
from ..xps.sample_quant import CHARGE_SHIFT_KEY, charge_shift_of, corrected_binding_energy
from ..xps.templates import load_template
from ..xps.uncertainty import monte_carlo
from .registry import AnalysisOutput, AnalysisSpec, register

ANALYSIS_NAME = "xps_fit"
#: The built-in template of each region of the study.
DEFAULT_TEMPLATES = {"S 2p": "s2p-argyrodite", "P 2p": "p2p-argyrodite", "B 1s": "b1s"}


def default_xps_settings(dataset: Dataset) -> dict[str, Any]:
    """The CasaXPS fit the file carries, else the built-in template of the dataset's region
    (``template`` None when there is neither)."""
    region = str(dataset.metadata.get("region", ""))
    casa = casa_spec_of(dataset.metadata, region or dataset.label)
    template: Any = casa.to_dict() if casa is not None else DEFAULT_TEMPLATES.get(region)
    return {"template": template, "mc": 0, "seed": 0}


def compute_xps_fit(
    sample: Sample,
    dataset: Dataset,
    settings: Mapping[str, Any],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> AnalysisOutput:
    """Fit the dataset with the template of ``settings``; ``progress(done, n)`` and ``cancel()``
    are handed to the Monte Carlo refits (a GUI worker reports them)."""
    template = settings.get("template")
    if not template:
        region = dataset.metadata.get("region", dataset.label)
        raise AnalysisError(f"no XPS template chosen for region {region!r}")
    try:
        spec = load_template(template)
    except (KeyError, ValueError) as exc:
        raise AnalysisError(str(exc).strip("'\"")) from None
    try:
        result = fit_spectrum(
            corrected_binding_energy(dataset.arrays, dataset.metadata),
            dataset.arrays["counts_per_s"],
            spec,
            exposure_s=exposure_from_metadata(dataset.metadata),
        )
    except FitError as exc:
        raise AnalysisError(f"{dataset.label}: {exc}") from None
    n_mc = int(settings.get("mc") or 0)
    if n_mc > 0:
        monte_carlo(
            result, n_mc, seed=int(settings.get("seed") or 0), progress=progress, cancel=cancel
        )
    return xps_fit_output(dataset, spec, result)


def xps_fit_output(dataset: Dataset, spec: FitSpec, result: FitResult) -> AnalysisOutput:
    """The stored form (results, arrays) of a fit of ``dataset`` with ``spec`` (also used for
    the fits of a series, which start from their neighbour's values)."""
    results = result.to_dict()
    results["template"] = spec.name or "user template"
    results["etch_level"] = dataset.metadata.get("etch_level")
    results["etch_time_s"] = dataset.metadata.get("etch_time_s")
    results[CHARGE_SHIFT_KEY] = charge_shift_of(dataset.metadata)
    results["origins"] = {c.name: c.origin for c in spec.components if c.origin}
    warnings = []
    if not result.success:
        warnings.append(f"the fit did not converge: {result.message}")
    if result.reduced_chi_square > 3:
        warnings.append(f"reduced chi-square {result.reduced_chi_square:.2f} > 3: check the model")
    results["warnings"] = warnings
    if result.mc is not None:
        results["mc"] = {"n": result.mc.n, "seed": result.mc.seed}
    curves = result.curves()
    arrays = {k: v for k, v in curves.items() if not k.startswith("comp:")}
    for k, c in enumerate(result.components):
        arrays[f"component_{k}_cps"] = curves[f"comp:{c.name}"]
    return AnalysisOutput(results, arrays)


SPEC = register(
    AnalysisSpec(
        name=ANALYSIS_NAME,
        kind="xps",
        title="XPS components",
        compute=compute_xps_fit,
        metadata_keys=("region", "dwell_s", "n_scans", CHARGE_SHIFT_KEY),
        default_settings=default_xps_settings,
    )
)
