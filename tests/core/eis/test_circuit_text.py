"""Circuit text: Boukamp CDC, impedance.py strings and extended CDC; ids; error positions."""

from __future__ import annotations

import math

import pytest

from lbpo_gui.core.eis.cdc import (
    parse_cdc,
    parse_circuit,
    parse_impedance_py,
    to_cdc,
    to_extended,
    to_impedance_py,
)
from lbpo_gui.core.eis.circuit import CircuitError, Parallel, Series, set_param, with_values


@pytest.mark.parametrize(
    "cdc",
    ["R(QR)(QR)W", "R", "RC", "(RC)", "R(R[RW]Q)", "La R(RQ)(RQ)", "R(C[R(C[RW])])", "RWoWsGLa"],
)
def test_cdc_round_trips(cdc):
    c = parse_cdc(cdc)
    assert to_cdc(c) == cdc.replace(" ", "")
    assert parse_cdc(to_cdc(c)) == c
    assert parse_impedance_py(to_impedance_py(c)) == c


def test_study_circuit_ids_are_numbered_per_kind_in_order():
    c = parse_circuit("R(QR)(QR)W")
    assert c.ids() == ["R1", "Q1", "R2", "Q2", "R3", "W1"]
    assert to_impedance_py(c) == "R1-p(CPE1,R2)-p(CPE2,R3)-W1"
    names = [(e.id, p.name) for e, p in c.parameters()]
    assert names == [
        ("R1", "R"),
        ("Q1", "Q"),
        ("Q1", "n"),
        ("R2", "R"),
        ("Q2", "Q"),
        ("Q2", "n"),
        ("R3", "R"),
        ("W1", "Y0"),
    ]


def test_impedance_py_strings_keep_their_indices():
    c = parse_circuit("R0-p(R1,CPE1)-p(R2-Wo1,C2)")
    assert c.ids() == ["R0", "R1", "Q1", "R2", "Wo1", "C2"]
    assert to_cdc(c) == "R(RQ)([RWo]C)"
    assert to_impedance_py(c) == "R0-p(R1,CPE1)-p(R2-Wo1,C2)"
    assert isinstance(c.root.children[2], Parallel)
    assert isinstance(c.root.children[2].children[0], Series)


def test_boukamp_o_and_t_are_finite_warburgs():
    assert [e.kind for e in parse_cdc("ROT").elements()] == ["R", "Wo", "Ws"]


def test_extended_cdc_round_trips_values_bounds_fixed_and_ids():
    c = parse_circuit("R(QR)(QR)W")
    c = with_values(c, [14.5, 1e-6, 0.9, 9.4, 2.5e-5, 0.85, 165.3, 0.0141])
    c = set_param(c, "Q1", "n", fixed=True)
    c = set_param(c, "Q2", "Q", lower=1e-9, upper=1e-3)
    c = set_param(c, "R1", "R", lower=-5.0)
    text = to_extended(c)
    assert "n=0.9f" in text and "Q=2.5e-05/1e-09/0.001" in text and "R=14.5/-5.0/" in text
    assert parse_circuit(text) == c


def test_extended_cdc_with_partial_values_and_labels():
    c = parse_cdc("R{R=20f}(R{R=5:R7}C)")
    assert c.ids() == ["R1", "R7", "C1"]
    assert c.element("R1").param("R").fixed and c.element("R1").param("R").value == 20
    assert c.element("C1").param("C").value == 1e-6  # default start
    assert math.isinf(c.element("R7").param("R").upper)


@pytest.mark.parametrize(
    "text, position",
    [
        ("R(QR", 4),
        ("R(QX)", 3),
        ("R)Q", 1),
        ("R()", 1),
        ("R{R=}", 4),
        ("R{X=1}", 2),
        ("R{R=1,R=2}", 6),
        ("R{R=1:Q1}", 6),
        ("R0-p(R1)", 3),
        ("R0-p(R1,X1)", 8),
        ("R0-R0", 3),
        ("R0-p(R1,C1", 10),
        ("R0--C1", 3),
        ("", 0),
    ],
)
def test_bad_text_gives_the_character_position(text, position):
    with pytest.raises(CircuitError) as exc:
        parse_circuit(text)
    assert exc.value.position == position
    assert f"character {position + 1}" in str(exc.value)
