"""The schematic of a circuit laid out from its tree (no Qt): series left to right, parallel
branches stacked between two bus bars, and every wire placed by the layout.

Coordinates are scene pixels, y downwards. Every wire and bus bar carries the
:class:`~lbpo_gui.core.eis.drop.Drop` that dropping an element on it means, so the editor's
drop targets come straight from the layout:

- a wire between two parts of a series block: in series after the left part;
- the lead in front of a series block (or of a parallel branch): in series before it;
- an element: in parallel with it;
- a bus bar (bracket) of a parallel block: in parallel with the whole block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...core.eis.circuit import Circuit, Element, Node, Parallel, Path, Target
from ...core.eis.drop import Drop

#: Element box: width and height, px (id above the symbol, value lines under it).
ELEMENT_W = 124.0
ELEMENT_H = 86.0
#: y of the element's wire line inside its box, px.
ELEMENT_MID = 34.0
#: Wire between two parts in series, px.
SERIES_GAP = 26.0
#: Horizontal stub between a bus bar and a branch, px.
BUS_STUB = 24.0
#: Space between stacked branches, px.
BRANCH_GAP = 6.0
#: Leads from the terminals to the circuit, px.
LEAD = 34.0
MARGIN = 12.0


@dataclass(frozen=True)
class PlacedElement:
    element: Element
    x: float
    y: float  # top of the box; the wire line is at y + ELEMENT_MID
    path: Path


@dataclass(frozen=True)
class Wire:
    x1: float
    y1: float
    x2: float
    y2: float
    drop: Drop | None  # None: a wire that is no drop target (vertical pieces)


@dataclass(frozen=True)
class Bracket:
    """A bus bar of a parallel block (left or right), a drop target for the whole block."""

    x: float
    y1: float
    y2: float
    path: Path


@dataclass
class Schematic:
    elements: list[PlacedElement] = field(default_factory=list)
    wires: list[Wire] = field(default_factory=list)
    brackets: list[Bracket] = field(default_factory=list)
    terminals: list[tuple[float, float, str]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class _Size:
    w: float
    h: float
    mid: float  # y of the wire line from the top


def _target(node: Node, path: Path) -> Target:
    return node.id if isinstance(node, Element) else path


def _measure(node: Node) -> _Size:
    if isinstance(node, Element):
        return _Size(ELEMENT_W, ELEMENT_H, ELEMENT_MID)
    sizes = [_measure(c) for c in node.children]
    if isinstance(node, Parallel):
        w = max(s.w for s in sizes) + 2 * BUS_STUB
        h = sum(s.h for s in sizes) + BRANCH_GAP * (len(sizes) - 1)
        return _Size(w, h, sizes[0].mid)
    w = sum(s.w for s in sizes) + SERIES_GAP * (len(sizes) - 1)
    mid = max(s.mid for s in sizes)
    h = max(mid - s.mid + s.h for s in sizes)
    return _Size(w, h, mid)


def _place(node: Node, path: Path, x: float, y_mid: float, out: Schematic) -> None:
    """Place ``node`` with its left end at ``x`` and its wire line at ``y_mid``."""
    if isinstance(node, Element):
        out.elements.append(PlacedElement(node, x, y_mid - ELEMENT_MID, path))
        return
    sizes = [_measure(c) for c in node.children]
    if isinstance(node, Parallel):
        total = _measure(node)
        inner = total.w - 2 * BUS_STUB
        top = y_mid - total.mid
        mids = []
        for i, (child, s) in enumerate(zip(node.children, sizes, strict=True)):
            cx = x + BUS_STUB + (inner - s.w) / 2
            cy = top + s.mid
            mids.append(cy)
            _place(child, (*path, i), cx, cy, out)
            t = _target(child, (*path, i))
            out.wires.append(Wire(x, cy, cx, cy, Drop("series", t, before=True)))
            out.wires.append(Wire(cx + s.w, cy, x + total.w, cy, Drop("series", t)))
            top += s.h + BRANCH_GAP
        for bx in (x, x + total.w):
            out.brackets.append(Bracket(bx, mids[0], mids[-1], path))
        return
    cx = x
    for i, (child, s) in enumerate(zip(node.children, sizes, strict=True)):
        _place(child, (*path, i), cx, y_mid, out)
        cx += s.w
        if i < len(node.children) - 1:
            t = _target(child, (*path, i))
            out.wires.append(Wire(cx, y_mid, cx + SERIES_GAP, y_mid, Drop("series", t)))
            cx += SERIES_GAP


def layout(circuit: Circuit) -> Schematic:
    """The schematic of ``circuit`` with the working-electrode terminal on the left and the
    counter electrode on the right; an empty circuit is one wire (drop = append)."""
    out = Schematic()
    root = circuit.root
    y_mid = MARGIN + (_measure(root).mid if root.children else ELEMENT_MID)
    x0 = MARGIN
    if not root.children:
        out.wires.append(Wire(x0, y_mid, x0 + 3 * LEAD, y_mid, Drop("series", ())))
        out.terminals = [(x0, y_mid, "WE"), (x0 + 3 * LEAD, y_mid, "CE")]
        out.width, out.height = x0 + 3 * LEAD + MARGIN, y_mid + ELEMENT_H
        return out
    size = _measure(root)
    first, last = root.children[0], root.children[-1]
    n = len(root.children)
    single = n == 1
    first_path: Path = (0,)
    last_path: Path = (n - 1,)
    out.wires.append(
        Wire(x0, y_mid, x0 + LEAD, y_mid, Drop("series", _target(first, first_path), before=True))
    )
    if single:
        _place(first, first_path, x0 + LEAD, y_mid, out)
    else:
        _place(root, (), x0 + LEAD, y_mid, out)
    end = x0 + LEAD + size.w
    out.wires.append(Wire(end, y_mid, end + LEAD, y_mid, Drop("series", _target(last, last_path))))
    out.terminals = [(x0, y_mid, "WE"), (end + LEAD, y_mid, "CE")]
    out.width = end + LEAD + MARGIN
    out.height = MARGIN + size.h + MARGIN
    return out
