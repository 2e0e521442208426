"""EDAX line-scan CSV: a short preamble (about 14 lines), then ``Point``, ``Distance`` (nm) and one
column per X-ray line (``O K``, ``NiK``...), as written next to a ``.lsd`` line scan (the layout
described in rosettasciio#479 / PR #485; no public sample was available to pin it further).

The table itself is read by :func:`.eds_text.read_profile_text` (same schema and checks).
"""

from __future__ import annotations

from pathlib import Path

from .base import ImportedData
from .eds_text import decode_any, find_layout, read_profile_text
from .registry import reader
from .text import split_lines


def sniff_edax_linescan(head: bytes, filename: str) -> float:
    """0.9 for a table whose header starts ``Point, Distance`` with element columns after it."""
    if not head.strip() or head.startswith((b"\x89HDF", b"PK\x03\x04")):
        return 0.0
    text, _ = decode_any(head, partial=True)
    layout = find_layout(split_lines(text)[:400])
    if layout is None or len(layout.names) < 4:
        return 0.0
    first = [n.strip().lower() for n in layout.names[:2]]
    if first[0] == "point" and first[1].startswith("distance") and len(layout.elements) >= 2:
        return 0.9
    return 0.0


@reader(
    "edax-linescan",
    kinds=("eds_profile",),
    patterns=(),  # content only: a .csv no sniffer knows goes to the column mapping
    sniff=sniff_edax_linescan,
    description="EDAX line-scan CSV (Point, Distance, one column per X-ray line)",
)
def read_edax_linescan(path: Path) -> list[ImportedData]:
    """Read an EDAX line-scan CSV into the ``eds_profile`` schema."""
    return read_profile_text(Path(path), fmt="EDAX line scan CSV")
