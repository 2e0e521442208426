"""The built-in demo project: the study's samples with their synthetic raw data."""

from __future__ import annotations

from ..project.model import Dataset, Project, Provenance, now_iso
from .build import demo_samples

DEFAULT_SEED = 20230529


def build_demo_project(seed: int = DEFAULT_SEED) -> Project:
    """A project with the nine samples of Table 1 and every demo dataset (deterministic)."""
    project = Project("LBPO study (demo)")
    project.notes = (
        "Synthetic data made by small physical models aimed at the figures of Ji et al., "
        "Batteries 2023, 9, 292. Not measured data."
    )
    for demo in demo_samples(seed):
        sample = project.add_sample(
            demo.name,
            lbo_wt_pct=demo.lbo_wt_pct,
            lpo_wt_pct=demo.lpo_wt_pct,
            cathode=demo.cathode,
            composite_mass_mg=demo.composite_mass_mg,
            active_parts=demo.active_parts,
            total_parts=demo.total_parts,
            notes=demo.notes,
        )
        for data in demo.datasets:
            dataset = Dataset(
                kind=data.kind,
                label=data.label,
                arrays=dict(data.arrays),
                metadata=dict(data.metadata),
                provenance=Provenance(
                    original_name="", reader=data.reader or "demo", imported_at=now_iso()
                ),
            )
            project.add_dataset(sample.id, dataset)
    project.revision = 0
    return project
