"""``lbpo echem FILE``: capacities per cycle, CE and rate steps of a cycler file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .errors import CliError

NAME = "echem"
HELP = "capacities per cycle, CE and rate steps of a cycler file"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo echem``."""
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


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Capacities per cycle, rate steps and CE of one cycler file."""
    from ..core.echem.table import CyclingSettings, resolve_active_mass_mg, summarise_table
    from ..core.readers import read

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
