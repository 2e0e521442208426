"""Impedance readers: every public file a reader claims is read, with values pinned."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import read
from lbpo_gui.core.readers.registry import choose_reader

# file (under data/eis) -> (reader, n tables, points of the first, f0 Hz, Z'0 ohm, Z''0 ohm)
PINNED = {
    "impedance.py/exampleDataVersaStudio.par": ("versastudio_par", 1, 61, 1e5, 55.31571, 4.575431),
    "impedance.py/exampleDataBioLogic.mpt": (
        "biologic_peis",
        1,
        43,
        1000.3201,
        65.470886,
        -0.38998979,
    ),
    "impedance.py/exampleDataGamry.DTA": ("gamry_dta", 1, 72, 200015.6, 825.8584, -1367.239),
    "impedance.py/exampleDataGamryABORT.DTA": ("gamry_dta", 1, 72, 200015.6, 825.8584, -1367.239),
    "impedance.py/exampleDataZPlot.z": ("zplot", 1, 21, 3e5, 147.77, -11.335),
    "impedance.py/exampleDataZPlot_noComments.z": ("zplot", 1, 31, 3e5, 642.62, -85.821),
    "impedance.py/exampleDataAutolab.txt": (
        "zplot",
        1,
        41,
        1e4,
        0.013785863964281,
        0.007191946305823,
    ),
    "impedance.py/exampleDataCHInstruments.txt": ("impedance_text", 1, 73, 99610.0, 98.91, -2.748),
    "impedance.py/exampleDataParstat.txt": (
        "impedance_text",
        1,
        31,
        1e4,
        -0.00049816280376104,
        0.0175143479976367,
    ),
    "impedance.py/exampleDataPowersuite.txt": ("impedance_text", 1, 30, 0.1, 423929.46, -49014.063),
    "impedance.py/exampleData.csv": (
        "impedance_text",
        1,
        66,
        0.0031623,
        0.0494998977640506,
        -0.020438698544418925,
    ),
    "impedance.py/Circuit3_EIS_1.z": ("zplot", 1, 53, 1.5e5, 1493.7, 10.377),
    "PyEIS/ex1.mpt": ("biologic_peis", 2, 59, 200019.48, 428.90558, -372.31183),
    "PyEIS/ex2.mpt": ("biologic_peis", 2, 59, 200019.48, 424.92365, -375.77924),
    "pyimpspec/case-multiple-spectra.mpt": ("biologic_peis", 3, 29, 1e4, 109.00918, -26.55568),
    "pyimpspec/case-multiple-spectra.csv": (
        "impedance_text",
        4,
        29,
        1e4,
        109.00918219439028,
        -26.55567987651522,
    ),
    "pyimpspec/case-multiple-spectra-reverse.csv": (
        "impedance_text",
        2,
        29,
        1.0,
        645.4787001504939,
        -90.61812830738303,
    ),
    "pyimpspec/drift-corrected-data.dta": ("gamry_dta", 2, 55, 100078.1, 691.6887, -148.9397),
}

# one spectrum (Boukamp's TC-1) in many formats: all must give the same f and Z
SAME_SPECTRUM = [
    "data.dta",
    "data-dta",
    "data.mpt",
    "data-mpt",
    "data-metadata.mpt",
    "data.z",
    "data-z",
    "data.xlsx",
    "data-xlsx",
    "data.P00",
    "data-P00",
    "data-comma.csv",
    "data-comma-csv",
    "data-comma-decimal-separator.csv",
    "data-comma-decimal-separator-csv",
    "data-semicolon.csv",
    "data-space.csv",
    "data-tab.csv",
    "data-header-variant-1.csv",
    "data-header-variant-2.csv",
    "data-header-variant-3.csv",
    "data-header-variant-4.csv",
    "case-negative-real-imaginary.csv",
]


@pytest.mark.parametrize("name", sorted(PINNED))
def test_public_file_is_read_with_pinned_values(shared_data, name):
    path = shared_data / "eis" / name
    reader_name, n_tables, n0, f0, zr0, zi0 = PINNED[name]
    assert choose_reader(path, kind="impedance").name == reader_name
    tables = read(path, kind="impedance")
    assert len(tables) == n_tables
    t = tables[0]
    assert t.kind == "impedance" and t.n_points == n0
    a = t.arrays
    assert a["frequency_Hz"][0] == pytest.approx(f0, rel=1e-9)
    assert a["z_real_ohm"][0] == pytest.approx(zr0, rel=1e-9)
    assert a["z_imag_ohm"][0] == pytest.approx(zi0, rel=1e-9)
    assert np.all(a["frequency_Hz"] > 0)


def test_versastudio_par_warns_raw_eis_is_uncalibrated(shared_data):
    (t,) = read(shared_data / "eis/impedance.py/exampleDataVersaStudio.par")
    assert any("uncalibrated" in w for w in t.metadata["warnings"])
    assert t.metadata["technique"] == "Potentiostatic EIS"


def test_versastudio_binary_variant_is_refused(tmp_path):
    p = tmp_path / "run.par"
    p.write_bytes(b"<Application>\nName=VersaStudio\n<Experiment>\nDataFormat=Binary\n\x00\x01")
    with pytest.raises(ReaderError, match="binary"):
        read(p)


def test_gamry_drift_corrected_gives_both_spectra(shared_data):
    raw, cor = read(shared_data / "eis/pyimpspec/drift-corrected-data.dta")
    assert not raw.metadata["drift_corrected"] and cor.metadata["drift_corrected"]
    assert raw.n_points == cor.n_points == 55
    assert not np.allclose(raw.arrays["z_imag_ohm"], cor.arrays["z_imag_ohm"])


def test_gamry_aborted_run_stops_at_the_abort(shared_data):
    (t,) = read(shared_data / "eis/impedance.py/exampleDataGamryABORT.DTA")
    assert t.metadata["aborted"] is True
    assert t.arrays["frequency_Hz"][-1] == pytest.approx(0.0158898)


def test_biologic_imaginary_part_is_negated_and_split_by_cycle(shared_data):
    tables = read(shared_data / "eis/PyEIS/ex1.mpt")
    assert [t.metadata["cycle"] for t in tables] == [1, 2]
    assert np.all(tables[0].arrays["z_imag_ohm"][:20] < 0)  # -Im(Z) stored positive


def test_biologic_file_without_frequency_column_is_an_error(shared_data):
    with pytest.raises(ReaderError, match="freq/Hz"):
        read(shared_data / "eis/impedance.py/exampleDataBioLogic_MissingFreq.mpt")


def test_one_spectrum_in_many_formats_gives_the_same_f_and_z(shared_data):
    ref = read(shared_data / "eis/pyimpspec/data-comma.csv")[0]
    f_ref = ref.arrays["frequency_Hz"]
    z_ref = ref.arrays["z_real_ohm"] + 1j * ref.arrays["z_imag_ohm"]
    for name in SAME_SPECTRUM:
        for t in read(shared_data / "eis/pyimpspec" / name, kind="impedance"):
            z = t.arrays["z_real_ohm"] + 1j * t.arrays["z_imag_ohm"]
            # .z and .mpt keep 7-8 digits, .P00 4-5
            rtol = 5e-4 if name.endswith("P00") else 1e-6
            np.testing.assert_allclose(t.arrays["frequency_Hz"], f_ref, rtol=rtol, err_msg=name)
            np.testing.assert_allclose(z, z_ref, rtol=rtol, err_msg=name)


def test_every_file_a_reader_claims_is_read(shared_data):
    claimed = 0
    for path in sorted((shared_data / "eis").rglob("*")):
        if not path.is_file() or path.name == "exampleDataBioLogic_MissingFreq.mpt":
            continue
        try:
            spec = choose_reader(path, kind="impedance")
        except ReaderError:
            continue  # no reader claims it (.dfr, .ids, .pssession ...)
        tables = read(path, kind="impedance")
        assert tables and all(t.n_points > 0 for t in tables), path.name
        claimed += 1
        assert spec.name
    assert claimed == 47


MODULO_BAT = (
    "EC-Lab ASCII FILE\nNb header lines : 5\n\nModulo Bat\n"
    "mode\ttime/s\tEwe/V\tI/mA\tfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\tcycle number\t\n"
)


def _modulo_bat_file(tmp_path):
    rows = []
    t = 0.0
    for _ in range(2):  # charge, then a PEIS loop
        for k in range(50):
            t += 10
            rows.append(f"1\t{t}\t{3.5 + k * 0.01}\t0.2\t0\t0\t0\t0")
        for f in np.logspace(5, -1, 13):
            t += 1
            z = 10 + 100 / (1 + 1j * f / 100)
            rows.append(f"3\t{t}\t4.0\t0\t{f}\t{z.real}\t{-z.imag}\t0")
    p = tmp_path / "mb_peis.mpt"
    p.write_text(MODULO_BAT + "\n".join(rows) + "\n", encoding="latin-1")
    return p


def test_modulo_bat_file_gives_cycling_and_its_peis_loops(tmp_path):
    p = _modulo_bat_file(tmp_path)
    all_tables = read(p)
    assert [t.kind for t in all_tables] == ["cycling", "impedance", "impedance"]
    (cyc,) = read(p, kind="cycling")
    assert cyc.n_points == 100 and np.all(cyc.arrays["current_mA"] == 0.2)
    eis = read(p, kind="impedance")
    assert [t.n_points for t in eis] == [13, 13]
    z = eis[0].arrays["z_real_ohm"] + 1j * eis[0].arrays["z_imag_ohm"]
    f = eis[0].arrays["frequency_Hz"]
    np.testing.assert_allclose(z, 10 + 100 / (1 + 1j * f / 100), rtol=1e-9)


@pytest.mark.parametrize(
    "text, line, match",
    [
        ("f,Z',Z''\n1000,1.0,-2.0\n100,abc,-1\n10,1,-1\n", 3, "not a number"),
        ("freq,Zre,Zim\n1000,1,nan\n", 2, "NaN"),
        ("f,Z',Z''\n", 2, "no numeric rows"),
    ],
)
def test_bad_text_gives_file_line_and_expectation(tmp_path, text, line, match):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(ReaderError) as exc:
        read(p, kind="impedance")
    assert "bad.csv" in str(exc.value) and exc.value.line == line
    if match:
        assert match in str(exc.value)
