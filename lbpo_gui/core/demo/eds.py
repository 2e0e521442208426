"""STEM-EDS line profiles across the NCM811 | Li6PS5Cl interface (Figures 4-6 of the study).

Distance runs from inside the cathode (0 nm) into the electrolyte (80 nm) in 0.5 nm pixels. Each
element is an erf edge (a step blurred by a Gaussian of width sigma: probe, beam spread and
interdiffusion), in counts per pixel with Poisson noise:

* cathode markers fall: I(x) = B + A Phi(-(x - x_c) / sigma_c)   (Ni, Co)
* electrolyte markers rise: I(x) = B + A Phi((x - x_e) / sigma_e)  (S, P)

with Phi the standard normal CDF; the elements of one side share its edge (the model the joint
erf fit of :mod:`lbpo_gui.core.eds` assumes). The study's interlayer thickness
(:data:`.samples.EDS_PROFILES`: 5 nm Pristine before cycling, 20 nm after 100 cycles, 7 nm for
LBPO 0.05-0.15 after 100 cycles) is the overlap width at the study's reading, **T10**: the width
over which both sides are at least 10 % of their bulk levels, ``T10 = T50 + 1.2816 (sigma_c +
sigma_e)``, where ``T50 = x_c - x_e`` is the distance of the 50 % points.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from ..readers.base import ImportedData
from . import samples as S

PIXEL_NM = 0.5
LENGTH_NM = 80.0
INTERFACE_CENTRE_NM = 40.0
#: (amplitude, background) counts per pixel of each element.
ELEMENT_COUNTS: dict[str, tuple[float, float]] = {
    "Ni": (420.0, 12.0),
    "Co": (65.0, 6.0),
    "S": (300.0, 10.0),
    "P": (110.0, 8.0),
}
CATHODE_ELEMENTS = ("Ni", "Co")
ELECTROLYTE_ELEMENTS = ("S", "P")


def distance_axis() -> np.ndarray:
    """Pixel positions along the line, nm."""
    n = int(round(LENGTH_NM / PIXEL_NM)) + 1
    return np.round(np.arange(n) * PIXEL_NM, 6)


def edge_parameters(p: S.EdsProfileParameters) -> dict[str, dict[str, float]]:
    """Per element: ``center_nm``, ``sigma_nm``, ``amplitude``, ``background``, ``side``."""
    x_c = INTERFACE_CENTRE_NM + p.t50_nm / 2.0
    x_e = INTERFACE_CENTRE_NM - p.t50_nm / 2.0
    out = {}
    for el, (amp, bkg) in ELEMENT_COUNTS.items():
        cathode = el in CATHODE_ELEMENTS
        out[el] = {
            "side": "cathode" if cathode else "electrolyte",
            "center_nm": x_c if cathode else x_e,
            "sigma_nm": p.sigma_cathode_nm if cathode else p.sigma_electrolyte_nm,
            "amplitude": amp,
            "background": bkg,
        }
    return out


def profile(x: np.ndarray, edge: dict[str, float]) -> np.ndarray:
    """Noise-free counts of one element along ``x``."""
    z = (np.asarray(x, dtype=float) - edge["center_nm"]) / edge["sigma_nm"]
    phi = ndtr(-z) if edge["side"] == "cathode" else ndtr(z)
    return edge["background"] + edge["amplitude"] * phi


def _state_label(state: str) -> str:
    return "before cycling" if state.startswith("before") else "after 100 cycles"


def _profile_parameters(sample: str, state: str) -> S.EdsProfileParameters:
    match = [
        p
        for p in S.EDS_PROFILES
        if p.sample == sample and _state_label(p.state) == _state_label(state)
    ]
    if not match:
        raise KeyError(f"no EDS profile for {sample!r} {state!r}")
    return match[0]


def eds_profile_truth(sample: str, state: str) -> dict:
    """What the profile of ``sample`` in ``state`` was built from (for tests; no analysis reads
    it): the study's thickness (T10), T50, both side edges and every element's edge."""
    p = _profile_parameters(sample, state)
    return {
        "thickness_nm": p.thickness_nm,
        "definition": "T10",
        "definition_text": (
            "width over which the cathode (Ni, Co) and electrolyte (S, P) signals are both at "
            "least 10 % of their bulk levels, T50 + 1.2816 (sigma_c + sigma_e)"
        ),
        "t50_nm": p.t50_nm,
        "t10_nm": p.thickness_nm,
        "sigma_cathode_nm": p.sigma_cathode_nm,
        "sigma_electrolyte_nm": p.sigma_electrolyte_nm,
        "cathode_elements": list(CATHODE_ELEMENTS),
        "electrolyte_elements": list(ELECTROLYTE_ELEMENTS),
        "cathode_edge_nm": INTERFACE_CENTRE_NM + p.t50_nm / 2.0,
        "electrolyte_edge_nm": INTERFACE_CENTRE_NM - p.t50_nm / 2.0,
        "edges": edge_parameters(p),
    }


def eds_profile_dataset(sample: str, state: str, seed: int, *, noise: bool = True) -> ImportedData:
    """The line profile of ``sample`` in ``state`` ('before cycling' or 'after 100 cycles...').

    Arrays ``distance_nm``, ``Ni``, ``Co``, ``S``, ``P`` (counts; ``noise=False`` gives the
    expected counts).
    """
    p = _profile_parameters(sample, state)
    x = distance_axis()
    edges = edge_parameters(p)
    key = [seed, 7, S.SAMPLE_NAMES.index(sample), int(state.startswith("after"))]
    rng = np.random.default_rng(key) if noise else None
    arrays: dict[str, np.ndarray] = {"distance_nm": x}
    for el, edge in edges.items():
        mu = profile(x, edge)
        arrays[el] = rng.poisson(mu).astype(float) if rng is not None else mu
    meta = {
        "technique": "STEM-EDS line profile",
        "instrument": "Talos F200X (synthetic)",
        "sample": sample,
        "state": p.state,
        "signal_unit": "counts",
        "pixel_size_nm": PIXEL_NM,
        "seed": int(seed),
        "synthetic": True,
    }
    return ImportedData("eds_profile", f"EDS {_state_label(state)}", arrays, meta, reader="demo")
