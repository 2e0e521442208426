"""EDS readers: tolerant profile text, EDAX line scans, Velox EMD and HyperSpy maps."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import read
from lbpo_gui.core.readers.eds_columns import parse_distance_header, parse_element_header
from lbpo_gui.core.readers.hspy_maps import read_hspy_maps
from lbpo_gui.core.readers.registry import choose_reader

REBCO = "eds/eds-processing-notebooks/REBCO_STO_profile_rowsum.csv"


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _profile_text(header, rows, sep=",", decimal="."):
    lines = [sep.join(header)]
    for r in rows:
        lines.append(sep.join(f"{v:g}".replace(".", decimal) for v in r))
    return "\r\n".join(lines) + "\r\n"


ROWS = [(0.0, 100.0, 5.0), (0.5, 98.0, 7.5), (1.0, 60.0, 40.0), (1.5, 20.0, 80.0), (2.0, 4.0, 95.0)]


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        (["Ni", "S"], "counts"),
        (["Ni K", "S K"], "counts"),
        (["Ni_Ka", "S_Ka"], "counts"),
        (["NiK", "SK"], "counts"),
        (["Ni (at%)", "S (at%)"], "at.%"),
        (["Ni wt.%", "S wt.%"], "wt.%"),
        (["Ni Ka1 (cps)", "S Ka1 (cps)"], "cps"),
        (["Ni K series", "S K series"], "counts"),
        (["Ni-K [Counts]", "S-K [Counts]"], "counts"),
        (["Ni K Atomic %", "S K Atomic %"], "at.%"),
    ],
)
def test_element_headers(tmp_path, header, unit):
    p = _write(tmp_path, "p.csv", _profile_text(["Distance (nm)", *header], ROWS))
    t = read(p)[0]
    assert t.kind == "eds_profile"
    assert list(t.arrays) == ["distance_nm", "Ni", "S"]
    assert t.metadata["signal_unit"] == unit
    np.testing.assert_allclose(t.arrays["S"], [5, 7.5, 40, 80, 95])


@pytest.mark.parametrize(
    ("dist", "factor"),
    [("Distance (nm)", 1.0), ("Position/um", 1e3), ("x [Å]", 0.1), ("distance_nm", 1.0)],
)
def test_distance_units(tmp_path, dist, factor):
    p = _write(tmp_path, "p.txt", _profile_text([dist, "Ni K", "S K"], ROWS, sep="\t"))
    t = read(p)[0]
    np.testing.assert_allclose(t.arrays["distance_nm"], np.array([0, 0.5, 1, 1.5, 2]) * factor)


def test_semicolons_decimal_commas_bom_preamble(tmp_path):
    text = "Title: line 3\r\nQuantification: at%\r\n\r\n" + _profile_text(
        ["Position (nm)", "Co K", "P K", "Ni K"],
        [(r[0], r[1], r[2], r[1] * 2) for r in ROWS],
        sep=";",
        decimal=",",
    )
    p = _write(tmp_path, "p.csv", "\ufeff" + text)
    t = read(p)[0]
    np.testing.assert_allclose(t.arrays["P"], [5, 7.5, 40, 80, 95])
    assert t.metadata["signal_unit"] == "at.%"
    assert t.metadata["preamble"]["Title"] == "line 3"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16(tmp_path, encoding):
    p = _write(tmp_path, "p.csv", _profile_text(["Distance (µm)", "Ni", "S"], ROWS), encoding)
    t = read(p)[0]
    assert t.arrays["distance_nm"][-1] == pytest.approx(2000.0)


def test_distance_by_monotonicity_and_descending(tmp_path):
    rows = [(4 - r[0], r[1], r[2]) for r in ROWS]  # descending distance, header "d"
    p = _write(tmp_path, "p.csv", _profile_text(["scan", "Ni K", "O K"], rows))
    t = read(p)[0]
    assert t.metadata["distance_found_by"] == "monotonic"
    np.testing.assert_allclose(t.arrays["distance_nm"], [2, 2.5, 3, 3.5, 4])
    np.testing.assert_allclose(t.arrays["Ni"], [4, 20, 60, 98, 100])


def test_edax_linescan(tmp_path):
    pre = "\n".join(f"Header line {k}: value {k}" for k in range(13)) + "\n\n"
    rows = [(k, r[0], r[1], r[2]) for k, r in enumerate(ROWS)]
    p = _write(tmp_path, "ls.csv", pre + _profile_text(["Point", "Distance", "NiK", "SK"], rows))
    assert choose_reader(p).name == "edax-linescan"
    t = read(p)[0]
    assert t.metadata["format"] == "EDAX line scan CSV"
    assert "Point" in t.metadata["ignored_columns"]
    np.testing.assert_allclose(t.arrays["distance_nm"], [0, 0.5, 1, 1.5, 2])


@pytest.mark.parametrize(
    ("header", "rows", "message", "line"),
    [
        (["Ni K", "S K"], [(1, 2), (3, 1), (2, 2)], "no distance column", 1),
        (["Distance (nm)", "Ni K"], ROWS[:4], "only one element column (Ni)", 1),
        (["Distance (nm)", "Ni K", "S K"], None, "value 'n/a' in column 'S K' is not a number", 4),
        (
            ["Distance (nm)", "Ni K", "S K"],
            [(0, 1, 2), (1, 1, 2), (0.5, 1, 2)],
            "does not continue",
            4,
        ),
    ],
)
def test_bad_profiles(tmp_path, header, rows, message, line):
    if rows is None:
        text = _profile_text(header, ROWS[:2]) + "1.0,5,n/a\n"
    else:
        text = _profile_text(header, [r[: len(header)] for r in rows])
    p = _write(tmp_path, "bad.csv", text)
    from lbpo_gui.core.readers.eds_text import read_profile_text

    with pytest.raises(ReaderError) as exc:
        read_profile_text(p)
    assert message in str(exc.value)
    assert exc.value.line == line
    assert "bad.csv" in str(exc.value) and "expected" in str(exc.value)


def test_header_parsers():
    assert parse_element_header("Y_Ka") == ("Y", "Ka", None)
    assert parse_element_header("Ni (keV)") is None
    assert parse_element_header("Total") is None
    assert parse_distance_header("Point") == ("index", None)
    assert parse_distance_header("time_s") is None


def test_rebco_profile(shared_data):
    t = read(shared_data / REBCO)[0]
    assert t.reader == "eds-profile-text"
    assert list(t.arrays) == ["distance_nm", "Ba", "Cu", "O", "Sr", "Ti", "Y"]
    assert t.n_points == 45
    assert t.metadata["step_nm"] == pytest.approx(0.8651)
    assert t.arrays["Y"][0] == pytest.approx(558.802)
    assert t.arrays["Sr"][-1] == pytest.approx(7512.920)
    assert t.metadata["xray_lines"]["Ba"] == "La"


def test_demo_csv_round_trip(tmp_path):
    from lbpo_gui.core.demo.eds import eds_profile_dataset
    from lbpo_gui.core.demo.writers import write_eds_csv

    d = eds_profile_dataset("Pristine", "before cycling", 3)
    t = read(write_eds_csv(tmp_path / "demo.csv", d))[0]
    for k in ("distance_nm", "Ni", "Co", "S", "P"):
        np.testing.assert_allclose(t.arrays[k], d.arrays[k])


@pytest.fixture(scope="module")
def velox_files(tmp_path_factory, shared_data):
    out = tmp_path_factory.mktemp("velox")
    with zipfile.ZipFile(shared_data / "eds/rosettasciio/velox_emd_version11.zip") as z:
        z.extractall(out)
    return sorted(out.glob("*.emd"))


def test_velox_v11_maps(velox_files):
    assert len(velox_files) == 2
    totals = {}
    for path in velox_files:
        assert choose_reader(path).name == "velox-emd"
        t = read(path)[0]
        assert t.kind == "eds_map"
        assert t.metadata["elements"] == ["C", "Ca", "O", "Cu"]
        assert t.metadata["images"] == ["HAADF"]
        assert t.metadata["pixel_size_nm"] == pytest.approx(3.5992, abs=1e-4)
        assert t.metadata["velox_version"] == "11"
        assert t.metadata["map_filter"] == {"enabled": True, "filter": "Mean", "kernelSize": 3}
        assert t.metadata["beam_energy_keV"] == pytest.approx(300.0)
        assert all(t.arrays[k].shape == (16, 16) for k in ("C", "Ca", "O", "Cu", "HAADF"))
        totals[path.name] = {k: float(t.arrays[k].sum()) for k in t.metadata["elements"]}
    full = totals["Test SI 16x16 215 kx.emd"]
    assert full == pytest.approx({"C": 570.0, "Ca": 31.0, "O": 26.0, "Cu": 3.0}, rel=1e-5)
    reduced = totals["Test SI 16x16 ReducedData 215 kx.emd"]  # maps re-rendered by Velox
    assert reduced["C"] == pytest.approx(90.867, rel=1e-4)


def test_velox_refuses_other_hdf5(tmp_path):
    import h5py

    p = tmp_path / "x.emd"
    with h5py.File(p, "w") as f:
        f["a"] = np.zeros(3)
    with pytest.raises(ReaderError, match="not a Velox EMD"):
        read(p)


def test_hspy_maps(shared_data):
    folder = shared_data / "eds/eds-processing-notebooks"
    one = read(folder / "Y_Ka.hspy")[0]
    assert one.reader == "hyperspy-hspy" and one.metadata["elements"] == ["Y"]
    m = read_hspy_maps(sorted(folder.glob("*.hspy")))
    assert m.metadata["elements"] == ["Ba", "Cu", "O", "Sr", "Ti", "Y"]
    assert m.metadata["pixel_size_nm"] == pytest.approx(0.8651, abs=1e-4)
    assert m.arrays["Sr"].shape == (45, 65)
    assert m.metadata["beam_energy_keV"] == 200.0


def test_electrical_tables_are_not_taken_for_profiles(tmp_path):
    from lbpo_gui.core.readers.eds_text import sniff_profile_text

    text = "Time (s),I,V\n0,1.0,3.5\n1,1.0,3.6\n2,1.0,3.7\n"
    assert sniff_profile_text(text.encode(), "cell.csv") == 0.0
    text = "Zeit/s;Spannung/V;Strom/mA\n0;3,5;1\n1;3,6;1\n"
    assert sniff_profile_text(text.encode("cp1252"), "cell.csv") == 0.0
    text = "frequency_Hz,z_real_ohm,z_imag_ohm\n1,2,3\n2,3,4\n"
    assert sniff_profile_text(text.encode(), "eis.csv") == 0.0


def test_a_row_of_units_under_the_names(tmp_path):
    text = "Distance;Ni;S\nµm;at%;at%\n\n0,0;90;5\n0,5;60;40\n1,0;10;85\n1,5;5;90\n2,0;5;91,5\n"
    p = _write(tmp_path, "units.csv", text, "cp1252")
    t = read(p)[0]
    np.testing.assert_allclose(t.arrays["distance_nm"], [0, 500, 1000, 1500, 2000])
    assert t.metadata["signal_unit"] == "at.%"
    assert t.arrays["S"][-1] == pytest.approx(91.5)
    bad = _write(tmp_path, "units_bad.csv", text.replace("1,5;5;90", "1,5;5;?"), "cp1252")
    with pytest.raises(ReaderError) as exc:
        read(bad)
    assert exc.value.line == 7


def test_merge_map_tables(shared_data):
    from lbpo_gui.core.readers.hspy_maps import merge_map_tables

    folder = shared_data / "eds/eds-processing-notebooks"
    tables = [read(folder / f"{n}.hspy")[0] for n in ("Y_Ka", "Sr_Ka", "Y_Ka")]
    m = merge_map_tables(tables, "REBCO")
    assert m.metadata["elements"] == ["Y", "Sr"] and m.label == "REBCO"
    assert m.metadata["xray_lines"] == {"Y": "Ka", "Sr": "Ka"}
    np.testing.assert_array_equal(m.arrays["Sr"], tables[1].arrays["Sr"])
    odd = read(folder / "Ti_Ka.hspy")[0]
    odd.metadata["pixel_size_nm"] = 1.0
    with pytest.raises(ValueError, match="the others"):
        merge_map_tables([tables[0], odd])
