"""Region labels of XPS spectra: ``"S2p"``, ``"S 2p"``, ``"S2p Scan"`` -> species and transition."""

from __future__ import annotations

import re

_LEVEL = re.compile(r"^\s*([A-Z][a-z]?)\s*(\d[spdf](?:\s*\d/2)?)\b", re.I)


def split_region(label: str) -> tuple[str, str]:
    """``(species, transition)`` of a region label, e.g. ``"S2p Scan" -> ("S", "2p")``;
    ``("", "")`` when the label does not start with a core level."""
    m = _LEVEL.match(label or "")
    if not m:
        return "", ""
    species = m.group(1)[0].upper() + m.group(1)[1:].lower()
    return species, m.group(2).replace(" ", "").lower()


def region_name(label: str) -> str:
    """``"S 2p"`` for ``"S2p"``/``"S2p Scan"``; the label stripped when it names no core level."""
    species, transition = split_region(label)
    return f"{species} {transition}" if species else label.strip()


def same_region(a: str, b: str) -> bool:
    """Whether two region labels name the same region, ignoring case and spaces."""

    def key(s: str) -> str:
        return re.sub(r"\s+", "", s).lower()

    return key(a) == key(b) or key(region_name(a)) == key(region_name(b))
