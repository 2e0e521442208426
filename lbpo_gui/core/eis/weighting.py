"""Weightings of the complex residual: Z_fit - Z_data divided by sigma, real and imaginary.

======================  ===========================================================
name                    sigma of the real / imaginary residual of point i
======================  ===========================================================
``unit``                1 / 1
``data-modulus``        |Z_data,i| / |Z_data,i|   (impedance.py ``weight_by_modulus``)
``calc-modulus``        |Z_fit,i|  / |Z_fit,i|    (ZView Calc-Modulus; the default)
``proportional``        |Re Z_fit,i| / |Im Z_fit,i|   (ZView Calc-Proportional)
``boukamp``             |Z_data,i| / |Z_data,i|   (Boukamp 1995: weights 1/|Z_i|^2 on the
                        squared residual; the same optimum as data-modulus, kept under
                        the name pyimpspec and Boukamp use)
======================  ===========================================================

The fit minimises the plain sum of squares of these linear residuals (chi-square), never a
squared-again weight (the 4th-power loss of pyimpspec/PyEIS, see the field notes).
"""

from __future__ import annotations

WEIGHTINGS: tuple[str, ...] = ("calc-modulus", "data-modulus", "unit", "proportional", "boukamp")
DEFAULT_WEIGHTING = "calc-modulus"

#: Weightings whose sigma depends on the model (recomputed at every evaluation).
MODEL_WEIGHTED = frozenset({"calc-modulus", "proportional"})


def check_weighting(name: str) -> str:
    """``name`` normalised (case, ``_``) or ValueError naming the known weightings."""
    key = str(name).strip().lower().replace("_", "-")
    if key not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {name!r}; expected one of {', '.join(WEIGHTINGS)}")
    return key
