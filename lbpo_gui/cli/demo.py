"""``lbpo demo OUT.lbpo``: write the built-in demo project."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "demo"
HELP = "write the built-in demo project"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo demo``."""
    p.add_argument("out", help="output .lbpo file")
    p.add_argument("--seed", type=int, default=20230529, help="random seed of the synthetic data")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Write the demo project and list its samples."""
    from ..core.demo.project import build_demo_project
    from ..core.project import save_project

    out = Path(args.out)
    project = build_demo_project(seed=args.seed)
    saved = save_project(project, out, backup=False)
    return {
        "file": str(saved),
        "samples": [s.name for s in project.samples],
        "n_datasets": len(project.datasets()),
    }
