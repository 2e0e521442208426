"""Circuit text: parse and print Boukamp CDC, impedance.py strings and extended CDC.

Forms (all parse to the same :class:`~.circuit.Circuit`):

- **Boukamp CDC** (ZSimpWin, pyimpspec): ``R(QR)(QR)W``. Juxtaposed items at the top level and
  inside ``[...]`` are in series, inside ``(...)`` in parallel. Symbols R, C, L, Q, W, Wo, Ws, G,
  La (Boukamp's ``O`` and ``T`` are read as Wo and Ws). Elements are numbered per kind in order
  of appearance: R1, Q1, R2, Q2, R3, W1.
- **impedance.py**: ``R0-p(R1,CPE1)-W1``: ``-`` series, ``p(a,b,...)`` parallel, every element
  with an index (CPE is our Q). The ids keep the indices (``R0``, ``Q1``...).
- **extended CDC**: Boukamp CDC with values, bounds, fixed flags and the element id in braces
  after an element: ``R{R=14.5:R1}(Q{Q=1e-06/1e-09/0.001,n=0.9f:Q1}R{R=9.4:R2})``. A parameter
  is ``name=value``, then ``f`` when fixed, then optionally ``/lower/upper`` (an empty bound
  keeps the default; ``inf`` is infinity). ``:ID`` sets the element's id (elements without one
  are numbered as in plain CDC, skipping ids already taken). :func:`to_extended` prints every
  value exactly (``repr``), so ``parse(to_extended(c)) == c``.

Errors raise :class:`~.circuit.CircuitError` with ``position`` = the 0-based index of the
offending character.
"""

from __future__ import annotations

import math
import re

from .circuit import (
    Circuit,
    CircuitError,
    Element,
    Node,
    Parallel,
    Param,
    Series,
    make_circuit,
    new_element,
    split_id,
)
from .elements import ELEMENT_KINDS, element_kind

