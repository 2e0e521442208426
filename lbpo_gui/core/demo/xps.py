"""XPS spectra: S 2p and P 2p of the composite electrodes (Figure 3) and the B 1s Ar+ etch depth
series of the LBPO-coated powder (Figure 2h).

Model of one region (binding energy E in eV, intensity in counts per second):

* every component of S 2p / P 2p is a spin-orbit doublet at the positions of the study (Figure 3,
  :data:`.samples.S2P_POSITIONS_EV`, :data:`.samples.P2P_POSITIONS_EV`), area ratio
  2p1/2 : 2p3/2 = 1 : 2, both lines with the same FWHM; B 1s components are singlets;
* line shape CasaXPS GL(30), the Gaussian-Lorentzian *product*
  GL(x) = exp(-4 ln2 (1 - m) (x - E0)^2 / F^2) / (1 + 4 m (x - E0)^2 / F^2), m = 0.3;
  component areas are the full analytic areas (as CasaXPS reports them), cps eV;
* background = a linear slope plus a Shirley step: B(E) = b_lo + s (E - E_lo) + k * integral
  from E_lo to E of the peaks (rising to the high-BE side);
* Poisson counting noise on counts = cps x dwell x scans.

Arrays: ``binding_energy_eV`` **descending** (the kinetic-energy order in which the analyser
scans, 0.1 eV steps) and ``counts_per_s``. Metadata: ``region``, ``photon_energy_eV`` (Al K alpha
1486.6), ``pass_energy_eV``, ``dwell_s``, ``n_scans``, ``etch_level``, ``etch_time_s``,
``sample``, ``state``. What a spectrum was built from (components, background) is given by
:func:`core_level_truth` and :func:`b1s_truth`, for tests only: it is not in the datasets.
"""

from __future__ import annotations

import numpy as np

from ..readers.base import ImportedData
from . import samples as S

PHOTON_ENERGY_EV = 1486.6
PASS_ENERGY_EV = 20.0
STEP_EV = 0.1
GL_MIX = 0.30
LINE_SHAPE = "GL(30)"
#: Area ratio of the j = 1/2 line to the j = 3/2 line.
DOUBLET_RATIO = 0.5

#: Energy window (low, high) eV, FWHM of every component, dwell per point (s), scans and
#: background of each region. P 2p is the weak region with overlapping doublets (the PS4 2p1/2
#: at 132.7 eV on the Li3PO4/P2Sx 2p3/2 at 132.8 eV), so it is acquired longest, as an analyst
#: would: 0.2 s x 100 scans (20 s per point). At 1.25 s per point its fractions scatter by
#: SD up to 0.03 over noise seeds even with the template's width ties; at 20 s, by <= 0.007.
REGION_SETTINGS: dict[str, dict[str, float]] = {
    "S 2p": {
        "lo": 156.0,
        "hi": 170.0,
        "fwhm": 1.0,
        "dwell": 0.05,
        "scans": 15,
        "b_lo": 1500.0,
        "slope": 15.0,
    },
    "P 2p": {
        "lo": 126.0,
        "hi": 140.0,
        "fwhm": 1.1,
        "dwell": 0.2,
        "scans": 100,
        "b_lo": 900.0,
        "slope": 10.0,
    },
    "B 1s": {
        "lo": 184.0,
        "hi": 198.0,
        "fwhm": 1.6,
        "dwell": 0.05,
        "scans": 40,
        "b_lo": 2400.0,
        "slope": 12.0,
    },
}
#: Shirley step as a fraction of the tallest line's height.
SHIRLEY_STEP_FRACTION = 0.30
#: FWHM of selected components, eV (others use the region's FWHM).
COMPONENT_FWHM_EV = {"metal sulphide (NiS/CoS)": 1.2, "TM-PO4": 1.3, "reduced phosphate": 1.2}


def gl_product(x: np.ndarray, center: float, fwhm: float, mix: float = GL_MIX) -> np.ndarray:
    """CasaXPS GL(100 mix) product line shape of unit height."""
    u2 = ((np.asarray(x, dtype=float) - center) / fwhm) ** 2
    return np.exp(-4.0 * np.log(2.0) * (1.0 - mix) * u2) / (1.0 + 4.0 * mix * u2)


