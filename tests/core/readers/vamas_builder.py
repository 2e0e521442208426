"""A tiny VAMAS writer for reader tests: NORM/SDP/MAP modes and inclusion/exclusion lists."""

from __future__ import annotations

import numpy as np

IDENT = "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4"


def block_lines(
    mode: str,
    *,
    label: str,
    counts: np.ndarray,
    ke_start: float,
    ke_step: float,
    hv: float = 1486.6,
    pass_energy: float = 20.0,
    dwell: float = 0.1,
    scans: int = 2,
    variable: float = 0.0,
    omit: frozenset[int] = frozenset(),
) -> list[str]:
    """One XPS block; ISO field numbers in ``omit`` are left out (inherited from block 1)."""
    species, transition = label.split()

    def f(number: int, *values) -> list[str]:
        return [] if number in omit else [str(v) for v in values]

    lines = [label.replace(" ", ""), "sample"]
    lines += f(1, 2024) + f(2, 1) + f(3, 2) + f(4, 3) + f(5, 4) + f(6, 5) + f(7, 0)
    lines += f(8, 1, "a comment")
    lines += f(9, "XPS")
    if mode.startswith("MAP"):
        lines += f(10, 3, 4)
    lines += f(11, variable)
    lines += f(12, "Al")
    if mode in ("SDP", "MAPDP"):
        lines += f(13, 18, 1, 1)
    lines += f(14, hv) + f(15, "1E37") + f(16, "1E37", "1E37")
    if mode.startswith("MAP"):
        lines += f(17, 100, 100)
    lines += f(19, 0) + f(20, 0) + f(21, "FAT") + f(22, pass_energy)
    lines += f(24, "1E37") + f(25, 4.5) + f(26, 0) + f(27, 400, 400) + f(28, 0, 0)
    lines += f(29, species) + f(30, transition, -1)
    lines += f(31, "Kinetic Energy", "eV", ke_start, ke_step)
    lines += f(32, 1, "counts", "d")
    lines += f(33, "pulse counting") + f(34, dwell) + f(35, scans) + f(36, 0)
    if mode in ("SDP", "MAPDP"):
        lines += f(37, 1000, 1, 1, 1, 45, 0, "continuous")
    lines += f(38, 0, 0) + f(39, 0) + f(40, 0)
    lines += [str(counts.size), str(counts.min()), str(counts.max())]
    lines += [str(int(c)) for c in counts]
    return lines


def vamas_text(mode: str, blocks: list[list[str]], exclude: list[int] = ()) -> str:
    head = [IDENT, "inst", "model", "op", "exp", "0", mode, "REGULAR"]
    if mode in ("MAP", "MAPDP", "NORM", "SDP"):
        head.append("1")
    if mode in ("MAP", "MAPDP"):
        head += ["2", "2", "1"]
    head += ["1", "Etch Time", "s"]
    head += [str(-len(exclude)), *[str(e) for e in exclude]] if exclude else ["0"]
    head += ["0", "0", "0", str(len(blocks))]
    body = [ln for b in blocks for ln in b]
    return "\r\n".join([*head, *body, "end of experiment"]) + "\r\n"
