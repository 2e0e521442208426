"""Imports every built-in reader module so that each registers itself."""

# Reader modules are added here as each technique's issue brings them.
from . import (  # noqa: F401
    arbin,
    biologic_mpr,
    biologic_mpt,
    edax_linescan,
    eds_text,
    hspy_maps,
    landt,
    maccor,
    neware,
    velox_emd,
)
