"""The study report: the tables as CSV (column names of ``../shared/reference/``) and one
self-contained ``report.html`` (inline CSS and SVG figures, no scripts, no external files).

Every string that comes from the project (names, labels, notes, warnings) is escaped with
``html.escape``; nothing is evaluated. Everything is computed first and written after, so a failing
analysis leaves no half-written report.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ... import __version__
from ..project.atomic import atomic_write_bytes
from ..project.model import Project
from .export import write_csv
from .impedance import DEFINITION as IMPEDANCE_DEFINITION
from .study import (
    TABLE_TITLES,
    SampleStudy,
    capacity_vs_cycle_series,
    first_cycle_profiles,
    rate_capability_series,
    stored_warnings,
    study_cycling,
    study_tables,
)
from .svg import Series, esc, line_chart, thin

REPORT_NAME = "report.html"
MAX_PROFILE_POINTS = 400

_CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.8em; }
.meta { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; }
th { background: #f3f3f3; vertical-align: bottom; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.unit { font-weight: normal; color: #666; display: block; font-size: 0.85em; }
figure { margin: 1em 0 1.6em; }
figcaption { color: #444; font-size: 0.9em; max-width: 760px; }
.warn li { color: #8a4b00; }
code { background: #f5f5f5; padding: 0 0.2em; }
"""

_UNITS = (
    ("_mAh_g", "mAh/g"),
    ("_mA_g", "mA/g"),
    ("_Wh_kg", "Wh/kg"),
    ("_wt_pct", "wt.%"),
    ("_pct", "%"),
    ("_ohm", "ohm"),
    ("_eV", "eV"),
    ("_nm", "nm"),
    ("_mg", "mg"),
    ("_V", "V"),
    ("_s", "s"),
)


def column_label(column: str) -> tuple[str, str]:
    """``(label, unit)`` of a table column named with its unit (``cap_17_mAh_g_cycle1`` ->
    ('Discharge capacity at 17 mA/g, cycle 1', 'mAh/g'))."""
    m = re.fullmatch(r"cap_([\d.]+)_mAh_g_cycle(\d+)", column)
    if m:
        return f"Discharge capacity at {m[1]} mA/g, cycle {m[2]}", "mAh/g"
    m = re.fullmatch(r"retention_([\d.]+)_vs_([\d.]+)_pct", column)
    if m:
        return f"Retention {m[1]} vs {m[2]} mA/g", "%"
    m = re.fullmatch(r"cycle(\d+)_discharge_mAh_g", column)
    if m:
        return f"Discharge capacity, cycle {m[1]}", "mAh/g"
    fixed = {
        "sample": ("Sample", ""),
        "lbo_wt_pct": ("LBO", "wt.%"),
        "lpo_wt_pct": ("LPO", "wt.%"),
        "first_cycle_ce_pct": ("First-cycle CE", "%"),
        "first_cycle_discharge_mAh_g": ("Discharge capacity, cycle 1", "mAh/g"),
        "retention_pct": ("Retention", "%"),
    }
    if column in fixed:
        return fixed[column]
    for suffix, unit in _UNITS:
        if column.endswith(suffix):
            return column[: -len(suffix)].replace("_", " "), unit
    return column.replace("_", " "), ""


