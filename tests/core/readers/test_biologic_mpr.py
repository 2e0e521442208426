"""Our own BioLogic ``.mpr`` decoder: every public ``.mpr`` read without galvani, agreeing with
its ``.mpt`` export (arrays, masses, start time, capacities), galvani as an oracle only, and
EC-Lab 11.6x column IDs galvani refuses."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from lbpo_gui.core.echem.table import summarise_table
from lbpo_gui.core.errors import ReaderError
from lbpo_gui.core.readers import choose_reader, read

from .mpr_files import write_mpr

TWINS = ["bcd.issue_241", "gcpl.issue_149", "gcpl.issue_211", "gcpl.issue_226.I"]
# .mpr -> (rows, active mass [mg] from the settings module or None, acquisition start)
MPR_FILES: dict[str, tuple[int, float | None, str]] = {
    "navani/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr": (
        46102, 7000.0, "2020-10-26T12:49:58",
    ),
    "yadg-eclab/bcd.issue_241.mpr": (2550, 7000.0, "2024-11-19T15:14:45.925000"),
    "yadg-eclab/gcpl.issue_149.mpr": (132, None, "2024-01-10T11:02:29.886000"),
    "yadg-eclab/gcpl.issue_211.mpr": (2767, 0.79, "2025-05-28T14:23:16.145000"),
    "yadg-eclab/gcpl.issue_226.I.mpr": (15, 1.39, "2025-08-04T09:35:26.748000"),
}  # fmt: skip
HAS_GALVANI = importlib.util.find_spec("galvani") is not None


@pytest.fixture
def no_galvani(monkeypatch):
    """Make ``import galvani`` fail, as in the packaged program."""
    for name in [m for m in sys.modules if m == "galvani" or m.startswith("galvani.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "galvani", None)
    with pytest.raises(ImportError):
        import galvani  # noqa: F401


def test_every_public_mpr_is_covered(shared_data: Path) -> None:
    found = {p.relative_to(shared_data / "echem").as_posix() for p in shared_data.rglob("*.mpr")}
    assert found == set(MPR_FILES)


@pytest.mark.parametrize("name", sorted(MPR_FILES))
def test_mpr_reads_without_galvani(shared_data: Path, no_galvani, name: str) -> None:
    rows, mass, start = MPR_FILES[name]
    (t,) = read(shared_data / "echem" / name)
    assert t.kind == "cycling" and t.reader == "biologic_mpr"
    assert t.n_points == rows
    assert t.metadata.get("active_mass_mg") == (pytest.approx(mass) if mass else None)
    assert t.metadata["acquisition_start"] == start
    assert "mpr_unknown_column_ids" not in t.metadata
    json.dumps(t.metadata)  # metadata must stay JSON-serialisable


@pytest.mark.parametrize("stem", TWINS)
def test_mpr_metadata_equals_its_mpt_twin(shared_data: Path, no_galvani, stem: str) -> None:
    folder = shared_data / "echem/yadg-eclab"
    (mpr,) = read(folder / f"{stem}.mpr")
    (mpt,) = read(folder / f"{stem}.mpt")
    for key in ("active_mass_mg", "technique", "electrode_area_cm2", "voltage_column"):
        a, b = mpr.metadata.get(key), mpt.metadata.get(key)
        assert a == (pytest.approx(b, rel=1e-6) if isinstance(b, float) else b), key
    assert mpr.metadata["acquisition_start"][:23] == mpt.metadata["acquisition_start"][:23]
    assert mpr.metadata["start_time"][:22] == mpt.metadata["start_time"][:22]
    for key in ("electrode_material", "electrolyte", "comments"):
        assert mpr.metadata.get(key) == mpt.metadata.get(key), key


@pytest.mark.parametrize("stem", TWINS)
def test_mpr_capacities_equal_its_mpt_twin(shared_data: Path, no_galvani, stem: str) -> None:
    folder = shared_data / "echem/yadg-eclab"
    (mpr,) = read(folder / f"{stem}.mpr")
    (mpt,) = read(folder / f"{stem}.mpt")
    mass = mpt.metadata.get("active_mass_mg", 1.0)
    a = summarise_table(mpr.arrays, mpr.metadata, active_mass_mg=mass)
    b = summarise_table(mpt.arrays, mpt.metadata, active_mass_mg=mass)
    ca, cb = a.to_cli_dict()["cycles"], b.to_cli_dict()["cycles"]
    assert len(ca) == len(cb) > 0
    for x, y in zip(ca, cb, strict=True):
        assert x["charge_mAh_g"] == pytest.approx(y["charge_mAh_g"], rel=1e-6, abs=1e-9)
        assert x["discharge_mAh_g"] == pytest.approx(y["discharge_mAh_g"], rel=1e-6, abs=1e-9)


def test_issue_211_first_cycle_from_the_mpr(shared_data: Path, no_galvani) -> None:
    """The mass now comes from the settings module: 0.79 mg; EC-Lab's own capacities of the
    first cycle are +0.0575 mAh / -0.0534 mAh (field notes, section 2.1)."""
    (t,) = read(shared_data / "echem/yadg-eclab/gcpl.issue_211.mpr")
    assert t.metadata["active_mass_mg"] == pytest.approx(0.79)
    c1 = summarise_table(t.arrays, t.metadata, active_mass_mg=0.79).to_cli_dict()["cycles"][0]
    assert c1["charge_mAh_g"] * 0.79e-3 == pytest.approx(0.0575, rel=0.01)
    assert c1["discharge_mAh_g"] * 0.79e-3 == pytest.approx(0.0534, rel=0.01)


@pytest.mark.skipif(not HAS_GALVANI, reason="galvani (GPL) is only a test oracle")
@pytest.mark.parametrize("name", sorted(MPR_FILES))
def test_galvani_oracle_agrees(shared_data: Path, name: str) -> None:
    from galvani import BioLogic

    path = shared_data / "echem" / name
    theirs = BioLogic.MPRfile(str(path)).data
    (ours,) = read(path)
    t0 = float(theirs["time/s"][0])
    np.testing.assert_allclose(ours.arrays["time_s"], theirs["time/s"] - t0, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(ours.arrays["voltage_V"], theirs["Ewe/V"].astype(np.float64))


def _gcpl_rows(n: int = 40) -> dict[int, np.ndarray]:
    t = np.arange(n, dtype=float) * 10.0
    i = np.where(np.arange(n) < n // 2, 0.1, -0.1)
    dq = np.r_[0.0, i[1:] * 10.0 / 3600.0]
    half = (np.arange(n) >= n // 2).astype(int)
    q = np.r_[np.cumsum(dq[: n // 2]), np.cumsum(dq[n // 2 :])]
    return {
        1: np.ones(n), 2: (i > 0).astype(int), 3: np.zeros(n), 21: np.zeros(n), 31: np.zeros(n),
        65: np.zeros(n), 131: np.zeros(n), 4: t, 7: dq, 13: np.cumsum(dq), 5: i,
        6: 3.7 + 0.01 * np.arange(n), 39: np.full(n, 41), 467: q, 468: half,
    }  # fmt: skip


GCPL_IDS = [1, 2, 3, 21, 31, 65, 131, 4, 7, 13, 5, 6, 39, 467, 468]


@pytest.mark.skipif(not HAS_GALVANI, reason="galvani (GPL) is only a test oracle")
def test_energy_ce_column_galvani_refuses(tmp_path: Path) -> None:
    """EC-Lab 11.6x writes column ID 883 (Energy ce charge); galvani reads the IDs byte by byte
    and refuses 'Column ID 115'; our reader reads the file."""
    from galvani import BioLogic

    vals = _gcpl_rows()
    vals[883] = np.linspace(0, 1e-4, 40)
    p = write_mpr(tmp_path / "v1161.mpr", [*GCPL_IDS, 883], vals, mass_mg=2.5)
    with pytest.raises(NotImplementedError, match="115"):
        BioLogic.MPRfile(str(p))
    (t,) = read(p)
    assert "Energy ce charge/W.h" in t.metadata["mpr_columns"]


def test_crafted_gcpl_file(tmp_path: Path, no_galvani) -> None:
    vals = _gcpl_rows()
    vals[883] = np.linspace(0, 1e-4, 40)
    p = write_mpr(tmp_path / "v1161.mpr", [*GCPL_IDS, 883], vals, mass_mg=2.5)
    (t,) = read(p)
    assert t.metadata["active_mass_mg"] == pytest.approx(2.5)
    assert t.metadata["start_time"] == datetime(2025, 8, 4, 9, 35, 26, 748000).isoformat()
    np.testing.assert_allclose(t.arrays["current_mA"][1:], vals[5][1:], rtol=1e-12)
    np.testing.assert_array_equal(t.arrays["half_cycle"], vals[468])
    np.testing.assert_array_equal(t.arrays["ox_red"], vals[2])
    c = summarise_table(t.arrays, t.metadata, active_mass_mg=2.5).to_cli_dict()["cycles"]
    assert c[0]["charge_mAh_g"] == pytest.approx(0.1 * 190 / 3600 / 2.5e-3, rel=1e-6)


def test_unknown_column_width_is_inferred(tmp_path: Path, no_galvani) -> None:
    """A column ID of a future EC-Lab is skipped (its width follows from the row size)."""
    vals = _gcpl_rows()
    vals[999] = np.ones(40)
    p = write_mpr(
        tmp_path / "future.mpr", [*GCPL_IDS[:8], 999, *GCPL_IDS[8:]], vals, extra={999: "<f4"}
    )
    (t,) = read(p)
    assert t.metadata["mpr_unknown_column_ids"] == [999]
    np.testing.assert_allclose(t.arrays["voltage_V"], vals[6].astype(np.float32))


def test_peis_mpr_is_an_impedance_table(tmp_path: Path, no_galvani) -> None:
    n = 30
    f = np.logspace(6, -1, n)
    re_z, minus_im_z = 50 + 100 / (1 + (f / 1e3) ** 2), 100 * (f / 1e3) / (1 + (f / 1e3) ** 2)
    vals = {32: f, 37: re_z, 38: minus_im_z, 4: np.arange(n) * 2.0 + 5.0, 77: np.full(n, 3.7)}
    p = write_mpr(tmp_path / "peis.mpr", [32, 37, 38, 4, 77], vals, technique=0x1D)
    (t,) = read(p)
    assert t.kind == "impedance" and t.metadata["technique"].startswith("Potentio Electrochem")
    np.testing.assert_allclose(t.arrays["frequency_Hz"], f.astype(np.float32))
    np.testing.assert_allclose(t.arrays["z_real_ohm"], re_z.astype(np.float32))
    np.testing.assert_allclose(t.arrays["z_imag_ohm"], -minus_im_z.astype(np.float32))
    assert (t.arrays["z_imag_ohm"] < 0).all()
    with pytest.raises(ReaderError, match="impedance"):
        read(p, kind="cycling")


def test_modulo_bat_mpr_reads_its_galvanostatic_rows(tmp_path: Path, no_galvani) -> None:
    """Modulo Bat: GCPL rows plus a PEIS step (freq/Hz > 0): cycling data without the EIS rows."""
    vals = _gcpl_rows()
    freq = np.zeros(40)
    freq[18:22] = [1e5, 1e4, 1e3, 1e2]
    vals.update({32: freq, 37: np.where(freq > 0, 20.0, 0), 38: np.where(freq > 0, 5.0, 0)})
    p = write_mpr(tmp_path / "mb.mpr", [*GCPL_IDS, 32, 37, 38], vals, technique=0x7F)
    (t,) = read(p)
    assert choose_reader(p).name == "biologic_mpr"
    assert t.kind == "cycling" and t.metadata["technique"] == "Modulo Bat"
    assert t.n_points == 36 and t.metadata["impedance_rows"] == 4
    assert any("impedance steps" in w for w in t.metadata["warnings"])


@pytest.mark.parametrize(
    "cut,message", [(0x40, "truncated"), (0x34 + 3, "no module header")], ids=["header", "magic"]
)
def test_damaged_headers(tmp_path: Path, shared_data: Path, cut: int, message: str) -> None:
    data = (shared_data / "echem/yadg-eclab/gcpl.issue_226.I.mpr").read_bytes()
    p = tmp_path / "bad.mpr"
    p.write_bytes(
        data[:cut] if message == "truncated" else data[:cut] + b"XXXXXX" + data[cut + 6 :]
    )
    with pytest.raises(ReaderError, match=message) as err:
        read(p)
    assert "bad.mpr" in str(err.value)
