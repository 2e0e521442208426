"""Edit operations: pure, undoable by value, ids stable, results normalised."""

from __future__ import annotations

import pytest

from lbpo_gui.core.eis.cdc import parse_cdc, to_cdc
from lbpo_gui.core.eis.circuit import (
    Circuit,
    CircuitError,
    add_parallel,
    add_series,
    move,
    new_element,
    remove,
    replace,
    set_param,
)

STUDY = parse_cdc("R(QR)(QR)W")


def test_edits_do_not_change_their_input():
    before = parse_cdc("R(QR)(QR)W")
    add_series(STUDY, "R1", "C")
    remove(STUDY, "Q1")
    move(STUDY, "W1", "R1", "parallel")
    assert before == STUDY


def test_add_series_after_and_before_an_element_and_a_block():
    assert to_cdc(add_series(STUDY, "R1", "L")) == "RL(QR)(QR)W"
    assert to_cdc(add_series(STUDY, "R1", "L", before=True)) == "LR(QR)(QR)W"
    assert to_cdc(add_series(STUDY, (1,), "C")) == "R(QR)C(QR)W"
    assert to_cdc(add_series(STUDY, "R2", "W")) == "R(Q[RW])(QR)W"  # inside the parallel block
    assert to_cdc(add_series(STUDY, (), "C")) == "R(QR)(QR)WC"
    assert to_cdc(add_series(Circuit(), (), "R")) == "R"


def test_add_parallel_to_an_element_joins_or_makes_a_block():
    assert to_cdc(add_parallel(STUDY, "W1", "C")) == "R(QR)(QR)(WC)"
    assert to_cdc(add_parallel(STUDY, "R2", "C")) == "R(QRC)(QR)W"  # joins the parallel block
    # in parallel with a parallel block = one more branch of it (the same circuit)
    assert to_cdc(add_parallel(STUDY, (1,), "L")) == "R(QRL)(QR)W"


def test_add_parallel_to_a_block_wraps_the_block():
    c = add_parallel(STUDY, (), "C")  # the whole circuit in parallel with C
    assert to_cdc(c) == "([R(QR)(QR)W]C)"


def test_new_ids_are_the_next_free_number_of_their_kind():
    c = add_series(STUDY, "W1", "R")
    assert c.ids()[-1] == "R4"
    c = remove(c, "R2")
    c = add_series(c, "R4", "R")
    assert c.ids() == ["R1", "Q1", "Q2", "R3", "W1", "R4", "R5"]


def test_remove_collapses_single_child_blocks():
    assert to_cdc(remove(STUDY, "Q1")) == "RR(QR)W"
    assert to_cdc(remove(STUDY, (1,))) == "R(QR)W"
    assert to_cdc(remove(parse_cdc("R(R[RW]Q)"), "W1")) == "R(RRQ)"
    assert len(remove(parse_cdc("R"), "R1")) == 0


def test_replace_gives_a_new_id_and_keeps_the_rest():
    c = replace(STUDY, "Q1", "C")
    assert to_cdc(c) == "R(CR)(QR)W" and c.ids() == ["R1", "C1", "R2", "Q2", "R3", "W1"]
    assert replace(STUDY, "Q1", "Q") == STUDY
    el = new_element("Q", "Q7", {"n": 0.8})
    assert replace(STUDY, "Q1", el).element("Q7").param("n").value == 0.8


def test_move_an_element_or_a_block():
    c = move(STUDY, "W1", "R3", "series")
    assert to_cdc(c) == "R(QR)(Q[RW])"
    c = move(STUDY, (2,), "R1", "series", before=True)
    assert to_cdc(c) == "(QR)R(QR)W" and c.ids()[0] == "Q2"
    c = move(STUDY, "W1", (1,), "parallel")  # target block found again after the detach
    assert to_cdc(c) == "R(QRW)(QR)"
    with pytest.raises(CircuitError):
        move(STUDY, (1,), "Q1", "series")  # into itself


def test_set_param_changes_only_what_is_given():
    c = set_param(STUDY, "Q2", "n", value=0.7, fixed=True)
    p = c.element("Q2").param("n")
    assert (p.value, p.fixed, p.lower, p.upper) == (0.7, True, 0.0, 1.0)
    with pytest.raises(CircuitError):
        set_param(STUDY, "Q2", "n", lower=2.0)
    with pytest.raises(CircuitError):
        set_param(STUDY, "X9", "n", value=1)


def test_paths_address_blocks_and_elements():
    assert STUDY.path_of("R3") == (2, 1)
    assert STUDY.node_at((2, 1)).id == "R3"
    assert [p for p, _ in STUDY.blocks()] == [(), (1,), (2,)]
    with pytest.raises(CircuitError):
        STUDY.node_at((7,))
