"""VAMAS (ISO 14976) surface-analysis files as written by CasaXPS, Avantage, Kratos, PHI, SPECS
and Omicron: one XPS table per block.

Layout (Dench, Hazell, Seah, *SIA* 13, 63 (1988)): one value per line, an experiment header, then
blocks whose optional fields depend on the experiment mode (NORM, SDP, MAP...), the scan mode
(REGULAR: start + step; IRREGULAR: the abscissa is the first corresponding variable) and the
technique. A non-zero inclusion/exclusion list in the header drops fields from blocks 2..n; they
are inherited from block 1.

Conventions of the tables returned:

- ``binding_energy_eV`` ascending. A kinetic-energy abscissa becomes BE = h nu - KE (the
  CasaXPS convention: the analyser work-function field is *not* subtracted again);
- ``counts_per_s``: counts divided by (collection time per channel x number of scans) unless the
  ordinate already is a rate (``c/s``, ``cps``, "per second");
- ``transmission`` when the block has a transmission variable;
- metadata: ``region`` (block label, or species + transition), ``species``, ``transition``,
  ``photon_energy_eV``, ``pass_energy_eV``, ``dwell_s``, ``n_scans``, ``analyser_mode``,
  ``work_function_eV`` (recorded only), ``etch_level`` (value of the first experimental variable,
  or the block index in SDP mode), ``experimental_variables``, ``source_block`` (0-based block
  index), ``sample``, ``technique``, ``casa_fit`` (CasaXPS region and component records as plain
  data, see :func:`parse_casa_comments`; energies converted to binding energy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ReaderError
from .base import ImportedData
from .registry import reader
from .text import decode_bytes, first_nonblank, read_all, split_lines

IDENTIFIER = "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4"
EXPECTED = "a VAMAS (ISO 14976) file"
#: VAMAS "not specified" marker.
NOT_SPECIFIED = 1e37

_DEPTH_MODES = ("MAPDP", "MAPSVDP", "SDP", "SDPSV")
_ION_TECHNIQUES = (
    "FABMS",
    "FABMS energy spec",
    "ISS",
    "SIMS",
    "SIMS energy spec",
    "SNMS",
    "SNMS energy spec",
)
_SPUTTER_TECHNIQUES = ("AES diff", "AES dir", "EDX", "ELS", "UPS", "XPS", "XRF")
_RATE_UNITS = ("c/s", "cps", "counts/s", "counts / s")


class _Lines:
    """A cursor over the file's lines that names the line and the field in every error."""

    def __init__(self, path: Path, lines: list[str], start: int) -> None:
        self.path = path
        self.lines = lines
        self.i = start

    def text(self, what: str) -> str:
        if self.i >= len(self.lines):
            raise ReaderError(
                self.path, f"file ends before the {what}", line=self.i + 1, expected=EXPECTED
            )
        s = self.lines[self.i].strip().strip("\x00").strip()  # PHI pads labels with NUL
        self.i += 1
        return s

    def integer(self, what: str) -> int:
        s = self.text(what)
        try:
            return int(s)
        except ValueError:
            try:
                v = float(s)
            except ValueError:
                v = float("nan")
            if np.isfinite(v) and v == int(v):
                return int(v)
            raise ReaderError(
                self.path, f"{what} is {s!r}", line=self.i, expected="an integer"
            ) from None

    def number(self, what: str) -> float | None:
        """A real value; None for the VAMAS 'not specified' marker (1E37)."""
        s = self.text(what)
        try:
            v = float(s.replace("E+0", "E+").replace(",", "."))
        except ValueError:
            raise ReaderError(
                self.path, f"{what} is {s!r}", line=self.i, expected="a number"
            ) from None
        return None if abs(v) >= 0.99 * NOT_SPECIFIED else v

    def numbers(self, n: int, what: str) -> np.ndarray:
        """``n`` consecutive values (one per line) as floats."""
        start = self.i
        if start + n > len(self.lines):
            raise ReaderError(
                self.path,
                f"file ends after {len(self.lines) - start} of {n} {what}",
                line=len(self.lines),
                expected=f"{n} values",
            )
        chunk = self.lines[start : start + n]
        try:
            values = np.array(chunk, dtype=float)
        except ValueError:
            for k, s in enumerate(chunk):
                try:
                    float(s)
                except ValueError:
                    raise ReaderError(
                        self.path, f"{what}: {s.strip()!r}", line=start + k + 1, expected="a number"
                    ) from None
            raise
        self.i += n
        return values


