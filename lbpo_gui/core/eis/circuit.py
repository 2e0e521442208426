"""Equivalent circuits as immutable trees of series and parallel blocks with stable element ids.

Tree types (all frozen dataclasses, compared by value, so an old tree is an undo state):

- :class:`Param`: one parameter's value, bounds and fixed flag;
- :class:`Element`: ``id`` (``"R1"``, ``"Q2"`` ...), ``kind`` (``"R"``, ``"Q"`` ...), ``params``;
- :class:`Series` / :class:`Parallel`: blocks holding ``children`` (elements or blocks);
- :class:`Circuit`: the whole circuit; its ``root`` is always a :class:`Series` (possibly
  empty or with one child).

Addressing (what the circuit editor passes to the edit operations): a **target** is either an
element id (``"Q1"``) or a block **path**, a tuple of child indices from the root (``()`` is the
root series, ``(1,)`` its second child, ``(1, 0)`` that block's first child). Element ids never
change through edits; paths do, so an editor should re-read them from the returned tree
(:meth:`Circuit.path_of`, :meth:`Circuit.node_at`, :meth:`Circuit.blocks`).

Element ids are the kind symbol plus a number, numbered per kind in order of appearance when a
circuit is parsed (R1, Q1, R2, Q2, R3, W1 for ``R(QR)(QR)W``); an element added later gets the
next free number of its kind; a removed element's id is not reused while others keep theirs.

Edit operations (pure functions: they return a new :class:`Circuit` and never change their
input; they raise :class:`CircuitError` for an edit that makes no sense):

- :func:`add_series` - insert a new element in series after (or before) a target;
- :func:`add_parallel` - put a new element in parallel with a target element or block;
- :func:`remove` - remove an element or block;
- :func:`replace` - replace an element by one of another kind (new id) or by an Element;
- :func:`move` - detach an element or block and attach it in series or parallel to a target;
- :func:`set_param` - change a parameter's value, bounds or fixed flag;
- :func:`with_values` - set every free parameter value from a fitted vector.

Every result is normalised: a series inside a series (or a parallel inside a parallel) is merged
into it, a block with one child is replaced by that child, empty blocks disappear.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace

from ..errors import LbpoError
from .elements import element_kind

Path = tuple[int, ...]
Target = str | Path


class CircuitError(LbpoError, ValueError):
    """An edit or a circuit text that makes no sense. ``position`` is the 0-based character
    index in the text for a parse error (None otherwise)."""

    def __init__(self, message: str, position: int | None = None, text: str | None = None):
        self.position = position
        self.text = text
        self.reason = message
        if position is not None:
            shown = f" of {text!r}" if text is not None else ""
            message = f"{message} (character {position + 1}{shown})"
        super().__init__(message)


@dataclass(frozen=True)
class Param:
    """A parameter of an element: value, bounds (natural units) and whether the fit keeps it."""

    name: str
    value: float
    lower: float = 0.0
    upper: float = math.inf
    fixed: bool = False


@dataclass(frozen=True)
class Element:
    """A circuit element: stable ``id`` (e.g. ``"Q1"``), ``kind`` symbol and parameters."""

    id: str
    kind: str
    params: tuple[Param, ...]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise CircuitError(f"element {self.id} has no parameter {name!r}")

    def values(self) -> tuple[float, ...]:
        return tuple(p.value for p in self.params)


@dataclass(frozen=True)
class Series:
    """Children in series (impedances add)."""

    children: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Parallel:
    """Children in parallel (admittances add)."""

    children: tuple[Node, ...] = ()


Node = Element | Series | Parallel
Block = Series | Parallel


def new_element(kind: str, element_id: str, values: dict[str, float] | None = None) -> Element:
    """An element of ``kind`` with the kind's default start values and bounds."""
    k = element_kind(kind)
    values = values or {}
    unknown = set(values) - set(k.param_names())
    if unknown:
        raise CircuitError(f"{kind} has no parameter {sorted(unknown)[0]!r}")
    params = tuple(
        Param(s.name, float(values.get(s.name, s.default)), s.lower, s.upper) for s in k.params
    )
    return Element(element_id, kind, params)


_ID = re.compile(r"^([A-Z][a-z]?)(\d+)$")


def split_id(element_id: str) -> tuple[str, int]:
    """``"Q12"`` -> ``("Q", 12)``."""
    m = _ID.match(element_id)
    if not m:
        raise CircuitError(f"element id {element_id!r} is not a kind symbol plus a number")
    return m.group(1), int(m.group(2))


