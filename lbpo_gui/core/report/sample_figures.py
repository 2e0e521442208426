"""Every figure (number) of every sample in one long table: ``sample_figures.csv``.

One row per number with its unit, standard error when the analysis gives one, its definition and
where it came from (dataset, analysis, source file and sha256), so other tools (and the Summary
tab's cross-technique plots) can pick any figure against coating content without knowing the
study's table layouts. Quantities:

- cycling (rate test): ``cap_<j>_mAh_g_cycle<n>`` per rate step, ``first_cycle_ce_pct``,
  ``retention_<last>_vs_<first>_pct``; (long test) ``first_cycle_discharge_mAh_g``,
  ``cycle100_discharge_mAh_g``, ``retention_pct`` (the names of Tables 1 and S1);
- impedance: ``R_SE_bulk_ohm``, ``R_SE_gb_ohm``, ``R_electrode_SE_ohm``, ``R_total_ohm``,
  ``reduced_chi_square``;
- XPS: ``<region> <component> area_pct`` per component, state in ``state``;
- EDS: ``interlayer_T50_nm`` and ``interlayer_T10_nm`` (the table's reading) per profile.
"""

from __future__ import annotations

import math
from typing import Any

from ..project.model import Dataset, Project, Sample
from .current import current_analysis, default_analysis_name
from .cycling import rate_table_rows
from .cycling import sample_cycling as _sample_cycling
from .eds import STUDY_THETA, TABLE_DEFINITION
from .impedance import COLUMNS as IMPEDANCE_COLUMNS

COLUMNS = [
    "sample",
    "lbo_wt_pct",
    "lpo_wt_pct",
    "technique",
    "state",
    "quantity",
    "value",
    "unit",
    "stderr",
    "definition",
    "dataset",
    "analysis",
    "source_file",
    "sha256",
    "dataset_id",
]

_IMPEDANCE_DEFINITIONS = {
    "R_SE_bulk_ohm": "high-frequency intercept (series R of R(QR)(QR)W)",
    "R_SE_gb_ohm": "R of the arc with the lower effective capacitance (grain boundary)",
    "R_electrode_SE_ohm": "R of the arc with the higher effective capacitance (interface)",
    "R_total_ohm": "sum of the three resistances",
}


