"""Cycling results of a project: per-dataset summaries and the study's cross-sample tables.

The summaries are computed from the stored arrays with the stored settings
(``dataset.analyses['cycling'].settings``) and the sample's active mass, never typed in. Tables:

- the rate table in the layout of the study's Table 1 (``table1_rate_capability.csv``):
  sample, lbo_wt_pct, lpo_wt_pct, ``cap_<j>_mAh_g_cycle<n>`` per rate step, first_cycle_ce_pct,
  ``retention_<last>_vs_<first>_pct``;
- the long-term table of Table S1 (``cycling_170mA_g_100cycles.csv``): sample,
  first_cycle_discharge_mAh_g, cycle<N>_discharge_mAh_g, retention_pct.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ..echem.summary import CyclingSummary
from ..echem.table import CyclingSettings, resolve_active_mass_mg, summarise_table
from ..errors import AnalysisError
from ..project.model import Dataset, Project, Sample
from ..project.rules import fingerprint

ANALYSIS_NAME = "cycling"


def cycling_settings(dataset: Dataset) -> CyclingSettings:
    """The stored settings of a dataset's cycling analysis (defaults when none)."""
    stored = dataset.analyses.get(ANALYSIS_NAME)
    return CyclingSettings.from_dict(stored.settings if stored else None)


#: Summaries by the fingerprint of their inputs (the report asks for each several times).
_SUMMARIES: OrderedDict[str, tuple[CyclingSummary, str]] = OrderedDict()
_SUMMARIES_KEPT = 64


def summarise_dataset(
    sample: Sample, dataset: Dataset, settings: CyclingSettings | None = None
) -> tuple[CyclingSummary, str]:
    """Summary of one cycling dataset and the source of the mass used.

    Summaries are kept (the last 64) by what they depend on (the analysis fingerprint: settings,
    the sample's mass fields, the dataset; and the whole metadata), so asking again after an edit
    computes anew and asking again without one does not.
    """
    if dataset.kind != "cycling":
        raise AnalysisError(f"{dataset.label} is {dataset.kind} data, not cycling data")
    settings = settings or cycling_settings(dataset)
    meta = json.dumps(dataset.metadata, sort_keys=True, default=str)  # all of it is read
    key = fingerprint(ANALYSIS_NAME, sample, dataset, settings.to_dict()) + meta
    if key in _SUMMARIES:
        _SUMMARIES.move_to_end(key)
        return _SUMMARIES[key]
    mass, source = resolve_active_mass_mg(settings, sample.active_mass_mg, dataset.metadata)
    summary = summarise_table(
        dataset.arrays, dataset.metadata, active_mass_mg=mass, settings=settings
    )
    _SUMMARIES[key] = (summary, source)
    while len(_SUMMARIES) > _SUMMARIES_KEPT:
        _SUMMARIES.popitem(last=False)
    return summary, source


def stored_result(summary: CyclingSummary, mass_source: str) -> dict[str, Any]:
    """The JSON result kept in the project next to the settings."""
    out = summary.to_cli_dict()
    out["active_mass_source"] = mass_source
    return out


@dataclass(frozen=True)
class UsedTest:
    """A cycling dataset chosen for a sample's tables, with its summary and mass source."""

    dataset: Dataset
    summary: CyclingSummary
    mass_source: str
    settings: CyclingSettings


@dataclass(frozen=True)
class SampleCycling:
    """The rate-test and long-test summaries chosen for one sample (None when absent).

    ``errors``: datasets that could not be analysed; ``warnings``: the analyses' warnings; both
    as "sample / dataset: text" lines.
    """

    sample: Sample
    rate_test: UsedTest | None
    long_test: UsedTest | None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def rate(self) -> CyclingSummary | None:
        """Summary of the rate test."""
        return self.rate_test.summary if self.rate_test else None

    @property
    def long(self) -> CyclingSummary | None:
        """Summary of the long test."""
        return self.long_test.summary if self.long_test else None


def _is_rate_test(summary: CyclingSummary) -> bool:
    return len(summary.rate_table.steps) >= 2


def sample_cycling(sample: Sample) -> SampleCycling:
    """Pick the sample's rate test (first dataset with >= 2 rate steps) and long test
    (the single-rate dataset with the most cycles)."""
    rate = long = None
    errors: list[str] = []
    warnings: list[str] = []
    for d in sample.datasets_of("cycling"):
        where = f"{sample.name} / {d.label}"
        try:
            settings = cycling_settings(d)
            summary, source = summarise_dataset(sample, d, settings)
        except AnalysisError as exc:
            errors.append(f"{where}: {exc}")
            continue
        warnings.extend(f"{where}: {w}" for w in summary.warnings)
        used = UsedTest(d, summary, source, settings)
        if _is_rate_test(summary):
            rate = rate or used
        elif long is None or len(summary.cycles) > len(long.summary.cycles):
            long = used
    return SampleCycling(sample, rate, long, tuple(errors), tuple(warnings))


def _current_text(current_mA_g: float) -> str:
    """A current density for a column name: 3 significant digits, no trailing zeros (17, 8.5)."""
    return f"{float(f'{current_mA_g:.3g}'):g}"


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None else round(float(x), digits)


def rate_table_rows(project: Project) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows of the Table 1 layout for every sample with a rate test, and the column names."""
    rows: list[dict[str, Any]] = []
    step_cols: list[str] = []
    retention_cols: list[str] = []
    for sample in project.samples:
        found = sample_cycling(sample)
        if found.rate is None:
            continue
        steps = found.rate.rate_table.steps
        row: dict[str, Any] = {
            "sample": sample.name,
            "lbo_wt_pct": sample.lbo_wt_pct,
            "lpo_wt_pct": sample.lpo_wt_pct,
        }
        for st in steps:
            col = f"cap_{_current_text(st.current_mA_g)}_mAh_g_cycle{st.representative_cycle}"
            row[col] = _r(st.discharge_mAh_g, 1)
            if col not in step_cols:
                step_cols.append(col)
        row["first_cycle_ce_pct"] = _r(found.rate.first_cycle_ce_pct, 2)
        last, first = _current_text(steps[-1].current_mA_g), _current_text(steps[0].current_mA_g)
        col = f"retention_{last}_vs_{first}_pct"
        row[col] = _r(steps[-1].retention_pct, 2)
        if col not in retention_cols:
            retention_cols.append(col)
        rows.append(row)
    columns = ["sample", "lbo_wt_pct", "lpo_wt_pct", *step_cols, "first_cycle_ce_pct"]
    return columns + retention_cols, rows


def long_term_rows(project: Project, cycle: int = 100) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows of the Table S1 layout (capacity at cycle 1 and ``cycle``, retention)."""
    rows = []
    for sample in project.samples:
        found = sample_cycling(sample)
        if found.long is None:
            continue
        first = found.long.cycle(1)
        last = found.long.cycle(cycle)
        retention = found.long.long_term_retention(cycle=cycle, reference_cycle=1) if last else None
        rows.append(
            {
                "sample": sample.name,
                "first_cycle_discharge_mAh_g": _r(first.discharge_mAh_g if first else None, 1),
                f"cycle{cycle}_discharge_mAh_g": _r(last.discharge_mAh_g if last else None, 1),
                "retention_pct": _r(retention.retention_pct if retention else None, 1),
            }
        )
    columns = [
        "sample",
        "first_cycle_discharge_mAh_g",
        f"cycle{cycle}_discharge_mAh_g",
        "retention_pct",
    ]
    return columns, rows