def _gl_area_per_height_fwhm(mix: float = GL_MIX) -> float:
    u = np.linspace(-60.0, 60.0, 240001)
    return float(np.trapezoid(gl_product(u, 0.0, 1.0, mix), u))


#: Full analytic area of a GL(30) line of unit height and unit FWHM (eV).
GL_AREA_UNIT = _gl_area_per_height_fwhm()


def gl_line(x: np.ndarray, center: float, fwhm: float, area: float) -> np.ndarray:
    """GL(30) line with total area ``area`` (cps eV)."""
    return area / (GL_AREA_UNIT * fwhm) * gl_product(x, center, fwhm)


def energy_axis(region: str) -> np.ndarray:
    """Binding energies of a region, eV, descending in 0.1 eV steps."""
    s = REGION_SETTINGS[region]
    n = int(round((s["hi"] - s["lo"]) / STEP_EV)) + 1
    return np.round(s["hi"] - STEP_EV * np.arange(n), 6)


def _synthesise(
    region: str, components: list[dict], rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray, dict]:
    """Spectrum of ``components`` (dicts with ``lines``: [(position, area)], ``fwhm_eV``)."""
    st = REGION_SETTINGS[region]
    be = energy_axis(region)
    asc = be[::-1]
    peaks = np.zeros_like(asc)
    fine = np.linspace(st["lo"], st["hi"], 14001)
    fine_peaks = np.zeros_like(fine)
    tallest = 0.0
    for c in components:
        for pos, area in c["lines"]:
            peaks += gl_line(asc, pos, c["fwhm_eV"], area)
            fine_peaks += gl_line(fine, pos, c["fwhm_eV"], area)
            tallest = max(tallest, area / (GL_AREA_UNIT * c["fwhm_eV"]))
    cum = np.concatenate(
        [[0.0], np.cumsum(0.5 * (fine_peaks[1:] + fine_peaks[:-1]) * np.diff(fine))]
    )
    total = cum[-1]
    k = SHIRLEY_STEP_FRACTION * tallest / total if total > 0 else 0.0
    background = st["b_lo"] + st["slope"] * (asc - st["lo"]) + k * np.interp(asc, fine, cum)
    cps = (peaks + background)[::-1]
    exposure = st["dwell"] * st["scans"]
    if rng is not None:
        cps = rng.poisson(cps * exposure) / exposure
    bg = {
        "type": "Shirley + linear",
        "low_be_level_cps": st["b_lo"],
        "slope_cps_per_eV": st["slope"],
        "shirley_k_per_eV": k,
        "shirley_step_cps": k * total,
    }
    return be, cps, bg


def _doublet_components(sample: str, state: str, region: str) -> list[dict]:
    positions = S.S2P_POSITIONS_EV if region == "S 2p" else S.P2P_POSITIONS_EV
    fractions = S.XPS_AREA_FRACTIONS[(sample, state, region)]
    total = S.XPS_TOTAL_AREA_CPS_EV[(sample, state, region)]
    fwhm0 = REGION_SETTINGS[region]["fwhm"]
    comps = []
    for name, (p32, p12) in positions.items():
        area = total * fractions[name]
        a32 = area / (1.0 + DOUBLET_RATIO)
        fwhm = COMPONENT_FWHM_EV.get(name, fwhm0)
        comps.append(
            {
                "name": name,
                "position_eV": p32,
                "position_2p1_2_eV": p12,
                "splitting_eV": round(p12 - p32, 6),
                "area_ratio": DOUBLET_RATIO,
                "fwhm_eV": fwhm,
                "area": area,
                "area_fraction": fractions[name],
                "line_shape": LINE_SHAPE,
                "lines": [(p32, a32), (p12, a32 * DOUBLET_RATIO)],
            }
        )
    return comps


def _public(comps: list[dict]) -> list[dict]:
    return [{k: v for k, v in c.items() if k != "lines"} for c in comps]


