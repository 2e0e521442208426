"""``lbpo report PROJECT --out DIR``: the study's tables (CSV) and an HTML report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .errors import CliError

NAME = "report"
HELP = "write the study's tables (CSV) and an HTML report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo report``."""
    p.add_argument("project", help=".lbpo project")
    p.add_argument("--out", required=True, help="output folder (created when missing)")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Write the study's tables and the HTML report of a project."""
    from ..core.project import load_project
    from ..core.report.html import write_report

    path = Path(args.project)
    project = load_project(path)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    files = write_report(project, out)
    return {
        "project": str(path),
        "out": str(out),
        "files": [str(f) for f in files],
        "tables": [f.name for f in files if f.suffix == ".csv"],
    }
