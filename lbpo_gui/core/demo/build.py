"""The built-in demo: the study's nine samples with synthetic raw data from the small models.

Per sample:

* all nine: the rate test (5 cycles each at 17, 85, 170, 340 mA/g; Table 1);
* Pristine, LPO 0.15, LBPO 0.05-0.15: 100 cycles at 170 mA/g (Figure S3 / Table S1) and the
  impedance spectrum in the charged state after the 1st cycle (Table 2);
* Pristine: S 2p and P 2p before and after 100 cycles, EDS profiles before and after 100 cycles;
* LBPO 0.05-0.15: S 2p and P 2p before and after 100 cycles, the B 1s Ar+ etch series of the
  coated powder (one dataset per etch level), the EDS profile after 100 cycles.

Everything is deterministic for a given seed (the seed draws only the measurement noise; the
model calibration is seed-independent and cached).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..readers.base import ImportedData
from . import samples as S
from .cycling import long_test_dataset, rate_test_dataset
from .eds import eds_profile_dataset
from .impedance import impedance_dataset
from .xps import b1s_etch_series, core_level_dataset

DEFAULT_SEED = 20230529


@dataclass
class DemoSample:
    """One sample of the demo project with its datasets."""

    name: str
    lbo_wt_pct: float
    lpo_wt_pct: float
    cathode: str = S.CATHODE
    composite_mass_mg: float = S.COMPOSITE_MASS_MG
    active_parts: float = S.ACTIVE_PARTS
    total_parts: float = S.TOTAL_PARTS
    notes: str = ""
    datasets: list[ImportedData] = field(default_factory=list)

    @property
    def active_mass_mg(self) -> float:
        """NCM811 mass per cell, mg (composite mass x active parts / total parts, 3 decimals)."""
        return round(self.composite_mass_mg * self.active_parts / self.total_parts, 3)


def _notes(spec: S.StudySample) -> str:
    if spec.lbo_wt_pct == 0 and spec.lpo_wt_pct == 0:
        coating = "uncoated NCM811"
    elif spec.lbo_wt_pct == 0:
        coating = f"{spec.lpo_wt_pct:g} wt.% Li3PO4 coating"
    else:
        coating = f"{spec.lbo_wt_pct:g} wt.% Li3BO3 + {spec.lpo_wt_pct:g} wt.% Li3PO4 coating"
    return (
        f"{coating}; composite NCM:Li6PS5Cl:C = 70:30:2, 15 mg per cell, Li metal anode, "
        "4.25-2.5 V. Synthetic demo data from small physical models calibrated to the study "
        "(Ji et al., Batteries 2023, 9, 292)."
    )


def demo_samples(seed: int = DEFAULT_SEED) -> list[DemoSample]:
    """The nine samples of Table 1, in its order, with their synthetic datasets."""
    out = []
    for spec in S.SAMPLES:
        ds: list[ImportedData] = [rate_test_dataset(spec.name, seed)]
        name = spec.name
        if name in ("Pristine", "LPO 0.15", "LBPO 0.05-0.15"):
            ds.append(long_test_dataset(name, seed))
            ds.append(impedance_dataset(name, seed))
        if name in ("Pristine", "LBPO 0.05-0.15"):
            for state in ("before cycling", "after 100 cycles"):
                for region in ("S 2p", "P 2p"):
                    ds.append(core_level_dataset(name, state, region, seed))
        if name == "LBPO 0.05-0.15":
            ds.extend(b1s_etch_series(seed, name))
        if name == "Pristine":
            ds.append(eds_profile_dataset(name, "before cycling", seed))
        if name in ("Pristine", "LBPO 0.05-0.15"):
            ds.append(eds_profile_dataset(name, "after 100 cycles", seed))
        out.append(
            DemoSample(
                name=spec.name,
                lbo_wt_pct=spec.lbo_wt_pct,
                lpo_wt_pct=spec.lpo_wt_pct,
                notes=_notes(spec),
                datasets=ds,
            )
        )
    return out


def write_demo_files(folder: str | Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo datasets as vendor files into ``folder`` (created if needed).

    GCPL and PEIS ``.mpt``, impedance ``.csv``, one VAMAS ``.vms`` per sample with XPS, EDS
    ``.csv``. Returns the paths written.
    """
    from .writers import (
        write_biologic_gcpl_mpt,
        write_biologic_peis_mpt,
        write_eds_csv,
        write_impedance_csv,
        write_vamas,
    )

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for sample in demo_samples(seed):
        stem = sample.name.replace(" ", "_").replace(".", "p")
        xps = [d for d in sample.datasets if d.kind == "xps"]
        for d in sample.datasets:
            tag = d.label.replace(" ", "_").replace("@", "at").replace("/", "_per_")
            if d.kind == "cycling":
                written.append(write_biologic_gcpl_mpt(folder / f"{stem}_{tag}.mpt", d))
            elif d.kind == "impedance":
                written.append(write_biologic_peis_mpt(folder / f"{stem}_{tag}.mpt", d))
                written.append(write_impedance_csv(folder / f"{stem}_{tag}.csv", d))
            elif d.kind == "eds_profile":
                written.append(write_eds_csv(folder / f"{stem}_{tag}.csv", d))
        if xps:
            written.append(write_vamas(folder / f"{stem}_XPS.vms", xps))
    return written
