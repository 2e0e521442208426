"""Small projects for the project-model tests."""

from __future__ import annotations

import numpy as np

from lbpo_gui.core.project import Dataset, Project


def small_project(n: int = 200, seed: int = 1) -> Project:
    """Two samples with one dataset of each kind and one analysis with arrays."""
    rng = np.random.default_rng(seed)
    p = Project("Small study")
    a = p.add_sample("Pristine", lbo_wt_pct=0, lpo_wt_pct=0, composite_mass_mg=15.0)
    b = p.add_sample("LBPO 0.05-0.15", lbo_wt_pct=0.05, lpo_wt_pct=0.15, composite_mass_mg=15.0)
    t = np.linspace(0, 3600, n)
    cyc = Dataset(
        "cycling",
        "Rate test",
        {"time_s": t, "voltage_V": 3.7 + 0.1 * rng.standard_normal(n), "current_mA": np.ones(n)},
        {"active_mass_mg": 10.29, "channel": 3, "technique": "GCPL"},
    )
    f = np.logspace(5, -2, 71)
    eis = Dataset(
        "impedance",
        "EIS charged",
        {"frequency_Hz": f, "z_real_ohm": 10 + 100 / (1 + f), "z_imag_ohm": -50 / (1 + f)},
    )
    be = np.linspace(170, 155, 301)
    xps = Dataset("xps", "S 2p", {"binding_energy_eV": be, "counts_per_s": rng.poisson(1000, 301)})
    x = np.linspace(0, 80, 161)
    eds = Dataset(
        "eds_profile",
        "EDS before",
        {"distance_nm": x, "Ni": 100 / (1 + np.exp(x - 40)), "S": 100 / (1 + np.exp(40 - x))},
        {"signal_unit": "counts"},
    )
    for d in (cyc, eis):
        p.add_dataset(a.id, d)
    for d in (xps, eds):
        p.add_dataset(b.id, d)
    p.set_analysis(
        cyc.id,
        "cycling",
        {"convention": "cathode"},
        {"first_cycle_ce_pct": 76.37},
        {"cycle": np.arange(5), "discharge_mAh_g": np.linspace(180, 170, 5)},
    )
    return p