@dataclass(frozen=True)
class Circuit:
    """An equivalent circuit: a normalised tree whose root is a :class:`Series`."""

    root: Series = field(default_factory=Series)

    # -- reading -------------------------------------------------------------------------

    def elements(self) -> list[Element]:
        """Every element in circuit order (depth first, left to right)."""
        return [n for _, n in self.walk() if isinstance(n, Element)]

    def walk(self) -> Iterator[tuple[Path, Node]]:
        """``(path, node)`` of every node, depth first, the root first."""
        stack: list[tuple[Path, Node]] = [((), self.root)]
        while stack:
            path, node = stack.pop()
            yield path, node
            if not isinstance(node, Element):
                for i in range(len(node.children) - 1, -1, -1):
                    stack.append(((*path, i), node.children[i]))

    def blocks(self) -> list[tuple[Path, Block]]:
        """``(path, block)`` of every series and parallel block, the root first."""
        return [(p, n) for p, n in self.walk() if not isinstance(n, Element)]

    def ids(self) -> list[str]:
        return [e.id for e in self.elements()]

    def element(self, element_id: str) -> Element:
        node = self.node_at(self.path_of(element_id))
        assert isinstance(node, Element)
        return node

    def path_of(self, element_id: str) -> Path:
        """The path of element ``element_id``; CircuitError when absent."""
        for path, node in self.walk():
            if isinstance(node, Element) and node.id == element_id:
                return path
        raise CircuitError(f"the circuit has no element {element_id!r}")

    def node_at(self, path: Sequence[int]) -> Node:
        """The node at ``path``; CircuitError when there is none."""
        node: Node = self.root
        for depth, i in enumerate(path):
            if isinstance(node, Element) or not 0 <= i < len(node.children):
                raise CircuitError(f"no circuit node at path {tuple(path[: depth + 1])}")
            node = node.children[i]
        return node

    def resolve(self, target: Target) -> Path:
        """The path of a target (element id or path)."""
        if isinstance(target, str):
            return self.path_of(target)
        path = tuple(int(i) for i in target)
        self.node_at(path)
        return path

    def parameters(self) -> list[tuple[Element, Param]]:
        """``(element, param)`` of every parameter in circuit order."""
        return [(e, p) for e in self.elements() for p in e.params]

    def next_id(self, kind: str) -> str:
        """The id a new element of ``kind`` gets: one more than the highest number in use."""
        used = [split_id(i)[1] for i in self.ids() if split_id(i)[0] == kind]
        return f"{kind}{max(used, default=0) + 1}"

    def __len__(self) -> int:
        return len(self.elements())


# ------------------------------------------------------------------------------------------
# building and normalising
# ------------------------------------------------------------------------------------------


def _normalise(node: Node) -> Node | None:
    """Merge same-type nesting, unwrap single-child blocks, drop empty blocks."""
    if isinstance(node, Element):
        return node
    kids: list[Node] = []
    for child in node.children:
        c = _normalise(child)
        if c is None:
            continue
        if type(c) is type(node):
            kids.extend(c.children)  # type: ignore[union-attr]
        else:
            kids.append(c)
    if not kids:
        return None
    if len(kids) == 1:
        return kids[0]
    return type(node)(tuple(kids))


def make_circuit(node: Node | None) -> Circuit:
    """A normalised :class:`Circuit` around ``node``; element ids must be unique."""
    n = _normalise(node) if node is not None else None
    if n is None:
        root = Series()
    elif isinstance(n, Series):
        root = n
    else:
        root = Series((n,))
    c = Circuit(root)
    ids = c.ids()
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise CircuitError(f"element id {dup} is used twice")
    return c


def _replace_at(node: Node, path: Path, new: Node | None) -> Node | None:
    if not path:
        return new
    assert not isinstance(node, Element)
    i, rest = path[0], path[1:]
    kids = list(node.children)
    sub = _replace_at(kids[i], rest, new)
    if sub is None:
        del kids[i]
    else:
        kids[i] = sub
    return type(node)(tuple(kids))


def _parent(path: Path) -> tuple[Path, int]:
    if not path:
        raise CircuitError("the whole circuit has no parent block")
    return path[:-1], path[-1]


def _as_element(circuit: Circuit, what: str | Element) -> Element:
    if isinstance(what, Element):
        if what.id in circuit.ids():
            raise CircuitError(f"element id {what.id} is already in the circuit")
        return what
    return new_element(what, circuit.next_id(what))


def _insert(circuit: Circuit, target: Target, new: Node, how: str, before: bool) -> Circuit:
    root: Node = circuit.root
    if len(circuit) == 0:
        return make_circuit(new)
    path = circuit.resolve(target)
    block_type = Series if how == "series" else Parallel
    node = circuit.node_at(path)
    if path:
        parent_path, index = _parent(path)
        parent = circuit.node_at(parent_path)
        if isinstance(parent, block_type):
            kids = list(parent.children)
            kids.insert(index if before else index + 1, new)
            return make_circuit(_replace_at(root, parent_path, block_type(tuple(kids))))
    pair = (new, node) if before else (node, new)
    return make_circuit(_replace_at(root, path, block_type(pair)))


