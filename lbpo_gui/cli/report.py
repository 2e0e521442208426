"""``lbpo report PROJECT --out DIR``: the study's tables (CSV), the long table of every figure,
the figure set (SVG) and a self-contained HTML report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .errors import CliError

NAME = "report"
HELP = "write the study's tables (CSV), the figures (SVG) and an HTML report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo report``."""
    p.add_argument("project", help=".lbpo project")
    p.add_argument("--out", required=True, help="output folder (created when missing)")
    p.add_argument(
        "--recompute",
        action="store_true",
        help="reanalyse every dataset from its raw data first (stored settings, else defaults)",
    )
    p.add_argument(
        "--sample",
        action="append",
        default=None,
        metavar="NAME",
        help="draw the figures of this sample only (repeatable; default all samples)",
    )


def _recomputed_text(recompute: bool, counts: dict[str, int]) -> str:
    if recompute:
        return (
            f"Every analysis was recomputed from the raw data before this report "
            f"({counts['recomputed']} stored analyses recomputed, {counts['added']} datasets "
            "without one given their technique's default analysis)."
        )
    return (
        f"Stored analyses up to date were used as stored ({counts['kept']}); "
        f"{counts['recomputed']} stale ones were recomputed and {counts['added']} datasets "
        "without one were given their technique's default analysis."
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Write the study's tables, figures and HTML report of a project."""
    from ..core.project import load_project
    from ..core.report.current import bring_up_to_date
    from ..core.report.html import write_report

    path = Path(args.project)
    project = load_project(path)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CliError(f"{out} exists and is not a folder")
    if args.sample:
        known = {s.name for s in project.samples} | {s.id for s in project.samples}
        unknown = [s for s in args.sample if s not in known]
        if unknown:
            raise CliError(f"{path}: no sample named {', '.join(map(repr, unknown))}")
    done = bring_up_to_date(project, recompute_all=args.recompute)
    counts = done.to_dict()
    text = _recomputed_text(args.recompute, counts)
    out.mkdir(parents=True, exist_ok=True)
    written = write_report(project, out, samples=args.sample, recomputed=text)
    return {
        "project": str(path),
        "out": str(out),
        "files": [str(f) for f in written.all],
        "tables": [f.name for f in written.tables],
        "sample_figures": str(written.sample_figures),
        "figures": [str(f) for f in written.figures],
        "report": str(written.report),
        "recomputed": bool(args.recompute),
        "analyses": counts,
        "message": text,
    }