@dataclass
class VamasHeader:
    """The experiment header fields a reader needs."""

    institution: str
    instrument: str
    operator: str
    experiment: str
    comments: list[str]
    experiment_mode: str
    scan_mode: str
    variables: list[tuple[str, str]]
    #: ISO block-field numbers (1..40) present in blocks 2..n.
    included: set[int]
    n_future_block: int
    n_blocks: int


@dataclass
class VamasBlock:
    """One block: the fields as read (``None`` = not specified) and its ordinate values."""

    index: int
    first_line: int
    fields: dict[str, Any] = field(default_factory=dict)
    variables: list[tuple[str, str]] = field(default_factory=list)
    values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


def _read_header(cur: _Lines) -> VamasHeader:
    line0 = cur.i + 1
    ident = cur.text("format identifier")
    if ident != IDENTIFIER:
        raise ReaderError(cur.path, "not a VAMAS file", line=line0, expected=f"{IDENTIFIER!r}")
    institution = cur.text("institution")
    instrument = cur.text("instrument model")
    operator = cur.text("operator")
    experiment = cur.text("experiment identifier")
    comments = [cur.text("header comment") for _ in range(cur.integer("number of comment lines"))]
    mode_line = cur.i + 1
    mode = cur.text("experiment mode")
    if mode not in ("MAP", "MAPDP", "MAPSV", "MAPSVDP", "NORM", "SDP", "SDPSV", "SEM", "NOEXP"):
        raise ReaderError(
            cur.path, f"experiment mode {mode!r}", line=mode_line, expected="NORM, SDP, MAP..."
        )
    scan_line = cur.i + 1
    scan = cur.text("scan mode")
    if scan not in ("REGULAR", "IRREGULAR", "MAPPING"):
        raise ReaderError(
            cur.path, f"scan mode {scan!r}", line=scan_line, expected="REGULAR or IRREGULAR"
        )
    if mode in ("MAP", "MAPDP", "NORM", "SDP"):
        cur.integer("number of spectral regions")
    if mode in ("MAP", "MAPDP"):
        for what in ("analysis positions", "x coordinates", "y coordinates"):
            cur.integer(f"number of {what}")
    variables = [
        (cur.text("variable label"), cur.text("variable unit"))
        for _ in range(cur.integer("number of experimental variables"))
    ]
    n_incl = cur.integer("inclusion/exclusion list length")
    listed = {cur.integer("inclusion/exclusion entry") for _ in range(abs(n_incl))}
    all_fields = set(range(1, 41))
    included = all_fields if n_incl == 0 else (listed if n_incl > 0 else all_fields - listed)
    for _ in range(cur.integer("number of manually entered items")):
        cur.integer("manually entered item")
    n_future_exp = cur.integer("number of future upgrade experiment entries")
    n_future_block = cur.integer("number of future upgrade block entries")
    for _ in range(n_future_exp):
        cur.text("future upgrade experiment entry")
    n_blocks = cur.integer("number of blocks")
    return VamasHeader(
        institution,
        instrument,
        operator,
        experiment,
        comments,
        mode,
        scan,
        variables,
        included,
        n_future_block,
        n_blocks,
    )


