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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import __version__
from ..project.atomic import atomic_write_bytes
from ..project.model import Project
from .export import write_csv
from .figures import FIGURES_DIR, FigurePanel, figure_panels, write_figure_set
from .impedance import DEFINITION as IMPEDANCE_DEFINITION
from .provenance import provenance_rows, xps_templates_used
from .sample_figures import sample_figure_rows
from .study import (
    TABLE_TITLES,
    SampleStudy,
    capacity_vs_cycle_series,
    stored_warnings,
    study_cycling,
    study_tables,
)
from .svg import Series, esc, line_chart
from .xps import TABLE_REGIONS

SAMPLE_FIGURES_NAME = "sample_figures.csv"

REPORT_NAME = "report.html"

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
table.prov { font-size: 0.75em; }
table.prov td { vertical-align: top; }
table.prov code { word-break: break-all; }
.sources { font-size: 0.85em; color: #444; }
svg.chart { max-width: 100%; height: auto; }
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


def _cycle_figure(studies: Sequence[SampleStudy]) -> tuple[str, str] | None:
    """(svg, caption) of the capacity-vs-cycle chart, None without cycling data."""
    which, cyc = capacity_vs_cycle_series(studies)
    if not cyc:
        return None
    svg = line_chart(
        [Series(name, [pts]) for name, pts in cyc],
        title="Discharge capacity vs cycle"
        + (" (long-term tests)" if which == "long" else " (rate tests)"),
        x_label="Cycle number",
        y_label="Discharge capacity (mAh/g)",
        include_zero_y=True,
    )
    what = "long-term cycling tests" if which == "long" else "rate tests (no long-term test)"
    return svg, f"Discharge capacity of every complete cycle of the {what}."


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


#: Which sample_figures rows a table is computed from: quantity in the table's columns, or
#: the technique for tables whose columns are not quantities.
_TABLE_TECHNIQUE = {"xps_components.csv": "xps", "eds_interlayer_thickness.csv": "eds"}


def _sources(name: str, columns: Sequence[str], figures: Sequence[dict[str, Any]]) -> str:
    """A line linking the datasets a table's rows come from to the provenance table."""
    technique = _TABLE_TECHNIQUE.get(name)
    seen: dict[str, str] = {}
    for r in figures:
        by_technique = technique and r["technique"] == technique
        if by_technique and technique == "xps":
            by_technique = r["quantity"].startswith(TABLE_REGIONS)
        if r["quantity"] in columns or by_technique:
            seen.setdefault(r["dataset_id"], f"{r['sample']} / {r['dataset']}")
    if not seen:
        return ""
    links = ", ".join(f'<a href="#ds-{esc(i)}">{esc(t)}</a>' for i, t in seen.items())
    return f'<p class="sources">Computed from: {links}.</p>'


def _provenance_table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "<p>The project has no datasets.</p>"
    head = (
        "<tr><th>Sample / dataset</th><th>Kind</th><th>Source file</th><th>sha256</th>"
        "<th>Reader</th><th>Analysis</th><th>Status</th><th>Settings</th>"
        "<th>Inputs fingerprint</th><th>Computed</th></tr>"
    )
    body, anchored = [], set()
    for r in rows:
        anchor = ""
        if r["dataset_id"] not in anchored:
            anchored.add(r["dataset_id"])
            anchor = f' id="ds-{esc(r["dataset_id"])}"'
        source = r["source_file"] or "(no file: generated in the program)"
        version = f" v{r['analysis_version']}" if r.get("analysis_version") else ""
        body.append(
            f"<tr{anchor}><td>{esc(r['sample'])} / {esc(r['dataset'])}</td>"
            f"<td>{esc(r['kind'])}</td><td>{esc(source)}</td>"
            f"<td><code>{esc(r['sha256'] or '–')}</code></td><td>{esc(r['reader'])}</td>"
            f"<td>{esc(r['analysis'])}{version}</td><td>{esc(r['status'])}</td>"
            f"<td><code>{esc(r.get('settings', ''))}</code></td>"
            f"<td><code>{esc(r.get('inputs', ''))}</code></td>"
            f"<td>{esc(r.get('computed_at', ''))}</td></tr>"
        )
    return (
        '<table class="prov">\n<thead>'
        + head
        + "</thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def _range(lo: Any, hi: Any, unit: str = "") -> str:
    if lo is None and hi is None:
        return "free"
    return f"{'' if lo is None else f'{lo:g}'}..{'' if hi is None else f'{hi:g}'}{unit}"


def _bounds(link: Any, vary: bool, lo: Any, hi: Any) -> str:
    if link is not None:
        return "linked"
    return _range(lo, hi, " eV") if vary else "fixed"


def _template_html(spec: Any) -> str:
    """One XPS template (a :class:`~lbpo_gui.core.xps.model.FitSpec`) as a table of its
    components: shape, doublet, start values, bounds and links."""
    bg = spec.background
    head = (
        f"<p><strong>{esc(spec.name or 'user template')}</strong> ({esc(spec.region)}, "
        f"{esc(_range(spec.start_eV, spec.end_eV, ' eV'))}): background {esc(bg.kind)}"
        f"{' + slope' if bg.slope else ''}. {esc(spec.description)}</p>"
    )
    rows = []
    for c in spec.components:
        d = c.doublet
        links = [
            f"{what} {link.mode} {link.value:g} of {link.ref}"
            for what, link in (
                ("position", c.position_link),
                ("FWHM", c.fwhm_link),
                ("area", c.area_link),
            )
            if link is not None
        ]
        doublet = f"+{d.splitting_eV:g} eV, area x{d.area_ratio:g}" if d else "singlet"
        position = _bounds(c.position_link, c.vary_position, c.position_min_eV, c.position_max_eV)
        fwhm = _bounds(c.fwhm_link, c.vary_fwhm, c.fwhm_min_eV, c.fwhm_max_eV)
        rows.append(
            f"<tr><td>{esc(c.name)}</td><td>{esc(c.shape)}</td>"
            f'<td class="num">{c.position_eV:g}</td><td>{esc(position)}</td>'
            f'<td class="num">{c.fwhm_eV:g}</td><td>{esc(fwhm)}</td><td>{esc(doublet)}</td>'
            f"<td>{esc('; '.join(links) or '-')}</td></tr>"
        )
    return (
        head + '\n<table class="prov">\n<thead><tr><th>Component</th><th>Shape</th>'
        "<th>Start position (eV)</th><th>Position range</th><th>Start FWHM (eV)</th>"
        "<th>FWHM range</th><th>Doublet (j-1/2)</th><th>Links</th></tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>"
    )


def _figure_html(svg: str, caption: str, link: str | None = None) -> str:
    more = f' (<a href="{esc(link)}">{esc(link)}</a>)' if link else ""
    return f"<figure>\n{svg}\n<figcaption>{esc(caption)}{more}</figcaption>\n</figure>"


def render_report(
    project: Project,
    tables: dict[str, tuple[list[str], list[dict[str, Any]]]],
    studies: Sequence[SampleStudy],
    generated: str | None = None,
    figures: Sequence[tuple[str, str, str | None]] = (),
    sample_figures: Sequence[dict[str, Any]] = (),
    recomputed: str | None = None,
) -> str:
    """The report page as text. ``figures``: (svg, caption, file link or None) per panel;
    ``sample_figures``: the rows of :func:`.sample_figures.sample_figure_rows` (for the table
    sources); ``recomputed``: a sentence saying what was recomputed before the report."""
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
        "All values are computed from the project's raw data and settings; the provenance of "
        'every number is listed <a href="#provenance">at the end</a>.</p>',
    ]
    if recomputed:
        parts.append(f'<p class="meta">{esc(recomputed)}</p>')
    if project.notes:
        parts.append(f'<p class="meta">{esc(project.notes)}</p>')
    parts.append("<h2>Tables</h2>")
    if not tables:
        parts.append("<p>No table has data in this project.</p>")
    for name, (columns, rows) in tables.items():
        title = TABLE_TITLES.get(name, name)
        parts.append(f'<h3>{esc(title)} (<a href="{esc(name)}">{esc(name)}</a>)</h3>')
        parts.append(html_table(columns, rows))
        parts.append(_sources(name, columns, sample_figures))
    parts.append("<h2>Figures</h2>")
    cycle = _cycle_figure(studies)
    all_figures = list(figures) + ([(*cycle, None)] if cycle else [])
    if not all_figures:
        parts.append("<p>No data to plot.</p>")
    parts.extend(_figure_html(svg, caption, link) for svg, caption, link in all_figures)
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
    parts.append('<h2 id="provenance">Fit settings and provenance</h2>')
    parts.append(
        f'<p class="meta">Program: LBPO Workbench {esc(__version__)}. One row per dataset and '
        "stored analysis: the raw file and its sha256 at import, the reader, the analysis "
        "settings (JSON) and the fingerprint of its inputs (settings, the sample fields and "
        "metadata it reads, the dataset). Every number of the long table "
        f'<a href="{SAMPLE_FIGURES_NAME}">{SAMPLE_FIGURES_NAME}</a> names its dataset.</p>'
    )
    parts.append(_provenance_table(provenance_rows(project)))
    templates = xps_templates_used(project)
    if templates:
        parts.append("<h3>XPS fit templates used</h3>")
        parts.extend(_template_html(spec) for spec in templates)
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


@dataclass
class ReportFiles:
    """What :func:`write_report` wrote."""

    tables: list[Path]
    sample_figures: Path
    figures: list[Path]
    report: Path

    @property
    def all(self) -> list[Path]:
        """Every file, tables first and the HTML last."""
        return [*self.tables, self.sample_figures, *self.figures, self.report]


def write_report(
    project: Project,
    out_dir: str | Path,
    samples: Sequence[str] | None = None,
    recomputed: str | None = None,
) -> ReportFiles:
    """Write into ``out_dir`` (which must exist) the study's tables (CSV, one per table with
    rows), ``sample_figures.csv``, the figure set (``figures/*.svg``, of ``samples``: ids or
    names, default all) and ``report.html``. Tables are computed first, files written after."""
    out_dir = Path(out_dir)
    tables = study_tables(project)
    studies = study_cycling(project)
    fig_columns, fig_rows = sample_figure_rows(project)
    panels: list[FigurePanel] = figure_panels(project, samples)
    written = write_figure_set(panels, out_dir / FIGURES_DIR)
    figures = [(svg, panel.caption, f"{FIGURES_DIR}/{path.name}") for path, panel, svg in written]
    page = render_report(
        project, tables, studies, figures=figures, sample_figures=fig_rows, recomputed=recomputed
    )
    table_files = [
        write_csv(out_dir / name, cols, rows, durable=False)
        for name, (cols, rows) in tables.items()
    ]
    long_table = write_csv(out_dir / SAMPLE_FIGURES_NAME, fig_columns, fig_rows, durable=False)
    report = out_dir / REPORT_NAME
    atomic_write_bytes(report, page.encode("utf-8"), backup=False, durable=False)
    return ReportFiles(table_files, long_table, [p for p, _, _ in written], report)
