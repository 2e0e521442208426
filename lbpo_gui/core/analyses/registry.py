"""The registry of analyses a project can store: what each computes and what it depends on.

An :class:`AnalysisSpec` ties a stored analysis name (the key in ``dataset.analyses``) to the
dataset kind it applies to, a ``compute`` function (project objects in, JSON results and arrays
out; the science itself lives in ``core/echem``, ``core/eis``...), and the inputs outside its own
settings that its results depend on: sample fields (the active mass) and dataset metadata keys.
:mod:`lbpo_gui.core.project.rules` uses this to keep stored results in step with every edit, for
the GUI, the command line and scripts alike.

A technique registers its spec in a module of this package listed in :func:`_load_builtins`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..project.model import Dataset, Sample


@dataclass
class AnalysisOutput:
    """What an analysis computed: JSON-able ``results`` and optional ``arrays`` (curves)."""

    results: dict[str, Any]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


Compute = Callable[["Sample", "Dataset", Mapping[str, Any]], AnalysisOutput]


@dataclass(frozen=True)
class AnalysisSpec:
    """One kind of stored analysis.

    - ``name``: key in ``dataset.analyses`` (letters, digits, ``_``), e.g. ``cycling``;
    - ``kind``: the dataset kind it analyses;
    - ``compute(sample, dataset, settings)``: the results; raises
      :class:`~lbpo_gui.core.errors.LbpoError` (or any exception) when it cannot, and the rules
      then store ``{"error": message}``;
    - ``sample_fields``: sample fields the results depend on (an edit of one recomputes them);
    - ``metadata_keys``: dataset metadata keys the results depend on;
    - ``default_settings(dataset)``: settings of a first run;
    - ``version``: bump when the computation changes, so stored results become stale.
    """

    name: str
    kind: str
    title: str
    compute: Compute
    sample_fields: tuple[str, ...] = ()
    metadata_keys: tuple[str, ...] = ()
    default_settings: Callable[[Dataset], dict[str, Any]] = field(default=lambda d: {})
    version: int = 1


_REGISTRY: dict[str, AnalysisSpec] = {}
_LOADED = False


def register(spec: AnalysisSpec) -> AnalysisSpec:
    """Add (or replace) an analysis spec."""
    if not spec.name.replace("_", "").isalnum():
        raise ValueError(f"analysis name {spec.name!r} must be letters, digits and '_'")
    _REGISTRY[spec.name] = spec
    return spec


def _load_builtins() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    # Each technique's module registers its spec on import; add one line per technique.
    from . import cycling, eds, eis, xps  # noqa: F401


def analysis_specs() -> list[AnalysisSpec]:
    """Every registered analysis."""
    _load_builtins()
    return list(_REGISTRY.values())


def get_spec(name: str) -> AnalysisSpec | None:
    """The spec of analysis ``name``, or None when no technique registered it."""
    _load_builtins()
    return _REGISTRY.get(name)


def specs_for_kind(kind: str) -> list[AnalysisSpec]:
    """The analyses that apply to datasets of ``kind``."""
    return [s for s in analysis_specs() if s.kind == kind]
