"""How the command line prints a result: one JSON object (``--json``, unchanged), or text for a
person: rounded values and aligned tables.

The text form is generic, so every command's result prints the same way:

- the top-level scalars as an aligned ``key  value`` block;
- a list of dicts (cycles, rate steps, EIS parameters, XPS components ...) as a table: one row
  per item, one column per key (in order of first appearance), numbers right-aligned and rounded
  per column to about :data:`SIGNIFICANT` significant figures (scientific notation when a
  column's values are very small or very large), ``-`` for a missing value;
- a dict of dicts (EDS edges: cathode / electrolyte) as a table with the keys as first column;
- a dict of scalars (metadata) as an indented key/value block;
- a list of scalars (warnings, files) as ``- item`` lines; a list of numbers inside a table cell
  as ranges (``1-6, 9``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Significant figures of printed numbers.
SIGNIFICANT = 4
#: Longest text of one table cell (longer ones are cut with an ellipsis).
MAX_CELL = 60
_MISSING = "-"


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def _decimals(x: float) -> int:
    """Decimals that show ``x`` to :data:`SIGNIFICANT` significant figures (0 for big x)."""
    if x == 0 or not math.isfinite(x):
        return 0
    return max(0, SIGNIFICANT - 1 - math.floor(math.log10(abs(x))))


def format_number(x: float | int) -> str:
    """One number on its own: ints as they are, floats to :data:`SIGNIFICANT` significant
    figures without trailing zeros (scientific below 1e-3 and from 1e6)."""
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return _MISSING if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if x == 0:
        return "0"
    if not 1e-3 <= abs(x) < 1e6:
        return f"{x:.{SIGNIFICANT - 1}e}"
    text = f"{x:.{_decimals(x)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(v: Any, limit: int | None = MAX_CELL) -> str:
    """A scalar, a list or a dict as one line of text (cut at ``limit`` characters)."""
    if v is None:
        return _MISSING
    if isinstance(v, bool):
        return "yes" if v else "no"
    if _is_number(v):
        return format_number(v)
    if isinstance(v, str):
        text = " / ".join(part.strip() for part in v.splitlines() if part.strip())
    elif isinstance(v, Mapping):
        text = ", ".join(f"{k}={format_value(x, None)}" for k, x in v.items())
    elif isinstance(v, Sequence):
        text = _ranges(v) if v and all(isinstance(x, int) for x in v) else ""
        text = text or ", ".join(format_value(x, None) for x in v)
    else:
        text = str(v)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _ranges(values: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1-3, 5"`` (ints in the order given)."""
    parts: list[str] = []
    start = prev = values[0]
    for v in [*values[1:], None]:
        if v is not None and prev is not None and v == prev + 1:
            prev = v
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = v
    return ", ".join(parts)


