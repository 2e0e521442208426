"""The study's samples as data, with the parameters of the small physical models of the demo.

Everything numeric the demo generators need lives here, in two kinds:

* **Calibration targets** - figures the study reports (Ji et al., *Batteries* 2023, 9, 292; Table 1,
  Table 2, Table S1, Figures 3-6). The models are *solved* so that their output, analysed like real
  data, lands on these numbers; the numbers themselves are never copied into data arrays.
* **Model parameters** - physical quantities the study does not report (diffusion time, fade per
  cycle, side-reaction leak, CPE exponents, XPS area fractions, EDS edge widths...). They are demo
  assumptions chosen to be plausible for NCM811 | Li6PS5Cl composite cathodes; each is documented
  where it is defined.

Units are part of every name: mAh/g (per gram of NCM811 active material), mA/g, ohm, s, eV, nm.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Cathode active material of every sample.
CATHODE = "Li[Ni0.82Co0.12Mn0.06]O2 (NCM811)"
#: Composite cathode per cell (NCM : Li6PS5Cl : carbon = 70 : 30 : 2 by weight), mg.
COMPOSITE_MASS_MG = 15.0
#: Weight parts of NCM in the composite and of the whole composite.
ACTIVE_PARTS = 70.0
TOTAL_PARTS = 102.0
#: NCM811 mass per cell, mg (15 mg x 70/102 = 10.294 mg, rounded as a cycler header would hold it).
ACTIVE_MASS_MG = round(COMPOSITE_MASS_MG * ACTIVE_PARTS / TOTAL_PARTS, 3)

#: Specific currents of the rate test, mA/g (five cycles per step).
RATE_STEPS_MA_G: tuple[float, ...] = (17.0, 85.0, 170.0, 340.0)
#: Cycles per rate step.
CYCLES_PER_STEP = 5
#: Cycle (1-based) of each step that the study's Table 1 quotes: the 1st cycle of the first step,
#: the 2nd cycle of each later step.
REPRESENTATIVE_CYCLES: tuple[int, ...] = (1, 7, 12, 17)
#: Voltage window of the half cells, V vs Li/Li+.
V_MAX = 4.25
V_MIN = 2.5
#: Current of the long cycling test, mA/g, and its number of cycles.
LONG_TEST_CURRENT_MA_G = 170.0
LONG_TEST_CYCLES = 100

# --------------------------------------------------------------------------------------------
# NCM811 material parameters shared by every sample (same powder, same electrode recipe)
# --------------------------------------------------------------------------------------------

#: Solid-state diffusion time of the NCM811 particles, tau_D = r^2 / D, s. Sets the
#: surface-to-bulk lithium offset delta = (dx/dt) * tau_D / 15 of a sphere under constant flux
#: (the parabolic-profile approximation); 600 s is r = 2 um with D ~ 7e-11 cm2/s.
TAU_DIFFUSION_S = 600.0
#: Relaxation time of that offset when the current changes or stops (OCV relaxation during
#: rests), s: the slowest diffusion mode of a sphere, tau_D / pi^2.
TAU_RELAX_S = TAU_DIFFUSION_S / 3.141592653589793**2
#: Lithium state of the pristine cathode before the first charge (fraction of the accessible
#: capacity already removed); sets the open-circuit voltage of a fresh cell (~3.1 V).
X_PRISTINE = 0.003


@dataclass(frozen=True)
class StudySample:
    """One sample of the study (a row of Table 1) with its cycling-model parameters.

    Calibration targets (reported by the study):

    * ``rate_capacities_mAh_g``: discharge capacity of cycles 1, 7, 12, 17 at 17, 85, 170 and
      340 mA/g (Table 1).
    * ``first_cycle_ce_pct``: first-cycle Coulombic efficiency, discharge/charge (Table 1).

    Model parameters (demo assumptions unless stated):

    * ``interfacial_resistance_ohm``: apparent DC resistance of the cell at 17 mA/g (ohmic +
      interfacial). For Pristine, LPO 0.15 and LBPO 0.05-0.15 this is R_total of Table 2; the
      other samples get values ranked by their rate performance. The resistances of the later
      rate steps are *solved* (see :mod:`.cycling`).
    * ``fade_per_cycle``: relative loss of accessible capacity per cycle in the rate test
      (particles losing contact with the electrolyte as the interphase grows).
    * ``leak_fraction``: fraction of the charge current consumed by side reactions in every
      charge after the first (sets CE ~ 99.5 %); the first-cycle leak is solved from the CE.
    """

    name: str
    lbo_wt_pct: float
    lpo_wt_pct: float
    rate_capacities_mAh_g: tuple[float, float, float, float]
    first_cycle_ce_pct: float
    interfacial_resistance_ohm: float
    fade_per_cycle: float
    leak_fraction: float

    @property
    def retention_340_vs_17_pct(self) -> float:
        """Capacity at 340 mA/g over capacity at 17 mA/g, % (the study's 'capacity retention')."""
        caps = self.rate_capacities_mAh_g
        return 100.0 * caps[3] / caps[0]


#: The nine samples of Table 1, in its order.
SAMPLES: tuple[StudySample, ...] = (
    StudySample("Pristine", 0.0, 0.0, (178.7, 129.3, 108.8, 82.1), 76.37, 189.2, 0.0025, 0.006),
    StudySample("LPO 0.1", 0.0, 0.1, (182.6, 149.1, 134.9, 121.8), 82.22, 95.0, 0.0015, 0.004),
    StudySample("LPO 0.15", 0.0, 0.15, (193.6, 157.8, 145.1, 131.2), 82.74, 76.2, 0.0015, 0.004),
    StudySample(
        "LBPO 0.05-0.1", 0.05, 0.1, (193.6, 157.4, 142.7, 126.9), 82.28, 80.0, 0.0012, 0.003
    ),
    StudySample("LBPO 0.1-0.1", 0.1, 0.1, (187.7, 158.2, 147.0, 130.4), 85.63, 70.0, 0.0012, 0.003),
    StudySample(
        "LBPO 0.15-0.1", 0.15, 0.1, (185.1, 153.2, 138.8, 125.2), 83.79, 85.0, 0.0012, 0.003
    ),
    StudySample(
        "LBPO 0.05-0.15", 0.05, 0.15, (201.4, 166.4, 154.1, 135.8), 85.27, 62.7, 0.0010, 0.003
    ),
    StudySample(
        "LBPO 0.1-0.15", 0.1, 0.15, (186.0, 162.9, 150.2, 135.4), 81.79, 65.0, 0.0010, 0.003
    ),
    StudySample(
        "LBPO 0.15-0.15", 0.15, 0.15, (190.0, 154.9, 143.7, 126.5), 85.55, 80.0, 0.0012, 0.003
    ),
)

SAMPLE_NAMES: tuple[str, ...] = tuple(s.name for s in SAMPLES)


def get_sample(name: str) -> StudySample:
    """The sample called ``name`` (exactly as in Table 1)."""
    for s in SAMPLES:
        if s.name == name:
            return s
    raise KeyError(f"no study sample named {name!r}; known: {', '.join(SAMPLE_NAMES)}")


# --------------------------------------------------------------------------------------------
# 100 cycles at 170 mA/g (Figure S3 / Table S1)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LongCycleTarget:
    """Targets and fixed parameters of the 100-cycle test of one sample (a fresh cell).

    ``first_discharge_mAh_g`` and ``retention_pct`` (cycle 100 / cycle 1) are the study's
    figures for Pristine and LBPO 0.05-0.15; LPO 0.15 is not quantified in the text ("in
    between"), its values are a demo choice. ``capacity_loss_per_cycle`` is the assumed loss of
    accessible capacity per cycle; the growth of the interfacial resistance per cycle that makes
    up the rest of the fade is solved (see :mod:`.cycling`).
    """

    sample: str
    first_discharge_mAh_g: float
    retention_pct: float
    capacity_loss_per_cycle: float


LONG_CYCLE_TARGETS: tuple[LongCycleTarget, ...] = (
    LongCycleTarget("Pristine", 152.0, 64.6, 0.0015),
    LongCycleTarget("LPO 0.15", 165.0, 80.0, 0.0010),
    LongCycleTarget("LBPO 0.05-0.15", 175.0, 89.1, 0.0005),
)


def get_long_cycle_target(name: str) -> LongCycleTarget:
    """The 100-cycle target of sample ``name``."""
    for t in LONG_CYCLE_TARGETS:
        if t.sample == name:
            return t
    raise KeyError(f"no 100-cycle test for sample {name!r}")


# --------------------------------------------------------------------------------------------
# Impedance, charged state after the 1st cycle (Table 2)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImpedanceParameters:
    """True parameters of R_SE,bulk - (R_SE,gb || CPE1) - (R_electrode/SE || CPE2) - W.

    The three resistances are Table 2 of the study. CPE impedance is 1 / (Q (j omega)^n) with Q
    in S s^n; the semi-infinite Warburg is Z_W = sigma (1 - j) / sqrt(omega), sigma in
    ohm s^-1/2 (Boukamp's admittance parameter Y0 = 1 / (sigma sqrt 2)). Q, n and sigma are demo
    assumptions: a grain-boundary arc peaking near 10^5 Hz and an interfacial arc near 10^2 Hz.
    """

    sample: str
    r_bulk_ohm: float
    r_gb_ohm: float
    q_gb_S_sn: float
    n_gb: float
    r_electrode_ohm: float
    q_electrode_S_sn: float
    n_electrode: float
    warburg_sigma_ohm_s05: float

    @property
    def r_total_ohm(self) -> float:
        """R_SE,bulk + R_SE,gb + R_electrode/SE, ohm."""
        return self.r_bulk_ohm + self.r_gb_ohm + self.r_electrode_ohm


IMPEDANCE_PARAMETERS: tuple[ImpedanceParameters, ...] = (
    ImpedanceParameters("Pristine", 14.5, 9.4, 6.0e-7, 0.90, 165.3, 2.0e-5, 0.78, 42.0),
    ImpedanceParameters("LPO 0.15", 15.3, 9.2, 6.5e-7, 0.90, 51.7, 3.0e-5, 0.80, 30.0),
    ImpedanceParameters("LBPO 0.05-0.15", 14.3, 8.3, 7.0e-7, 0.91, 40.1, 3.5e-5, 0.82, 26.0),
)


def get_impedance_parameters(name: str) -> ImpedanceParameters:
    """The impedance parameters of sample ``name``."""
    for p in IMPEDANCE_PARAMETERS:
        if p.sample == name:
            return p
    raise KeyError(f"no impedance parameters for sample {name!r}")


# --------------------------------------------------------------------------------------------
# XPS (Figure 3 and Figure 2h)
# --------------------------------------------------------------------------------------------

#: Doublet positions (j = 3/2 line, j = 1/2 line), eV, as named in Figure 3 of the study.
S2P_POSITIONS_EV: dict[str, tuple[float, float]] = {
    "argyrodite PS4": (161.6, 162.7),
    "S-S": (163.5, 164.6),
    "P-[S]n-P": (163.0, 164.1),
    "metal sulphide (NiS/CoS)": (160.1, 161.3),
}
P2P_POSITIONS_EV: dict[str, tuple[float, float]] = {
    "PS4 3-": (131.9, 132.7),
    "reduced phosphate": (130.7, 131.5),
    "Li3PO4 / P2Sx": (132.8, 133.6),
    "TM-PO4": (133.7, 134.5),
}

#: Area fractions of the doublets (whole doublet, normalised per region) by (sample, state).
#: Demo assumptions following the study's narrative: after 100 cycles the metal sulphide grows a
#: lot and PS4 shrinks for Pristine; LBPO suppresses the metal sulphide and P-[S]n-P accumulates
#: slightly; in P 2p, Li3PO4/P2Sx and TM-PO4 grow for Pristine and stay small for LBPO (its
#: coating adds some Li3PO4 before cycling).
XPS_AREA_FRACTIONS: dict[tuple[str, str, str], dict[str, float]] = {
    ("Pristine", "before cycling", "S 2p"): {
        "argyrodite PS4": 0.72,
        "S-S": 0.08,
        "P-[S]n-P": 0.12,
        "metal sulphide (NiS/CoS)": 0.08,
    },
    ("Pristine", "after 100 cycles", "S 2p"): {
        "argyrodite PS4": 0.42,
        "S-S": 0.12,
        "P-[S]n-P": 0.10,
        "metal sulphide (NiS/CoS)": 0.36,
    },
    ("LBPO 0.05-0.15", "before cycling", "S 2p"): {
        "argyrodite PS4": 0.74,
        "S-S": 0.08,
        "P-[S]n-P": 0.12,
        "metal sulphide (NiS/CoS)": 0.06,
    },
    ("LBPO 0.05-0.15", "after 100 cycles", "S 2p"): {
        "argyrodite PS4": 0.60,
        "S-S": 0.10,
        "P-[S]n-P": 0.20,
        "metal sulphide (NiS/CoS)": 0.10,
    },
    ("Pristine", "before cycling", "P 2p"): {
        "PS4 3-": 0.80,
        "reduced phosphate": 0.10,
        "Li3PO4 / P2Sx": 0.06,
        "TM-PO4": 0.04,
    },
    ("Pristine", "after 100 cycles", "P 2p"): {
        "PS4 3-": 0.45,
        "reduced phosphate": 0.12,
        "Li3PO4 / P2Sx": 0.25,
        "TM-PO4": 0.18,
    },
    ("LBPO 0.05-0.15", "before cycling", "P 2p"): {
        "PS4 3-": 0.78,
        "reduced phosphate": 0.08,
        "Li3PO4 / P2Sx": 0.10,
        "TM-PO4": 0.04,
    },
    ("LBPO 0.05-0.15", "after 100 cycles", "P 2p"): {
        "PS4 3-": 0.70,
        "reduced phosphate": 0.10,
        "Li3PO4 / P2Sx": 0.13,
        "TM-PO4": 0.07,
    },
}

#: Total doublet area of a region (all components), cps eV, by (sample, state, region). Cycled
#: electrodes lose some electrolyte signal under the grown interphase. S 2p : P 2p follows the
#: electrolyte's S : P = 5 : 1 (Li6PS5Cl) through the ALTHERMO1 RSFs (1.881 and 1.353), so the
#: Quantification view gives P about 17 at.% of P + S.
XPS_TOTAL_AREA_CPS_EV: dict[tuple[str, str, str], float] = {
    ("Pristine", "before cycling", "S 2p"): 21000.0,
    ("Pristine", "after 100 cycles", "S 2p"): 18000.0,
    ("LBPO 0.05-0.15", "before cycling", "S 2p"): 21500.0,
    ("LBPO 0.05-0.15", "after 100 cycles", "S 2p"): 20000.0,
    ("Pristine", "before cycling", "P 2p"): 3000.0,
    ("Pristine", "after 100 cycles", "P 2p"): 2600.0,
    ("LBPO 0.05-0.15", "before cycling", "P 2p"): 3100.0,
    ("LBPO 0.05-0.15", "after 100 cycles", "P 2p"): 2900.0,
}

#: B 1s of the LBPO-coated powder: Li3BO3 of the coating (removed by the Ar+ etch) and the boron
#: dopant of the commercial NCM (uniform in depth). Positions eV, FWHM eV, area cps eV at etch 0,
#: and the etch time constant of the coating signal, s (a 2-3 nm film sputtered in ~1-2 min).
B1S_ETCH_TIMES_S: tuple[float, ...] = (0.0, 30.0, 60.0, 120.0, 240.0)
B1S_COATING = {"name": "Li3BO3 (coating)", "position_eV": 191.8, "fwhm_eV": 1.6, "area": 900.0}
B1S_DOPANT = {"name": "B dopant (bulk)", "position_eV": 192.4, "fwhm_eV": 1.8, "area": 120.0}
B1S_ETCH_TAU_S = 55.0

# --------------------------------------------------------------------------------------------
# STEM-EDS line profiles (Figures 4-6)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EdsProfileParameters:
    """Erf-edge model of one Ni/Co/S/P line profile across the NCM | Li6PS5Cl interface.

    ``thickness_nm`` is the study's interlayer thickness as the study read it: the width over
    which cathode (Ni, Co) and electrolyte (S, P) signals overlap, taken here as **T10**, the
    width over which both sides are at least 10 % of their bulk levels ("where the signals
    overlap" by eye). ``sigma_cathode_nm`` and ``sigma_electrolyte_nm`` are the Gaussian widths
    of the measured edges (probe + beam spread + interdiffusion; demo assumptions that grow with
    cycling). The distance of the 50 % points follows: ``T50 = T10 - 1.2816 (sigma_c +
    sigma_e)`` (:attr:`t50_nm`): 1.41 nm before cycling (the 5 nm reading is mostly the
    instrument's broadening), 11.67 nm for the bare NCM after 100 cycles and 2.64 nm for
    LBPO-coated NCM (about its 2-3 nm coating).
    """

    sample: str
    state: str
    thickness_nm: float
    sigma_cathode_nm: float
    sigma_electrolyte_nm: float

    @property
    def t50_nm(self) -> float:
        """Distance between the 50 % points of the two edges (nm)."""
        return self.thickness_nm - EDS_T10_PER_SIGMA * (
            self.sigma_cathode_nm + self.sigma_electrolyte_nm
        )


#: How far beyond its 50 % point an erf edge stays above 10 %, in sigmas: -Phi^-1(0.1).
EDS_T10_PER_SIGMA = 1.2815515655446004

EDS_PROFILES: tuple[EdsProfileParameters, ...] = (
    EdsProfileParameters("Pristine", "before cycling", 5.0, 1.5, 1.3),
    EdsProfileParameters("Pristine", "after 100 cycles at 170 mA/g", 20.0, 3.5, 3.0),
    EdsProfileParameters("LBPO 0.05-0.15", "after 100 cycles at 170 mA/g", 7.0, 1.8, 1.6),
)