def _finite(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _unit(quantity: str) -> str:
    for suffix, unit in (
        ("_mAh_g", "mAh/g"),
        ("_pct", "%"),
        ("_ohm", "ohm"),
        ("_nm", "nm"),
    ):
        if quantity.endswith(suffix) or f"{suffix}_cycle" in quantity:
            return unit
    return ""


class _Rows:
    """Collects rows with the sample and dataset columns filled in."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        sample: Sample,
        dataset: Dataset,
        technique: str,
        analysis: str,
        quantity: str,
        value: Any,
        *,
        state: str = "",
        stderr: Any = None,
        definition: str = "",
        unit: str | None = None,
    ) -> None:
        v = _finite(value)
        if v is None:
            return
        prov = dataset.provenance
        self.rows.append(
            {
                "sample": sample.name,
                "lbo_wt_pct": sample.lbo_wt_pct,
                "lpo_wt_pct": sample.lpo_wt_pct,
                "technique": technique,
                "state": state,
                "quantity": quantity,
                "value": v,
                "unit": _unit(quantity) if unit is None else unit,
                "stderr": _finite(stderr),
                "definition": definition,
                "dataset": dataset.label,
                "analysis": analysis,
                "source_file": prov.original_name,
                "sha256": prov.sha256,
                "dataset_id": dataset.id,
            }
        )


def _cycling(out: _Rows, project: Project) -> None:
    _, table1 = rate_table_rows(project)
    by_name = {r["sample"]: r for r in table1}
    for sample in project.samples:
        found = _sample_cycling(sample)
        if found.rate_test is not None and sample.name in by_name:
            row = by_name[sample.name]
            for q, v in row.items():
                if q in ("sample", "lbo_wt_pct", "lpo_wt_pct"):
                    continue
                out.add(
                    sample,
                    found.rate_test.dataset,
                    "cycling",
                    "cycling",
                    q,
                    v,
                    definition=_cycling_definition(q),
                )
        if found.long_test is not None:
            long = found.long_test.summary
            first, last = long.cycle(1), long.cycle(100)
            ret = long.long_term_retention(cycle=100, reference_cycle=1) if last else None
            d = found.long_test.dataset
            for q, v, what in (
                (
                    "first_cycle_discharge_mAh_g",
                    first.discharge_mAh_g if first else None,
                    "discharge capacity of cycle 1 of the long test",
                ),
                (
                    "cycle100_discharge_mAh_g",
                    last.discharge_mAh_g if last else None,
                    "discharge capacity of cycle 100",
                ),
                (
                    "retention_pct",
                    ret.retention_pct if ret else None,
                    "capacity at cycle 100 / at cycle 1 x 100 %",
                ),
            ):
                out.add(sample, d, "cycling", "cycling", q, v, definition=what)


def _cycling_definition(quantity: str) -> str:
    if quantity.startswith("cap_"):
        return "discharge capacity of the rate step's representative cycle (mAh per g active)"
    if quantity == "first_cycle_ce_pct":
        return "Q_dis / Q_ch of cycle 1 x 100 %"
    return "capacity at the last rate step / at the first x 100 %"


def _impedance(out: _Rows, project: Project) -> None:
    for sample in project.samples:
        dataset = next((d for d in sample.datasets if d.kind == "impedance"), None)
        fit = current_analysis(sample, dataset) if dataset is not None else None
        if fit is None or "resistances" not in fit.results:
            continue
        res = fit.results
        stderr = {
            p.get("element"): p.get("stderr")
            for p in res.get("parameters", [])
            if p.get("name") == "R"
        }
        by_assignment = {a.get("assignment"): a for a in res.get("arcs", [])}
        arc_of = {"R_SE_gb_ohm": "grain boundary", "R_electrode_SE_ohm": "electrode interface"}
        state = str(dataset.metadata.get("state") or "")
        for q in IMPEDANCE_COLUMNS[1:]:
            err = None
            if q == "R_SE_bulk_ohm":
                err = stderr.get("R1")
            elif q in arc_of and arc_of[q] in by_assignment:
                r_el = next((e for e in by_assignment[arc_of[q]]["elements"] if e[0] == "R"), None)
                err = stderr.get(r_el)
            out.add(
                sample,
                dataset,
                "impedance",
                "eis_fit",
                q,
                res["resistances"].get(q),
                state=state,
                stderr=err,
                definition=_IMPEDANCE_DEFINITIONS[q],
            )
        out.add(
            sample,
            dataset,
            "impedance",
            "eis_fit",
            "reduced_chi_square",
            res.get("reduced_chi_square"),
            state=state,
            unit="",
            definition=f"weighting {res.get('weighting')}",
        )


def _xps(out: _Rows, project: Project) -> None:
    for sample, dataset in project.datasets("xps"):
        fit = current_analysis(sample, dataset)
        if fit is None or "components" not in fit.results:
            continue
        res = fit.results
        region = str(res.get("region") or dataset.metadata.get("region", ""))
        state = str(dataset.metadata.get("state") or dataset.label)
        if dataset.metadata.get("etch_time_s"):
            state = f"{state}, etched {dataset.metadata['etch_time_s']:g} s"
        template = res.get("template")
        for c in res["components"]:
            err = c.get("stderr") or {}
            what = f"{region} {c['name']}"
            for q, v, e, unit, definition in (
                (
                    "area_pct",
                    c["area_pct"],
                    err.get("area_pct"),
                    "%",
                    f"share of the {region} component area (template {template})",
                ),
                (
                    "area_cps_eV",
                    c["area"],
                    err.get("area"),
                    "cps eV",
                    "fitted peak area above the background (both peaks of a doublet)",
                ),
            ):
                out.add(
                    sample,
                    dataset,
                    "xps",
                    "xps_fit",
                    f"{what} {q}",
                    v,
                    state=state,
                    stderr=e,
                    unit=unit,
                    definition=definition,
                )


def _eds(out: _Rows, project: Project) -> None:
    for sample, dataset in project.datasets():
        if dataset.kind not in ("eds_profile", "eds_map"):
            continue
        fit = current_analysis(sample, dataset)
        if fit is None or "thickness_nm" not in fit.results:
            continue
        res = fit.results
        state = str(dataset.metadata.get("state") or dataset.label)
        name = default_analysis_name(dataset) or ""
        out.add(
            sample,
            dataset,
            "eds",
            name,
            "interlayer_T50_nm",
            res["thickness_nm"],
            state=state,
            stderr=res.get("thickness_stderr_nm"),
            definition=str(res.get("definition", "")),
        )
        tt = res.get("t_theta") or {}
        if tt.get("theta") == STUDY_THETA:
            out.add(
                sample,
                dataset,
                "eds",
                name,
                "interlayer_T10_nm",
                tt.get("fit_nm"),
                state=state,
                stderr=tt.get("fit_stderr_nm"),
                definition=TABLE_DEFINITION,
            )


def sample_figure_rows(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    """``(columns, rows)`` of ``sample_figures.csv`` (see the module docstring)."""
    out = _Rows()
    for collect in (_cycling, _impedance, _xps, _eds):
        collect(out, project)
    return list(COLUMNS), out.rows
