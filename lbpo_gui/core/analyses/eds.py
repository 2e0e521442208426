"""The stored EDS analyses: ``eds_thickness`` of a line profile and ``eds_map_thickness`` of a
line drawn on element maps (the line is part of the settings).

Both depend on the sample's coating (P in the coating makes P an unsafe electrolyte marker) and
on the dataset metadata that feeds the warnings (signal unit, Velox pre-filter, pixel size).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..project.model import Dataset, Sample
from ..report.eds import (
    ANALYSIS_NAME,
    MAP_ANALYSIS_NAME,
    analyse_dataset,
    default_settings,
    haadf_control,
    result_arrays,
    stored_result,
)
from .registry import AnalysisOutput, AnalysisSpec, register

METADATA_KEYS = ("signal_unit", "map_filter", "pixel_size_nm")


def compute_eds(sample: Sample, dataset: Dataset, settings: Mapping[str, Any]) -> AnalysisOutput:
    """T50 with SE, T_theta, edges and warnings of ``dataset`` with ``settings``."""
    result = analyse_dataset(sample, dataset, dict(settings))
    out = stored_result(result)
    control = haadf_control(dataset, settings)
    if control is not None:
        out["haadf_control"] = control
    return AnalysisOutput(out, result_arrays(result))


def _spec(name: str, kind: str, title: str) -> AnalysisSpec:
    return register(
        AnalysisSpec(
            name=name,
            kind=kind,
            title=title,
            compute=compute_eds,
            sample_fields=("lpo_wt_pct",),
            metadata_keys=METADATA_KEYS,
            default_settings=default_settings,
        )
    )


SPEC = _spec(ANALYSIS_NAME, "eds_profile", "Interlayer thickness")
MAP_SPEC = _spec(MAP_ANALYSIS_NAME, "eds_map", "Interlayer thickness (line on maps)")
