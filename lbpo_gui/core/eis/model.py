"""One compiled, vectorised impedance function per circuit (closures over numpy; no eval).

:func:`compile_circuit` walks the tree once and nests small closures: a series block adds its
children's impedances, a parallel block adds their admittances, and each element computes Z or
Y directly (a CPE's admittance Q w^n e^{j pi n/2} needs one real ``exp``), so no node inverts
twice. The frequency-dependent parts (omega, sqrt(j omega), ln omega) are computed once per
frequency vector (:class:`~.elements.Frequencies`), not per call.

Usage::

    model = compile_circuit(circuit)
    z = model.impedance(values, freq_Hz)          # complex ohm, values in circuit order
    fn = model.bind(freq_Hz); z = fn(values)      # the fitting inner loop
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .circuit import Circuit, CircuitError, Element, Node, Parallel
from .elements import Frequencies, element_kind

NodeFunction = Callable[[list, Frequencies], object]


def _element_fns(el: Element, offset: int) -> tuple[NodeFunction, NodeFunction]:
    kind = element_kind(el.kind)
    k = kind.n_params
    zf, yf = kind.z, kind.y
    if k == 1:
        return (lambda p, fr: zf(p[offset : offset + 1], fr)), (
            lambda p, fr: yf(p[offset : offset + 1], fr)
        )
    end = offset + k
    return (lambda p, fr: zf(p[offset:end], fr)), (lambda p, fr: yf(p[offset:end], fr))


def _build(node: Node, offset: int) -> tuple[NodeFunction, NodeFunction, int]:
    """(z function, y function, next offset) of a node."""
    if isinstance(node, Element):
        z, y = _element_fns(node, offset)
        return z, y, offset + element_kind(node.kind).n_params
    parts = []
    for child in node.children:
        cz, cy, offset = _build(child, offset)
        parts.append((cz, cy))
    if isinstance(node, Parallel):
        ys = tuple(cy for _, cy in parts)

        def y_par(p, fr, ys=ys):
            total = ys[0](p, fr)
            for f in ys[1:]:
                total = total + f(p, fr)
            return total

        return (lambda p, fr: 1.0 / y_par(p, fr)), y_par, offset
    zs = tuple(cz for cz, _ in parts)

    def z_ser(p, fr, zs=zs):
        total = zs[0](p, fr)
        for f in zs[1:]:
            total = total + f(p, fr)
        return total

    return z_ser, (lambda p, fr: 1.0 / z_ser(p, fr)), offset


@dataclass(frozen=True)
class CompiledCircuit:
    """The impedance function of one circuit structure (values are arguments)."""

    circuit: Circuit
    n_params: int
    _z: NodeFunction

    def impedance(self, values: Sequence[float], freq_Hz: np.ndarray | Frequencies) -> np.ndarray:
        """Complex impedance (ohm) at ``freq_Hz`` for parameter ``values`` in circuit order."""
        fr = freq_Hz if isinstance(freq_Hz, Frequencies) else Frequencies(freq_Hz)
        return self.bind(fr)(values)

    def bind(self, freq_Hz: np.ndarray | Frequencies) -> Callable[[Sequence[float]], np.ndarray]:
        """``fn(values) -> Z`` at fixed frequencies: the fit's inner loop."""
        fr = freq_Hz if isinstance(freq_Hz, Frequencies) else Frequencies(freq_Hz)
        zf, n = self._z, self.n_params
        shape = fr.w.shape

        def fn(values: Sequence[float]) -> np.ndarray:
            p = values.tolist() if isinstance(values, np.ndarray) else list(values)
            if len(p) != n:
                raise CircuitError(f"{len(p)} values for a circuit with {n} parameters")
            z = zf(p, fr)
            if np.ndim(z) == 0:  # only resistors
                return np.full(shape, complex(z))
            return z

        return fn


def compile_circuit(circuit: Circuit) -> CompiledCircuit:
    """Compile ``circuit`` once; the result evaluates any parameter values at any frequency."""
    if len(circuit) == 0:
        raise CircuitError("the circuit is empty")
    z, _y, n = _build(circuit.root, 0)
    return CompiledCircuit(circuit, n, z)


def circuit_impedance(circuit: Circuit, freq_Hz: np.ndarray) -> np.ndarray:
    """Z (complex ohm) of ``circuit`` with its own parameter values at ``freq_Hz``."""
    values = [p.value for _, p in circuit.parameters()]
    return compile_circuit(circuit).impedance(values, np.asarray(freq_Hz, dtype=float))
