"""The project model, its ``.lbpo`` container, migrations and autosave."""

from .container import (
    MIMETYPE,
    PROJECT_SUFFIX,
    Limits,
    is_project_file,
    load_project,
    project_to_bytes,
    read_manifest,
    save_project,
)
from .events import EventHub, ProjectEvent
from .migrations import CURRENT_SCHEMA
from .model import SAMPLE_FIELDS, Analysis, Dataset, Project, Provenance, Sample

__all__ = [
    "CURRENT_SCHEMA",
    "MIMETYPE",
    "PROJECT_SUFFIX",
    "SAMPLE_FIELDS",
    "Analysis",
    "Dataset",
    "EventHub",
    "Limits",
    "Project",
    "ProjectEvent",
    "Provenance",
    "Sample",
    "is_project_file",
    "load_project",
    "project_to_bytes",
    "read_manifest",
    "save_project",
]
