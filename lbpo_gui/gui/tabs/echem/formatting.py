"""Display text of the Electrochemistry tab: numbers, column headers, mass sources, cycle lists.

Nothing here computes science; it only turns the core's results into text an analyst reads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from ....core.project import Sample
from ...kinds import format_number

DASH = "\u2013"

# ------------------------------------------------------------------ numbers


def fixed(value: float | None, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, or an en dash for None / NaN."""
    if value is None or not math.isfinite(float(value)):
        return DASH
    return f"{float(value):.{decimals}f}"


def significant(value: float | None, digits: int = 3) -> str:
    """``value`` with up to ``digits`` significant digits (17, 8.5, 340), or an en dash."""
    if value is None or not math.isfinite(float(value)):
        return DASH
    return f"{float(f'{float(value):.{digits}g}'):g}"


def cell_text(value: object, decimals: int | None = None) -> str:
    """A table cell: text as is, numbers with ``decimals`` (or as stored), None as a dash."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return DASH
        return f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    return str(value)


# ------------------------------------------------------------------ report columns

_CAP_RE = re.compile(r"^cap_(?P<j>[0-9.]+)_mAh_g_cycle(?P<n>\d+)$")
_RET_RE = re.compile(r"^retention_(?P<a>[0-9.]+)_vs_(?P<b>[0-9.]+)_pct$")
_LONG_RE = re.compile(r"^cycle(?P<n>\d+)_discharge_mAh_g$")

_FIXED_HEADERS = {
    "sample": "Sample",
    "lbo_wt_pct": "LBO\n(wt%)",
    "lpo_wt_pct": "LPO\n(wt%)",
    "first_cycle_ce_pct": "1st-cycle\nCE\n(%)",
    "first_cycle_discharge_mAh_g": "Cycle 1\ndischarge\n(mAh/g)",
    "retention_pct": "Retention\n(%)",
}


def report_header(column: str) -> str:
    """The header an analyst reads for a column of the report tables (units included)."""
    if column in _FIXED_HEADERS:
        return _FIXED_HEADERS[column]
    m = _CAP_RE.match(column)
    if m:
        return f"{m['j']} mA/g\ncycle {m['n']}\n(mAh/g)"
    m = _RET_RE.match(column)
    if m:
        return f"Retention\n{m['a']} vs {m['b']}\n(%)"
    m = _LONG_RE.match(column)
    if m:
        return f"Cycle {m['n']}\ndischarge\n(mAh/g)"
    return column


def report_tooltip(column: str) -> str:
    """A one-line definition of a report column (shown as the header's tooltip)."""
    m = _CAP_RE.match(column)
    if m:
        return (
            f"Discharge capacity of cycle {m['n']}, the representative cycle of the "
            f"{m['j']} mA/g step (mAh per g of active material). Column {column}"
        )
    m = _RET_RE.match(column)
    if m:
        return (
            f"Representative discharge capacity at {m['a']} mA/g / that at {m['b']} mA/g "
            f"\u00d7 100. Column {column}"
        )
    if column == "first_cycle_ce_pct":
        return "Coulombic efficiency of cycle 1: discharge / charge \u00d7 100. Column " + column
    if column == "retention_pct":
        return "Discharge capacity of the last cycle / that of cycle 1 \u00d7 100. Column " + column
    return f"Column {column}"


def report_decimals(column: str) -> int | None:
    """Decimals shown for a report column (as the core rounds them)."""
    if column.endswith("_wt_pct"):
        return 2
    if column.endswith("_mAh_g") or _CAP_RE.match(column) or column == "retention_pct":
        return 1
    if column.endswith("_pct"):
        return 2
    return None


# ------------------------------------------------------------------ active mass


def mass_source_text(source: str, sample: Sample | None, mass_mg: float) -> str:
    """Where the active mass came from, in words (``source`` from resolve_active_mass_mg)."""
    if source == "setting":
        return "analysis override for this dataset"
    if source == "file header":
        return "from the file header (the sample has no masses)"
    if source == "sample" and sample is not None:
        if sample.active_mass_override_mg is not None:
            return "from sample: entered override"
        if sample.composite_mass_mg is not None:
            return (
                f"from sample: {format_number(sample.composite_mass_mg)} mg composite \u00d7 "
                f"{format_number(sample.active_parts)}/{format_number(sample.total_parts)}"
            )
    return f"from {source}"


def mass_text(mass_mg: float) -> str:
    """An active mass as a cycler header writes it (3 decimals, mg)."""
    return f"{mass_mg:.3f} mg"


# ------------------------------------------------------------------ cycle lists


class CycleListError(ValueError):
    """Cycle-list text that cannot be read (the message says where)."""


MAX_RANGE = 100_000


def parse_cycles(text: str) -> list[int]:
    """Cycle numbers from ``"1,7,12,17"``, ``"1-5, 10"`` or ``"1 to 5; 10"`` (sorted, unique).

    Spaces, commas and semicolons separate items; ``a-b`` (also en dash or ``to``) is a range
    including both ends. Raises :class:`CycleListError` naming the item it cannot read.
    """
    t = text.replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"\s*(-|\bto\b)\s*", "-", t, flags=re.IGNORECASE)
    out: set[int] = set()
    for item in re.split(r"[,;\s]+", t.strip()):
        if not item:
            continue
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", item)
        if not m:
            raise CycleListError(
                f"cannot read \u201c{item}\u201d: use numbers like 1, 7, 12 or 1-5"
            )
        a = int(m[1])
        b = int(m[2]) if m[2] is not None else a
        if b < a:
            a, b = b, a
        if b - a > MAX_RANGE:
            raise CycleListError(f"the range {item} is too long")
        out.update(range(a, b + 1))
    return sorted(out)


def format_cycles(cycles: Iterable[int]) -> str:
    """The shortest readable text for a cycle list: ``[1, 2, 3, 7]`` -> ``"1-3, 7"``."""
    numbers = sorted(set(cycles))
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{numbers[i]}-{numbers[j]}")
        else:
            parts.extend(str(n) for n in numbers[i : j + 1])
        i = j + 1
    return ", ".join(parts)


def nice_step(span: float) -> int:
    """The round number (1, 2, 3, 5 x 10^k) closest to ``span``: 33 -> 30, 8 -> 10."""
    if span <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(span)))
    candidates = [m * power for m in (1, 2, 3, 5, 10)]
    return int(min(candidates, key=lambda c: abs(c - span)))


def spread_cycles(numbers: Sequence[int], parts: int = 3) -> list[int]:
    """First, a few round cycles between and the last: 100 cycles -> 1, 30, 60, 100."""
    if not numbers:
        return []
    first, last = min(numbers), max(numbers)
    if last - first < parts:
        return sorted(numbers)
    step = nice_step((last - first) / parts)
    chosen = [first]
    k = step
    while k < last - step / 2:
        if k > first:
            chosen.append(k)
        k += step
    chosen.append(last)
    present = set(numbers)
    return [c for c in chosen if c in present]


def every_nth(numbers: Sequence[int], n: int = 10) -> list[int]:
    """The first cycle and every ``n``-th cycle (1, 10, 20 ...) and the last."""
    if not numbers:
        return []
    present = sorted(set(numbers))
    first = next((c for c in present if c >= 1), present[0])
    chosen = {first, present[-1]} | {c for c in present if c % n == 0 and c >= first}
    return sorted(chosen)
