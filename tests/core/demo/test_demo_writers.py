"""Vendor-format writers: what real readers rely on (header count, TABs, encoding, CRLF)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from lbpo_gui.core.demo import cycling as C
from lbpo_gui.core.demo import eds as E
from lbpo_gui.core.demo import impedance as Z
from lbpo_gui.core.demo import writers as W
from lbpo_gui.core.demo import xps as X


@pytest.fixture(scope="module")
def rate():
    return C.rate_test_dataset("LBPO 0.05-0.15", 5)


def read_mpt(path, decimal="."):
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    n = int(lines[1].split(b":")[1])
    df = pd.read_csv(path, sep="\t", skiprows=n - 1, header=0, encoding="cp1252", decimal=decimal)
    return raw, lines, n, df


def test_gcpl_mpt_layout(tmp_path, rate):
    path = W.write_biologic_gcpl_mpt(tmp_path / "rate.mpt", rate)
    raw, lines, n, df = read_mpt(path)
    assert lines[0] == b"EC-Lab ASCII FILE"
    assert lines[1].startswith(b"Nb header lines : ")
    assert raw.count(b"\n") == raw.count(b"\r\n")  # CRLF only
    col_line = lines[n - 1]
    assert col_line.startswith(b"mode\tox/red\terror\t")
    assert col_line.endswith(b"\t")  # trailing TAB on the column line...
    assert not lines[n].endswith(b"\t")  # ...and not on data lines
    assert b"Capacitance charge/\xb5F" in col_line  # cp1252 micro sign
    assert b"Electrode surface area : 1.327 cm\xb2" in raw
    raw.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"Mass of active material : 10.294 mg\r\n" in raw
    assert lines[3] == b"Galvanostatic Cycling with Potential Limitation"
    assert df.columns[-1].startswith("Unnamed")  # what pandas makes of the trailing TAB
    assert len(df) == rate.n_points
    np.testing.assert_allclose(df["time/s"], rate.arrays["time_s"], rtol=1e-14, atol=1e-9)
    np.testing.assert_allclose(df["Ewe/V"], rate.arrays["voltage_V"], rtol=1e-7)
    np.testing.assert_allclose(df["I/mA"], rate.arrays["current_mA"], rtol=1e-14)
    for name, _ in W.GCPL_COLUMNS:
        assert name in df.columns


def test_gcpl_mpt_vendor_semantics(tmp_path, rate):
    _, _, _, df = read_mpt(W.write_biologic_gcpl_mpt(tmp_path / "rate.mpt", rate))
    half = df["half cycle"].to_numpy()
    assert half[0] == 0 and np.all(np.diff(half) >= 0) and half[-1] == 39
    np.testing.assert_array_equal(df["cycle number"], half // 2)
    assert set(df["mode"]) == {1, 3}
    np.testing.assert_array_equal(df["ox/red"] == 1, half % 2 == 0)
    mass_g = 10.294e-3
    q_end = df.groupby("half cycle")["Q charge/discharge/mA.h"].last().to_numpy() / mass_g
    model = [h["capacity_mAh_g"] for h in C.rate_test_truth(rate.metadata["sample"])["half_cycles"]]
    np.testing.assert_allclose(np.abs(q_end), model, rtol=2e-3)
    assert np.all(q_end[::2] > 0) and np.all(q_end[1::2] < 0)  # signed, reset per half cycle
    np.testing.assert_allclose(df["(Q-Qo)/mA.h"].iloc[-1], df["dq/mA.h"].sum(), rtol=1e-9)


def test_gcpl_mpt_decimal_comma(tmp_path, rate):
    path = W.write_biologic_gcpl_mpt(tmp_path / "de.mpt", rate, decimal_comma=True)
    raw, lines, n, df = read_mpt(path, decimal=",")
    assert b"Mass of active material : 10,294 mg" in raw
    assert b"." not in lines[n]
    np.testing.assert_allclose(df["Ewe/V"], rate.arrays["voltage_V"], rtol=1e-7)
    np.testing.assert_allclose(df["time/s"], rate.arrays["time_s"], rtol=1e-14, atol=1e-9)


def test_generate_long_mpt(tmp_path):
    t0 = time.perf_counter()
    path = C.generate_long_mpt(tmp_path / "long.mpt", n_rows=20_000, seed=3)
    elapsed = time.perf_counter() - t0
    _, lines, n, df = read_mpt(path)
    assert abs(len(df) - 20_000) < 300
    assert lines[n - 1].endswith(b"\t")
    assert df["half cycle"].iloc[-1] == 239  # 120 cycles
    assert elapsed < 5.0
    # the rate-test part still carries Table 1 (Pristine): cycle 1 discharge ~178.7 mAh/g
    dis = df[df["half cycle"] == 1]["Q charge/discharge/mA.h"].iloc[-1] / 10.294e-3
    assert -dis == pytest.approx(178.7, rel=0.005)


def test_vectorised_number_formats():
    v = np.array([88246.51726436929, -0.32233408, 0.0, 1e-300, 9.99999999999, 1234.5])
    text = W.join_rows([W.format_scientific(v, 15), W.format_scientific(v, 7)]).decode()
    rows = [r.split("\t") for r in text.strip().split("\r\n")]
    assert rows[0][1] == "8.8246517E+004"
    assert rows[1][1] == "-3.2233408E-001"
    assert rows[2][0] == "0.000000000000000E+000"
    assert rows[5][1] == "1.2345000E+003"
    np.testing.assert_allclose([float(r[0]) for r in rows], v, rtol=1e-15)
    ints = W.join_rows([W.format_integers(np.array([0, 7, 10, 12345, -3]))]).decode().split()
    assert ints == ["0", "7", "10", "12345", "-3"]
    fixed = W.join_rows([W.format_fixed(np.array([0.0, -0.5, 12.3456, -0.0001]), 3)])
    assert fixed.decode().split() == ["0.000", "-0.500", "12.346", "0.000"]


def test_peis_mpt_and_csv(tmp_path):
    d = Z.impedance_dataset("Pristine", 2)
    _, lines, n, df = read_mpt(W.write_biologic_peis_mpt(tmp_path / "eis.mpt", d))
    assert lines[3] == b"Potentio Electrochemical Impedance Spectroscopy"
    assert lines[n - 1].startswith(b"freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\t") and lines[n - 1].endswith(
        b"\t"
    )
    np.testing.assert_allclose(df["freq/Hz"], d.arrays["frequency_Hz"], rtol=1e-7)
    np.testing.assert_allclose(df["Re(Z)/Ohm"], d.arrays["z_real_ohm"], rtol=1e-7)
    np.testing.assert_allclose(df["-Im(Z)/Ohm"], -d.arrays["z_imag_ohm"], rtol=1e-7)
    assert (df["Phase(Z)/deg"] < 0).sum() > 0.9 * len(df)  # capacitive
    assert any(line.startswith(b"Va (mV)") and b"10.0" in line for line in lines[:n])
    _, _, _, de = read_mpt(
        W.write_biologic_peis_mpt(tmp_path / "de.mpt", d, decimal_comma=True), decimal=","
    )
    np.testing.assert_allclose(de["Re(Z)/Ohm"], d.arrays["z_real_ohm"], rtol=1e-7)
    csv = pd.read_csv(W.write_impedance_csv(tmp_path / "eis.csv", d))
    assert list(csv.columns) == ["frequency_Hz", "z_real_ohm", "z_imag_ohm"]
    np.testing.assert_allclose(csv["z_imag_ohm"], d.arrays["z_imag_ohm"], rtol=1e-9)


def parse_vamas(path):
    """Minimal ISO 14976 reader for NORM / REGULAR files (independent of the writer)."""
    it = iter(path.read_bytes().decode("latin-1").split("\r\n"))
    nxt = lambda: next(it)  # noqa: E731
    assert nxt() == "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4"
    for _ in range(4):
        nxt()
    for _ in range(int(nxt())):
        nxt()
    mode, scan = nxt(), nxt()
    assert (mode, scan) == ("NORM", "REGULAR")
    nxt()  # regions
    nvar = int(nxt())
    exp_vars = [(nxt(), nxt()) for _ in range(nvar)]
    assert int(nxt()) == 0  # inclusion list
    assert int(nxt()) == 0  # manually entered items
    assert int(nxt()) == 0  # future experiment entries
    assert int(nxt()) == 0  # future block entries
    blocks = []
    for _ in range(int(nxt())):
        b = {"id": nxt(), "sample": nxt()}
        [nxt() for _ in range(7)]  # date, time, GMT offset
        b["comments"] = [nxt() for _ in range(int(nxt()))]
        b["technique"] = nxt()
        b["exp"] = [float(nxt()) for _ in range(nvar)]
        b["source"] = nxt()
        b["hv"] = float(nxt())
        [nxt() for _ in range(5)]  # strength, beam widths, source angles
        b["analyser_mode"] = nxt()
        b["pass_energy"] = float(nxt())
        [nxt() for _ in range(7)]  # magnification, work function, bias, widths, take-off
        b["species"], b["transition"] = nxt(), nxt()
        nxt()  # charge of detected particle
        b["x_label"], b["x_unit"] = nxt(), nxt()
        b["start"], b["step"] = float(nxt()), float(nxt())
        ncv = int(nxt())
        b["vars"] = [(nxt(), nxt()) for _ in range(ncv)]
        nxt()  # signal mode
        b["dwell"], b["scans"] = float(nxt()), int(nxt())
        [nxt() for _ in range(4)]  # time correction, sample tilt, azimuth, rotation
        for _ in range(int(nxt())):
            nxt(), nxt(), nxt()
        nval = int(nxt())
        [nxt() for _ in range(2 * ncv)]
        b["y"] = np.array([float(nxt()) for _ in range(nval)])
        blocks.append(b)
    assert nxt() == "end of experiment"
    return exp_vars, blocks


def test_vamas(tmp_path):
    spectra = [
        X.core_level_dataset("Pristine", "before cycling", "S 2p", 1),
        X.core_level_dataset("Pristine", "before cycling", "P 2p", 1),
        *X.b1s_etch_series(1),
    ]
    exp_vars, blocks = parse_vamas(W.write_vamas(tmp_path / "x.vms", spectra))
    assert exp_vars == [("Etch Time", "s")]
    assert len(blocks) == len(spectra)
    for b, d in zip(blocks, spectra, strict=True):
        assert b["technique"] == "XPS"
        assert b["species"] + " " + b["transition"] == d.metadata["region"]
        assert b["x_label"] == "kinetic energy" and b["x_unit"] == "eV"
        assert b["exp"] == [d.metadata["etch_time_s"]]
        ke = b["start"] + b["step"] * np.arange(b["y"].size)
        np.testing.assert_allclose(b["hv"] - ke, d.arrays["binding_energy_eV"], atol=1e-6)
        cps = b["y"] / (b["dwell"] * b["scans"])
        np.testing.assert_allclose(cps, d.arrays["counts_per_s"], rtol=1e-9)
    assert blocks[0]["id"] == "S2p"


def test_eds_csv(tmp_path):
    d = E.eds_profile_dataset("LBPO 0.05-0.15", "after 100 cycles", 1)
    df = pd.read_csv(W.write_eds_csv(tmp_path / "eds.csv", d))
    assert list(df.columns) == ["distance_nm", "Ni", "Co", "S", "P"]
    for k in df.columns:
        np.testing.assert_allclose(df[k], d.arrays[k])
