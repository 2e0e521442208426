"""The study's Table 2 (``table2_impedance.csv``): R_SE,bulk, R_SE,gb, R_electrode/SE per sample.

For every sample with an impedance dataset (the first one, in the sample's order) the stored
``eis_fit`` analysis is used when it is there, current and without error; otherwise it is
computed with its stored settings (else the defaults: the study's R(QR)(QR)W, calc-modulus,
automatic start). The resistances come from the arcs' assignment by capacitance (see
:mod:`lbpo_gui.core.eis.arcs`), never from the element order.
"""

from __future__ import annotations

from typing import Any

from ..analyses.eis import ANALYSIS_NAME
from ..project.model import Dataset, Project, Sample
from ..project.rules import compute_analysis, fingerprint

#: How Table 2 is computed, for the report's definitions (HTML).
DEFINITION = (
    "Table 2: equivalent circuit R(QR)(QR)W (CDC; Q = constant-phase element, Z = 1/(Q "
    "(j&omega;)<sup>n</sup>); W = semi-infinite Warburg) fitted by complex nonlinear least "
    "squares with calc-modulus weighting from start values read off the spectrum. Arcs are "
    "assigned by their effective capacitance (Brug: C = (RQ)<sup>1/n</sup>/R; Irvine, Sinclair "
    "&amp; West 1990): grain boundary (lower C) and electrode/SE interface (higher C); the "
    "high-frequency intercept is R<sub>SE,bulk</sub>. R<sub>total</sub> is their sum."
)

COLUMNS = ["sample", "R_SE_bulk_ohm", "R_SE_gb_ohm", "R_electrode_SE_ohm", "R_total_ohm"]


def impedance_results(sample: Sample, dataset: Dataset) -> dict[str, Any]:
    """The ``eis_fit`` results of a dataset: stored and current, else computed now."""
    stored = dataset.analyses.get(ANALYSIS_NAME)
    current = (
        stored is not None
        and stored.results
        and "error" not in stored.results
        and stored.inputs == fingerprint(ANALYSIS_NAME, sample, dataset, stored.settings)
    )
    if current:
        return stored.results
    return compute_analysis(sample, dataset, ANALYSIS_NAME).results


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 1)


def impedance_table_rows(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows of the Table 2 layout, one per sample with an impedance dataset."""
    rows = []
    for sample in project.samples:
        dataset = next((d for d in sample.datasets if d.kind == "impedance"), None)
        if dataset is None:
            continue
        results = impedance_results(sample, dataset)
        res = results.get("resistances") or {}
        rows.append({"sample": sample.name, **{c: _r(res.get(c)) for c in COLUMNS[1:]}})
    return list(COLUMNS), rows
