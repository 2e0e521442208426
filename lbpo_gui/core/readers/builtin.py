"""Imports every built-in reader module so that each registers itself."""

# Reader modules are added here as each technique's issue brings them.
from . import (  # noqa: F401
    arbin,
    avantage_xlsx,
    biologic_mpr,
    biologic_mpt,
    biologic_peis,
    gamry_dta,
    impedance_text,
    landt,
    maccor,
    neware,
    versastudio_par,
    vamas,
    xps_text,
)
