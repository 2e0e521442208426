"""Element impedances and the compiled circuit against formulas written out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lbpo_gui.core.eis.cdc import parse_circuit
from lbpo_gui.core.eis.circuit import Circuit, CircuitError, with_values
from lbpo_gui.core.eis.elements import warburg_aw_from_y0, warburg_y0_from_aw
from lbpo_gui.core.eis.model import circuit_impedance, compile_circuit

F = np.logspace(6, -3, 37)
W = 2 * np.pi * F
JW = 1j * W

SINGLE = {
    "R": ([12.0], lambda p: np.full(F.size, 12.0 + 0j)),
    "C": ([2e-6], lambda p: 1 / (JW * 2e-6)),
    "L": ([3e-7], lambda p: JW * 3e-7),
    "Q": ([1e-5, 0.8], lambda p: 1 / (1e-5 * JW**0.8)),
    "W": ([0.02], lambda p: 1 / (0.02 * np.sqrt(JW))),
    "Wo": ([50.0, 2.0], lambda p: 50 / np.sqrt(JW * 2) / np.tanh(np.sqrt(JW * 2))),
    "Ws": ([50.0, 2.0], lambda p: 50 * np.tanh(np.sqrt(JW * 2)) / np.sqrt(JW * 2)),
    "G": ([30.0, 1e-3], lambda p: 30 / np.sqrt(1 + JW * 1e-3)),
    "La": ([2e-6, 0.7], lambda p: 2e-6 * JW**0.7),
}


@pytest.mark.parametrize("kind", sorted(SINGLE))
def test_each_element(kind):
    values, formula = SINGLE[kind]
    c = with_values(parse_circuit(kind), values)
    np.testing.assert_allclose(circuit_impedance(c, F), formula(values), rtol=1e-12)


def test_study_circuit_and_warburg_convention():
    c = parse_circuit("R(QR)(QR)W")
    aw = 50.0
    y0 = warburg_y0_from_aw(aw)
    assert warburg_aw_from_y0(y0) == pytest.approx(aw)
    v = [14.5, 1e-6, 0.9, 9.4, 2.5e-5, 0.85, 165.3, y0]
    z = compile_circuit(c).impedance(v, F)
    # impedance.py writes the Warburg as A_W (1 - j) / sqrt(omega)
    ref = (
        14.5
        + 1 / (1 / 9.4 + 1e-6 * JW**0.9)
        + 1 / (1 / 165.3 + 2.5e-5 * JW**0.85)
        + aw * (1 - 1j) / np.sqrt(W)
    )
    np.testing.assert_allclose(z, ref, rtol=1e-12)


def test_nested_series_in_parallel():
    c = with_values(parse_circuit("R0-p(R1-Wo1,C1)"), [0.0186, 0.0117, 0.0627, 221.2, 1.17])
    z = circuit_impedance(c, np.array([10.0]))
    w = 2 * math.pi * 10
    s = np.sqrt(1j * w * 221.2)
    wo = 0.0627 / s / np.tanh(s)
    ref = 0.0186 + 1 / (1 / (0.0117 + wo) + 1j * w * 1.17)
    assert z[0] == pytest.approx(ref, rel=1e-12)


def test_impedance_py_reference_value_of_the_randles_circuit():
    # impedance.py test_circuits: Z(10 Hz) = 0.0251618 - 0.00601304j with these values
    v = [1.86235717e-2, 1.16804085e-2, 6.27121224e-2, 2.21232935e2, 1.17171440]
    z = compile_circuit(parse_circuit("R0-p(R1-Wo1,C1)")).impedance(v, np.array([10.0]))
    assert z[0] == pytest.approx(0.0251618 - 0.00601304j, rel=1e-5)


def test_errors():
    with pytest.raises(CircuitError):
        compile_circuit(Circuit())
    with pytest.raises(CircuitError):
        compile_circuit(parse_circuit("RC")).impedance([1.0], F)