def _read_block(cur: _Lines, h: VamasHeader, index: int, first: VamasBlock | None) -> VamasBlock:
    """One block. Fields omitted by the inclusion/exclusion list come from block 1 (``first``)."""
    b = VamasBlock(index, cur.i + 1)
    f = b.fields

    def part(number: int, name: str, read):
        if first is None or number in h.included:
            f[name] = read()
        else:
            f[name] = first.fields.get(name)
        return f[name]

    f["block_id"] = cur.text("block identifier")
    f["sample_id"] = cur.text("sample identifier")
    for number, name in enumerate(("year", "month", "day", "hour", "minute", "second"), 1):
        part(number, name, lambda name=name: cur.integer(name))
    part(7, "gmt_offset_h", lambda: cur.number("GMT offset"))
    part(
        8,
        "comments",
        lambda: [cur.text("block comment") for _ in range(cur.integer("number of comment lines"))],
    )
    technique = part(9, "technique", lambda: cur.text("technique"))
    if h.experiment_mode in ("MAP", "MAPDP"):
        part(10, "xy", lambda: (cur.number("x"), cur.number("y")))
    part(
        11,
        "variable_values",
        lambda: [cur.number("experimental variable value") for _ in h.variables],
    )
    part(12, "source_label", lambda: cur.text("analysis source label"))
    if h.experiment_mode in _DEPTH_MODES or technique in _ION_TECHNIQUES:
        part(13, "sputter_ion", lambda: [cur.number("sputtering ion field") for _ in range(3)])
    part(14, "photon_energy_eV", lambda: cur.number("analysis source characteristic energy"))
    part(15, "source_strength", lambda: cur.number("analysis source strength"))
    part(16, "beam_width", lambda: (cur.number("beam width x"), cur.number("beam width y")))
    if h.experiment_mode in ("MAP", "MAPDP", "MAPSV", "MAPSVDP", "SEM"):
        part(17, "field_of_view", lambda: (cur.number("field of view x"), cur.number("y")))
    if h.experiment_mode in ("MAPSV", "MAPSVDP", "SEM"):
        part(18, "linescan", lambda: [cur.number("linescan coordinate") for _ in range(6)])
    part(19, "source_polar_deg", lambda: cur.number("source polar angle"))
    part(20, "source_azimuth_deg", lambda: cur.number("source azimuth"))
    part(21, "analyser_mode", lambda: cur.text("analyser mode"))
    part(22, "pass_energy_eV", lambda: cur.number("pass energy or retard ratio"))
    if technique == "AES diff":
        part(23, "differential_width", lambda: cur.number("differential width"))
    part(24, "magnification", lambda: cur.number("analyser magnification"))
    part(25, "work_function_eV", lambda: cur.number("analyser work function"))
    part(26, "target_bias", lambda: cur.number("target bias"))
    part(27, "analysis_width", lambda: (cur.number("analysis width x"), cur.number("y")))
    part(28, "take_off", lambda: (cur.number("take-off polar angle"), cur.number("azimuth")))
    part(29, "species", lambda: cur.text("species label"))
    part(30, "transition", lambda: cur.text("transition label"))
    f["particle_charge"] = (
        cur.integer("charge of detected particle")
        if (first is None or 30 in h.included)
        else first.fields.get("particle_charge")
    )
    if h.scan_mode == "REGULAR":
        part(
            31,
            "abscissa",
            lambda: (
                cur.text("abscissa label"),
                cur.text("abscissa units"),
                cur.number("abscissa start"),
                cur.number("abscissa increment"),
            ),
        )
    part(
        32,
        "variables",
        lambda: [
            (cur.text("corresponding variable label"), cur.text("corresponding variable unit"))
            for _ in range(cur.integer("number of corresponding variables"))
        ],
    )
    b.variables = list(f["variables"] or [])
    part(33, "signal_mode", lambda: cur.text("signal mode"))
    part(34, "dwell_s", lambda: cur.number("signal collection time"))
    part(35, "n_scans", lambda: cur.integer("number of scans"))
    part(36, "time_correction", lambda: cur.number("signal time correction"))
    if h.experiment_mode in _DEPTH_MODES and technique in _SPUTTER_TECHNIQUES:
        part(
            37,
            "sputter_source",
            lambda: (
                [cur.number("sputter source field") for _ in range(6)]
                + [cur.text("sputter source mode")]
            ),
        )
    part(38, "tilt", lambda: (cur.number("sample tilt polar"), cur.number("tilt azimuth")))
    part(39, "rotation_deg", lambda: cur.number("sample rotation"))
    part(
        40,
        "parameters",
        lambda: [
            (cur.text("parameter label"), cur.text("parameter unit"), cur.text("parameter value"))
            for _ in range(cur.integer("number of additional parameters"))
        ],
    )
    for _ in range(h.n_future_block):
        cur.text("future upgrade block entry")
    n_line = cur.i + 1
    n_values = cur.integer("number of ordinate values")
    n_var = len(b.variables)
    if n_var == 0 or n_values % n_var:
        raise ReaderError(
            cur.path,
            f"block {f['block_id']!r}: {n_values} ordinate values for {n_var} variables",
            line=n_line,
            expected="a multiple of the number of corresponding variables",
        )
    for _ in range(n_var):
        cur.number("variable minimum")
        cur.number("variable maximum")
    values = cur.numbers(n_values, f"ordinate values of block {f['block_id']!r}")
    b.values = values.reshape(-1, n_var)
    return b


