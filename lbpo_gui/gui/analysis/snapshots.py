"""Copies of project objects that a worker may read while the user goes on editing.

Arrays are shared (nothing changes an array in place); settings and results are copied.
"""

from __future__ import annotations

import dataclasses

from ...core.project import Dataset, Sample


def snapshot_dataset(dataset: Dataset) -> Dataset:
    """A copy a worker may read while the project changes (arrays shared: they never change)."""
    return Dataset(
        kind=dataset.kind,
        label=dataset.label,
        arrays=dict(dataset.arrays),
        metadata=dict(dataset.metadata),
        provenance=dataset.provenance,
        analyses={k: a.copy() for k, a in dataset.analyses.items()},
        id=dataset.id,
    )


def snapshot_sample(sample: Sample) -> Sample:
    """A copy of the sample's fields (no datasets) for a worker."""
    return dataclasses.replace(sample, datasets=[])