_NUMBER = re.compile(r"[+-]?(?:inf|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_BOUKAMP_ALIASES = {"O": "Wo", "T": "Ws"}
_IMPEDANCE_PY_NAMES = {k.impedance_py: k.symbol for k in ELEMENT_KINDS.values()}


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def error(self, message: str, pos: int | None = None) -> CircuitError:
        return CircuitError(message, self.pos if pos is None else pos, self.text)

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            found = repr(self.peek()) if self.peek() else "the end"
            raise self.error(f"expected {ch!r}, found {found}")
        self.pos += 1


# ------------------------------------------------------------------------------------------
# Boukamp CDC and extended CDC
# ------------------------------------------------------------------------------------------


class _CdcParser(_Scanner):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.pending: list[tuple[str, dict, str | None, int]] = []  # kind, params, id, pos

    def parse(self) -> Node:
        items = self.sequence(closing="")
        if self.pos < len(self.text):
            raise self.error(f"unexpected {self.text[self.pos]!r}")
        if not items:
            raise self.error("empty circuit", 0)
        return Series(tuple(items))

    def sequence(self, closing: str) -> list[Node]:
        items: list[Node] = []
        while True:
            ch = self.peek()
            if ch == "" or ch == closing:
                return items
            if ch in ")]":
                raise self.error(f"unexpected {ch!r}")
            items.append(self.item())

    def item(self) -> Node:
        ch = self.peek()
        start = self.pos
        if ch in "([":
            closing = ")" if ch == "(" else "]"
            self.pos += 1
            kids = self.sequence(closing)
            if self.peek() != closing:
                raise self.error(
                    f"missing {closing!r} to close the {ch!r} opened at character {start + 1}"
                )
            self.pos += 1
            if not kids:
                raise self.error(f"empty {ch}{closing} block", start)
            return Parallel(tuple(kids)) if ch == "(" else Series(tuple(kids))
        return self.element()

    def element(self) -> Element:
        start = self.pos
        sym = self.text[self.pos]
        two = self.text[self.pos : self.pos + 2]
        if two in ELEMENT_KINDS:
            sym = two
        elif sym in _BOUKAMP_ALIASES:
            sym = _BOUKAMP_ALIASES[sym]
        elif sym not in ELEMENT_KINDS:
            known = ", ".join(ELEMENT_KINDS)
            raise self.error(f"unknown element {self.text[self.pos]!r} (known: {known})")
        self.pos += len(two) if two in ELEMENT_KINDS else 1
        params: dict[str, Param] = {}
        eid: str | None = None
        if self.pos < len(self.text) and self.text[self.pos] == "{":
            params, eid = self.extension(sym)
        # ids are assigned when the whole text is read (labelled ids are reserved first)
        el = Element(f"?{len(self.pending)}", sym, ())
        self.pending.append((sym, params, eid, start))
        return el

    def extension(self, sym: str) -> tuple[dict[str, Param], str | None]:
        kind = element_kind(sym)
        self.pos += 1  # '{'
        params: dict[str, Param] = {}
        eid = None
        while True:
            ch = self.peek()
            if ch == "}":
                self.pos += 1
                return params, eid
            if ch == ":":
                self.pos += 1
                self.skip_ws()
                m = re.compile(r"[A-Z][a-z]?\d+").match(self.text, self.pos)
                if not m:
                    raise self.error("expected an element id such as R1 after ':'")
                if split_id(m.group(0))[0] != sym:
                    raise self.error(f"id {m.group(0)} does not name a {sym} element")
                eid = m.group(0)
                self.pos = m.end()
                continue
            if params and ch == ",":
                self.pos += 1
                self.skip_ws()
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(self.text, self.pos)
            if not m:
                raise self.error("expected a parameter name")
            name, name_pos = m.group(0), self.pos
            if name not in kind.param_names():
                raise self.error(
                    f"{sym} has no parameter {name!r} (it has {', '.join(kind.param_names())})",
                    name_pos,
                )
            if name in params:
                raise self.error(f"parameter {name!r} given twice", name_pos)
            self.pos = m.end()
            self.expect("=")
            spec = next(s for s in kind.params if s.name == name)
            value = self.number()
            fixed = self.flag()
            lower, upper = spec.lower, spec.upper
            if self.peek() == "/":
                self.pos += 1
                lower = self.number(optional=True, default=spec.lower)
                self.expect("/")
                upper = self.number(optional=True, default=spec.upper)
                fixed = self.flag() or fixed
            if not lower <= upper:
                raise self.error(f"{name}: lower bound above upper bound")
            params[name] = Param(name, value, lower, upper, fixed)

    def flag(self) -> bool:
        if self.peek() == "f":
            self.pos += 1
            return True
        return False

    def number(self, optional: bool = False, default: float = 0.0) -> float:
        self.skip_ws()
        m = _NUMBER.match(self.text, self.pos)
        if not m:
            if optional:
                return default
            raise self.error("expected a number")
        self.pos = m.end()
        return float(m.group(0))


def _assign_ids(node: Node, pending: list[tuple[str, dict, str | None, int]], text: str) -> Node:
    taken: dict[str, int] = {}
    for _sym, _params, eid, pos in pending:
        if eid is not None:
            if eid in taken:
                raise CircuitError(f"element id {eid} is used twice", pos, text)
            taken[eid] = pos
    counters: dict[str, int] = {}
    ids: list[str] = []
    for sym, _params, eid, _pos in pending:
        if eid is None:
            n = counters.get(sym, 0) + 1
            while f"{sym}{n}" in taken:
                n += 1
            counters[sym] = n
            eid = f"{sym}{n}"
        ids.append(eid)

    def build(n: Node) -> Node:
        if isinstance(n, Element):
            i = int(n.id[1:])
            sym, params, _eid, _pos = pending[i]
            base = new_element(sym, ids[i])
            full = tuple(params.get(p.name, p) for p in base.params)
            return Element(ids[i], sym, full)
        return type(n)(tuple(build(c) for c in n.children))

    return build(node)


def parse_cdc(text: str) -> Circuit:
    """A circuit from Boukamp CDC or extended CDC text."""
    p = _CdcParser(text)
    tree = p.parse()
    return make_circuit(_assign_ids(tree, p.pending, text))


def _cdc(node: Node, inside: type | None, extended: bool) -> str:
    if isinstance(node, Element):
        return node.kind + (_ext(node) if extended else "")
    body = "".join(_cdc(c, type(node), extended) for c in node.children)
    if isinstance(node, Parallel):
        return f"({body})"
    return body if inside is None else f"[{body}]"


def _num(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


def _ext(el: Element) -> str:
    kind = element_kind(el.kind)
    parts = []
    for spec, p in zip(kind.params, el.params, strict=True):
        s = f"{p.name}={_num(p.value)}" + ("f" if p.fixed else "")
        if (p.lower, p.upper) != (spec.lower, spec.upper):
            lo = "" if p.lower == spec.lower else _num(p.lower)
            hi = "" if p.upper == spec.upper else _num(p.upper)
            s += f"/{lo}/{hi}"
        parts.append(s)
    return "{" + ",".join(parts) + f":{el.id}" + "}"


def to_cdc(circuit: Circuit) -> str:
    """Boukamp CDC of the circuit (``R(QR)(QR)W``); ids and values are not part of it."""
    return _cdc(circuit.root, None, False)


def to_extended(circuit: Circuit) -> str:
    """Extended CDC with every value, non-default bound, fixed flag and id (round-trips)."""
    return _cdc(circuit.root, None, True)


# ------------------------------------------------------------------------------------------
# impedance.py strings
# ------------------------------------------------------------------------------------------


class _ImpedancePyParser(_Scanner):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.seen: dict[str, int] = {}

    def parse(self) -> Node:
        if not self.text.strip():
            raise self.error("empty circuit", 0)
        node = self.series()
        if self.peek():
            raise self.error(f"unexpected {self.peek()!r}; expected '-' between elements")
        return node

    def series(self) -> Node:
        items = [self.term()]
        while self.peek() == "-":
            self.pos += 1
            items.append(self.term())
        return Series(tuple(items))

    def term(self) -> Node:
        self.skip_ws()
        start = self.pos
        if self.text.startswith("p(", self.pos):
            self.pos += 2
            kids = [self.series()]
            while self.peek() == ",":
                self.pos += 1
                kids.append(self.series())
            if self.peek() != ")":
                raise self.error(f"missing ')' to close the 'p(' opened at character {start + 1}")
            self.pos += 1
            if len(kids) < 2:
                raise self.error("p(...) needs at least two branches", start)
            return Parallel(tuple(kids))
        m = re.compile(r"([A-Za-z]+)(\d+)").match(self.text, self.pos)
        if not m:
            raise self.error("expected an element such as R0, CPE1 or p(")
        name, index = m.group(1), m.group(2)
        if name not in _IMPEDANCE_PY_NAMES:
            known = ", ".join(_IMPEDANCE_PY_NAMES)
            raise self.error(f"element {name!r} is not supported (known: {known})")
        sym = _IMPEDANCE_PY_NAMES[name]
        eid = f"{sym}{int(index)}"
        if eid in self.seen:
            raise self.error(f"element {name}{index} appears twice")
        self.seen[eid] = start
        self.pos = m.end()
        return new_element(sym, eid)


def parse_impedance_py(text: str) -> Circuit:
    """A circuit from an impedance.py string (``R0-p(R1,CPE1)-W1``); ids keep the indices."""
    return make_circuit(_ImpedancePyParser(text).parse())


def _ipy(node: Node) -> str:
    if isinstance(node, Element):
        return element_kind(node.kind).impedance_py + str(split_id(node.id)[1])
    parts = [_ipy(c) for c in node.children]
    if isinstance(node, Parallel):
        return "p(" + ",".join(parts) + ")"
    return "-".join(parts)


def to_impedance_py(circuit: Circuit) -> str:
    """The impedance.py string of the circuit (``R1-p(R2,CPE1)-W1``)."""
    return _ipy(circuit.root)


# ------------------------------------------------------------------------------------------
# any form
# ------------------------------------------------------------------------------------------


def looks_like_impedance_py(text: str) -> bool:
    """Whether ``text`` is impedance.py syntax rather than (extended) CDC."""
    bare = re.sub(r"\{[^}]*\}?", "", text)
    return bool("-" in bare or "p(" in bare or "CPE" in bare or re.search(r"[A-Za-z]\d", bare))


def parse_circuit(text: str) -> Circuit:
    """A circuit from any of the three forms (impedance.py when it has ``-``, ``p(`` or
    indexed elements, else Boukamp / extended CDC)."""
    if not isinstance(text, str):
        raise CircuitError(f"a circuit must be text, not {type(text).__name__}")
    if looks_like_impedance_py(text):
        return parse_impedance_py(text)
    return parse_cdc(text)
