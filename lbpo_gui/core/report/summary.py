"""What the Summary tab shows about a project, computed here (no Qt): samples grouped by coating,
the samples x techniques status matrix (data, analysed, stale), the analyses still to compute,
and every per-sample figure of the study's tables for cross-technique plots.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analyses import specs_for_kind
from ..project import rules
from ..project.model import Project, Sample

#: The techniques of the matrix: title and the dataset kinds they cover.
TECHNIQUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Cycling", ("cycling",)),
    ("Impedance", ("impedance",)),
    ("XPS", ("xps",)),
    ("EDS", ("eds_profile", "eds_map")),
)
#: Status words of a matrix cell, from worst to best.
NO_DATA, NOT_ANALYSED, STALE, FAILED, ANALYSED = (
    "no data",
    "not analysed",
    "stale",
    "failed",
    "analysed",
)


def coating_key(sample: Sample) -> tuple[float, float, str]:
    """Order of the study's tables: by LPO wt%, then LBO wt%, then name (unknown last)."""
    lpo = sample.lpo_wt_pct if sample.lpo_wt_pct is not None else math.inf
    lbo = sample.lbo_wt_pct if sample.lbo_wt_pct is not None else math.inf
    return (lpo, lbo, sample.name)


def samples_by_coating(project: Project) -> list[Sample]:
    """The samples grouped by coating (LPO level, then LBO content)."""
    return sorted(project.samples, key=coating_key)


def default_analysis(kind: str) -> str | None:
    """The stored analysis a dataset of ``kind`` gets when none was run yet."""
    specs = specs_for_kind(kind)
    return specs[0].name if specs else None


@dataclass
class CellStatus:
    """One cell of the matrix: the status word, datasets, and what to compute to bring it up
    to date as (dataset id, analysis name) pairs."""

    status: str
    n_datasets: int = 0
    todo: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def technique_status(project: Project, sample: Sample, kinds: Sequence[str]) -> CellStatus:
    """The status of one sample for one technique."""
    datasets = [d for d in sample.datasets if d.kind in kinds]
    if not datasets:
        return CellStatus(NO_DATA)
    todo: list[tuple[str, str]] = []
    errors: list[str] = []
    stale = missing = 0
    for d in datasets:
        names = [n for n in d.analyses if n in {s.name for s in specs_for_kind(d.kind)}]
        if not names:
            name = default_analysis(d.kind)
            if name:
                missing += 1
                todo.append((d.id, name))
            continue
        for name in names:
            if rules.is_stale(project, d.id, name):
                stale += 1
                todo.append((d.id, name))
            elif "error" in d.analyses[name].results:
                errors.append(f"{d.label}: {d.analyses[name].results['error']}")
    if stale:
        status = STALE
    elif missing == len(datasets):
        status = NOT_ANALYSED
    elif errors:
        status = FAILED
    elif missing:
        status = NOT_ANALYSED
    else:
        status = ANALYSED
    return CellStatus(status, len(datasets), todo, errors)


def status_matrix(project: Project) -> list[tuple[Sample, dict[str, CellStatus]]]:
    """Per sample (grouped by coating): technique title -> status."""
    return [
        (s, {title: technique_status(project, s, kinds) for title, kinds in TECHNIQUES})
        for s in samples_by_coating(project)
    ]


def analyses_to_compute(project: Project) -> list[tuple[str, str]]:
    """(dataset id, analysis name) of every missing or stale analysis of the project."""
    return [
        item for _, cells in status_matrix(project) for cell in cells.values() for item in cell.todo
    ]


#: Columns of the study's tables that identify a row rather than measure something.
KEY_COLUMNS = {
    "sample",
    "state",
    "region",
    "component",
    "origin",
    "elements",
    "definition",
    "lbo_wt_pct",
    "lpo_wt_pct",
    "peak_2p3_2_eV",
    "peak_2p1_2_eV",
    "reduced_chi_square",
}


def _label(table: str, row: Mapping[str, Any], column: str) -> str:
    parts = [table]
    for key in ("region", "component", "state"):
        value = row.get(key)
        if value:
            parts.append(str(value))
    return " \u00b7 ".join(parts) + f": {column}"


def figures_by_sample(
    project: Project, tables: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]]
) -> dict[str, dict[str, float]]:
    """Every number of the study's tables per sample name, under a label naming the table, the
    row (region, component, state) and the column (units in the column names), plus the coating
    contents ``LBO (wt%)`` and ``LPO (wt%)``."""
    short = {
        "table1_rate_capability.csv": "Table 1",
        "table2_impedance.csv": "Table 2",
        "cycling_170mA_g_100cycles.csv": "Table S1",
        "xps_components.csv": "XPS",
        "eds_interlayer_thickness.csv": "EDS",
    }
    out: dict[str, dict[str, float]] = {}
    for s in project.samples:
        figures = out.setdefault(s.name, {})
        if s.lbo_wt_pct is not None:
            figures["LBO (wt%)"] = float(s.lbo_wt_pct)
        if s.lpo_wt_pct is not None:
            figures["LPO (wt%)"] = float(s.lpo_wt_pct)
    for name, (columns, rows) in tables.items():
        table = short.get(name, name.removesuffix(".csv"))
        for row in rows:
            sample = row.get("sample")
            if sample not in out:
                continue
            for column in columns:
                value = row.get(column)
                if column in KEY_COLUMNS or isinstance(value, bool):
                    continue
                if isinstance(value, int | float) and math.isfinite(value):
                    out[sample][_label(table, row, column)] = float(value)
    return out


def figure_names(figures: Mapping[str, Mapping[str, float]]) -> list[str]:
    """All figure labels, coating contents first, then in table order."""
    seen: dict[str, None] = {"LBO (wt%)": None, "LPO (wt%)": None}
    for per_sample in figures.values():
        for label in per_sample:
            seen.setdefault(label, None)
    return [n for n in seen if any(n in f for f in figures.values())]
