"""Where a dragged element lands in a circuit: the circuit editor's drop targets as data.

A :class:`Drop` says what an editor gesture does to the tree: put the dragged thing in series
``before``/after a target, or in parallel with it. :func:`apply_drop` turns it into a new
circuit through the edit operations of :mod:`.circuit` (a new element of a kind, or a move of a
placed element); the editor calls it both to preview the resulting CDC while dragging and to
commit the drop. Pure: no Qt, the input circuit is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .circuit import Circuit, CircuitError, Target, add_parallel, add_series, move


@dataclass(frozen=True)
class Drop:
    """A landing place: ``how`` is ``"series"`` or ``"parallel"``; ``target`` an element id or
    block path (``()`` = the whole circuit); ``before`` puts the new part before the target."""

    how: str
    target: Target
    before: bool = False


def apply_drop(
    circuit: Circuit, drop: Drop, *, kind: str | None = None, source: str | None = None
) -> Circuit:
    """The circuit after dropping a new element of ``kind`` or the placed element ``source``
    at ``drop``. Raises :class:`CircuitError` for a drop that makes no sense (e.g. an element
    onto itself)."""
    if (kind is None) == (source is None):
        raise CircuitError("a drop needs either a new element kind or a placed element")
    if drop.how not in ("series", "parallel"):
        raise CircuitError(f"drop how={drop.how!r}; expected 'series' or 'parallel'")
    if kind is not None:
        fn = add_series if drop.how == "series" else add_parallel
        return fn(circuit, drop.target, kind, before=drop.before)
    if drop.target == source:
        raise CircuitError(f"{source} dropped onto itself")
    return move(circuit, source, drop.target, drop.how, before=drop.before)


def try_drop(
    circuit: Circuit, drop: Drop, *, kind: str | None = None, source: str | None = None
) -> Circuit | None:
    """:func:`apply_drop`, or None when the drop is refused or changes nothing."""
    try:
        new = apply_drop(circuit, drop, kind=kind, source=source)
    except CircuitError:
        return None
    return None if new == circuit else new


def keep_values(new: Circuit, old: Circuit) -> Circuit:
    """``new`` with the parameters (values, bounds, fixed) of every element of ``old`` that has
    the same id and kind: retyping a CDC keeps what was already set or fitted."""
    from dataclasses import replace as dc_replace

    from .circuit import Element, make_circuit

    known = {e.id: e for e in old.elements()}

    def rebuild(node):
        if isinstance(node, Element):
            was = known.get(node.id)
            return was if was is not None and was.kind == node.kind else node
        return dc_replace(node, children=tuple(rebuild(c) for c in node.children))

    return make_circuit(rebuild(new.root))