def _column_format(values: list[Any]) -> tuple[bool, Any]:
    """(right-aligned?, formatter) of one table column. Its floats share the decimals that give
    the median magnitude :data:`SIGNIFICANT` significant figures (so that they align); a value
    that would keep fewer than 2 significant figures that way, or a column of very small or
    very large values, is written in scientific notation."""
    numbers = [v for v in values if _is_number(v)]
    if not numbers or len(numbers) < sum(v is not None for v in values):
        return False, format_value
    floats = sorted(abs(v) for v in numbers if isinstance(v, float) and math.isfinite(v) and v)
    if not floats:
        return True, format_value
    ref = floats[len(floats) // 2]
    decimals = min(_decimals(ref), 6) if 1e-3 <= ref < 1e7 else None

    def fmt(v: Any) -> str:
        if not (isinstance(v, float) and math.isfinite(v)):
            return format_value(v)
        if decimals is None or (v != 0 and _decimals(v) > decimals + SIGNIFICANT - 2):
            return f"{v:.{SIGNIFICANT - 1}e}"
        return f"{v:.{decimals}f}"

    return True, fmt


def format_table(rows: Sequence[Mapping[str, Any]], first: str | None = None) -> list[str]:
    """Lines of an aligned table of ``rows``; ``first`` names a leading key column (for a
    dict of dicts, whose keys come in as ``rows[i][first]``)."""
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    if first and first in keys:
        keys = [first, *[k for k in keys if k != first]]
    cells: list[list[str]] = [list(keys)]
    right: list[bool] = []
    columns = [[row.get(k) for row in rows] for k in keys]
    for values in columns:
        align_right, fmt = _column_format(values)
        right.append(align_right)
        for r, v in enumerate(values):
            if len(cells) <= r + 1:
                cells.append([])
            cells[r + 1].append(fmt(v))
    widths = [max(len(line[j]) for line in cells) for j in range(len(keys))]
    out = []
    for line in cells:
        parts = [
            c.rjust(w) if right[j] else c.ljust(w)
            for j, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(parts).rstrip())
    out.insert(1, "  ".join("-" * w for w in widths))
    return out


def _block(items: Mapping[str, Any], pad: str) -> list[str]:
    width = max((len(str(k)) for k in items), default=0)
    return [f"{pad}{str(k).ljust(width)}  {format_value(v, None)}" for k, v in items.items()]


def format_human(obj: Any) -> str:
    """The text form of a command's result (see the module docstring)."""
    if not isinstance(obj, Mapping):
        return format_value(obj)
    lines: list[str] = []
    scalars = {k: v for k, v in obj.items() if _is_scalar(v) or _is_short_list(v)}
    if scalars:
        lines += _block(scalars, "")
    for key, value in obj.items():
        if key in scalars:
            continue
        if lines:
            lines.append("")
        lines += _section(str(key), value)
    return "\n".join(lines)


def _is_short_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(_is_number(x) for x in v) and len(v) <= 20


def _section(title: str, value: Any) -> list[str]:
    if isinstance(value, list):
        if not value:
            return [f"{title}: (none)"]
        if all(isinstance(v, Mapping) for v in value):
            return _rows_section(title, value)
        return [f"{title}:", *(f"  - {format_value(v, None)}" for v in value)]
    if isinstance(value, Mapping):
        if value and all(isinstance(v, Mapping) for v in value.values()):
            rows = [{"": k, **v} for k, v in value.items()]
            return [f"{title}:", *("  " + ln for ln in format_table(rows, first=""))]
        flat = {
            k: v
            for k, v in value.items()
            if not (isinstance(v, list) and v and isinstance(v[0], Mapping))
            and not (isinstance(v, Mapping) and v)
        }
        lines = [f"{title}:", *_block(flat, "  ")]
        for k, v in value.items():
            if k not in flat:
                lines += ["  " + ln for ln in _section(str(k), v)]
        return lines
    return [f"{title}: {format_value(value)}"]


def _is_nested(v: Any) -> bool:
    return (isinstance(v, list) and bool(v) and all(isinstance(x, Mapping) for x in v)) or (
        isinstance(v, Mapping) and bool(v) and all(isinstance(x, Mapping) for x in v.values())
    )


def _rows_section(title: str, rows: list[Mapping[str, Any]]) -> list[str]:
    """A table of ``rows``; values that are tables themselves (a sample's datasets) follow it,
    one sub-table per row, titled by the row's first value."""
    nested = {k for row in rows for k, v in row.items() if _is_nested(v)}
    flat_rows = [{k: v for k, v in row.items() if k not in nested} for row in rows]
    lines = [f"{title}:", *("  " + ln for ln in format_table(flat_rows))]
    for row, flat in zip(rows, flat_rows, strict=True):
        name = format_value(next(iter(flat.values()), ""))
        for key in nested:
            if key in row:
                lines += ["", *("  " + ln for ln in _section(f"{name}: {key}", row[key]))]
    return lines


def print_human(obj: Any) -> None:
    """Print ``obj`` as :func:`format_human` text."""
    print(format_human(obj))