# ------------------------------------------------------------------------------------------
# edit operations (pure)
# ------------------------------------------------------------------------------------------


def add_series(
    circuit: Circuit, target: Target, what: str | Element, *, before: bool = False
) -> Circuit:
    """A new element (kind symbol or :class:`Element`) in series after ``target`` (before it
    with ``before=True``). The target is an element id or block path; ``()`` appends at the end
    of the whole circuit. An empty circuit just gets the element."""
    return _insert(circuit, target, _as_element(circuit, what), "series", before)


def add_parallel(
    circuit: Circuit, target: Target, what: str | Element, *, before: bool = False
) -> Circuit:
    """A new element in parallel with ``target`` (an element id or a block path): joins the
    target's parallel block when it is in one, else a new parallel block holds both."""
    return _insert(circuit, target, _as_element(circuit, what), "parallel", before)


def remove(circuit: Circuit, target: Target) -> Circuit:
    """The circuit without ``target`` (an element or a whole block)."""
    path = circuit.resolve(target)
    return make_circuit(_replace_at(circuit.root, path, None))


def replace(circuit: Circuit, element_id: str, what: str | Element) -> Circuit:
    """Element ``element_id`` replaced by a new element of kind ``what`` (with the next id of
    that kind) or by the given :class:`Element`. Replacing by the same kind keeps the element."""
    path = circuit.path_of(element_id)
    old = circuit.node_at(path)
    if isinstance(what, str):
        if isinstance(old, Element) and old.kind == what:
            return circuit
        new = new_element(what, circuit.next_id(what))
    else:
        if what.id != element_id and what.id in circuit.ids():
            raise CircuitError(f"element id {what.id} is already in the circuit")
        new = what
    return make_circuit(_replace_at(circuit.root, path, new))


def _element_ids(node: Node) -> frozenset[str]:
    if isinstance(node, Element):
        return frozenset((node.id,))
    return frozenset().union(*(_element_ids(c) for c in node.children))


def _smallest_node_with(circuit: Circuit, ids: frozenset[str]) -> Path:
    best: Path = ()
    for path, node in circuit.walk():
        if ids <= _element_ids(node) and len(path) >= len(best):
            best = path
    return best


def move(
    circuit: Circuit, source: Target, target: Target, how: str = "series", *, before: bool = False
) -> Circuit:
    """Detach ``source`` (element or block) and attach it in ``how`` (``"series"`` or
    ``"parallel"``) to ``target``, after it (before with ``before=True``).

    The target is found again after the source is detached, by the element ids it holds, so a
    block path given before the move stays valid. A target inside the source is refused."""
    if how not in ("series", "parallel"):
        raise CircuitError(f"move how={how!r}; expected 'series' or 'parallel'")
    src_path = circuit.resolve(source)
    tgt_path = circuit.resolve(target)
    if tgt_path[: len(src_path)] == src_path:
        raise CircuitError("cannot move a part of the circuit onto itself")
    node = circuit.node_at(src_path)
    target_ids = _element_ids(circuit.node_at(tgt_path))
    detached = remove(circuit, src_path)
    new_target = _smallest_node_with(detached, target_ids) if target_ids else ()
    return _insert(detached, new_target, node, how, before)


def set_param(
    circuit: Circuit,
    element_id: str,
    name: str,
    *,
    value: float | None = None,
    lower: float | None = None,
    upper: float | None = None,
    fixed: bool | None = None,
) -> Circuit:
    """The circuit with one parameter of ``element_id`` changed (only the given fields)."""
    el = circuit.element(element_id)
    p = el.param(name)
    changes = {
        k: v
        for k, v in (("value", value), ("lower", lower), ("upper", upper), ("fixed", fixed))
        if v is not None
    }
    new_p = dc_replace(p, **changes)
    if not new_p.lower <= new_p.upper:
        raise CircuitError(f"{element_id}.{name}: lower bound above upper bound")
    params = tuple(new_p if q.name == name else q for q in el.params)
    return make_circuit(
        _replace_at(circuit.root, circuit.path_of(element_id), dc_replace(el, params=params))
    )


def with_values(circuit: Circuit, values: Sequence[float]) -> Circuit:
    """The circuit with every parameter value (circuit order, fixed ones included) replaced."""
    params = circuit.parameters()
    if len(values) != len(params):
        raise CircuitError(f"{len(values)} values for {len(params)} parameters")
    it = iter(float(v) for v in values)

    def rebuild(node: Node) -> Node:
        if isinstance(node, Element):
            return dc_replace(
                node, params=tuple(dc_replace(p, value=next(it)) for p in node.params)
            )
        return type(node)(tuple(rebuild(c) for c in node.children))

    return make_circuit(rebuild(circuit.root))


def values(circuit: Circuit) -> list[float]:
    """Every parameter value in circuit order."""
    return [p.value for _, p in circuit.parameters()]
