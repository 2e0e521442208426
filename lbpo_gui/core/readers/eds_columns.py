"""Column headers of EDS profile exports: element symbols, X-ray lines, signal units, distance.

Vendors write an element column as ``Ni``, ``Ni K``, ``Ni_Ka``, ``NiK``, ``Ni-Ka1``, ``Ni Ka1
(counts)``, ``Ni (at%)``, ``Ni wt.%`` or ``Y_Ka``; :func:`parse_element_header` turns each into
(symbol, line, signal unit). The distance column is ``Distance (nm)``, ``Position/um``,
``distance_nm``, ``x [Å]``...; :func:`parse_distance_header` gives its factor to nm.
"""

from __future__ import annotations

import re

#: Element symbols (Z = 1 ... 103), for telling an element column from any other header.
_SYMBOLS_TEXT = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se "
    "Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb "
    "Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm "
    "Bk Cf Es Fm Md No Lr"
)
ELEMENT_SYMBOLS: frozenset[str] = frozenset(_SYMBOLS_TEXT.split())

#: Signal units of an element column, as stored in ``metadata['signal_unit']``.
SIGNAL_UNITS: tuple[str, ...] = ("counts", "cps", "at.%", "wt.%")

_UNIT_WORDS: dict[str, str] = {
    "counts": "counts",
    "count": "counts",
    "cnts": "counts",
    "cts": "counts",
    "net counts": "counts",
    "intensity": "counts",
    "cps": "cps",
    "counts/s": "cps",
    "count/s": "cps",
    "cts/s": "cps",
    "at%": "at.%",
    "at.%": "at.%",
    "at. %": "at.%",
    "atomic%": "at.%",
    "atomic %": "at.%",
    "at": "at.%",
    "wt%": "wt.%",
    "wt.%": "wt.%",
    "wt. %": "wt.%",
    "weight%": "wt.%",
    "weight %": "wt.%",
    "wt": "wt.%",
}

# symbol, then an optional X-ray line (K, Ka, Ka1, L, La, Ma, Kα...), then an optional unit
_ELEMENT = re.compile(
    r"^(?P<sym>[A-Z][a-z]?)"
    r"(?:[\s_\-]*(?P<line>[KLM](?:[aAbBαβ]\d?)?))?"
    r"(?:[\s_\-]+(?i:series|line|map|net))?"
    r"(?:[\s_\-]*(?:[\(\[](?P<unit1>[^\)\]]*)[\)\]]"
    r"|(?P<unit2>(?i:(?:at|wt|atomic|weight)\.?\s?%|counts|cps))))?\s*$"
)

#: Factors from a distance unit to nm.
DISTANCE_TO_NM: dict[str, float] = {
    "nm": 1.0,
    "um": 1e3,
    "µm": 1e3,
    "μm": 1e3,
    "micron": 1e3,
    "microns": 1e3,
    "a": 0.1,
    "å": 0.1,
    "angstrom": 0.1,
    "ang": 0.1,
    "pm": 1e-3,
    "mm": 1e6,
    "m": 1e9,
}

_DISTANCE_NAMES = ("distance", "dist", "position", "pos", "x", "length", "depth", "scan position")
_INDEX_NAMES = ("point", "points", "index", "pixel", "#", "no", "no.", "n", "spot")
_DISTANCE = re.compile(
    r"^(?P<name>[A-Za-z .#]+?)\s*(?:[\(\[](?P<u1>[^\)\]]*)[\)\]]|/\s*(?P<u2>\S+)|_(?P<u3>nm|um|a|pm))?\s*$"
)


def signal_unit_from_text(text: str) -> str | None:
    """``counts``, ``cps``, ``at.%`` or ``wt.%`` for a unit text such as ``at%`` (None if not)."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    return _UNIT_WORDS.get(t) or _UNIT_WORDS.get(t.replace(" ", ""))


def parse_element_header(header: str) -> tuple[str, str, str | None] | None:
    """(symbol, X-ray line or ``""``, signal unit or None) of an element column, else None.

    ``"Ni K"`` -> ``("Ni", "K", None)``, ``"Y_Ka"`` -> ``("Y", "Ka", None)``, ``"Ni (at%)"`` ->
    ``("Ni", "", "at.%")``, ``"S Ka1 (cps)"`` -> ``("S", "Ka1", "cps")``. Greek ``α``/``β`` become
    ``a``/``b``.
    """
    m = _ELEMENT.match(header.strip())
    if not m or m.group("sym") not in ELEMENT_SYMBOLS:
        return None
    line = (m.group("line") or "").replace("α", "a").replace("β", "b")
    if line:
        line = line[0] + line[1:].lower()
    unit_text = m.group("unit1") or m.group("unit2")
    unit = None
    if unit_text is not None:
        unit = signal_unit_from_text(unit_text)
        if unit is None:
            return None  # "Ni (keV)" and such are not element intensities
    return m.group("sym"), line, unit


def parse_distance_header(header: str) -> tuple[str, float | None] | None:
    """(``"distance"`` or ``"index"``, factor to nm or None when no unit is written), or None.

    ``"Distance (nm)"`` -> ``("distance", 1.0)``, ``"Position/um"`` -> ``("distance", 1000.0)``,
    ``"distance_nm"`` -> ``("distance", 1.0)``, ``"x [Å]"`` -> ``("distance", 0.1)``, ``"Point"``
    -> ``("index", None)``. An unknown unit gives ``("distance", nan)``.
    """
    m = _DISTANCE.match(header.strip())
    if not m:
        return None
    name = re.sub(r"\s+", " ", m.group("name").strip().lower())
    unit = m.group("u1") or m.group("u2") or m.group("u3")
    if name in _INDEX_NAMES and unit is None:
        return "index", None
    if name not in _DISTANCE_NAMES:
        return None
    if unit is None:
        return "distance", None
    u = unit.strip().lower().replace("μ", "µ")
    return "distance", DISTANCE_TO_NM.get(u, DISTANCE_TO_NM.get(u.replace("µ", "u"), float("nan")))
