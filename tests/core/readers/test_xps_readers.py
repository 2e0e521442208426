"""XPS readers: every public VAMAS file, the Avantage export and text tables, with values pinned."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import read
from lbpo_gui.core.readers.vamas import read_vamas


def _peak(t):
    be, y = t.arrays["binding_energy_eV"], t.arrays["counts_per_s"]
    return float(be[np.argmax(y)])


def test_kratos_leading_blank_lines_and_no_work_function_shift(shared_data):
    tables = read(shared_data / "xps/LG4X/0-150W.vms")
    assert [t.metadata["region"] for t in tables] == ["wide", "Ni 2p", "O 1s", "C 1s", "W 4f"]
    c1s = tables[3]
    be = c1s.arrays["binding_energy_eV"]
    # BE = h nu - KE: the region is 270-300 eV (centre 285), not shifted by the -4.5 eV field
    assert be[0] == pytest.approx(270.0, abs=1e-6) and be[-1] == pytest.approx(300.0, abs=1e-6)
    assert np.all(np.diff(be) > 0)
    assert c1s.metadata["work_function_eV"] == -4.5
    assert _peak(c1s) == pytest.approx(282.5, abs=0.3)
    # counts / (dwell x scans): 10 scans of 0.199336 s
    assert c1s.metadata["n_scans"] == 10 and c1s.metadata["dwell_s"] == pytest.approx(0.199336)
    assert c1s.metadata["etch_level"] == 4.0  # the first experimental variable ("Index")
    assert "transmission" in c1s.arrays
    assert _peak(tables[2]) == pytest.approx(528.4, abs=0.2)  # O 1s lattice oxide


def test_casaxps_irregular_matches_casaxps_cps_column(shared_data):
    (t,) = read(shared_data / "xps/pynxtools-xps/FeO_analyzed.vms")
    be, cps = t.arrays["binding_energy_eV"], t.arrays["counts_per_s"]
    assert t.metadata["scan_mode"] == "IRREGULAR" and t.metadata["region"] == "Fe 2p"
    assert be[0] == pytest.approx(694.0) and be[-1] == pytest.approx(750.0)
    # CasaXPS's own export: B.E. 750.0 -> 6258.45 CPS, 694.0 -> 1442.15 CPS
    assert cps[-1] == pytest.approx(6258.45, rel=1e-6)
    assert cps[0] == pytest.approx(1442.15, rel=1e-6)
    fit = t.metadata["casa_fit"]
    assert fit["regions"][0]["background"] == "U 3 Tougaard"
    assert fit["regions"][0]["background_parameters"] == [335.44588, 551.0, 436.0]
    assert fit["regions"][0]["start_eV"] == pytest.approx(1486.61 - 786.7632)
    comps = fit["components"]
    assert [c["line_shape"] for c in comps] == ["LF(0.54,10,80,100,6)", "SGL(30)"] * 2
    assert comps[1]["position_eV"] == pytest.approx(716.0)
    assert comps[1]["area"] == pytest.approx(35837.064)
    assert comps[1]["fwhm_eV"] == 8.0


def test_casaxps_regular_and_irregular_survey_agree(shared_data):
    (reg,) = read(shared_data / "xps/pynxtools-xps/regular.vms")
    (irr,) = read(shared_data / "xps/pynxtools-xps/irregular.vms")
    for t in (reg, irr):
        assert _peak(t) == pytest.approx(306.0, abs=0.1)
        assert float(t.arrays["counts_per_s"].max()) == pytest.approx(108366.0, rel=1e-4)
    assert irr.metadata["scan_mode"] == "IRREGULAR"


def test_thermo_pt4f_through_casaxps(shared_data):
    (t,) = read(shared_data / "xps/KherveFitting/Pt4f.vms")
    m = t.metadata
    assert m["region"] == "Pt 4f" and m["photon_energy_eV"] == 1486.68
    assert m["pass_energy_eV"] == 20.0 and m["dwell_s"] == 0.05
    assert _peak(t) == pytest.approx(71.1, abs=0.1)  # Pt 4f7/2
    assert float(t.arrays["counts_per_s"].max()) == pytest.approx(88668.6, rel=1e-4)


def test_phi_multipak_npl_binding_energy_axis(shared_data):
    tables = read(shared_data / "xps/LG4X/Mutlipak_vms.npl")
    regions = [t.metadata["region"] for t in tables]
    assert regions == ["C 1s", "O 1s", "S 2p", "N 1s", "Mo 3d"]
    assert _peak(tables[0]) == pytest.approx(284.85, abs=0.2)
    assert _peak(tables[2]) == pytest.approx(161.4, abs=0.2)
    # c/s ordinate: already a rate, not divided again
    assert float(tables[2].arrays["counts_per_s"].max()) == pytest.approx(2025.0)


def test_omicron_negative_steps_unequal_blocks(shared_data):
    tables = read(shared_data / "xps/vamas/xps_eis.vms")
    assert [t.n_points for t in tables] == [8201, 321, 941, 541]
    assert [t.metadata["region"] for t in tables] == [f"block {k}" for k in range(1, 5)]
    for t in tables:
        assert np.all(np.diff(t.arrays["binding_energy_eV"]) > 0)
    assert tables[0].arrays["binding_energy_eV"][0] == pytest.approx(-20.0)
    assert _peak(tables[1]) == pytest.approx(233.6, abs=0.1)


def test_aes_file_is_refused(shared_data):
    with pytest.raises(ReaderError, match=r"aes_staib.vms, line \d+: .*AES diff data, not XPS"):
        read(shared_data / "xps/vamas/aes_staib.vms")


def test_avantage_excel_export(shared_data):
    tables = read(shared_data / "xps/KherveFitting/Hard_carbon_Thermo.xlsx")
    assert [t.metadata["region"] for t in tables] == ["Survey", "O 1s", "Na 1s", "C 1s", "CKLL"]
    c1s = tables[3]
    assert c1s.reader == "avantage_xlsx"
    assert c1s.metadata["carbon_be_eV"] == 284.83
    assert c1s.metadata["peak_table"][:2] == [
        {"name": "Na1s", "peak_be_eV": 1073.0},
        {"name": "C1s", "peak_be_eV": 284.0},
    ]
    assert c1s.metadata["components"][2] == "C1s C-C"
    q = {row["name"]: row for row in c1s.metadata["quantification"]}
    assert q["C1s C-C"]["area_cps_eV"] == 14670.27 and q["C1s sp2 C"]["atomic_pct"] == 80.23
    assert c1s.arrays["binding_energy_eV"][0] == pytest.approx(279.08)
    assert c1s.arrays["counts_per_s"][-1] == pytest.approx(5951.92)
    assert _peak(c1s) == pytest.approx(284.58, abs=0.01)
    assert np.isfinite(c1s.arrays["envelope_cps"]).all()


def test_casaxps_column_export_as_text(shared_data):
    (t,) = read(shared_data / "xps/pynxtools-xps/FeO_analyzed_lineshapes_cols.txt")
    assert t.reader == "xps_text" and t.metadata["region"] == "Fe 2p"
    (v,) = read(shared_data / "xps/pynxtools-xps/FeO_analyzed.vms")
    np.testing.assert_allclose(t.arrays["counts_per_s"], v.arrays["counts_per_s"], rtol=1e-5)


def test_demo_vamas_round_trip(tmp_path):
    from lbpo_gui.core.demo.writers import write_vamas
    from lbpo_gui.core.demo.xps import b1s_etch_series, core_level_dataset

    spectra = [core_level_dataset("Pristine", "before cycling", "S 2p", 1), *b1s_etch_series(1)]
    path = write_vamas(tmp_path / "demo.vms", spectra)
    tables = read(path)
    assert [t.metadata["region"] for t in tables] == ["S 2p"] + ["B 1s"] * 5
    for src, t in zip(spectra, tables, strict=True):
        order = np.argsort(src.arrays["binding_energy_eV"])
        np.testing.assert_allclose(
            t.arrays["binding_energy_eV"], src.arrays["binding_energy_eV"][order], atol=1e-6
        )
        np.testing.assert_allclose(
            t.arrays["counts_per_s"], src.arrays["counts_per_s"][order], rtol=1e-6, atol=1.0 / 0.75
        )
    assert [t.metadata["etch_time_s"] for t in tables[1:]] == [0.0, 30.0, 60.0, 120.0, 240.0]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("hello\nworld\n", r"line 1: not a VAMAS file"),
        (
            "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4\n"
            "a\nb\nc\nd\n0\nNORM\nREGULAR\n1\n0\n0\n0\n0\n0\n1\nS2p\nsample\n2023\nxx\n",
            r"line 19: month is 'xx' \(expected an integer\)",
        ),
        (
            "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4\n"
            "a\nb\nc\nd\n0\nNORM\nREGULAR\n1\n0\n0\n0\n0\n0\n1\nS2p\nsample\n2023\n",
            r"line 19: file ends before the month",
        ),
    ],
)
def test_broken_vamas_names_line(tmp_path, text, match):
    p = tmp_path / "bad.vms"
    p.write_text(text)
    with pytest.raises(ReaderError, match=match):
        read_vamas(p)


def test_truncated_block_values(tmp_path, shared_data):
    src = (shared_data / "xps/KherveFitting/Pt4f.vms").read_text("latin-1").splitlines()
    p = tmp_path / "cut.vms"
    p.write_text("\n".join(src[:-100]) + "\n")
    with pytest.raises(ReaderError, match=r"cut.vms, line \d+: file ends after \d+ of \d+"):
        read(p)


def _gauss_counts(n=101, peak=50, height=1000, base=100):
    i = np.arange(n)
    return (base + height * np.exp(-0.5 * ((i - peak) / 5.0) ** 2)).astype(int)


@pytest.mark.parametrize("mode", ["NORM", "SDP", "MAP", "MAPDP"])
def test_experiment_modes_and_exclusion_list(tmp_path, mode):
    from .vamas_builder import block_lines, vamas_text

    counts = _gauss_counts()
    omit = frozenset({14, 22, 34, 35})  # photon energy, pass energy, dwell, scans
    blocks = [
        block_lines(mode, label="S 2p", counts=counts, ke_start=1316.6, ke_step=0.1, variable=0),
        block_lines(
            mode, label="S 2p", counts=counts, ke_start=1316.6, ke_step=0.1, variable=30, omit=omit
        ),
    ]
    p = tmp_path / "modes.vms"
    p.write_text(vamas_text(mode, blocks, exclude=sorted(omit)), encoding="latin-1")
    tables = read(p)
    assert len(tables) == 2
    for t, level in zip(tables, (0.0, 30.0), strict=True):
        m = t.metadata
        assert m["photon_energy_eV"] == 1486.6 and m["pass_energy_eV"] == 20.0
        assert m["dwell_s"] == 0.1 and m["n_scans"] == 2  # inherited by block 2
        assert m["etch_level"] == level and m["etch_time_s"] == level
        be = t.arrays["binding_energy_eV"]
        assert be[0] == pytest.approx(1486.6 - 1316.6 - 10.0) and be[-1] == pytest.approx(170.0)
        # peak at KE 1316.6 + 5.0 -> BE 165.0; counts / (0.1 s x 2 scans)
        assert _peak(t) == pytest.approx(165.0)
        assert float(t.arrays["counts_per_s"].max()) == pytest.approx(1100 / 0.2)
