"""``lbpo report PROJECT --out DIR``: the study's CSV tables and a self-contained HTML report."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lbpo_gui.cli import main
from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import Dataset, load_project, save_project
from lbpo_gui.core.report.study import study_tables
from lbpo_gui.core.report.svg import Series, line_chart, nice_ticks


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "demo.lbpo"
    save_project(build_demo_project(), path, backup=False)
    return path


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured


def _header(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_report_writes_the_tables_and_the_html(demo_file, tmp_path, capsys, reference_dir):
    out = tmp_path / "out" / "nested"
    code, captured = _run(capsys, "report", str(demo_file), "--out", str(out), "--json")
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["tables"] == [
        "table1_rate_capability.csv",
        "table2_impedance.csv",
        "cycling_170mA_g_100cycles.csv",
        "xps_components.csv",
        "eds_interlayer_thickness.csv",
    ]
    table2 = out / "table2_impedance.csv"
    assert _header(table2) == _header(reference_dir / "table2_impedance.csv")
    assert len(_rows(table2)) == 3
    xps_header = _header(out / "xps_components.csv")
    reference = _header(reference_dir / "xps_components.csv")
    assert xps_header[: len(reference)] == reference
    files = [Path(p) for p in result["files"]]
    assert all(p.is_file() for p in files)
    figures = [Path(p) for p in result["figures"]]
    assert {p.name for p in files} == {
        *result["tables"],
        "sample_figures.csv",
        "report.html",
        *(p.name for p in figures),
    }
    assert all(p.parent.name == "figures" and p.suffix == ".svg" for p in figures)
    assert result["recomputed"] is False and result["analyses"]["added"] == 31
    long_table = _rows(out / "sample_figures.csv")
    assert {r["technique"] for r in long_table} == {"cycling", "impedance", "xps", "eds"}

    table1 = out / "table1_rate_capability.csv"
    assert _header(table1) == _header(reference_dir / "table1_rate_capability.csv")
    pristine = next(r for r in _rows(table1) if r["sample"] == "Pristine")
    assert float(pristine["cap_17_mAh_g_cycle1"]) == pytest.approx(178.7, rel=0.005)

    long = out / "cycling_170mA_g_100cycles.csv"
    assert _header(long) == _header(reference_dir / "cycling_170mA_g_100cycles.csv")

    eds = out / "eds_interlayer_thickness.csv"
    assert _header(eds) == _header(reference_dir / "eds_interlayer_thickness.csv")
    got = {(r["sample"], r["state"]): float(r["interlayer_thickness_nm"]) for r in _rows(eds)}
    want = {
        (r["sample"], r["state"]): float(r["interlayer_thickness_nm"])
        for r in _rows(reference_dir / "eds_interlayer_thickness.csv")
    }
    assert got == pytest.approx(want, abs=0.5)

    page = (out / "report.html").read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.tags.count("svg") == len(figures) + 1  # the figure set and capacity vs cycle
    assert "Fit settings and provenance" in "".join(parser.text)
    assert "script" not in parser.tags
    text = "".join(parser.text)
    for name in ("Pristine", "LBPO 0.05-0.15", "mAh/g", "0.1.0"):
        assert name in text
    assert "Q" in text and "active mass" in text.lower()
    assert "T10: width over which cathode and electrolyte signals" in text
    assert "R(QR)(QR)W" in text and "Irvine" in text  # how Table 2 was computed


def test_sample_names_are_escaped(demo_file, tmp_path, capsys):
    project = load_project(demo_file)
    pristine = project.sample_by_name("Pristine")
    rate = pristine.datasets_of("cycling")[0]
    weird = project.add_sample("<b>&x", composite_mass_mg=pristine.composite_mass_mg)
    project.add_dataset(
        weird.id,
        Dataset(kind="cycling", label="<i>rate</i>", arrays=dict(rate.arrays), metadata={}),
    )
    path = tmp_path / "weird.lbpo"
    save_project(project, path, backup=False)
    out = tmp_path / "out"
    code, captured = _run(capsys, "report", str(path), "--out", str(out), "--json")
    assert code == 0, captured.err
    page = (out / "report.html").read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(page)
    assert "b" not in parser.tags and "i" not in parser.tags
    assert "<b>&x" not in page and "<i>rate" not in page
    assert "&lt;b&gt;&amp;x" in page
    assert "<b>&x" in "".join(parser.text)  # shown as text (table, legend)
    rows = _rows(out / "table1_rate_capability.csv")
    assert rows[-1]["sample"] == "<b>&x"


def test_bad_project_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    code, captured = _run(
        capsys, "report", str(tmp_path / "missing.lbpo"), "--out", str(out), "--json"
    )
    assert code == 2
    assert captured.out == ""
    assert "error" in captured.err
    assert not out.exists()

    bad = tmp_path / "bad.lbpo"
    bad.write_bytes(b"not a zip")
    code, _ = _run(capsys, "report", str(bad), "--out", str(out))
    assert code == 2
    assert not out.exists()


def test_empty_tables_are_skipped():
    def empty(project):
        return ["sample"], []

    def one(project):
        return ["sample"], [{"sample": "a"}]

    tables = study_tables(None, [("empty.csv", empty), ("one.csv", one)])
    assert list(tables) == ["one.csv"]


def test_svg_chart_escapes_and_ticks():
    lo, hi, ticks, step = nice_ticks(2.5, 4.25)
    assert lo <= 2.5 and hi >= 4.25 and step in (0.2, 0.25, 0.5)
    svg = line_chart(
        [Series("<script>", [[(1, 2), (float("nan"), 3), (3, 4)]])],
        title="a & b",
        x_label="x (mA/g)",
        y_label="y (mAh/g)",
        log_x=True,
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
    assert svg.count("<svg") == 1


def test_provenance_and_fit_settings_are_in_the_report(demo_file, tmp_path, capsys):
    from lbpo_gui.core.project import Provenance
    from lbpo_gui.core.report.provenance import provenance_rows

    project = load_project(demo_file)
    pristine = project.sample_by_name("Pristine")
    rate = pristine.datasets_of("cycling")[0]
    sha = "ab" * 32
    copy = Dataset(
        kind="impedance",
        label="EIS copy",
        arrays=dict(pristine.datasets_of("impedance")[0].arrays),
        metadata={},
        provenance=Provenance(original_name="<cell&1>.mpt", sha256=sha, reader="biologic_mpt"),
    )
    project.add_dataset(project.add_sample("Copy").id, copy)
    path = tmp_path / "prov.lbpo"
    save_project(project, path, backup=False)
    code, captured = _run(capsys, "report", str(path), "--out", str(tmp_path / "o"), "--json")
    assert code == 0, captured.err
    page = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "&lt;cell&amp;1&gt;.mpt" in page and "<cell&1>" not in page
    assert sha in page and "biologic_mpt" in page
    assert "XPS fit templates used" in page and "p2p-argyrodite" in page
    assert f'id="ds-{rate.id}"' in page and f'href="#ds-{rate.id}"' in page
    rows = provenance_rows(load_project(path))
    assert {r["status"] for r in rows} == {"not analysed"}  # the file itself stores none
    long = _rows(tmp_path / "o" / "sample_figures.csv")
    mine = [r for r in long if r["sample"] == "Copy"]
    assert mine and all(r["source_file"] == "<cell&1>.mpt" and r["sha256"] == sha for r in mine)


def test_figures_of_chosen_samples(demo_file, tmp_path, capsys):
    out = tmp_path / "o"
    code, captured = _run(
        capsys, "report", str(demo_file), "--out", str(out), "--sample", "LPO 0.15", "--json"
    )
    assert code == 0, captured.err
    names = sorted(Path(p).name for p in json.loads(captured.out)["figures"])
    assert names == ["nyquist.svg", "rate_capability.svg", "vq_profiles_cycle1.svg"]
    code, captured = _run(capsys, "report", str(demo_file), "--out", str(out), "--sample", "Nope")
    assert code == 2 and "Nope" in captured.err
