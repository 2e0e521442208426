"""The circuit editor alone: real mouse gestures on the palette and the schematic."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from lbpo_gui.core.eis import parse_circuit, to_cdc
from lbpo_gui.gui.circuit_editor import CircuitEditor
from lbpo_gui.gui.circuit_editor.items import TargetItem


@pytest.fixture
def editor(qtbot):
    ed = CircuitEditor()
    qtbot.addWidget(ed)
    ed.resize(900, 420)
    ed.show()
    qtbot.waitExposed(ed)
    ed.set_circuit(parse_circuit("R(QR)(QR)W"))
    return ed


def view_point(ed: CircuitEditor, scene: QPointF) -> QPoint:
    return ed.view.mapFromScene(scene)


def wire_after(ed: CircuitEditor, target) -> TargetItem:
    return next(
        t
        for t in ed.view.targets
        if t.drop is not None
        and t.drop.how == "series"
        and t.drop.target == target
        and not t.drop.before
    )


def carry_palette(qtbot, ed: CircuitEditor, kind: str, scene: QPointF) -> None:
    button = ed.palette[kind]
    qtbot.mousePress(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    vp = ed.view.viewport()
    end = view_point(ed, scene)
    qtbot.mouseMove(vp, end - QPoint(20, 0))
    qtbot.mouseMove(vp, end)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def test_palette_drag_onto_a_wire_inserts_in_series(qtbot, editor):
    edits = []
    editor.circuitEdited.connect(lambda c, t, g: edits.append(to_cdc(c)))
    wire = wire_after(editor, "R1")
    carry_palette(qtbot, editor, "C", wire.line.center())
    assert editor.cdc_text() == "RC(QR)(QR)W"
    assert edits == ["RC(QR)(QR)W"]


def test_palette_drop_on_element_makes_a_parallel_block(qtbot, editor):
    item = editor.view.elements["W1"]
    carry_palette(qtbot, editor, "C", item.sceneBoundingRect().center())
    assert to_cdc(editor.circuit()) == "R(QR)(QR)(WC)"
    assert any(b.path == (3,) for b in editor.view.schematic.brackets)


def test_drag_a_placed_element_moves_it(qtbot, editor):
    vp = editor.view.viewport()
    start = view_point(editor, editor.view.elements["R1"].sceneBoundingRect().center())
    end = view_point(editor, wire_after(editor, "W1").line.center())
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, start + QPoint(30, 0))
    qtbot.mouseMove(vp, end)
    assert "(QR)(QR)WR" in editor.drop_label.text()
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)
    assert to_cdc(editor.circuit()) == "(QR)(QR)WR"


def test_typing_redraws_and_an_invalid_text_marks_the_position(qtbot, editor):
    editor.cdc_field.setFocus()
    editor.cdc_field.selectAll()
    qtbot.keyClicks(editor.cdc_field, "R(RQ)")
    assert editor.error_position is None
    assert list(editor.view.elements) == ["R1", "R2", "Q1"]
    before = editor.circuit()
    qtbot.keyClicks(editor.cdc_field, ")W")
    assert editor.cdc_text() == "R(RQ))W"
    assert editor.error_position == 5
    assert editor.cdc_error.isVisible()
    assert "character 6" in editor.cdc_error.text()
    assert editor.circuit() == before
    assert list(editor.view.elements) == ["R1", "R2", "Q1"]


def test_delete_key_and_menu_actions(qtbot, editor):
    vp = editor.view.viewport()
    qtbot.mouseClick(
        vp,
        Qt.MouseButton.LeftButton,
        pos=view_point(editor, editor.view.elements["W1"].sceneBoundingRect().center()),
    )
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert to_cdc(editor.circuit()) == "R(QR)(QR)"
    editor.replace_element("R1", "L")
    assert to_cdc(editor.circuit()) == "L(QR)(QR)"
    editor.wrap_in_parallel("L1", "R")
    assert to_cdc(editor.circuit()) == "(LR)(QR)(QR)"
    menu = editor.element_menu("L1")
    assert [a.text() for a in menu.actions() if a.menu()] == [
        "Replace with",
        "Wrap in parallel with",
        "Add in series after",
    ]


def test_palette_drop_on_a_bracket_joins_the_parallel_block(qtbot, editor):
    bracket = next(t for t in editor.view.targets if t.bracket and t.drop.target == (1,))
    line = bracket.line
    carry_palette(qtbot, editor, "C", line.center())
    assert to_cdc(editor.circuit()) == "R(QRC)(QR)W"
    assert [pe.element.id for pe in editor.view.schematic.elements if pe.path[:1] == (1,)] == [
        "Q1",
        "R2",
        "C1",
    ]


def test_dragging_shows_the_landing_place_and_the_resulting_cdc(qtbot, editor):
    previews = []
    editor.previewRequested.connect(lambda c: previews.append(None if c is None else to_cdc(c)))
    button = editor.palette["L"]
    qtbot.mousePress(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    vp = editor.view.viewport()
    target = editor.view.elements["W1"]
    qtbot.mouseMove(vp, view_point(editor, target.sceneBoundingRect().center()))
    assert target.highlighted
    assert editor.drop_label.text().endswith("R(QR)(QR)(WL)")
    assert previews[-1] == "R(QR)(QR)(WL)"
    qtbot.keyClick(editor.view, Qt.Key.Key_Escape)
    assert not target.highlighted and previews[-1] is None
    assert to_cdc(editor.circuit()) == "R(QR)(QR)W"  # nothing dropped


def test_randles_circuit_by_dropping_a_warburg_beside_the_branch_resistor(qtbot, editor):
    """A series element inside a parallel branch (R_ct in series with W, parallel to C_dl):
    the stub after a branch element is a series drop target."""
    editor.set_circuit(parse_circuit("R(RC)"))
    stub = wire_after(editor, "R2")
    assert stub.line.length() >= 8  # long enough to aim at
    carry_palette(qtbot, editor, "W", stub.line.center())
    assert editor.cdc_text() == "R([RW]C)"
    branch = [pe.element.id for pe in editor.view.schematic.elements if pe.path[:2] == (1, 0)]
    assert branch == ["R2", "W1"]
