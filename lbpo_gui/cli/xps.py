"""``lbpo xps FILE [--region LABEL] --template NAME [--mc N]``: fit one XPS region."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from .errors import CliError

NAME = "xps"
#: ``--template casa``: the CasaXPS fit stored in the VAMAS block itself.
CASA_TEMPLATE = "casa"
HELP = "fit an XPS region with a template (components, areas, area %)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo xps``."""
    p.add_argument("file", help="XPS file (VAMAS .vms/.npl, Avantage .xlsx, two-column text)")
    p.add_argument(
        "--region",
        nargs="+",
        help="block label or species + transition, case and spaces ignored ('S 2p' = 'S2p'); "
        "default: the template's region",
    )
    p.add_argument(
        "--template",
        required=True,
        help="built-in template (s2p-argyrodite, p2p-argyrodite, b1s), a template .json file, "
        "or 'casa': the CasaXPS fit stored in the VAMAS file",
    )
    p.add_argument("--mc", type=int, default=0, metavar="N", help="add N Monte Carlo refits")
    p.add_argument("--seed", type=int, default=0, help="seed of the Monte Carlo noise")
    p.add_argument(
        "--charge-shift",
        type=float,
        default=0.0,
        metavar="EV",
        help="add EV to every binding energy before the fit (charge correction, e.g. 284.8 minus "
        "the measured C 1s C-C)",
    )


def _matching(tables: list, region: str) -> list[int]:
    from ..core.readers.xps_labels import same_region

    out = []
    for i, t in enumerate(tables):
        m = t.metadata
        labels = [t.label, str(m.get("region", "")), str(m.get("block_id", ""))]
        species = f"{m.get('species', '')} {m.get('transition', '')}".strip()
        if species:
            labels.append(species)
        if any(label and same_region(label, region) for label in labels):
            out.append(i)
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Fit the chosen region of ``args.file`` with ``args.template``."""
    from ..core.readers import read
    from ..core.xps.casa import casa_spec_of
    from ..core.xps.fit import FitError, exposure_from_metadata, fit_spectrum
    from ..core.xps.templates import load_template
    from ..core.xps.uncertainty import monte_carlo

    path = Path(args.file)
    from_file = args.template == CASA_TEMPLATE
    spec = None
    if not from_file:
        try:
            spec = load_template(args.template)
        except (KeyError, ValueError) as exc:
            raise CliError(str(exc).strip("'\"")) from None
    if args.mc < 0:
        raise CliError("--mc must be >= 0")
    if not math.isfinite(args.charge_shift):
        raise CliError("--charge-shift must be a finite number of eV")
    tables = read(path, kind="xps")
    if spec is None:
        tables_with_fit = [i for i, t in enumerate(tables) if casa_spec_of(t.metadata)]
        if not tables_with_fit:
            raise CliError(f"{path.name} holds no CasaXPS fit (no CASA comp records)")
    region = " ".join(args.region) if args.region else (spec.region if spec else "")
    hits = _matching(tables, region) if region else []
    if from_file:
        hits = [i for i in hits if i in tables_with_fit] if region else tables_with_fit
    if not hits and len(tables) == 1 and not args.region:
        hits = [0]
    if not hits:
        have = ", ".join(sorted({str(t.metadata.get("region") or t.label) for t in tables}))
        what = " with a CasaXPS fit" if from_file else ""
        raise CliError(f"{path.name} has no region {region!r}{what}; it holds: {have}")
    table = tables[hits[0]]
    if spec is None:
        spec = casa_spec_of(table.metadata, str(table.metadata.get("region") or table.label))
        assert spec is not None
    exposure = exposure_from_metadata(table.metadata)
    try:
        result = fit_spectrum(
            table.arrays["binding_energy_eV"] + args.charge_shift,
            table.arrays["counts_per_s"],
            spec,
            exposure_s=exposure,
        )
    except FitError as exc:
        raise CliError(f"{path.name}, region {region!r}: {exc}") from None
    if args.mc:
        monte_carlo(result, args.mc, seed=args.seed)
    summary = result.to_dict()
    out: dict[str, Any] = {
        "region": str(table.metadata.get("region") or table.label),
        "background": summary["background"],
        "components": [
            {
                "name": c.name,
                "position_eV": c.position_eV,
                "fwhm_eV": c.fwhm_eV,
                "area": c.area,
                "area_pct": c.area_pct,
                "stderr": c.stderr,
                **({"mc": c.mc} if c.mc is not None else {}),
                **({"doublet": c.doublet} if c.doublet else {}),
                "shape": c.shape,
            }
            for c in result.components
        ],
        "reduced_chi_square": result.reduced_chi_square,
        "file": str(path),
        "format": table.reader,
        "block": table.label,
        "source_block": table.metadata.get("source_block", hits[0]),
        "n_matching_blocks": len(hits),
        "template": spec.name or str(args.template),
        "exposure_s": exposure,
        "charge_shift_eV": args.charge_shift,
        "n_points": summary["n_points"],
        "start_eV": summary["start_eV"],
        "end_eV": summary["end_eV"],
        "success": result.success,
    }
    if args.mc:
        out["mc"] = {"n": result.mc.n, "seed": args.seed}
    return out
