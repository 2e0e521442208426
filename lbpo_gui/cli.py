"""``lbpo``: the headless command line. ``--json`` prints one JSON object on stdout.

Errors go to stderr as one line and exit with code 2. The JSON keys are a stable contract (see
DESIGN.md, "Command line"); add keys, never rename or remove them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .core.errors import LbpoError

EXIT_ERROR = 2


class CliError(Exception):
    """A user error of the command line (bad arguments, missing input)."""


def _cmd_info(args: argparse.Namespace) -> dict[str, Any]:
    from .core.project import is_project_file, load_project, read_manifest
    from .core.readers import choose_reader, read

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
            {"label": t.label, "kind": t.kind, "n_points": t.n_points, "columns": list(t.arrays)}
            for t in tables
        ],
        "metadata": first.metadata,
    }


def _cmd_echem(args: argparse.Namespace) -> dict[str, Any]:
    from .core.echem.table import CyclingSettings, resolve_active_mass_mg, summarise_table
    from .core.readers import read

    path = Path(args.file)
    tables = read(path, kind="cycling")
    if len(tables) > 1:
        raise CliError(f"{path.name} holds {len(tables)} cycling tables; split it first")
    table = tables[0]
    settings = CyclingSettings.from_dict(
        {"convention": args.convention, "representative": args.representative}
    )
    if args.active_mass_mg is not None and not args.active_mass_mg > 0:
        raise CliError("--active-mass-mg must be greater than 0")
    mass, source = resolve_active_mass_mg(
        CyclingSettings.from_dict({"active_mass_mg": args.active_mass_mg}),
        None,
        table.metadata,
        hint="give --active-mass-mg, or use a file whose header holds the active mass",
    )
    summary = summarise_table(table.arrays, table.metadata, active_mass_mg=mass, settings=settings)
    out = summary.to_cli_dict()
    out["active_mass_source"] = source
    out["file"] = str(path)
    out["format"] = table.reader
    out["convention"] = settings.convention
    return out


def _cmd_demo(args: argparse.Namespace) -> dict[str, Any]:
    from .core.demo.project import build_demo_project
    from .core.project import save_project

    out = Path(args.out)
    project = build_demo_project(seed=args.seed)
    saved = save_project(project, out, backup=False)
    return {
        "file": str(saved),
        "samples": [s.name for s in project.samples],
        "n_datasets": len(project.datasets()),
    }


def _cmd_report(args: argparse.Namespace) -> dict[str, Any]:
    from .core.project import load_project
    from .core.report.html import write_report

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


def _print_human(obj: Any, indent: int = 0) -> None:
    pad = "  " * indent
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict | list):
                print(f"{pad}{k}:")
                _print_human(v, indent + 1)
            else:
                print(f"{pad}{k}: {v}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, dict | list):
                print(f"{pad}-")
                _print_human(item, indent + 1)
            else:
                print(f"{pad}- {item}")
    else:
        print(f"{pad}{obj}")


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line message (its default is the same code)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``lbpo``."""
    parser = _Parser(prog="lbpo", description="LBPO Workbench command line (headless).")
    parser.add_argument("--version", action="version", version=f"lbpo {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], dict[str, Any]], help_: str):
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        p.set_defaults(func=func)
        return p

    p = add("info", _cmd_info, "what a data or project file holds")
    p.add_argument("file", help="instrument data file or .lbpo project")

    p = add("echem", _cmd_echem, "capacities per cycle, CE and rate steps of a cycler file")
    p.add_argument("file", help="cycler file (BioLogic, Neware, Arbin, Maccor, Landt ...)")
    p.add_argument("--active-mass-mg", type=float, help="active mass in mg (default: file header)")
    p.add_argument(
        "--convention",
        choices=("cathode", "anode"),
        default="cathode",
        help="cathode: cycle n = n-th charge + next discharge (default); anode: the reverse",
    )
    p.add_argument(
        "--representative",
        choices=("study", "first", "second", "last", "mean"),
        default="study",
        help="cycle quoted per rate step (study: 1st of the first step, 2nd of later steps)",
    )

    p = add("demo", _cmd_demo, "write the built-in demo project")
    p.add_argument("out", help="output .lbpo file")
    p.add_argument("--seed", type=int, default=20230529, help="random seed of the synthetic data")

    p = add("report", _cmd_report, "write the study's tables (CSV) and an HTML report")
    p.add_argument("project", help=".lbpo project")
    p.add_argument("--out", required=True, help="output folder (created when missing)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lbpo`` console script; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        result = args.func(args)
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    except CliError as exc:
        print(f"lbpo: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except LbpoError as exc:
        print(f"lbpo: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (OSError, ValueError, KeyError) as exc:
        print(f"lbpo: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.json:
            text = json.dumps(result, ensure_ascii=False, allow_nan=False, default=str)
            sys.stdout.write(text + "\n")
        else:
            _print_human(result)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stdout = None  # type: ignore[assignment]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
