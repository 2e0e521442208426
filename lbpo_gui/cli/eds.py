"""``lbpo eds FILE --cathode Ni,Co --electrolyte S,P``: interlayer thickness of an EDS profile.

``FILE`` is a line profile (CSV/TXT, EDAX) or element maps (Velox ``.emd``; one or more HyperSpy
``.hspy`` files of one acquisition). For maps the profile is taken along ``--line x0,y0,x1,y1``
(nm, map frame: pixel (row r, column c) at (c, r) x pixel size) of ``--width-nm``, or, without
``--line``, along the interface normal through the map centre, as wide as the map allows.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .errors import CliError

NAME = "eds"
HELP = "interlayer thickness (T50 with SE, T_theta) of an EDS line profile or element maps"


def _elements(text: str) -> list[str]:
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise argparse.ArgumentTypeError("give element symbols separated by commas, e.g. Ni,Co")
    return items


def _line(text: str) -> tuple[float, float, float, float]:
    try:
        values = [float(t) for t in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 4:
        raise argparse.ArgumentTypeError("--line takes x0,y0,x1,y1 in nm")
    return values[0], values[1], values[2], values[3]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo eds``."""
    p.add_argument("file", nargs="+", help="EDS profile (CSV/TXT), Velox .emd or .hspy map(s)")
    p.add_argument(
        "--cathode", type=_elements, help="cathode markers, e.g. Ni,Co (default: Ni,Co present)"
    )
    p.add_argument(
        "--electrolyte", type=_elements, help="electrolyte markers, e.g. S,P (default: S,P present)"
    )
    p.add_argument(
        "--theta",
        type=float,
        default=0.1,
        help="level of the T_theta overlap reading (default 0.1)",
    )
    p.add_argument(
        "--sigma-instr-nm", type=float, help="instrumental sigma removed in quadrature (nm)"
    )
    p.add_argument(
        "--smoothing-nm", type=float, default=0.5, help="smoothing of the direct reading (nm)"
    )
    p.add_argument("--weighting", choices=("auto", "poisson", "uniform"), default="auto")
    p.add_argument(
        "--interphase", action="store_true", help="also fit a box (interphase with a plateau)"
    )
    p.add_argument(
        "--coating-contains-p", action="store_true", help="the coating holds P (LPO, LBPO)"
    )
    p.add_argument("--line", type=_line, help="for maps: x0,y0,x1,y1 in nm")
    p.add_argument("--width-nm", type=float, help="for maps: width of the line (nm)")


def _read(paths: list[Path]):
    from ..core.readers import read
    from ..core.readers.hspy_maps import read_hspy_maps

    if len(paths) > 1:
        if not all(p.suffix.lower() == ".hspy" for p in paths):
            raise CliError("several files are combined only as .hspy maps of one acquisition")
        return read_hspy_maps(paths), "hyperspy-hspy"
    tables = read(paths[0])
    if len(tables) > 1:
        raise CliError(f"{paths[0].name} holds {len(tables)} tables; split it first")
    t = tables[0]
    if t.kind not in ("eds_profile", "eds_map"):
        raise CliError(f"{paths[0].name} holds {t.kind} data, not an EDS profile or maps")
    return t, t.reader


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Thickness of one profile (or of a line drawn on maps)."""
    from ..core.eds import analyse_profile, auto_line, line_normal_angle_deg, line_profile
    from ..core.project.model import check_json_value

    paths = [Path(f) for f in args.file]
    table, fmt = _read(paths)
    meta = dict(table.metadata)
    line_info = None
    if table.kind == "eds_map":
        px = float(meta["pixel_size_nm"])
        maps = {e: table.arrays[e] for e in meta.get("elements", [])}
        if args.line is not None:
            x0, y0, x1, y1 = args.line
            start, end = (x0, y0), (x1, y1)
            width = args.width_nm if args.width_nm is not None else 5 * px
        else:
            start, end, width = auto_line(maps, px)
            width = args.width_nm if args.width_nm is not None else width
        prof = line_profile(maps, px, start, end, width)
        angle, coherence = line_normal_angle_deg(maps, px, start, end, width)
        meta["line_angle_deg"] = angle
        line_info = {**prof.settings(), "angle_to_normal_deg": angle, "coherence": coherence}
        x, signals = prof.distance_nm, prof.signals
    else:
        if args.line is not None:
            raise CliError("--line applies to element maps; this file is a line profile")
        x = table.arrays["distance_nm"]
        signals = {k: v for k, v in table.arrays.items() if k != "distance_nm"}
    settings = {
        "cathode": args.cathode or [],
        "electrolyte": args.electrolyte or [],
        "theta": args.theta,
        "smoothing_nm": args.smoothing_nm,
        "weighting": args.weighting,
        "sigma_instr_nm": args.sigma_instr_nm,
        "interphase": args.interphase,
        "coating_contains_p": bool(args.coating_contains_p),
    }
    if not 0 < args.theta < 1:
        raise CliError("--theta must be between 0 and 1")
    result = analyse_profile(
        x, signals, settings, signal_unit=str(meta.get("signal_unit", "counts")), metadata=meta
    )
    out = result.to_dict()
    out["file"] = ", ".join(str(p) for p in paths)
    out["format"] = fmt
    if line_info is not None:
        out["line"] = line_info
    return check_json_value(out, "eds")  # NaN (e.g. no degrees of freedom) -> null
