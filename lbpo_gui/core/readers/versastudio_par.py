"""AMETEK VersaStudio ``.par`` files (ASCII variant): every Action's EIS segments.

Layout (the field notes section 5, impedance.py's example): tag-delimited ``key=value``
sections, not well-formed XML: ``<Application>``, ``<Action0>`` (common settings: ``Working
Electrode Area (cm2)``, ``Measured Open Circuit``), ``<Instrument>``, ``<Experiment>``, then per
technique ``<ActionN>`` (``Name=Potentiostatic EIS``, ``Amplitude (mV RMS)``...) and its
``<SegmentN>`` blocks: ``Type=``, ``Version=``, ``Definition=Segment #, Point #, E(V), I(A),
Elapsed Time(s), ..., Frequency(Hz), ..., Z Real, Z Imag, ...`` and comma-separated rows.
Columns are taken by name from ``Definition=`` (never by position); Z Imag is signed. A
segment without Frequency/Z columns (a DC action) is skipped. The binary variant
(``DataFormat=Binary`` or NUL bytes) is refused.

VersaStudio's manual: "The EIS data within the raw data file is un-calibrated and should not be
used for data analysis. Only EIS data that is copied and pasted from within VersaStudio should
be used" - every table carries that warning in ``metadata['warnings']``.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import numpy as np

from ..errors import ReaderError
from .impedance_table import impedance_data, read_bounded
from .registry import reader
from .text import decode_bytes, split_lines

NAME = "versastudio_par"
UNCALIBRATED = (
    "raw .par EIS data are uncalibrated (VersaStudio manual): for analysis, use the data "
    "copied or exported from VersaStudio"
)
_TAG = re.compile(r"^<(/?)([A-Za-z]+)(\d*)>\s*$")


def sniff(head: bytes, filename: str) -> float:
    """``<Application>`` + ``Name=VersaStudio`` (or a .par with ``<Segment``)."""
    text = head.decode("latin-1")
    if "<Application>" in text[:2000] and "VersaStudio" in text[:4000]:
        return 0.95
    if filename.endswith(".par") and "<Segment" in text:
        return 0.7
    return 0.0


def _sections(lines: list[str]):
    """(tag, number, first line index, lines) of every top-level section."""
    current, number, start, body = None, "", 0, []
    for i, ln in enumerate(lines):
        m = _TAG.match(ln.strip())
        if m and not m.group(1) and current is None:
            current, number, start, body = m.group(2), m.group(3), i, []
        elif m and m.group(1) and current == m.group(2):
            yield current, number, start, body
            current = None
        elif current is not None:
            body.append(ln)


def _key_values(body: list[str]) -> dict[str, str]:
    out = {}
    for ln in body:
        if "=" in ln and not ln.startswith("Definition="):
            k, _, v = ln.partition("=")
            out.setdefault(k.strip(), v.strip())
    return out


@reader(
    NAME,
    kinds=("impedance",),
    patterns=("*.par",),
    sniff=sniff,
    description="AMETEK VersaStudio .par (ASCII): EIS segments of every action",
)
def read(path: Path) -> list:
    """Read the EIS segments of a VersaStudio ``.par`` file (see the module docstring)."""
    path = Path(path)
    data = read_bounded(path, "a VersaStudio .par file")
    if b"\x00" in data[:65536] or re.search(rb"DataFormat\s*=\s*Binary", data[:65536]):
        raise ReaderError(
            path,
            "is a binary VersaStudio file",
            line=1,
            expected="the ASCII .par variant (VersaStudio: save data as text)",
        )
    text, _enc = decode_bytes(data)
    lines = split_lines(text)
    if not any(ln.strip().startswith("<Segment") for ln in lines):
        raise ReaderError(
            path,
            "no <SegmentN> block",
            line=1,
            expected="a VersaStudio .par file with data segments",
        )
    common: dict = {"source_format": "VersaStudio .par", "warnings": [UNCALIBRATED]}
    actions: dict[str, dict[str, str]] = {}
    out = []
    for tag, number, start, body in _sections(lines):
        if tag == "Action":
            actions[number] = _key_values(body)
            if number == "0":
                kv = actions[number]
                if "Working Electrode Area (cm2)" in kv:
                    with contextlib.suppress(ValueError):
                        common["electrode_area_cm2"] = float(kv["Working Electrode Area (cm2)"])
            continue
        if tag == "Application":
            common["software"] = "VersaStudio " + _key_values(body).get("Version", "")
        if tag == "Instrument":
            common["instrument"] = _key_values(body).get("Type", "")
        if tag != "Segment":
            continue
        def_idx = next((k for k, ln in enumerate(body) if ln.startswith("Definition=")), None)
        if def_idx is None:
            raise ReaderError(
                path,
                f"Segment{number} has no Definition= line",
                line=start + 2,
                expected="Definition=<column names>",
            )
        names = [n.strip() for n in body[def_idx][len("Definition=") :].split(",")]
        col = {n: i for i, n in enumerate(names)}
        if not {"Frequency(Hz)", "Z Real", "Z Imag"} <= set(col):
            continue  # a DC segment
        rows = []
        for k in range(def_idx + 1, len(body)):
            ln = body[k].strip()
            if not ln:
                continue
            try:
                vals = [float(x) for x in ln.split(",")]
            except ValueError:
                raise ReaderError(
                    path,
                    f"not a number in {ln[:40]!r}",
                    line=start + 2 + k,
                    expected="comma-separated numbers",
                ) from None
            if len(vals) < col["Z Imag"] + 1:
                raise ReaderError(
                    path,
                    "a row has too few values",
                    line=start + 2 + k,
                    expected=f"{len(names) - 1} comma-separated values",
                )
            rows.append(vals)
        if not rows:
            continue
        arr = np.array([r[: len(names)] + [np.nan] * (len(names) - len(r)) for r in rows])
        action = actions.get(number) or actions.get(
            max((a for a in actions if a != "0"), default="0"), {}
        )
        meta = {**common, "segment": int(number or 0), "technique": action.get("Name", "EIS")}
        if "Amplitude (mV RMS)" in action:
            meta["amplitude_mV_rms"] = action["Amplitude (mV RMS)"]
        extras = {}
        for name, key in (
            ("time_s", "Elapsed Time(s)"),
            ("potential_V", "E(V)"),
            ("current_A", "I(A)"),
        ):
            if key in col:
                extras[name] = arr[:, col[key]]
        label = path.stem if not out else f"{path.stem} segment {number}"
        out.append(
            impedance_data(
                path,
                arr[:, col["Frequency(Hz)"]],
                arr[:, col["Z Real"]] + 1j * arr[:, col["Z Imag"]],
                label=label,
                metadata=meta,
                reader=NAME,
                extras=extras,
                line=start + def_idx + 3,
            )
        )
    if not out:
        raise ReaderError(
            path,
            "no segment holds EIS data",
            line=1,
            expected="a segment whose Definition= names Frequency(Hz), Z Real, Z Imag",
        )
    return out
