"""The plot and table edits of an XPS model (pure functions behind the XPS tab)."""

from __future__ import annotations

import pytest

from lbpo_gui.core.xps.model import area_for_height
from lbpo_gui.core.xps.templates import load_template
from lbpo_gui.gui.tabs.xps.edits import (
    added_component,
    edited_cell,
    moved_component,
    removed_component,
    with_window,
)


def test_moving_a_component_moves_its_window_and_sets_its_height():
    spec = load_template("s2p-argyrodite")
    k = [c.name for c in spec.components].index("argyrodite PS4")
    c0 = spec.components[k]
    moved = moved_component(spec, k, c0.position_eV + 0.2, 1000.0)
    c = moved.components[k]
    assert c.position_eV == pytest.approx(c0.position_eV + 0.2)
    assert c.position_min_eV == pytest.approx(c0.position_min_eV + 0.2)
    assert c.position_max_eV == pytest.approx(c0.position_max_eV + 0.2)
    assert c.area == pytest.approx(area_for_height(c, 1000.0))
    assert spec.components[k].position_eV == c0.position_eV  # the input is untouched


def test_moving_a_linked_component_changes_the_link_offset():
    spec = load_template("s2p-argyrodite")
    linked = next(i for i, c in enumerate(spec.components) if c.position_link is not None)
    c0 = spec.components[linked]
    ref = spec.component(c0.position_link.ref)
    moved = moved_component(spec, linked, ref.position_eV + 2.0, 500.0)
    link = moved.components[linked].position_link
    assert link.ref == ref.name and link.value == pytest.approx(2.0)


def test_add_remove_window_and_cells():
    spec = load_template("b1s")
    spec = added_component(spec, 189.0, 80.0)
    assert [round(c.position_eV, 1) for c in spec.components] == [192.0, 189.0]
    assert spec.components[1].doublet is None and spec.components[1].name == "B 1s 189.0"
    spec = edited_cell(spec, 1, "name", "P 2s")
    spec = edited_cell(spec, 1, "fwhm_eV", "2.0 \u00b1 0.1")
    assert spec.components[1].fwhm_eV == 2.0
    with pytest.raises(ValueError):
        edited_cell(spec, 1, "name", spec.components[0].name)
    with pytest.raises(ValueError):
        edited_cell(spec, 1, "shape", "NOPE(3)")
    spec = with_window(spec, 197.0, 185.0)
    assert (spec.start_eV, spec.end_eV) == (185.0, 197.0)
    assert [c.name for c in removed_component(spec, 0).components] == ["P 2s"]


def test_removing_a_reference_drops_the_links_to_it():
    spec = load_template("s2p-argyrodite")
    ref = next(c.position_link.ref for c in spec.components if c.position_link is not None)
    index = [c.name for c in spec.components].index(ref)
    left = removed_component(spec, index)
    assert all(
        getattr(c, f"{q}_link") is None or getattr(c, f"{q}_link").ref != ref
        for c in left.components
        for q in ("position", "fwhm", "area")
    )
