"""Cross-sample cycling tables computed from the project, in the layout of the study's files."""

from __future__ import annotations

import csv

import pytest

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.report.cycling import long_term_rows, rate_table_rows
from lbpo_gui.core.report.export import safe_cell, table_text, write_csv, write_xlsx


@pytest.fixture(scope="module")
def demo():
    return build_demo_project()


def read_reference(path):
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, list(reader)


def test_rate_table_has_the_columns_and_values_of_table_1(demo, reference_dir):
    ref_cols, ref_rows = read_reference(reference_dir / "table1_rate_capability.csv")
    columns, rows = rate_table_rows(demo)
    assert columns == ref_cols
    assert [r["sample"] for r in rows] == [r["sample"] for r in ref_rows]
    for ours, ref in zip(rows, ref_rows, strict=True):
        for col in ref_cols[3:7]:
            assert ours[col] == pytest.approx(float(ref[col]), rel=0.005)
        assert ours["first_cycle_ce_pct"] == pytest.approx(
            float(ref["first_cycle_ce_pct"]), abs=0.3
        )
        assert ours["retention_340_vs_17_pct"] == pytest.approx(
            float(ref["retention_340_vs_17_pct"]), abs=0.5
        )


def test_long_term_table_matches_table_s1(demo, reference_dir):
    ref_cols, ref_rows = read_reference(reference_dir / "cycling_170mA_g_100cycles.csv")
    columns, rows = long_term_rows(demo)
    assert columns == ref_cols
    by_name = {r["sample"]: r for r in rows}
    for ref in ref_rows:
        ours = by_name[ref["sample"]]
        assert ours["first_cycle_discharge_mAh_g"] == pytest.approx(
            float(ref["first_cycle_discharge_mAh_g"]), rel=0.005
        )
        assert ours["retention_pct"] == pytest.approx(float(ref["retention_pct"]), abs=0.5)


def test_mass_change_changes_the_table(demo):
    sample = demo.sample_by_name("Pristine")
    _, before = rate_table_rows(demo)
    old = demo.update_sample(sample.id, composite_mass_mg=30.0)
    try:
        columns, after = rate_table_rows(demo)
        # Twice the mass: half the specific capacity and half the current density.
        assert "cap_8.5_mAh_g_cycle1" in columns and "cap_170_mAh_g_cycle17" in columns
        assert {"retention_170_vs_8.5_pct", "retention_340_vs_17_pct"} <= set(columns)
        assert after[0]["cap_8.5_mAh_g_cycle1"] == pytest.approx(
            before[0]["cap_17_mAh_g_cycle1"] / 2, rel=2e-3
        )
    finally:
        demo.update_sample(sample.id, **old)


def test_csv_and_xlsx_export(tmp_path, demo):
    from openpyxl import load_workbook

    columns, rows = rate_table_rows(demo)
    path = write_csv(tmp_path / "table1.csv", columns, rows)
    back = list(csv.DictReader(path.open(newline="")))
    assert back[0]["sample"] == "Pristine"
    assert float(back[0]["cap_17_mAh_g_cycle1"]) == pytest.approx(178.7, rel=0.005)
    xlsx = write_xlsx(tmp_path / "tables.xlsx", {"Table 1": (columns, rows)})
    ws = load_workbook(xlsx)["Table 1"]
    assert [c.value for c in ws[1]] == list(columns)
    assert ws.cell(2, 1).value == "Pristine"
    assert ws.cell(2, 4).value == pytest.approx(178.7, rel=0.005)


def test_formula_injection_is_neutralised():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell(None) == "" and safe_cell(1.5) == 1.5
    text = table_text(["sample"], [{"sample": "+cmd"}], sep="\t")
    assert text == "sample\n'+cmd\n"


def test_kept_summaries_follow_mass_and_metadata_edits():
    """Summaries are reused between tables, never across an edit of what they depend on."""
    from lbpo_gui.core.project.rules import edit_dataset_metadata, edit_sample, undo_edit

    project = build_demo_project()
    sample = project.sample_by_name("Pristine")

    def cap() -> float:
        _, rows = rate_table_rows(project)
        row = next(r for r in rows if r["sample"] == "Pristine")
        return next(v for k, v in row.items() if k.startswith("cap_"))  # first step

    before = cap()
    edit = edit_sample(project, sample.id, composite_mass_mg=sample.composite_mass_mg * 2)
    assert cap() == pytest.approx(before / 2, abs=0.1)
    undo_edit(project, edit)
    assert cap() == before
    from lbpo_gui.core.report import cycling

    kept = set(cycling._SUMMARIES)
    cap()
    assert set(cycling._SUMMARIES) == kept  # nothing changed: nothing computed
    rate = sample.datasets_of("cycling")[0]
    edit_dataset_metadata(project, rate.id, "time_offset_s", 5.0)  # read, not fingerprinted
    assert cap() == pytest.approx(before, abs=0.2)
    assert set(cycling._SUMMARIES) - kept  # computed again