def _metadata(region: str, sample: str, state: str, seed: int, **extra) -> dict:
    return {
        "technique": "XPS",
        "region": region,
        "sample": sample,
        "state": state,
        "photon_energy_eV": PHOTON_ENERGY_EV,
        "source": "Al K alpha (monochromated)",
        "pass_energy_eV": PASS_ENERGY_EV,
        "dwell_s": REGION_SETTINGS[region]["dwell"],
        "n_scans": int(REGION_SETTINGS[region]["scans"]),
        "energy_step_eV": STEP_EV,
        "energy_order": "descending",
        "etch_level": 0,
        "etch_time_s": 0.0,
        "seed": int(seed),
        "synthetic": True,
        **extra,
    }


def core_level_dataset(
    sample: str, state: str, region: str, seed: int, *, noise: bool = True
) -> ImportedData:
    """S 2p or P 2p spectrum of a composite electrode.

    ``sample`` 'Pristine' or 'LBPO 0.05-0.15'; ``state`` 'before cycling' or 'after 100 cycles';
    ``region`` 'S 2p' or 'P 2p'.
    """
    comps = _doublet_components(sample, state, region)
    key = [
        seed,
        5,
        S.SAMPLE_NAMES.index(sample),
        int(state.startswith("after")),
        int(region == "P 2p"),
    ]
    rng = np.random.default_rng(key) if noise else None
    be, cps, _ = _synthesise(region, comps, rng)
    meta = _metadata(
        region,
        sample,
        state,
        seed,
        specimen="composite electrode (Ar+ cleaned, vacuum transfer)",
    )
    return ImportedData(
        "xps",
        f"{region} {state}",
        {"binding_energy_eV": be, "counts_per_s": cps},
        meta,
        reader="demo",
    )


def b1s_components(etch_time_s: float) -> list[dict]:
    """B 1s singlets of the LBPO-coated powder after ``etch_time_s`` of Ar+ etching."""
    out = []
    for c, decays in ((S.B1S_COATING, True), (S.B1S_DOPANT, False)):
        area = c["area"] * (np.exp(-etch_time_s / S.B1S_ETCH_TAU_S) if decays else 1.0)
        out.append(
            {
                "name": c["name"],
                "position_eV": c["position_eV"],
                "fwhm_eV": c["fwhm_eV"],
                "area": float(area),
                "line_shape": LINE_SHAPE,
                "lines": [(c["position_eV"], float(area))],
            }
        )
    total = sum(c["area"] for c in out)
    for c in out:
        c["area_fraction"] = c["area"] / total
    return out


def b1s_etch_series(
    seed: int, sample: str = "LBPO 0.05-0.15", *, noise: bool = True
) -> list[ImportedData]:
    """B 1s spectra of the coated powder at the etch times of :data:`.samples.B1S_ETCH_TIMES_S`.

    The Li3BO3 coating signal decays as exp(-t / tau) with the sputtered depth; the boron dopant
    of the NCM stays.
    """
    out = []
    for level, t in enumerate(S.B1S_ETCH_TIMES_S):
        comps = b1s_components(t)
        rng = np.random.default_rng([seed, 6, level]) if noise else None
        be, cps, _ = _synthesise("B 1s", comps, rng)
        meta = _metadata(
            "B 1s",
            sample,
            "coated powder, before cycling",
            seed,
            specimen="coated NCM811 powder",
            etch_level=level,
            etch_time_s=float(t),
            etch_ion="Ar+ (monatomic, 1 keV)",
        )
        out.append(
            ImportedData(
                "xps",
                f"B 1s etch {t:g} s",
                {"binding_energy_eV": be, "counts_per_s": cps},
                meta,
                reader="demo",
            )
        )
    return out


def core_level_truth(sample: str, state: str, region: str) -> dict:
    """What the S 2p / P 2p spectrum was built from (for tests; no analysis reads it):
    ``components`` (name, positions, FWHM, area, area_fraction...) and ``background``."""
    comps = _doublet_components(sample, state, region)
    _, _, bg = _synthesise(region, comps, None)
    return {"components": _public(comps), "background": bg}


def b1s_truth(etch_level: int) -> dict:
    """What the B 1s spectrum of etch level ``etch_level`` was built from (for tests)."""
    t = S.B1S_ETCH_TIMES_S[etch_level]
    comps = b1s_components(t)
    _, _, bg = _synthesise("B 1s", comps, None)
    return {"components": _public(comps), "background": bg, "etch_time_s": float(t)}
