"""Small numeric helpers shared by the echem modules: significant-figure rounding, JSON-safe floats."""

from __future__ import annotations

import math


def round_significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant figures (17.0043 -> 17.0, 169.83 -> 170.0).

    Zero and non-finite values are returned unchanged.
    """
    if value == 0 or not math.isfinite(value):
        return float(value)
    exponent = math.floor(math.log10(abs(value)))
    return float(round(value, digits - 1 - exponent))


def finite_or_none(value: float | None) -> float | None:
    """A plain ``float``, or ``None`` for ``None``/NaN/inf (JSON has no NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
