"""Helpers shared by the GUI tests: a small synthetic project (two samples, all four kinds)."""

from __future__ import annotations

import numpy as np

from lbpo_gui.core.project import Dataset, Project, Provenance


def _cycling(seed: int) -> dict[str, np.ndarray]:
    t = np.linspace(0, 20 * 3600, 4000)
    phase = (t / (5 * 3600)) % 1.0
    v = np.where(phase < 0.5, 3.0 + 1.3 * phase * 2, 4.3 - 1.3 * (phase - 0.5) * 2) + 0.01 * seed
    i = np.where(phase < 0.5, 0.2, -0.2)
    return {"time_s": t, "voltage_V": v, "current_mA": i}


def _impedance(r: float) -> dict[str, np.ndarray]:
    f = np.logspace(6, -1, 61)
    w = 2 * np.pi * f
    z = 15 + r / (1 + 1j * w * r * 1e-5) + 30 / np.sqrt(1j * w)
    return {"frequency_Hz": f, "z_real_ohm": z.real, "z_imag_ohm": z.imag}


def _xps() -> dict[str, np.ndarray]:
    be = np.linspace(170, 155, 301)
    cps = (
        2000 + 8000 * np.exp(-((be - 161.6) ** 2) / 0.5) + 4000 * np.exp(-((be - 162.8) ** 2) / 0.5)
    )
    return {"binding_energy_eV": be, "counts_per_s": cps}


def _eds(width: float) -> dict[str, np.ndarray]:
    from math import erf

    d = np.linspace(0, 60, 121)
    s = np.array([0.5 * (1 + erf((x - 30) / width)) for x in d])
    return {"distance_nm": d, "Ni": 100 * (1 - s), "Co": 15 * (1 - s), "S": 80 * s, "P": 20 * s}


def make_dataset(kind: str, label: str, arrays: dict[str, np.ndarray], **meta: object) -> Dataset:
    """A dataset as a reader would have produced it."""
    return Dataset(
        kind=kind,
        label=label,
        arrays=arrays,
        metadata=dict(meta),
        provenance=Provenance(
            original_name=f"{label}.txt",
            reader="synthetic",
            imported_at="2024-05-01T10:00:00+00:00",
        ),
    )


def build_small_project() -> Project:
    """Two samples, each with a cycling, impedance, XPS and EDS dataset."""
    project = Project("Small study")
    for k, (name, lbo, lpo, r) in enumerate(
        [("Pristine", 0.0, 0.0, 160.0), ("LBPO 0.05-0.15", 0.05, 0.15, 40.0)]
    ):
        s = project.add_sample(
            name, lbo_wt_pct=lbo, lpo_wt_pct=lpo, composite_mass_mg=15.0, cathode="NCM811"
        )
        project.add_dataset(s.id, make_dataset("cycling", f"{name} rate test", _cycling(k)))
        project.add_dataset(s.id, make_dataset("impedance", f"{name} EIS charged", _impedance(r)))
        project.add_dataset(s.id, make_dataset("xps", f"{name} S 2p", _xps(), region="S 2p"))
        project.add_dataset(
            s.id,
            make_dataset("eds_profile", f"{name} EDS line", _eds(3 + 5 * k), signal_unit="counts"),
        )
    return project
