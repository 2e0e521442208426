"""The rules that keep stored results in step with the edits they depend on.

Every stored analysis (``dataset.analyses[name]``) is computed by the spec registered under its
name (:mod:`lbpo_gui.core.analyses`) and carries a fingerprint of its inputs: its settings, the
sample fields and dataset metadata the spec depends on, the dataset and the spec's version.

- :func:`run_analysis` computes and stores an analysis (new settings, or a first run);
- :func:`edit_sample` and :func:`edit_dataset_metadata` make an edit and recompute, in the same
  step, every stored analysis that depends on what changed, so the project never keeps numbers
  made with a mass it no longer has; both return a record that :func:`undo_edit` and
  :func:`redo_edit` apply without recomputing;
- :func:`stale_analyses` lists stored results whose inputs changed some other way (an older file,
  a script that wrote results directly) and :func:`recompute` brings them up to date.

The GUI's undo commands, the command line and scripts all go through these functions.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import LbpoError, ProjectError
from .model import Analysis, Dataset, Project, Sample, check_json_value, now_iso


def _spec(name: str):
    from ..analyses import get_spec

    return get_spec(name)


def fingerprint(name: str, sample: Sample, dataset: Dataset, settings: Mapping[str, Any]) -> str:
    """The fingerprint of what analysis ``name`` of ``dataset`` depends on (sha256 hex).

    Dataset arrays never change after import (there is no API to change them), so the dataset
    id and size stand for them.
    """
    spec = _spec(name)
    doc = {
        "analysis": name,
        "version": spec.version if spec else 0,
        "dataset": [dataset.id, dataset.n_points],
        "settings": settings,
        "sample": {f: getattr(sample, f, None) for f in (spec.sample_fields if spec else ())},
        "metadata": {k: dataset.metadata.get(k) for k in (spec.metadata_keys if spec else ())},
    }
    text = json.dumps(doc, sort_keys=True, default=str, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def error_text(exc: BaseException) -> str:
    """A one-line message for an exception raised by an analysis."""
    if isinstance(exc, LbpoError):
        return str(exc)
    return f"the analysis failed: {type(exc).__name__}: {exc}"


def compute_analysis(
    sample: Sample, dataset: Dataset, name: str, settings: Mapping[str, Any] | None = None
) -> Analysis:
    """Compute analysis ``name`` of ``dataset`` without storing it (safe on snapshots in a worker).

    ``settings`` default to the stored ones, else the spec's defaults. A failure gives results
    ``{"error": message}``, never an exception (only an unknown ``name`` raises ProjectError).
    """
    spec = _spec(name)
    if spec is None:
        raise ProjectError(f"no analysis named {name!r} is known")
    if spec.kind != dataset.kind:
        raise ProjectError(f"{name} analyses {spec.kind} data; {dataset.label} is {dataset.kind}")
    if settings is None:
        stored = dataset.analyses.get(name)
        settings = stored.settings if stored else spec.default_settings(dataset)
    settings = check_json_value(dict(settings), f"{name}: settings")
    try:
        out = spec.compute(sample, dataset, settings)
        results = check_json_value(out.results, f"{name}: results")
        arrays = dict(out.arrays)
    except Exception as exc:  # stored as the result: the user sees why, nothing crashes
        results, arrays = {"error": error_text(exc)}, {}
    return Analysis(
        settings, results, arrays, now_iso(), fingerprint(name, sample, dataset, settings)
    )


def store_analysis(
    project: Project, dataset_id: str, name: str, analysis: Analysis
) -> Analysis | None:
    """Store a computed analysis (from :func:`compute_analysis`); returns the previous one."""
    old = project.set_analysis(
        dataset_id, name, analysis.settings, analysis.results, analysis.arrays, analysis.inputs
    )
    return old


def run_analysis(
    project: Project, dataset_id: str, name: str, settings: Mapping[str, Any] | None = None
) -> Analysis | None:
    """Compute analysis ``name`` of a dataset (with ``settings``, default the stored ones) and
    store it; returns the previous analysis (None when there was none) for undo."""
    sample, dataset = project.dataset(dataset_id)
    return store_analysis(
        project, dataset_id, name, compute_analysis(sample, dataset, name, settings)
    )


def is_stale(project: Project, dataset_id: str, name: str) -> bool:
    """Whether the stored analysis ``name`` was computed from other inputs than the current."""
    sample, dataset = project.dataset(dataset_id)
    stored = dataset.analyses.get(name)
    if stored is None or _spec(name) is None:
        return False
    return stored.inputs != fingerprint(name, sample, dataset, stored.settings)


def stale_analyses(project: Project, sample_id: str | None = None) -> list[tuple[str, str]]:
    """(dataset id, analysis name) of every stale stored analysis (of one sample, or all)."""
    out = []
    for sample in project.samples:
        if sample_id is not None and sample.id != sample_id:
            continue
        for d in sample.datasets:
            out.extend((d.id, name) for name in d.analyses if is_stale(project, d.id, name))
    return out


@dataclass
class Recomputed:
    """One analysis replaced by a recomputation: the old and the new object."""

    dataset_id: str
    name: str
    old: Analysis | None
    new: Analysis


@dataclass
class Edit:
    """An edit and the analyses recomputed with it, enough to undo and redo it without
    computing again. ``kind`` is ``sample`` (``fields``: old and new values) or ``metadata``."""

    kind: str
    target_id: str
    old: dict[str, Any]
    new: dict[str, Any]
    recomputed: list[Recomputed] = field(default_factory=list)


def recompute(project: Project, items: Iterable[tuple[str, str]]) -> list[Recomputed]:
    """Recompute the given (dataset id, analysis name) with their stored settings."""
    done = []
    for dataset_id, name in items:
        sample, dataset = project.dataset(dataset_id)
        new = compute_analysis(sample, dataset, name)
        old = store_analysis(project, dataset_id, name, new)
        done.append(Recomputed(dataset_id, name, old, dataset.analyses[name]))
    return done


def _dependent(datasets: Iterable[Dataset], test) -> list[tuple[str, str]]:
    out = []
    for d in datasets:
        for name in d.analyses:
            spec = _spec(name)
            if spec is not None and test(spec):
                out.append((d.id, name))
    return out


def edit_sample(project: Project, sample_id: str, **fields: Any) -> Edit:
    """Set sample fields and recompute the stored analyses that depend on them (one step).

    Raises ProjectError and changes nothing when a value is refused.
    """
    sample = project.sample(sample_id)
    old = project.update_sample(sample_id, **fields)
    new = {k: getattr(sample, k) for k in old}
    changed = {k for k in old if old[k] != new[k]}
    items = _dependent(sample.datasets, lambda spec: bool(changed & set(spec.sample_fields)))
    return Edit("sample", sample_id, old, new, recompute(project, items))


_MISSING = object()


def edit_dataset_metadata(project: Project, dataset_id: str, key: str, value: Any) -> Edit:
    """Set one metadata entry of a dataset and recompute its analyses that read it."""
    _, dataset = project.dataset(dataset_id)
    existed, old_value = project.set_dataset_metadata(dataset_id, key, value)
    old = {key: old_value if existed else _MISSING}
    new = {key: copy.deepcopy(dataset.metadata[key])}
    items = _dependent([dataset], lambda spec: key in spec.metadata_keys)
    return Edit("metadata", dataset_id, old, new, recompute(project, items))


def _apply_values(project: Project, edit: Edit, values: Mapping[str, Any]) -> None:
    if edit.kind == "sample":
        project.update_sample(edit.target_id, **values)
        return
    for key, value in values.items():
        if value is _MISSING:
            project.delete_dataset_metadata(edit.target_id, key)
        else:
            project.set_dataset_metadata(edit.target_id, key, value)


def undo_edit(project: Project, edit: Edit) -> None:
    """Take back an :class:`Edit`: the old values and the old analyses."""
    _apply_values(project, edit, edit.old)
    for r in reversed(edit.recomputed):
        project.restore_analysis(r.dataset_id, r.name, r.old)


def redo_edit(project: Project, edit: Edit) -> None:
    """Apply an :class:`Edit` again with the analyses computed the first time."""
    _apply_values(project, edit, edit.new)
    for r in edit.recomputed:
        project.restore_analysis(r.dataset_id, r.name, r.new)
