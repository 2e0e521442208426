"""Gamry Framework ``.DTA`` impedance files (EISPOT, EISGALV): the ``ZCURVE`` table.

Layout (help.gamry.com "EIS Data File Overview", the field notes section 5): line 1 ``EXPLAIN``,
line 2 ``TAG\\tEISPOT``, then tab-separated ``NAME\\tTYPE\\tvalue\\tlabel`` data objects
(``VDC POTEN``, ``AREA QUANT``, ``DRIFTCOR SELECTOR``, ``FREQINIT``...), tables such as
``OCVCURVE\\tTABLE\\tN``; the impedance is ``ZCURVE\\tTABLE`` followed by a header row ``Pt Time
Freq Zreal Zimag Zsig Zmod Zphz Idc Vdc IERange`` (``ZrealDrCor ZimagDrCor ...`` when drift
correction was on), a units row, and rows starting with a tab. Zimag is signed (negative =
capacitive). An aborted run ends the rows with ``EXPERIMENTABORTED\\tTOGGLE\\tT``; other tables
may follow. Decimal commas occur (locale).

Output: one table of the measured Zreal/Zimag; with drift correction a second table of the
drift-corrected columns (label ``... drift-corrected``). Extras ``time_s``, ``potential_V``
(Vdc), ``current_A`` (Idc).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ReaderError
from .impedance_table import impedance_data, read_bounded
from .registry import reader
from .text import decode_bytes, require_text, split_lines

NAME = "gamry_dta"
_EXPECTED = "a Gamry .DTA file with a ZCURVE table"


def sniff(head: bytes, filename: str) -> float:
    """``EXPLAIN`` first and an EIS tag or ``ZCURVE`` in the head."""
    text = head[:65536].decode("latin-1")
    if not text.lstrip("\ufeff\r\n ").startswith("EXPLAIN"):
        return 0.0
    if "ZCURVE" in text or "\tEIS" in text:
        return 0.95
    return 0.0


def _num(text: str) -> float:
    return float(text.strip().replace(",", "."))


def _objects(lines: list[str], stop: int) -> dict:
    meta: dict = {}
    for ln in lines[:stop]:
        parts = ln.split("\t")
        if len(parts) < 3 or not parts[0]:
            continue
        key, kind = parts[0].strip(), parts[1].strip()
        if key == "TAG":
            meta["technique"] = parts[1].strip()
        elif kind in ("QUANT", "POTEN", "IQUANT"):
            try:
                meta[key.lower()] = _num(parts[2])
            except ValueError:
                continue
        elif kind == "SELECTOR" and key == "DRIFTCOR":
            meta["drift_correction"] = parts[2].strip() == "1"
        elif kind == "LABEL" and key in ("DATE", "TIME", "TITLE", "PSTAT"):
            meta[key.lower()] = parts[2].strip()
    return meta


@reader(
    NAME,
    kinds=("impedance",),
    patterns=("*.dta",),
    sniff=sniff,
    description="Gamry Framework .DTA impedance (ZCURVE), drift-corrected and aborted runs",
)
def read(path: Path) -> list:
    """Read the ZCURVE table of a Gamry ``.DTA`` file (see the module docstring)."""
    path = Path(path)
    data = read_bounded(path, _EXPECTED)
    require_text(path, data[:65536], _EXPECTED)
    text, _enc = decode_bytes(data)
    lines = split_lines(text)
    start = next((i for i, ln in enumerate(lines) if ln.startswith("ZCURVE\tTABLE")), None)
    if start is None:
        raise ReaderError(path, "no ZCURVE table", line=1, expected=_EXPECTED)
    if start + 2 >= len(lines):
        raise ReaderError(
            path,
            "the ZCURVE table ends after its header",
            line=start + 1,
            expected="a header row, a units row and data rows",
        )
    header = [h.strip() for h in lines[start + 1].split("\t")]
    col = {h: i for i, h in enumerate(header) if h}
    for need in ("Freq", "Zreal", "Zimag"):
        if need not in col:
            raise ReaderError(
                path,
                f"the ZCURVE header has no {need} column",
                line=start + 2,
                expected="columns Freq, Zreal, Zimag",
            )
    rows: list[list[float]] = []
    first_row = start + 4
    aborted = False
    for k in range(start + 3, len(lines)):
        ln = lines[k]
        if not ln.startswith("\t"):
            aborted = ln.startswith("EXPERIMENTABORTED")
            break
        fields = ln.split("\t")
        try:
            rows.append([_num(f) if f.strip() else np.nan for f in fields[: len(header)]])
        except ValueError:
            raise ReaderError(
                path,
                f"not a number in {ln.strip()[:40]!r}",
                line=k + 1,
                expected="numeric ZCURVE rows",
            ) from None
        if len(rows[-1]) < len(header):
            raise ReaderError(
                path,
                "a ZCURVE row has too few fields",
                line=k + 1,
                expected=f"{len(header)} tab-separated fields",
            )
    if not rows:
        raise ReaderError(
            path, "the ZCURVE table has no rows", line=first_row, expected="data rows"
        )
    arr = np.array(rows, dtype=float)
    meta = {"source_format": "Gamry .DTA", **_objects(lines, start), "aborted": aborted}
    extras = {}
    for name, key in (("time_s", "Time"), ("potential_V", "Vdc"), ("current_A", "Idc")):
        if key in col:
            extras[name] = arr[:, col[key]]
    f = arr[:, col["Freq"]]
    out = [
        impedance_data(
            path,
            f,
            arr[:, col["Zreal"]] + 1j * arr[:, col["Zimag"]],
            label=path.stem,
            metadata={**meta, "drift_corrected": False},
            reader=NAME,
            extras=extras,
            line=first_row,
        )
    ]
    if "ZrealDrCor" in col and "ZimagDrCor" in col:
        out.append(
            impedance_data(
                path,
                f,
                arr[:, col["ZrealDrCor"]] + 1j * arr[:, col["ZimagDrCor"]],
                label=f"{path.stem} drift-corrected",
                metadata={**meta, "drift_corrected": True},
                reader=NAME,
                extras=extras,
                line=first_row,
            )
        )
    return out
