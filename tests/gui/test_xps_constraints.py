"""The rules behind the XPS constraints dialog (no window): a component's constraints read
back unchanged, links start where the component is, and bad rules are refused with a message
while the input spec stays untouched."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lbpo_gui.core.xps.model import Doublet
from lbpo_gui.core.xps.templates import load_template
from lbpo_gui.gui.tabs.xps.constraints import (
    Rule,
    constraints_of,
    current_link_value,
    with_constraints,
)


@pytest.fixture
def spec():
    return load_template("s2p-argyrodite")


def _index(spec, name: str) -> int:
    return [c.name for c in spec.components].index(name)


def test_every_component_reads_back_unchanged(spec):
    for k, c in enumerate(spec.components):
        assert with_constraints(spec, k, constraints_of(c)).to_dict() == spec.to_dict()


def test_a_proposed_link_leaves_the_component_where_it_is(spec):
    ms = _index(spec, "metal sulphide (NiS/CoS)")
    c = spec.components[ms]
    before = spec.to_dict()
    offset = current_link_value(spec, ms, "fwhm", "offset", "argyrodite PS4")
    assert offset == pytest.approx(c.fwhm_eV - spec.component("argyrodite PS4").fwhm_eV)
    cons = replace(constraints_of(c), fwhm=Rule("offset", "argyrodite PS4", offset))
    out = with_constraints(spec, ms, cons)
    assert out.components[ms].fwhm_eV == pytest.approx(c.fwhm_eV)
    assert out.components[ms].fwhm_link.ref == "argyrodite PS4"
    assert spec.to_dict() == before  # the input is not changed


def test_a_ratio_sets_the_linked_value_from_its_reference(spec):
    ms = _index(spec, "metal sulphide (NiS/CoS)")
    ref_fwhm = spec.component("argyrodite PS4").fwhm_eV
    cons = replace(constraints_of(spec.components[ms]), fwhm=Rule("ratio", "argyrodite PS4", 1.5))
    out = with_constraints(spec, ms, cons)
    assert out.components[ms].fwhm_eV == pytest.approx(1.5 * ref_fwhm)


def test_fixed_and_doublet(spec):
    ms = _index(spec, "metal sulphide (NiS/CoS)")
    cons = replace(
        constraints_of(spec.components[ms]),
        area=Rule("fixed"),
        doublet=Doublet(1.2, 0.5, 1.1),
    )
    out = with_constraints(spec, ms, cons).components[ms]
    assert not out.vary_area and out.area_link is None
    assert out.doublet == Doublet(1.2, 0.5, 1.1)
    singlet = with_constraints(spec, ms, replace(cons, doublet=None)).components[ms]
    assert singlet.doublet is None


@pytest.mark.parametrize(
    ("name", "field", "rule", "message"),
    [
        ("argyrodite PS4", "position", Rule("offset", "argyrodite PS4", 0.0), "itself"),
        ("argyrodite PS4", "position", Rule("offset", "no such peak", 0.0), "no component"),
        ("argyrodite PS4", "position", Rule("offset", "S-S", -1.9), "cycle"),
        ("metal sulphide (NiS/CoS)", "fwhm", Rule("ratio", "argyrodite PS4", 0.0), "> 0"),
        ("metal sulphide (NiS/CoS)", "area", Rule("ratio", "S-S", -2.0), "> 0"),
        ("metal sulphide (NiS/CoS)", "position", Rule("free", lo=170.0, hi=160.0), "empty"),
        ("metal sulphide (NiS/CoS)", "position", Rule("free", lo=150.0, hi=151.0), "outside"),
        ("metal sulphide (NiS/CoS)", "fwhm", Rule("free", lo=2.0, hi=1.0), "FWHM window"),
        ("metal sulphide (NiS/CoS)", "position", Rule("free", lo=float("nan"), hi=1.0), "finite"),
        ("metal sulphide (NiS/CoS)", "area", Rule("ratio", "S-S", float("inf")), "finite"),
    ],
)
def test_bad_rules_are_refused_and_the_spec_is_untouched(spec, name, field, rule, message):
    k = _index(spec, name)
    before = spec.to_dict()
    cons = replace(constraints_of(spec.components[k]), **{field: rule})
    with pytest.raises(ValueError, match=message):
        with_constraints(spec, k, cons)
    assert spec.to_dict() == before


def test_a_zero_splitting_is_refused(spec):
    cons = replace(constraints_of(spec.components[0]), doublet=Doublet(0.0, 0.5))
    with pytest.raises(ValueError, match="splitting"):
        with_constraints(spec, 0, cons)
