"""The figure set: panel data (for the GUI's PNG) and SVG (for the report and ``figures/``)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import numpy as np
import pytest

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.demo.truth import dataset_truth
from lbpo_gui.core.report.current import bring_up_to_date
from lbpo_gui.core.report.figures import figure_panels, panel_svg, write_figure_set
from lbpo_gui.core.report.sample_figures import COLUMNS, sample_figure_rows
from lbpo_gui.core.report.svg import Band, Series, line_chart

_UNIT = re.compile(r"\((mA/g|mAh/g|V vs Li/Li\+|ohm|eV|counts/s|counts/s eV|s|nm|counts)\)$")


@pytest.fixture(scope="module")
def project():
    p = build_demo_project()
    bring_up_to_date(p)
    return p


@pytest.fixture(scope="module")
def panels(project):
    return figure_panels(project)


def test_every_study_panel_is_there_with_units_and_a_caption(panels):
    keys = [p.key for p in panels]
    assert keys[:3] == ["rate_capability", "vq_profiles_cycle1", "nyquist"]
    assert sum(k.startswith("xps_s_2p_") for k in keys) == 4
    assert sum(k.startswith("xps_p_2p_") for k in keys) == 4
    assert "xps_b1s_depth_profile" in keys
    assert sum(k.startswith("eds_") for k in keys) == 3
    assert len(set(keys)) == len(keys)
    for p in panels:
        assert _UNIT.search(p.x_label) and _UNIT.search(p.y_label), (p.key, p.x_label, p.y_label)
        assert len(p.caption) > 60 and p.series


def test_panel_data_are_the_analysed_numbers(project, panels):
    rate = next(p for p in panels if p.key == "rate_capability")
    pristine = next(s for s in rate.series if s.name == "Pristine")
    x, y = pristine.segments[0]
    np.testing.assert_allclose(x, [17, 85, 170, 340])
    assert y[0] == pytest.approx(178.7, abs=0.05)  # Table 1, cycle 1
    eds = next(p for p in panels if p.key == "eds_pristine_after_100_cycles_at_170_ma_g")
    t10 = eds.bands[0]
    assert t10.x1 - t10.x0 == pytest.approx(20.0, abs=0.5)  # the reference's 20 nm
    assert "T10" in eds.caption and "T50" in eds.caption
    nyq = next(p for p in panels if p.key == "nyquist")
    assert [s.name for s in nyq.series][:2] == ["Pristine data", "Pristine fit"]
    assert nyq.series[0].colour == nyq.series[1].colour  # a fit shares its data's colour
    s2p = next(p for p in panels if p.key.startswith("xps_s_2p_pristine_before"))
    assert s2p.invert_x and "s2p-argyrodite" in s2p.caption
    truth = dataset_truth("Pristine", "S 2p before cycling")
    assert len(s2p.series) == 3 + len(truth["components"])


def test_chosen_samples_only(project):
    panels = figure_panels(project, ["LPO 0.15"])
    assert {n for p in panels for n in p.samples} == {"LPO 0.15"}
    assert {p.key for p in panels} == {"rate_capability", "vq_profiles_cycle1", "nyquist"}


def test_svg_files_parse_and_show_the_labels(panels, tmp_path):
    written = write_figure_set(panels, tmp_path / "figures")
    assert len(written) == len(panels)
    for path, panel, _svg in written:
        root = ElementTree.parse(path).getroot()
        text = "".join(root.itertext())
        assert panel.x_label in text and panel.y_label in text and panel.title in text


def test_inverted_axis_bands_and_escaping():
    svg = line_chart(
        [Series("a<b", [[(160.0, 1.0), (170.0, 2.0)]], colour='red" onload="x')],
        title="t",
        x_label="Binding energy (eV)",
        y_label="y",
        invert_x=True,
        bands=[Band(162.0, 164.0, "T10 <band>")],
    )
    ticks = [
        (float(value), float(x))
        for x, value in re.findall(
            r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">([\d.]+)<', svg
        )
        if 150 < float(value) < 180
    ]
    assert len(ticks) >= 3
    xs = [x for _, x in sorted(ticks)]
    assert xs == sorted(xs, reverse=True)  # high binding energy on the left
    assert "<band>" not in svg and "T10 &lt;band&gt;" in svg and "a&lt;b" in svg
    assert 'onload="x' not in svg
    ElementTree.fromstring(svg)


def test_panel_svg_thins_long_curves(panels):
    vq = next(p for p in panels if p.key == "vq_profiles_cycle1")
    assert max(len(x) for s in vq.series for x, _ in s.segments) > 100
    svg = panel_svg(vq, max_points=50)
    longest = max(len(pl.split()) for pl in re.findall(r'points="([^"]+)"', svg))
    assert longest <= 50


def test_sample_figures_long_table(project):
    columns, rows = sample_figure_rows(project)
    assert columns[:3] == ["sample", "lbo_wt_pct", "lpo_wt_pct"]
    assert {"technique", "quantity", "value", "unit", "stderr", "definition"} <= set(columns)
    assert {"dataset", "source_file", "sha256", "dataset_id"} <= set(columns)
    assert columns == COLUMNS
    by = {(r["sample"], r["quantity"], r["state"]): r for r in rows}
    r = by[("LBPO 0.05-0.15", "R_electrode_SE_ohm", "charged after 1st cycle")]
    assert r["value"] == pytest.approx(40.1, rel=0.05) and 0 < r["stderr"] < 2
    assert r["unit"] == "ohm" and r["analysis"] == "eis_fit"
    t10 = by[("Pristine", "interlayer_T10_nm", "before cycling")]
    assert t10["value"] == pytest.approx(5.0, abs=0.5) and t10["unit"] == "nm"
    ps4 = by[("Pristine", "S 2p argyrodite PS4 area_pct", "before cycling")]
    assert ps4["value"] == pytest.approx(72.0, abs=2) and ps4["unit"] == "%"
    assert all(r["value"] == r["value"] for r in rows)  # no NaN