def parse_vamas(path: Path, text: str) -> tuple[VamasHeader, list[VamasBlock]]:
    """The header and every block of a VAMAS file (leading blank lines are skipped)."""
    lines = split_lines(text)
    cur = _Lines(path, lines, first_nonblank(lines))
    header = _read_header(cur)
    blocks: list[VamasBlock] = []
    for k in range(header.n_blocks):
        blocks.append(_read_block(cur, header, k, blocks[0] if blocks else None))
    return header, blocks


# --------------------------------------------------------------------------------------------
# CasaXPS comment records
# --------------------------------------------------------------------------------------------

_QUOTED = re.compile(r"\(\*(.*?)\*\)")
_PARAM_KEYS = ("Area", "MFWHM", "Position")


def _tokens(line: str) -> list[str]:
    """Split a CASA record into tokens; ``(*...*)`` quoted strings stay one token."""
    out: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(line):
        out.extend(line[pos : m.start()].split())
        out.append("\x00" + m.group(1))
        pos = m.end()
    out.extend(line[pos:].split())
    return out


def _float(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None


def parse_casa_comments(comments: list[str], to_be=None) -> dict[str, Any] | None:
    """CasaXPS ``CASA region`` and ``CASA comp`` records as plain data (nothing is evaluated).

    ``to_be(x)`` converts an energy of the block's abscissa to binding energy (CasaXPS stores
    positions in the block's own abscissa, kinetic energy for most files). Returns
    ``{"regions": [...], "components": [...]}`` or None when the block holds none. A region has
    ``name``, ``background`` (e.g. ``"U 3 Tougaard"``, ``"Shirley"``), ``start_eV``/``end_eV`` (BE),
    ``rsf``, ``average_width`` (points), ``start_offset_pct``, ``end_offset_pct`` and
    ``background_parameters`` (e.g. Tougaard B, C, D). A component has ``name``, ``line_shape``
    (e.g. ``"SGL(30)"``), ``area``, ``fwhm_eV``, ``position_eV`` (BE), each with ``*_min``/``*_max``
    bounds and the CasaXPS link (``*_ref`` index, -1 = none, and ``*_factor``/``*_offset``),
    ``rsf`` and ``index``.
    """
    conv = to_be or (lambda x: x)
    regions: list[dict[str, Any]] = []
    comps: list[dict[str, Any]] = []
    for raw in comments:
        line = raw.strip()
        if line.startswith("CASA region"):
            t = _tokens(line[len("CASA region") :])
            q = [s[1:] for s in t if s.startswith("\x00")]
            nums = [_float(s) for s in t if not s.startswith("\x00")]
            if len(q) < 2 or len(nums) < 5:
                continue
            lo, hi = conv(nums[0]), conv(nums[1])
            regions.append(
                {
                    "name": q[0],
                    "background": q[1],
                    "start_eV": min(lo, hi),
                    "end_eV": max(lo, hi),
                    "rsf": nums[2],
                    "average_width": nums[3],
                    "start_offset_pct": nums[4],
                    "end_offset_pct": nums[5] if len(nums) > 5 else 0.0,
                    "background_parameters": [v for v in nums[6:9] if v is not None],
                }
            )
        elif line.startswith("CASA comp"):
            t = _tokens(line[len("CASA comp") :])
            if len(t) < 2 or not t[0].startswith("\x00") or not t[1].startswith("\x00"):
                continue
            comp: dict[str, Any] = {"name": t[0][1:], "line_shape": t[1][1:]}
            for key, name in zip(_PARAM_KEYS, ("area", "fwhm_eV", "position_eV"), strict=True):
                if key not in t:
                    continue
                k = t.index(key)
                v = [_float(s) for s in t[k + 1 : k + 6]]
                if len(v) < 5 or None in v:
                    continue
                value, vmin, vmax, ref, link = v
                if name == "position_eV":
                    value, a, b = conv(value), conv(vmin), conv(vmax)
                    vmin, vmax = min(a, b), max(a, b)
                    # an offset in kinetic energy is the opposite offset in binding energy
                    comp["position_offset_eV"] = -link if to_be is not None and link else link
                else:
                    comp[name.replace("_eV", "") + "_factor"] = link
                comp[name] = value
                comp[name.replace("_eV", "") + "_min"] = vmin
                comp[name.replace("_eV", "") + "_max"] = vmax
                comp[name.replace("_eV", "") + "_ref"] = int(ref)
            for key in ("RSF", "INDEX"):
                if key in t:
                    k = t.index(key)
                    comp[key.lower()] = _float(t[k + 1]) if k + 1 < len(t) else None
            comps.append(comp)
    if not regions and not comps:
        return None
    return {"regions": regions, "components": comps}


# --------------------------------------------------------------------------------------------
# mapping blocks to tables
# --------------------------------------------------------------------------------------------


def _is_rate(label: str, unit: str) -> bool:
    low_u, low_l = unit.strip().lower(), label.strip().lower()
    return low_u in _RATE_UNITS or "per second" in low_l or low_l in ("cps", "count rate")


def _region_label(block_id: str, species: str, transition: str, index: int) -> str:
    """``"S 2p"`` from species and transition; else the species, the block label, or
    ``"block N"``."""
    if species and transition and species.lower() not in ("species", "not specified"):
        return f"{species} {transition}"
    return species or block_id or f"block {index + 1}"


def block_table(path: Path, h: VamasHeader, b: VamasBlock) -> ImportedData:
    """One block as an XPS table (see the module docstring for the conventions)."""
    f = b.fields
    technique = str(f.get("technique") or "")
    if technique.upper() not in ("XPS", "UPS", "XPS EXCITED AES"):
        raise ReaderError(
            path,
            f"block {f['block_id']!r} holds {technique or 'no'} data, not XPS",
            line=b.first_line,
            expected="XPS spectra",
        )
    hv = f.get("photon_energy_eV")
    values = b.values
    variables = list(b.variables)
    if h.scan_mode == "REGULAR":
        label, _unit, start, step = f["abscissa"]
        if start is None or step is None:
            raise ReaderError(
                path,
                f"block {f['block_id']!r} has no abscissa start/increment",
                line=b.first_line,
                expected="a REGULAR energy axis",
            )
        x = start + step * np.arange(values.shape[0])
    else:
        label = variables[0][0]
        x = values[:, 0]
        values, variables = values[:, 1:], variables[1:]
    if not variables:
        raise ReaderError(
            path, f"block {f['block_id']!r} has no intensity", line=b.first_line, expected="counts"
        )
    kinetic = "kinetic" in label.lower()
    if kinetic:
        if hv is None:
            raise ReaderError(
                path,
                f"block {f['block_id']!r}: kinetic-energy axis without a photon energy",
                line=b.first_line,
                expected="the analysis source characteristic energy",
            )
        be = hv - x
    else:
        be = x
    dwell = f.get("dwell_s")
    scans = f.get("n_scans") or 1
    counts = values[:, 0]
    if _is_rate(*variables[0]):
        cps = counts
        exposure = None
    else:
        if not dwell or dwell <= 0:
            raise ReaderError(
                path,
                f"block {f['block_id']!r} has counts without a collection time",
                line=b.first_line,
                expected="a signal collection time > 0",
            )
        exposure = dwell * scans
        cps = counts / exposure
    arrays: dict[str, np.ndarray] = {"binding_energy_eV": be, "counts_per_s": cps}
    for k, (vlabel, _u) in enumerate(variables[1:], 1):
        if "transmission" in vlabel.lower():
            arrays["transmission"] = values[:, k]
    order = np.argsort(be, kind="stable")
    arrays = {k: np.ascontiguousarray(v[order]) for k, v in arrays.items()}
    species, transition = str(f.get("species") or ""), str(f.get("transition") or "")
    var_values = f.get("variable_values") or []
    if h.experiment_mode in ("SDP", "SDPSV", "MAPDP", "MAPSVDP") and not var_values:
        etch_level: float | None = float(b.index)
    else:
        etch_level = var_values[0] if var_values else None
    to_be = (lambda e: hv - e) if kinetic else None
    meta: dict[str, Any] = {
        "technique": "XPS",
        "region": _region_label(f["block_id"], species, transition, b.index),
        "block_id": f["block_id"],
        "sample": f["sample_id"],
        "species": species,
        "transition": transition,
        "photon_energy_eV": hv,
        "source_label": f.get("source_label"),
        "pass_energy_eV": f.get("pass_energy_eV"),
        "analyser_mode": f.get("analyser_mode"),
        "work_function_eV": f.get("work_function_eV"),
        "dwell_s": dwell,
        "n_scans": int(scans),
        "exposure_s": exposure,
        "abscissa": "kinetic energy" if kinetic else "binding energy",
        "etch_level": etch_level,
        "experimental_variables": {
            name: v for (name, _u), v in zip(h.variables, var_values, strict=False)
        },
        "source_block": b.index,
        "experiment_mode": h.experiment_mode,
        "scan_mode": h.scan_mode,
        "instrument": h.instrument,
        "comments": list(f.get("comments") or []),
    }
    for name, _unit, value in f.get("parameters") or []:
        if "etch" in name.lower() and "time" in name.lower():
            meta["etch_time_s"] = _float(value)
    if meta["experimental_variables"]:
        name0 = h.variables[0][0].lower()
        if "etch" in name0 and "time" in name0:
            meta["etch_time_s"] = etch_level
    casa = parse_casa_comments(meta["comments"], to_be)
    if casa:
        meta["casa_fit"] = casa
    label_text = f["block_id"] or meta["region"]
    return ImportedData("xps", label_text, arrays, meta, reader="vamas")


def _sniff(head: bytes, name: str) -> float:
    if IDENTIFIER.encode() in head[:4096]:
        return 1.0
    if name.endswith((".vms", ".npl")):
        return 0.2
    return 0.0


@reader(
    "vamas",
    kinds=("xps",),
    patterns=("*.vms", "*.npl", "*.vamas"),
    sniff=_sniff,
    description="VAMAS ISO 14976 (CasaXPS, Avantage, Kratos, PHI, SPECS, Omicron)",
)
def read_vamas(path: Path) -> list[ImportedData]:
    """Every XPS block of a VAMAS file; a file with no XPS block raises :class:`ReaderError`."""
    path = Path(path)
    data = read_all(path)
    text, _enc = decode_bytes(data)
    header, blocks = parse_vamas(path, text)
    tables, refused = [], []
    for b in blocks:
        try:
            tables.append(block_table(path, header, b))
        except ReaderError as exc:
            refused.append(exc)
    if not tables:
        if refused:
            raise refused[0]
        raise ReaderError(path, "the file holds no blocks", expected="at least one XPS block")
    return tables
