"""The study's cross-sample tables and the figure data of the report, computed from a project.

``STUDY_TABLES`` lists ``(reference file name, builder)`` pairs in report order; a builder takes the
project and returns ``(columns, rows)`` in the layout (column names) of the file of the same name in
``../shared/reference/``. Impedance, XPS and EDS tables are added by one line each when their
builders exist. ``study_tables`` skips a table without rows, so no empty CSV is written.

``study_cycling`` collects, per sample, the rate test and long test used (dataset, summary, active
mass and its source) plus every warning and error, for the figures and the definitions of the
report. It picks the datasets as :func:`.cycling.sample_cycling` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..echem.profiles import cycle_profiles
from ..project.model import Project, Sample
from .cycling import UsedTest, long_term_rows, rate_table_rows, sample_cycling
from .eds import TABLE_DEFINITION, eds_thickness_rows
from .impedance import impedance_table_rows
from .xps import xps_component_rows

Columns = list[str]
Rows = list[dict[str, Any]]
TableBuilder = Callable[[Project], tuple[Columns, Rows]]

#: (reference file name, builder), in report order. Add one line per new table.
STUDY_TABLES: list[tuple[str, TableBuilder]] = [
    ("table1_rate_capability.csv", rate_table_rows),
    ("table2_impedance.csv", impedance_table_rows),
    ("cycling_170mA_g_100cycles.csv", long_term_rows),
    ("xps_components.csv", xps_component_rows),
    ("eds_interlayer_thickness.csv", eds_thickness_rows),
]

#: Human-readable titles of the tables (the file name is used when absent).
TABLE_TITLES: dict[str, str] = {
    "table1_rate_capability.csv": "Table 1: rate capability",
    "table2_impedance.csv": "Table 2: equivalent-circuit fit of the impedance",
    "cycling_170mA_g_100cycles.csv": "Table S1: 100 cycles at 170 mA/g",
    "xps_components.csv": "XPS components",
    "eds_interlayer_thickness.csv": f"Interlayer thickness from STEM-EDS ({TABLE_DEFINITION})",
}


def study_tables(
    project: Project, builders: Sequence[tuple[str, TableBuilder]] | None = None
) -> dict[str, tuple[Columns, Rows]]:
    """``{reference file name: (columns, rows)}`` of every table with at least one row."""
    out: dict[str, tuple[Columns, Rows]] = {}
    for name, builder in STUDY_TABLES if builders is None else builders:
        columns, rows = builder(project)
        if rows:
            out[name] = (list(columns), list(rows))
    return out


@dataclass
class SampleStudy:
    """What the report uses of one sample's cycling data."""

    sample: Sample
    rate: UsedTest | None = None
    long: UsedTest | None = None
    warnings: list[str] = field(default_factory=list)


def study_cycling(project: Project, samples: Sequence[Sample] | None = None) -> list[SampleStudy]:
    """Per sample (of ``samples``, default all): the rate test and the long test chosen by
    :func:`.cycling.sample_cycling`, with the analyses' errors and warnings as text lines."""
    out = []
    for sample in project.samples if samples is None else samples:
        found = sample_cycling(sample)
        out.append(
            SampleStudy(
                sample,
                found.rate_test,
                found.long_test,
                [f"not analysed: {e}" for e in found.errors] + list(found.warnings),
            )
        )
    return out


def stored_warnings(project: Project) -> list[str]:
    """Warnings kept in the stored results of non-cycling analyses (impedance, XPS, EDS ...)."""
    lines = []
    for sample, dataset in project.datasets():
        if dataset.kind == "cycling":
            continue
        for name, analysis in dataset.analyses.items():
            warnings = analysis.results.get("warnings") if analysis.results else None
            if isinstance(warnings, list):
                lines.extend(
                    f"{sample.name} / {dataset.label} ({name}): {w}"
                    for w in warnings
                    if isinstance(w, str)
                )
    return lines


Curve = list[tuple[float, float]]


def rate_capability_series(studies: Sequence[SampleStudy]) -> list[tuple[str, Curve]]:
    """Per sample with a rate test: (current density mA/g, discharge capacity mAh/g) of each
    step's representative cycle."""
    out = []
    for st in studies:
        if st.rate is None:
            continue
        steps = st.rate.summary.rate_table.steps
        out.append((st.sample.name, [(s.current_mA_g, s.discharge_mAh_g) for s in steps]))
    return out


def capacity_vs_cycle_series(
    studies: Sequence[SampleStudy],
) -> tuple[str, list[tuple[str, Curve]]]:
    """``(which, series)``: discharge capacity (mAh/g) vs cycle of every long test, or of the
    rate tests when no sample has a long test (``which`` is 'long' or 'rate')."""
    which = "long" if any(st.long for st in studies) else "rate"
    out = []
    for st in studies:
        used = st.long if which == "long" else st.rate
        if used is None:
            continue
        points = [
            (float(c.cycle), c.discharge_mAh_g)
            for c in used.summary.cycles
            if c.cycle >= 1 and c.discharge_half_cycle is not None
        ]
        out.append((st.sample.name, points))
    return which, out


def first_cycle_profiles(
    studies: Sequence[SampleStudy],
) -> list[tuple[str, list[tuple[Any, Any]]]]:
    """Per sample with a rate test: the charge and discharge branches of cycle 1 as
    ``(capacity_mAh_g array, voltage_V array)`` pairs (not thinned)."""
    out = []
    for st in studies:
        if st.rate is None:
            continue
        d, s = st.rate.dataset, st.rate.summary
        branches = cycle_profiles(
            d.arrays["time_s"],
            d.arrays["voltage_V"],
            d.arrays["current_mA"],
            s.cycles,
            s.segmentation.start,
            s.segmentation.stop,
            active_mass_mg=s.active_mass_mg,
            select=[1],
            integration=s.integration,
        )
        if branches:
            out.append((st.sample.name, [(b.capacity_mAh_g, b.voltage_V) for b in branches]))
    return out