def _cell(value: Any) -> tuple[str, bool]:
    """(escaped text, is numeric) of a table cell; None is shown as a dash (not reported)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "&ndash;", True
    if isinstance(value, bool):
        return esc(value), False
    if isinstance(value, int | float):
        return esc(f"{value:.6g}"), True
    return esc(value), False


def html_table(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """One HTML table with the units in the headers (the CSV column name as tooltip)."""
    head = []
    for c in columns:
        label, unit = column_label(c)
        unit_html = f'<span class="unit">{esc(unit)}</span>' if unit else ""
        head.append(f'<th title="{esc(c)}">{esc(label)}{unit_html}</th>')
    body = []
    for row in rows:
        cells = []
        for c in columns:
            text, numeric = _cell(row.get(c))
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<table>\n<thead><tr>"
        + "".join(head)
        + "</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def _figures(studies: Sequence[SampleStudy]) -> list[tuple[str, str]]:
    """(svg, caption) of every figure that has data."""
    figures = []
    rate = rate_capability_series(studies)
    if rate:
        currents = sorted({round(x, 6) for _, pts in rate for x, _ in pts if x > 0})
        svg = line_chart(
            [Series(name, [pts]) for name, pts in rate],
            title="Rate capability",
            x_label="Current density (mA/g, log scale)",
            y_label="Discharge capacity (mAh/g)",
            log_x=True,
            x_ticks=currents if len(currents) <= 8 else None,
            include_zero_y=True,
        )
        figures.append(
            (
                svg,
                "Discharge capacity of each rate step's representative cycle vs current density, "
                "one series per sample (rate test).",
            )
        )
    which, cyc = capacity_vs_cycle_series(studies)
    if cyc:
        svg = line_chart(
            [Series(name, [pts]) for name, pts in cyc],
            title="Discharge capacity vs cycle"
            + (" (long-term tests)" if which == "long" else " (rate tests)"),
            x_label="Cycle number",
            y_label="Discharge capacity (mAh/g)",
            include_zero_y=True,
        )
        what = "long-term cycling tests" if which == "long" else "rate tests (no long-term test)"
        figures.append((svg, f"Discharge capacity of every complete cycle of the {what}."))
    profiles = first_cycle_profiles(studies)
    if profiles:
        series = []
        for name, branches in profiles:
            per_branch = max(2, MAX_PROFILE_POINTS // max(len(branches), 1))
            series.append(
                Series(name, [thin(q, v, per_branch) for q, v in branches], markers=False)
            )
        svg = line_chart(
            series,
            title="First-cycle voltage profiles",
            x_label="Specific capacity (mAh/g)",
            y_label="Voltage (V vs Li/Li+)",
        )
        figures.append(
            (
                svg,
                "Charge and discharge of cycle 1 of each sample's rate test; capacity counted from "
                f"the start of each half cycle (curves thinned to at most {MAX_PROFILE_POINTS} "
                "points for the figure).",
            )
        )
    return figures


_REPRESENTATIVE_TEXT = {
    "study": "the first cycle of the first rate step and the second cycle of each later step "
    "(the study's cycles 1, 7, 12, 17)",
    "first": "the first cycle of each rate step",
    "second": "the second cycle of each rate step",
    "last": "the last cycle of each rate step",
    "mean": "the mean of the cycles of each rate step",
}


def _definitions(studies: Sequence[SampleStudy]) -> str:
    used = [u for st in studies for u in (st.rate, st.long) if u is not None]
    conventions = sorted({u.settings.convention for u in used}) or ["cathode"]
    reps = sorted({u.settings.representative for u in (st.rate for st in studies) if u is not None})
    items = []
    for conv in conventions:
        if conv == "cathode":
            items.append(
                "Convention <strong>cathode</strong> (half cell vs Li): cycle n = the n-th charge and the "
                "discharge after it; a discharge before the first charge is cycle 0. "
                "Coulombic efficiency CE = Q<sub>dis</sub> / Q<sub>ch</sub> &times; 100 %."
            )
        else:
            items.append(
                f"Convention <strong>{esc(conv)}</strong>: cycle n = the n-th discharge and the charge "
                "after it. Coulombic efficiency CE = Q<sub>ch</sub> / Q<sub>dis</sub> &times; "
                "100 %."
            )
    items.append(
        "Capacities are integrated from current and time (never a vendor's cycle counter) and "
        "divided by the active mass; specific capacity in mAh/g, current density in mA/g."
    )
    for rep in reps or ["study"]:
        items.append(
            f"Representative cycle of a rate step (<code>{esc(rep)}</code>): "
            f"{esc(_REPRESENTATIVE_TEXT.get(rep, rep))}. Retention = capacity at the last step / "
            "capacity at the first step &times; 100 %."
        )
    items.append(
        "Long-term retention = discharge capacity at the last quoted cycle / at cycle 1 "
        "&times; 100 %; a dash means not reached (not reported)."
    )
    return "<ul>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>"


def _mass_table(studies: Sequence[SampleStudy]) -> str:
    rows = []
    for st in studies:
        for role, used in (("rate test", st.rate), ("long-term test", st.long)):
            if used is None:
                continue
            rows.append(
                "<tr>"
                f"<td>{esc(st.sample.name)}</td><td>{esc(used.dataset.label)}</td>"
                f"<td>{esc(role)}</td>"
                f'<td class="num">{esc(f"{used.summary.active_mass_mg:.4g}")}</td>'
                f"<td>{esc(used.mass_source)}</td></tr>"
            )
    if not rows:
        return "<p>No cycling data analysed.</p>"
    return (
        "<table>\n<thead><tr><th>Sample</th><th>Dataset</th><th>Used as</th>"
        '<th>Active mass<span class="unit">mg</span></th><th>Source</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def render_report(
    project: Project,
    tables: dict[str, tuple[list[str], list[dict[str, Any]]]],
    studies: Sequence[SampleStudy],
    generated: str | None = None,
) -> str:
    """The report page as text."""
    generated = generated or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>LBPO report: {esc(project.name)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(project.name)}</h1>",
        f'<p class="meta">Generated {esc(generated)} by LBPO Workbench {esc(__version__)}. '
        "All values are computed from the project's raw data and settings.</p>",
    ]
    if project.notes:
        parts.append(f'<p class="meta">{esc(project.notes)}</p>')
    parts.append("<h2>Tables</h2>")
    if not tables:
        parts.append("<p>No table has data in this project.</p>")
    for name, (columns, rows) in tables.items():
        title = TABLE_TITLES.get(name, name)
        parts.append(f'<h3>{esc(title)} (<a href="{esc(name)}">{esc(name)}</a>)</h3>')
        parts.append(html_table(columns, rows))
    parts.append("<h2>Figures</h2>")
    figures = _figures(studies)
    if not figures:
        parts.append("<p>No cycling data to plot.</p>")
    for svg, caption in figures:
        parts.append(f"<figure>\n{svg}\n<figcaption>{esc(caption)}</figcaption>\n</figure>")
    parts.append("<h2>Definitions</h2>")
    definitions = _definitions(studies)
    if "table2_impedance.csv" in tables:
        definitions = definitions.replace("\n</ul>", f"\n<li>{IMPEDANCE_DEFINITION}</li>\n</ul>")
    parts.append(definitions)
    parts.append("<h3>Active mass per sample</h3>")
    parts.append(_mass_table(studies))
    parts.append("<h2>Warnings</h2>")
    warnings = [w for st in studies for w in st.warnings] + stored_warnings(project)
    if warnings:
        parts.append(
            '<ul class="warn">\n' + "\n".join(f"<li>{esc(w)}</li>" for w in warnings) + "\n</ul>"
        )
    else:
        parts.append("<p>None.</p>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def write_report(project: Project, out_dir: str | Path) -> list[Path]:
    """Write the study's tables (CSV, one per table with rows) and ``report.html`` into
    ``out_dir`` (which must exist); returns the paths written, CSVs first."""
    out_dir = Path(out_dir)
    tables = study_tables(project)
    studies = study_cycling(project)
    page = render_report(project, tables, studies)
    written = [write_csv(out_dir / name, cols, rows) for name, (cols, rows) in tables.items()]
    report = out_dir / REPORT_NAME
    atomic_write_bytes(report, page.encode("utf-8"), backup=False)
    written.append(report)
    return written
