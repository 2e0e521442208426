"""``lbpo eis FILE --circuit CDC|auto``: equivalent-circuit fit, arcs, Lin-KK and DRT."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from .errors import CliError

NAME = "eis"
HELP = "equivalent-circuit fit of an impedance spectrum (arcs labelled; --kk, --drt)"
WEIGHTINGS = ("calc-modulus", "data-modulus", "unit", "proportional", "boukamp")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``lbpo eis``."""
    p.add_argument("file", help="impedance file (.mpt, .DTA, .par, .z, .csv, .txt, .xlsx)")
    p.add_argument(
        "--circuit",
        required=True,
        help="Boukamp CDC (R(QR)(QR)W), impedance.py string (R0-p(R1,CPE1)-W1), extended CDC, "
        "or 'auto' (the study's R(QR)(QR)W with start values from the spectrum)",
    )
    p.add_argument("--weighting", choices=WEIGHTINGS, default="calc-modulus")
    p.add_argument("--fmin", type=float, help="lowest frequency used, Hz")
    p.add_argument("--fmax", type=float, help="highest frequency used, Hz")
    p.add_argument("--spectrum", type=int, default=1, help="which spectrum of the file (1-based)")
    p.add_argument(
        "--kk", action="store_true", help="Lin-KK validity test (automatic M, series C included)"
    )
    p.add_argument("--drt", action="store_true", help="distribution of relaxation times")


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Fit the circuit to one spectrum of the file and label its arcs."""
    import numpy as np

    from ..core.eis.drt import drt
    from ..core.eis.fit import frequency_mask
    from ..core.eis.kk import lin_kk
    from ..core.eis.workflow import fit_spectrum, fit_summary, json_safe, resolve_circuit
    from ..core.readers import read

    if args.fmin is not None and args.fmax is not None and args.fmin >= args.fmax:
        raise CliError(f"--fmin {args.fmin} must be below --fmax {args.fmax}")
    circuit = resolve_circuit(args.circuit)  # CircuitError (with the position) on bad text
    path = Path(args.file)
    tables = read(path, kind="impedance")
    if not 1 <= args.spectrum <= len(tables):
        raise CliError(f"{path.name} holds {len(tables)} spectra; --spectrum {args.spectrum}")
    table = tables[args.spectrum - 1]
    f = table.arrays["frequency_Hz"]
    z = table.arrays["z_real_ohm"] + 1j * table.arrays["z_imag_ohm"]
    try:
        sf = fit_spectrum(circuit, f, z, weighting=args.weighting, fmin=args.fmin, fmax=args.fmax)
        out: dict[str, Any] = fit_summary(sf)
        keep = frequency_mask(f, args.fmin, args.fmax)
        if args.kk:
            kk = lin_kk(f[keep], z[keep], add_cap=True)
            out["kk"] = {**kk.to_dict(), "mu": _finite(kk.mu)}
        if args.drt:
            out["drt"] = drt(f[keep], z[keep]).to_dict()
    except (ArithmeticError, np.linalg.LinAlgError, RuntimeError) as exc:
        raise CliError(f"the fit failed: {exc}") from None
    out.update(
        {
            "file": str(path),
            "format": table.reader,
            "spectrum": args.spectrum,
            "n_spectra": len(tables),
            "label": table.label,
            "warnings": list(table.metadata.get("warnings", [])) + out["warnings"],
        }
    )
    return json_safe(out)
