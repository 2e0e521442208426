"""Up-to-date analyses for the report: the stored ones when current, else computed.

:func:`current_analysis` gives one dataset's analysis (the stored one when its inputs fingerprint
still matches, else computed now with the stored or default settings, not stored).
:func:`bring_up_to_date` stores a current analysis on every dataset of a project before a report:
it keeps what is stored and current, recomputes what is stale (:func:`.rules.stale_analyses`)
and gives datasets without an analysis their technique's default one; with ``recompute=True``
every analysis is computed again from the raw arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..analyses import specs_for_kind
from ..project.model import Analysis, Dataset, Project, Sample
from ..project.rules import compute_analysis, fingerprint, recompute, run_analysis, stale_analyses


def default_analysis_name(dataset: Dataset) -> str | None:
    """The analysis a dataset of its kind gets by default (None when no technique has one)."""
    specs = specs_for_kind(dataset.kind)
    return specs[0].name if specs else None


def is_current(sample: Sample, dataset: Dataset, name: str) -> bool:
    """Whether ``dataset.analyses[name]`` exists and was computed from the current inputs."""
    stored = dataset.analyses.get(name)
    return stored is not None and stored.inputs == fingerprint(
        name, sample, dataset, stored.settings
    )


def current_analysis(sample: Sample, dataset: Dataset, name: str | None = None) -> Analysis | None:
    """Analysis ``name`` (default: the kind's default) of ``dataset``: stored when current, else
    computed now with the stored or default settings and not stored. None when the kind has none."""
    name = name or default_analysis_name(dataset)
    if name is None:
        return None
    if is_current(sample, dataset, name):
        return dataset.analyses[name]
    return compute_analysis(sample, dataset, name)


@dataclass
class UpToDate:
    """What :func:`bring_up_to_date` did: (dataset id, analysis name) per action."""

    kept: list[tuple[str, str]] = field(default_factory=list)
    recomputed: list[tuple[str, str]] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, int]:
        """Counts for the command line."""
        return {
            "kept": len(self.kept),
            "recomputed": len(self.recomputed),
            "added": len(self.added),
        }


def bring_up_to_date(project: Project, recompute_all: bool = False) -> UpToDate:
    """Store a current analysis on every dataset (see the module docstring); returns what it did."""
    done = UpToDate()
    stale = set(stale_analyses(project))
    redo: list[tuple[str, str]] = []
    for _sample, dataset in project.datasets():
        for name in dataset.analyses:
            item = (dataset.id, name)
            (redo if recompute_all or item in stale else done.kept).append(item)
        default = default_analysis_name(dataset)
        if not dataset.analyses and default is not None:
            run_analysis(project, dataset.id, default)
            done.added.append((dataset.id, default))
    recompute(project, redo)
    done.recomputed.extend(redo)
    return done
