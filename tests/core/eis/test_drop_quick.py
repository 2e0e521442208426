"""Drop targets of the circuit editor and the one-arc quick fit (core, no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from lbpo_gui.core.eis import Circuit, circuit_impedance, parse_circuit, to_cdc, to_extended
from lbpo_gui.core.eis.circuit import CircuitError
from lbpo_gui.core.eis.drop import Drop, apply_drop, try_drop
from lbpo_gui.core.eis.quick import apply_arc, fit_arc, matching_pair

STUDY = parse_circuit("R(QR)(QR)W")


@pytest.mark.parametrize(
    ("drop", "kind", "source", "expected"),
    [
        (Drop("series", "R1"), "C", None, "RC(QR)(QR)W"),
        (Drop("series", "R1", before=True), "L", None, "LR(QR)(QR)W"),
        (Drop("parallel", "W1"), "C", None, "R(QR)(QR)(WC)"),
        (Drop("parallel", (1,)), "C", None, "R(QRC)(QR)W"),
        (Drop("series", "R2"), "W", None, "R(Q[RW])(QR)W"),
        (Drop("series", "W1"), None, "R1", "(QR)(QR)WR"),
        (Drop("parallel", "R1"), None, "W1", "(RW)(QR)(QR)"),
    ],
)
def test_apply_drop_gives_the_expected_cdc(drop, kind, source, expected):
    new = apply_drop(STUDY, drop, kind=kind, source=source)
    assert to_cdc(new) == expected
    assert to_cdc(STUDY) == "R(QR)(QR)W"  # the input is untouched


def test_drop_onto_an_empty_circuit_and_refusals():
    assert to_cdc(apply_drop(Circuit(), Drop("series", ()), kind="Q")) == "Q"
    with pytest.raises(CircuitError):
        apply_drop(STUDY, Drop("series", "R1"), source="R1")
    with pytest.raises(CircuitError):
        apply_drop(STUDY, Drop("series", "R1"))
    assert try_drop(STUDY, Drop("parallel", "R1"), source="R1") is None


def _arc_spectrum(seed=3):
    truth = parse_circuit(
        "R{R=20:R1}(R{R=500:R2}Q{Q=2e-9,n=0.85:Q1})(R{R=2000:R3}Q{Q=5e-6,n=0.8:Q2})"
    )
    f = np.logspace(6.5, -1, 90)
    z = circuit_impedance(truth, f)
    rng = np.random.default_rng(seed)
    z = z * (1 + 0.005 * (rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size)))
    return truth, f, z


def test_quick_fit_of_a_range_recovers_that_arc_and_fills_the_matching_pair():
    truth, f, z = _arc_spectrum()
    arc = fit_arc(f, z, 1e6, 3e3)  # the high-frequency arc only (f_c ~ 1e5 Hz)
    assert arc.r_ohm == pytest.approx(500, rel=0.2)
    assert arc.n == pytest.approx(0.85, rel=0.2)
    start = parse_circuit("R(RQ)(RQ)")
    start = parse_circuit(to_extended(start).replace("Q=1e-05", "Q=1e-09", 1))
    pair = matching_pair(start, arc)
    assert pair == ("R2", "Q1")
    filled = apply_arc(start, arc, pair)
    assert filled.element("R2").param("R").value == pytest.approx(arc.r_ohm)
    assert filled.element("Q1").param("n").value == pytest.approx(arc.n)
    assert matching_pair(start, arc, prefer="Q2") == ("R3", "Q2")


def test_keep_values_carries_set_values_into_a_retyped_circuit():
    from lbpo_gui.core.eis.circuit import set_param
    from lbpo_gui.core.eis.drop import keep_values

    old = set_param(STUDY, "R2", "R", value=321.0, fixed=True)
    new = keep_values(parse_circuit("R(QR)(QR)"), old)
    assert new.element("R2").param("R").value == 321.0
    assert new.element("R2").param("R").fixed
    assert "W1" not in new.ids()
    assert keep_values(parse_circuit("C(QR)"), old).element("C1").kind == "C"
