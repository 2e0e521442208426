"""Write demo datasets as vendor-format files (for reader tests, benchmarks and the demo folder).

* BioLogic EC-Lab ``.mpt`` (GCPL and PEIS): ``EC-Lab ASCII FILE``, ``Nb header lines : N`` (N counts
  every line up to and including the column-name line), cp1252 (``µ`` = 0xB5, ``²`` = 0xB2), CRLF,
  TAB-separated, a trailing TAB on the column-name line only, numbers as EC-Lab writes them
  (``8.824651726436929E+004`` for float64 columns, ``-3.2233408E-001`` for float32 columns),
  optional decimal comma (header numbers too, as a German Windows locale writes them).
* a 3-column impedance CSV (``frequency_Hz,z_real_ohm,z_imag_ohm``; Z'' negative = capacitive).
* VAMAS (ISO 14976) ``.vms``: NORM experiment, REGULAR scan mode, one experimental variable
  ``Etch Time`` / ``s``, kinetic-energy abscissa (BE = h nu - KE), counts per channel with the
  dwell time and number of scans in the block (CPS = counts / (dwell x scans)).
* an EDS line-profile CSV (``distance_nm,Ni,Co,S,P``, counts).

Numbers are formatted with vectorised numpy byte arithmetic (no per-row Python), so a
1,000,000-row ``.mpt`` takes a few seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..readers.base import ImportedData

_DOT, _COMMA, _TAB = 46, 44, 9
_CHUNK_ROWS = 50_000

# --------------------------------------------------------------------------------------------
# Vectorised number formatting
# --------------------------------------------------------------------------------------------


def format_scientific(values: np.ndarray, decimals: int) -> np.ndarray:
    """EC-Lab style scientific notation as a (n, width) uint8 array, NUL-padded on the left.

    ``1234.5`` with 7 decimals -> ``1.2345000E+003``; negative values get a leading ``-``.
    Non-finite values are written as ``0``-mantissa zeros (EC-Lab never writes NaN).
    """
    v = np.asarray(values, dtype=float).ravel()
    v = np.where(np.isfinite(v), v, 0.0)
    n = v.size
    a = np.abs(v)
    nz = a > 0
    e = np.zeros(n, dtype=np.int64)
    with np.errstate(divide="ignore"):
        e[nz] = np.floor(np.log10(a[nz])).astype(np.int64)
    top = 10 ** (decimals + 1)
    low = 10**decimals
    scale = float(10**decimals)

    def mantissa(sel: np.ndarray | slice) -> np.ndarray:
        return np.rint(a[sel] / np.power(10.0, e[sel].astype(float)) * scale).astype(np.int64)

    m = mantissa(slice(None))
    big = m >= top
    if big.any():
        e[big] += 1
        m[big] = mantissa(big)
    small = nz & (m < low)
    if small.any():
        e[small] -= 1
        m[small] = mantissa(small)
    m = np.minimum(m, top - 1)
    width = decimals + 8
    out = np.zeros((n, width), dtype=np.uint8)
    out[:, 0] = np.where(v < 0, 45, 0)
    rem = m.copy()
    for k in range(decimals, -1, -1):
        rem, digit = np.divmod(rem, 10)
        col = 1 + k if k == 0 else 2 + k
        out[:, col] = 48 + digit
    out[:, 2] = _DOT
    out[:, 3 + decimals] = 69  # 'E'
    out[:, 4 + decimals] = np.where(e < 0, 45, 43)
    ae = np.abs(e)
    out[:, 5 + decimals] = 48 + (ae // 100) % 10
    out[:, 6 + decimals] = 48 + (ae // 10) % 10
    out[:, 7 + decimals] = 48 + ae % 10
    return out


def format_fixed(values: np.ndarray, decimals: int) -> np.ndarray:
    """Fixed-point notation (``-12.345``) as a (n, width) uint8 array, NUL-padded on the left."""
    v = np.asarray(values, dtype=float).ravel()
    v = np.where(np.isfinite(v), v, 0.0)
    scaled = np.rint(np.abs(v) * 10**decimals).astype(np.int64)
    neg = (v < 0) & (scaled > 0)
    int_part, frac = np.divmod(scaled, 10**decimals)
    ints = format_integers(np.where(neg, -int_part, int_part), negative_zero=neg & (int_part == 0))
    if decimals == 0:
        return ints
    fr = np.zeros((v.size, decimals + 1), dtype=np.uint8)
    fr[:, 0] = _DOT
    rem = frac
    for k in range(decimals, 0, -1):
        rem, digit = np.divmod(rem, 10)
        fr[:, k] = 48 + digit
    return np.concatenate([ints, fr], axis=1)


def format_integers(values: np.ndarray, *, negative_zero: np.ndarray | None = None) -> np.ndarray:
    """Integers without padding (as a (n, width) uint8 array, NUL-padded on the left)."""
    v = np.asarray(values).astype(np.int64).ravel()
    a = np.abs(v)
    ndig = max(1, len(str(int(a.max())))) if a.size else 1
    out = np.zeros((v.size, ndig + 1), dtype=np.uint8)
    rem = a.copy()
    for k in range(ndig, 0, -1):
        rem, digit = np.divmod(rem, 10)
        out[:, k] = 48 + digit
    # blank the leading zeros (keep at least one digit)
    pos = np.arange(1, ndig + 1)
    nd = np.maximum(1, np.floor(np.log10(np.maximum(a, 1))).astype(np.int64) + 1)
    lead = pos[None, :] <= (ndig - nd)[:, None]
    out[:, 1:][lead] = 0
    neg = v < 0
    if negative_zero is not None:
        neg = neg | negative_zero
    first = ndig - nd  # index (in out) of the slot left of the first digit
    out[np.arange(v.size)[neg], first[neg]] = 45
    return out


def join_rows(
    columns: Sequence[np.ndarray],
    *,
    sep: int = _TAB,
    eol: bytes = b"\r\n",
    decimal_comma: bool = False,
) -> bytes:
    """Join formatted (n, w) uint8 columns into text rows (NUL padding dropped)."""
    n = columns[0].shape[0]
    parts: list[np.ndarray] = []
    sep_col = np.full((n, 1), sep, dtype=np.uint8)
    for i, col in enumerate(columns):
        if decimal_comma:
            col = np.where(col == _DOT, _COMMA, col).astype(np.uint8)
        parts.append(col)
        if i < len(columns) - 1:
            parts.append(sep_col)
    parts.append(np.tile(np.frombuffer(eol, dtype=np.uint8), (n, 1)))
    block = np.concatenate(parts, axis=1).ravel()
    return block[block != 0].tobytes()


# --------------------------------------------------------------------------------------------
# BioLogic .mpt
# --------------------------------------------------------------------------------------------

#: Columns of the GCPL export: (name, format) with format "i" integer, "d" float64 (15
#: decimals), "f" float32 (7 decimals).
GCPL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("mode", "i"),
    ("ox/red", "i"),
    ("error", "i"),
    ("control changes", "i"),
    ("Ns changes", "i"),
    ("counter inc.", "i"),
    ("Ns", "i"),
    ("time/s", "d"),
    ("control/mA", "f"),
    ("Ewe/V", "f"),
    ("I/mA", "d"),
    ("dq/mA.h", "d"),
    ("(Q-Qo)/mA.h", "d"),
    ("half cycle", "i"),
    ("Q charge/discharge/mA.h", "d"),
    ("Energy charge/W.h", "d"),
    ("Energy discharge/W.h", "d"),
    ("Capacitance charge/µF", "d"),
    ("Capacitance discharge/µF", "d"),
    ("Q discharge/mA.h", "d"),
    ("Q charge/mA.h", "d"),
    ("Capacity/mA.h", "d"),
    ("cycle number", "d"),
    ("P/W", "f"),
)

#: The 18 core GCPL columns (what a lean EC-Lab export holds; used for the 1e6-row benchmark file).
GCPL_COLUMNS_COMPACT: tuple[tuple[str, str], ...] = tuple(
    c
    for c in GCPL_COLUMNS
    if c[0]
    not in (
        "Energy charge/W.h",
        "Energy discharge/W.h",
        "Capacitance charge/µF",
        "Capacitance discharge/µF",
        "Capacity/mA.h",
        "P/W",
    )
)

PEIS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("freq/Hz", "f"),
    ("Re(Z)/Ohm", "f"),
    ("-Im(Z)/Ohm", "f"),
    ("|Z|/Ohm", "f"),
    ("Phase(Z)/deg", "f"),
    ("time/s", "d"),
    ("<Ewe>/V", "f"),
    ("<I>/mA", "f"),
    ("Cs/µF", "f"),
    ("Cp/µF", "f"),
    ("cycle number", "d"),
    ("I Range", "i"),
    ("|Ewe|/V", "f"),
    ("|I|/A", "f"),
    ("Re(Y)/Ohm-1", "f"),
    ("Im(Y)/Ohm-1", "f"),
    ("|Y|/Ohm-1", "f"),
    ("Phase(Y)/deg", "f"),
)


def gcpl_columns(data: ImportedData) -> dict[str, np.ndarray]:
    """The EC-Lab GCPL columns derived from a cycling dataset (time_s, voltage_V, current_mA and
    optionally step_index).

    ``half cycle`` (0-based) advances when the current changes sign (rests keep the previous
    half cycle), ``cycle number`` = half cycle // 2 (file starting with a charge), ``Q
    charge/discharge`` is signed and resets every half cycle, ``(Q-Qo)`` accumulates, ``Ns`` is
    0 for rests, 1 for charges, 2 for discharges.
    """
    t = np.asarray(data.arrays["time_s"], dtype=float)
    v = np.asarray(data.arrays["voltage_V"], dtype=float)
    i = np.asarray(data.arrays["current_mA"], dtype=float)
    n = t.size
    if "step_index" in data.arrays:
        step = np.asarray(data.arrays["step_index"]).astype(np.int64)
    else:
        sgn = np.sign(i).astype(np.int64)
        step = np.concatenate([[0], np.cumsum(sgn[1:] != sgn[:-1])])
    new_step = np.concatenate([[True], step[1:] != step[:-1]])
    sgn = np.sign(i)
    # direction carried through rests (initial rest takes the first current's direction)
    idx = np.where(sgn != 0, np.arange(n), -1)
    idx = np.maximum.accumulate(idx)
    first_cc = int(np.argmax(sgn != 0)) if (sgn != 0).any() else 0
    direction = np.where(idx >= 0, sgn[np.maximum(idx, 0)], sgn[first_cc] if n else 1.0)
    direction = np.where(direction == 0, 1.0, direction)
    half = np.concatenate([[0], np.cumsum(direction[1:] != direction[:-1])]).astype(np.int64)
    if direction[0] < 0:  # a file starting with a discharge: EC-Lab skips half cycle 1
        half = np.where(half > 0, half + 1, half)
    cycle = half // 2
    dt = np.diff(t, prepend=t[0])
    dq = np.where(new_step, 0.0, i * dt / 3600.0)
    q_cum = np.cumsum(dq)
    new_half = np.concatenate([[True], half[1:] != half[:-1]])
    starts = np.maximum.accumulate(np.where(new_half, np.arange(n), 0))
    q_before = q_cum - dq  # cumulative before this row
    q_half = q_cum - q_before[starts]
    dq_e = np.where(new_step, 0.0, v * i * dt / 3.6e6)  # W.h
    e_cum = np.cumsum(dq_e)
    e_half = e_cum - (e_cum - dq_e)[starts]
    charge_half = direction > 0
    counts = np.bincount(step - step.min(), minlength=1)
    sums = np.bincount(step - step.min(), weights=i, minlength=1)
    control = (sums / np.maximum(counts, 1))[step - step.min()]
    mode = np.where(sgn != 0, 1, 3)
    ns = np.where(sgn > 0, 1, np.where(sgn < 0, 2, 0))
    counter = np.concatenate([[0], (cycle[1:] != cycle[:-1]).astype(np.int64)])
    zeros = np.zeros(n)
    return {
        "mode": mode,
        "ox/red": (direction > 0).astype(np.int64),
        "error": np.zeros(n, dtype=np.int64),
        "control changes": new_step.astype(np.int64),
        "Ns changes": new_step.astype(np.int64),
        "counter inc.": counter,
        "Ns": ns,
        "time/s": t,
        "control/mA": np.where(sgn != 0, control, 0.0),
        "Ewe/V": v,
        "I/mA": i,
        "dq/mA.h": dq,
        "(Q-Qo)/mA.h": q_cum,
        "half cycle": half,
        "Q charge/discharge/mA.h": q_half,
        "Energy charge/W.h": np.where(charge_half, np.abs(e_half), 0.0),
        "Energy discharge/W.h": np.where(charge_half, 0.0, np.abs(e_half)),
        "Capacitance charge/µF": zeros,
        "Capacitance discharge/µF": zeros,
        "Q discharge/mA.h": np.where(charge_half, 0.0, np.abs(q_half)),
        "Q charge/mA.h": np.where(charge_half, np.abs(q_half), 0.0),
        "Capacity/mA.h": np.abs(q_half),
        "cycle number": cycle.astype(float),
        "P/W": v * i / 1000.0,
    }


def _format_column(values: np.ndarray, fmt: str) -> np.ndarray:
    if fmt == "i":
        return format_integers(values)
    return format_scientific(values, 15 if fmt == "d" else 7)


def _num(x: float, fmt: str, decimal_comma: bool) -> str:
    s = format(x, fmt)
    return s.replace(".", ",") if decimal_comma else s


def _mpt_bytes(
    header: list[str], columns: Sequence[tuple[str, str]], table: dict[str, np.ndarray], dc: bool
) -> bytes:
    nb = len(header) + 3  # + the two first lines + the column-name line
    lines = ["EC-Lab ASCII FILE", f"Nb header lines : {nb:<26d}", *header]
    lines.append("\t".join(name for name, _ in columns) + "\t")
    head = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    n = len(next(iter(table.values())))
    chunks = [head]
    for a in range(0, n, _CHUNK_ROWS):
        b = min(n, a + _CHUNK_ROWS)
        cols = [_format_column(np.asarray(table[name])[a:b], fmt) for name, fmt in columns]
        chunks.append(join_rows(cols, decimal_comma=dc))
    return b"".join(chunks)


def _gcpl_header(data: ImportedData, dc: bool, start_time: str) -> list[str]:
    meta = data.metadata
    mass = float(meta.get("active_mass_mg", 10.294))
    j0 = 0.0
    i = np.asarray(data.arrays["current_mA"], dtype=float)
    cc = i[i != 0]
    if cc.size:
        j0 = float(np.abs(cc[: min(cc.size, 50)]).mean())
    comments = [f"Comments : {meta.get('sample', 'demo cell')} | NCM811 | Li6PS5Cl | Li"]
    if meta.get("protocol"):
        comments.append(f"Comments : {meta['protocol']}")
    comments.append("Comments : synthetic data generated by the LBPO Workbench demo")

    def row(label: str, *vals: str) -> str:
        return f"{label:<20s}" + "".join(f"{v:<20s}" for v in vals)

    return [
        "",
        "Galvanostatic Cycling with Potential Limitation",
        "",
        "Run on channel : 1 (SN 0001)",
        "User : ",
        "CE vs. WE compliance from -10 V to 10 V",
        "Electrode connection : standard",
        "Potential control : Ewe",
        f"Ewe ctrl range : min = {_num(0, '.2f', dc)} V, max = {_num(5, '.2f', dc)} V",
        "Safety Limits :",
        "\tDo not start on E overload",
        f"Acquisition started on : {start_time}",
        "Loaded Setting File : NONE",
        "Saved on :",
        "\tFile : lbpo_demo_GCPL_C01.mpr",
        "\tDirectory : C:\\Data\\LBPO\\",
        "\tHost : 127.0.0.1",
        "Device : VMP3 (SN 0001)",
        "Address : USB",
        "EC-LAB for windows v11.50 (software)",
        "Internet server v11.50 (firmware)",
        "Command interpretor v11.50 (firmware)",
        "Electrode material : Li[Ni0.82Co0.12Mn0.06]O2 (NCM811)",
        "Initial state : discharged",
        "Electrolyte : Li6PS5Cl",
        *comments,
        f"Mass of active material : {_num(mass, '.3f', dc)} mg",
        f" at x = {_num(0, '.3f', dc)}",
        f"Molecular weight of active material (at x = 0) : {_num(97.28, '.3f', dc)} g/mol",
        f"Atomic weight of intercalated ion : {_num(6.94, '.3f', dc)} g/mol",
        f"Acquisition started at : xo = {_num(0, '.3f', dc)}",
        "Number of e- transfered per intercalated ion : 1",
        f"for DX = 1, DQ = {_num(mass * 0.2755, '.3f', dc)} mA.h",
        f"Battery capacity : {_num(mass * 0.2, '.3f', dc)} mA.h",
        f"Electrode surface area : {_num(1.327, '.3f', dc)} cm²",
        f"Characteristic mass : {_num(mass, '.3f', dc)} mg",
        "Cycle Definition : Charge/Discharge alternance",
        row("Ns", "0", "1", "2"),
        row("Set I/C", "I", "I", "I"),
        row("Is", _num(0, ".3f", dc), _num(j0, ".3f", dc), _num(-j0, ".3f", dc)),
        row("unit Is", "mA", "mA", "mA"),
        row("vs.", "<None>", "<None>", "<None>"),
        row("N", _num(1, ".2f", dc), _num(1, ".2f", dc), _num(1, ".2f", dc)),
        row("I sign", "> 0", "> 0", "< 0"),
        row("t1 (h:m:s)", "0:10:0.0000", "99:00:0.0000", "99:00:0.0000"),
        row("I Range", "10 mA", "10 mA", "10 mA"),
        row("dE1 (mV)", _num(5, ".2f", dc), _num(5, ".2f", dc), _num(5, ".2f", dc)),
        row("EM (V)", _num(0, ".3f", dc), _num(4.25, ".3f", dc), _num(2.5, ".3f", dc)),
        row("dq", _num(0, ".3f", dc), _num(0, ".3f", dc), _num(0, ".3f", dc)),
        row("unit dq", "mA.h", "mA.h", "mA.h"),
        row("goto Ns'", "0", "0", "1"),
        row("nc cycles", "0", "0", "0"),
        "",
    ]


def write_biologic_gcpl_mpt(
    path: str | Path,
    data: ImportedData,
    *,
    decimal_comma: bool = False,
    start_time: str = "05/29/2023 09:00:00.000",
    columns: Sequence[tuple[str, str]] = GCPL_COLUMNS,
) -> Path:
    """Write a cycling dataset as an EC-Lab GCPL ``.mpt`` (see module docstring for the format).

    The mass in the header is ``metadata['active_mass_mg']``; ``columns`` picks (name, format)
    pairs from :data:`GCPL_COLUMNS`. Returns the path written.
    """
    path = Path(path)
    header = _gcpl_header(data, decimal_comma, start_time)
    table = gcpl_columns(data)
    path.write_bytes(_mpt_bytes(header, columns, table, decimal_comma))
    return path


def peis_columns(data: ImportedData) -> dict[str, np.ndarray]:
    """The EC-Lab PEIS columns derived from an impedance dataset."""
    f = np.asarray(data.arrays["frequency_Hz"], dtype=float)
    z = np.asarray(data.arrays["z_real_ohm"], dtype=float) + 1j * np.asarray(
        data.arrays["z_imag_ohm"], dtype=float
    )
    w = 2 * np.pi * f
    y = 1.0 / z
    amp_V = float(data.metadata.get("amplitude_mV", 10.0)) / 1000.0
    ewe = float(data.metadata.get("open_circuit_V", 4.18))
    t = np.cumsum(np.maximum(3.0 / f, 0.25))
    with np.errstate(divide="ignore", invalid="ignore"):
        cs = np.where(z.imag != 0, -1.0 / (w * z.imag), 0.0) * 1e6
    return {
        "freq/Hz": f,
        "Re(Z)/Ohm": z.real,
        "-Im(Z)/Ohm": -z.imag,
        "|Z|/Ohm": np.abs(z),
        "Phase(Z)/deg": np.degrees(np.angle(z)),
        "time/s": t,
        "<Ewe>/V": np.full(f.size, ewe),
        "<I>/mA": np.zeros(f.size),
        "Cs/µF": cs,
        "Cp/µF": y.imag / w * 1e6,
        "cycle number": np.ones(f.size),
        "I Range": np.full(f.size, 11, dtype=np.int64),
        "|Ewe|/V": np.full(f.size, amp_V),
        "|I|/A": amp_V / np.abs(z),
        "Re(Y)/Ohm-1": y.real,
        "Im(Y)/Ohm-1": y.imag,
        "|Y|/Ohm-1": np.abs(y),
        "Phase(Y)/deg": np.degrees(np.angle(y)),
    }


def write_biologic_peis_mpt(
    path: str | Path,
    data: ImportedData,
    *,
    decimal_comma: bool = False,
    start_time: str = "05/29/2023 12:00:00.000",
) -> Path:
    """Write an impedance dataset as an EC-Lab PEIS ``.mpt`` (``-Im(Z)`` positive = capacitive)."""
    path = Path(path)
    dc = decimal_comma
    f = np.asarray(data.arrays["frequency_Hz"], dtype=float)
    amp = float(data.metadata.get("amplitude_mV", 10.0))
    ppd = int(data.metadata.get("points_per_decade", 10))

    def row(label: str, val: str) -> str:
        return f"{label:<20s}{val:<20s}"

    header = [
        "",
        "Potentio Electrochemical Impedance Spectroscopy",
        "",
        "Run on channel : 2 (SN 0001)",
        "User : ",
        "CE vs. WE compliance from -10 V to 10 V",
        "Electrode connection : standard",
        f"Ewe ctrl range : min = {_num(-2.5, '.2f', dc)} V, max = {_num(5, '.2f', dc)} V",
        "Safety Limits :",
        "\tDo not start on E overload",
        f"Acquisition started on : {start_time}",
        f"Technique started on : {start_time}",
        "Saved on :",
        "\tFile : lbpo_demo_PEIS_C02.mpr",
        "\tDirectory : C:\\Data\\LBPO\\",
        "\tHost : 127.0.0.1",
        "Device : SP-150 (SN 0001)",
        "Address : USB",
        "EC-Lab for windows v11.50 (software)",
        "Internet server v11.50 (firmware)",
        "Command interpretor v11.50 (firmware)",
        "Electrode material : NCM811 | Li6PS5Cl | Li",
        f"Initial state : {data.metadata.get('state', 'charged after 1st cycle')}",
        "Electrolyte : Li6PS5Cl",
        f"Comments : {data.metadata.get('sample', 'demo cell')}",
        "Comments : synthetic data generated by the LBPO Workbench demo",
        f"Electrode surface area : {_num(1.327, '.3f', dc)} cm²",
        f"Characteristic mass : {_num(0.015, '.3f', dc)} g",
        "Cycle Definition : Charge/Discharge alternance",
        row("Mode", "Single sine"),
        row("E (V)", _num(0, ".4f", dc)),
        row("vs.", "Eoc"),
        row("fi", _num(float(f.max()) / 1000.0, ".3f", dc)),
        row("unit fi", "kHz"),
        row("ff", _num(float(f.min()) * 1000.0, ".3f", dc)),
        row("unit ff", "mHz"),
        row("Nd", str(ppd)),
        row("Points", "per decade"),
        row("spacing", "Logarithmic"),
        row("Va (mV)", _num(amp, ".1f", dc)),
        row("pw", _num(0.1, ".2f", dc)),
        row("Na", "2"),
        row("corr", "0"),
        row("I Range", "Auto"),
        row("Bandwidth", "7"),
        "",
    ]
    table = peis_columns(data)
    path.write_bytes(_mpt_bytes(header, PEIS_COLUMNS, table, dc))
    return path


# --------------------------------------------------------------------------------------------
# CSV writers
# --------------------------------------------------------------------------------------------


def write_impedance_csv(path: str | Path, data: ImportedData) -> Path:
    """Write ``frequency_Hz,z_real_ohm,z_imag_ohm`` (UTF-8, LF, Z'' signed: negative capacitive)."""
    path = Path(path)
    cols = [
        format_scientific(data.arrays["frequency_Hz"], 9),
        format_scientific(data.arrays["z_real_ohm"], 9),
        format_scientific(data.arrays["z_imag_ohm"], 9),
    ]
    body = join_rows(cols, sep=_COMMA, eol=b"\n")
    path.write_bytes(b"frequency_Hz,z_real_ohm,z_imag_ohm\n" + body)
    return path


def write_eds_csv(path: str | Path, data: ImportedData) -> Path:
    """Write ``distance_nm`` and one column per element (counts as integers), comma-separated."""
    path = Path(path)
    names = ["distance_nm", *[k for k in data.arrays if k != "distance_nm"]]
    cols = [format_fixed(data.arrays["distance_nm"], 3)]
    for k in names[1:]:
        vals = np.asarray(data.arrays[k], dtype=float)
        if np.allclose(vals, np.rint(vals)):
            cols.append(format_integers(np.rint(vals)))
        else:
            cols.append(format_fixed(vals, 4))
    body = join_rows(cols, sep=_COMMA, eol=b"\n")
    path.write_bytes((",".join(names) + "\n").encode("ascii") + body)
    return path


# --------------------------------------------------------------------------------------------
# VAMAS
# --------------------------------------------------------------------------------------------


def _vnum(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "1E37"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return format(float(x), ".10g")


def _species_transition(region: str) -> tuple[str, str]:
    parts = region.split()
    if len(parts) >= 2:
        return parts[0], parts[1]
    return region, ""


def write_vamas(
    path: str | Path,
    spectra: Sequence[ImportedData],
    *,
    experiment_identifier: str = "LBPO Workbench demo",
    operator: str = "demo",
) -> Path:
    """Write XPS datasets as one VAMAS file (NORM, REGULAR, one block per dataset).

    Each dataset needs ``binding_energy_eV`` (evenly spaced, either order) and ``counts_per_s``,
    and metadata ``region`` (e.g. ``'S 2p'``), ``photon_energy_eV``, ``pass_energy_eV``,
    ``dwell_s``, ``n_scans`` and optionally ``etch_time_s``, ``sample``, ``state``. The abscissa
    is kinetic energy (start + i x step, BE = h nu - KE) and the ordinate counts per channel.
    """
    path = Path(path)
    regions = {str(s.metadata.get("region", "")) for s in spectra}
    lines = [
        "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4",
        "LBPO Workbench",
        "Thermo Scientific K-Alpha+",
        operator,
        experiment_identifier,
        "1",
        "Synthetic spectra of the LBPO Workbench demo (not measured data)",
        "NORM",
        "REGULAR",
        str(len(regions)),
        "1",
        "Etch Time",
        "s",
        "0",
        "0",
        "0",
        "0",
        str(len(spectra)),
    ]
    for k, s in enumerate(spectra):
        m = s.metadata
        be = np.asarray(s.arrays["binding_energy_eV"], dtype=float)
        cps = np.asarray(s.arrays["counts_per_s"], dtype=float)
        hv = float(m.get("photon_energy_eV", 1486.6))
        dwell = float(m.get("dwell_s", 0.05))
        scans = int(m.get("n_scans", 1))
        order = np.argsort(-be)  # KE ascending = BE descending
        be, cps = be[order], cps[order]
        step_be = float(np.mean(np.diff(be))) if be.size > 1 else -0.1
        if be.size > 2 and np.max(np.abs(np.diff(be) - step_be)) > 1e-6:
            raise ValueError("VAMAS REGULAR blocks need an evenly spaced energy axis")
        ke_start = round(hv - be[0], 6)
        ke_step = round(-step_be, 6)
        counts = np.rint(cps * dwell * scans).astype(np.int64)
        region = str(m.get("region", "S 2p"))
        species, transition = _species_transition(region)
        comments = [
            f"sample: {m.get('sample', '')}",
            f"state: {m.get('state', '')}",
            f"label: {s.label}",
        ]
        lines += [
            region.replace(" ", ""),
            str(m.get("sample", "demo")),
            "2023",
            "5",
            "29",
            "10",
            str(k % 60),
            "0",
            "0",
            str(len(comments)),
            *comments,
            "XPS",
            _vnum(float(m.get("etch_time_s", 0.0))),
            "Al",
            _vnum(hv),
            "1E37",
            "1E37",
            "1E37",
            "1E37",
            "1E37",
            "FAT",
            _vnum(float(m.get("pass_energy_eV", 20.0))),
            "1E37",
            "4.5",
            "1E37",
            "400",
            "400",
            "0",
            "0",
            species,
            transition,
            "-1",
            "kinetic energy",
            "eV",
            _vnum(ke_start),
            _vnum(ke_step),
            "1",
            "counts",
            "d",
            "pulse counting",
            _vnum(dwell),
            str(scans),
            "0",
            "0",
            "0",
            "0",
            "0",
            str(counts.size),
            str(int(counts.min())),
            str(int(counts.max())),
        ]
        lines += [str(int(c)) for c in counts]
    lines.append("end of experiment")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path
