"""The stored ``cycling`` analysis: capacities per cycle, CE and rate steps of a cycler dataset.

It depends on the sample's active mass (composite mass, parts, override) and on the mass in the
file header, besides its own settings (:class:`~lbpo_gui.core.echem.table.CyclingSettings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..echem.table import CyclingSettings
from ..project.model import Dataset, Sample
from ..report.cycling import ANALYSIS_NAME, stored_result, summarise_dataset
from .registry import AnalysisOutput, AnalysisSpec, register

#: Sample fields the active mass is computed from.
MASS_FIELDS = ("composite_mass_mg", "active_parts", "total_parts", "active_mass_override_mg")


def compute_cycling(
    sample: Sample, dataset: Dataset, settings: Mapping[str, Any]
) -> AnalysisOutput:
    """The cycling summary of ``dataset`` with ``settings`` and the sample's active mass."""
    parsed = CyclingSettings.from_dict(dict(settings))
    summary, source = summarise_dataset(sample, dataset, parsed)
    return AnalysisOutput(stored_result(summary, source))


SPEC = register(
    AnalysisSpec(
        name=ANALYSIS_NAME,
        kind="cycling",
        title="Capacity and CE",
        compute=compute_cycling,
        sample_fields=MASS_FIELDS,
        metadata_keys=("active_mass_mg",),
    )
)
