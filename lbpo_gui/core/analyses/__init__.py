"""Registered analyses (see :mod:`.registry`); the rules that apply them are in
:mod:`lbpo_gui.core.project.rules`."""

from .registry import (
    AnalysisOutput,
    AnalysisSpec,
    analysis_specs,
    get_spec,
    register,
    specs_for_kind,
)

__all__ = [
    "AnalysisOutput",
    "AnalysisSpec",
    "analysis_specs",
    "get_spec",
    "register",
    "specs_for_kind",
]
