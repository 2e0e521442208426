"""A cheap, frozen copy of a project that another thread may serialise while the user edits.

Arrays are shared, not copied: nothing in the project API changes an array in place (edits
replace whole datasets or analyses), so a snapshot costs little more than copying the small JSON
parts. Autosave takes one on the GUI thread and writes it in a worker.
"""

from __future__ import annotations

import copy
import dataclasses

from .model import Analysis, Dataset, Project


def _dataset(d: Dataset) -> Dataset:
    return Dataset(
        kind=d.kind,
        label=d.label,
        arrays=dict(d.arrays),
        metadata=copy.deepcopy(d.metadata),
        provenance=dataclasses.replace(d.provenance),
        analyses={
            name: Analysis(
                copy.deepcopy(a.settings),
                copy.deepcopy(a.results),
                dict(a.arrays),
                a.updated_at,
                a.inputs,
            )
            for name, a in d.analyses.items()
        },
        raw=d.raw,
        id=d.id,
    )


def snapshot_project(project: Project) -> Project:
    """A copy of ``project`` with its own samples, datasets and analyses and shared arrays; no
    listeners, so editing the original never reaches it."""
    snap = Project(project.name)
    snap.id, snap.notes, snap.created = project.id, project.notes, project.created
    snap.settings = copy.deepcopy(project.settings)
    snap._samples = [  # noqa: SLF001 (a copy of the same class)
        dataclasses.replace(s, datasets=[_dataset(d) for d in s.datasets]) for s in project.samples
    ]
    snap.revision = project.revision
    return snap
