"""Where every number of the report came from: datasets, files, readers and analysis settings.

:func:`provenance_rows` gives one row per dataset and stored analysis (file name and sha256 of
the import, reader, analysis name, settings, inputs fingerprint, when computed, current or
stale); :func:`xps_templates_used` the XPS fit templates the stored ``xps_fit`` analyses name,
so a report can show their constraints. Data only: the HTML is made by :mod:`.html`.
"""

from __future__ import annotations

import json
from typing import Any

from ..analyses import get_spec
from ..project.model import Project
from ..xps.model import FitSpec
from ..xps.templates import load_template
from .current import is_current


def _settings_text(settings: dict[str, Any]) -> str:
    if not settings:
        return "{} (the defaults)"
    return json.dumps(settings, sort_keys=True, default=str, allow_nan=True)


def provenance_rows(project: Project) -> list[dict[str, Any]]:
    """One row per dataset and analysis: where the data came from and how it was analysed
    (file name, sha256, reader, import time, analysis name and version, settings, inputs fingerprint,
    computed at, whether it is current). Datasets without an analysis get one row too."""
    rows = []
    for sample, dataset in project.datasets():
        prov = dataset.provenance
        base = {
            "dataset_id": dataset.id,
            "sample": sample.name,
            "dataset": dataset.label,
            "kind": dataset.kind,
            "source_file": prov.original_name,
            "sha256": prov.sha256,
            "reader": prov.reader,
            "imported_at": prov.imported_at,
        }
        if not dataset.analyses:
            rows.append({**base, "analysis": "", "status": "not analysed"})
        for name, analysis in dataset.analyses.items():
            error = analysis.results.get("error") if analysis.results else None
            status = "current" if is_current(sample, dataset, name) else "stale"
            rows.append(
                {
                    **base,
                    "analysis": name,
                    "analysis_version": spec.version if (spec := get_spec(name)) else None,
                    "settings": _settings_text(analysis.settings),
                    "inputs": analysis.inputs,
                    "computed_at": analysis.updated_at,
                    "status": f"{status}, error: {error}" if error else status,
                }
            )
    return rows


def xps_templates_used(project: Project) -> list[FitSpec]:
    """The XPS templates named by the stored ``xps_fit`` settings, each once, in project order
    (templates that cannot be loaded are left out: their analysis shows the error)."""
    seen: dict[str, FitSpec] = {}
    for _sample, dataset in project.datasets("xps"):
        stored = dataset.analyses.get("xps_fit")
        template = stored.settings.get("template") if stored else None
        if not template:
            continue
        key = json.dumps(template, sort_keys=True, default=str)
        if key in seen:
            continue
        try:
            seen[key] = load_template(template)
        except (KeyError, ValueError, TypeError):
            continue
    return list(seen.values())
