"""Imports every built-in reader module so that each registers itself."""

# Reader modules are added here as each technique's issue brings them.
from . import (  # noqa: F401
    arbin,
    avantage_xlsx,
    biologic_mpr,
    biologic_mpt,
    biologic_peis,
    edax_linescan,
    eds_text,
    gamry_dta,
    hspy_maps,
    impedance_text,
    landt,
    maccor,
    neware,
    vamas,
    velox_emd,
    versastudio_par,
    xps_text,
)
