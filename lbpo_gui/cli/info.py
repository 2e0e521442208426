"""``lbpo info FILE``: what a data or project file holds."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "info"
HELP = "what a data or project file holds"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo info``."""
    p.add_argument("file", help="instrument data file or .lbpo project")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The file's format, kind and tables (or a project's samples and datasets)."""
    from ..core.project import is_project_file, load_project, read_manifest
    from ..core.readers import choose_reader, read

    path = Path(args.file)
    if is_project_file(path) or path.suffix.lower() == ".lbpo":
        project = load_project(path)
        manifest = read_manifest(path)
        out: dict[str, Any] = {
            "file": str(path),
            "format": "lbpo-project",
            "kind": "project",
            "schema_version": manifest.get("schema_version"),
            "app_version": manifest.get("app_version"),
            "name": project.name,
        }
        out.update({"samples": project.describe()["samples"]})
        return out
    spec = choose_reader(path)
    tables = read(path)
    kinds = sorted({t.kind for t in tables})
    first = tables[0]
    return {
        "file": str(path),
        "format": spec.name,
        "kind": kinds[0] if len(kinds) == 1 else kinds,
        "n_points": sum(t.n_points for t in tables),
        "tables": [
            {
                "label": t.label,
                "kind": t.kind,
                "n_points": t.n_points,
                **t.x_summary(),
                "columns": list(t.arrays),
            }
            for t in tables
        ],
        "metadata": first.metadata,
    }
