"""The "active mass = composite x active / total" line shown by the sample and mass dialogs."""

from __future__ import annotations

from ..core.project.model import DEFAULT_ACTIVE_PARTS, DEFAULT_TOTAL_PARTS, Sample
from .kinds import format_number


def active_mass_text(
    composite_mass_mg: float | str | None,
    active_parts: float | str | None,
    total_parts: float | str | None,
    override_mg: float | str | None,
) -> str:
    """How the active mass (mg) follows from the entered numbers, as one line of text.

    A value given as text is one the dialog could not read as a number.
    """
    if any(isinstance(x, str) for x in (composite_mass_mg, active_parts, total_parts, override_mg)):
        return "\u2013 (check the numbers)"
    try:
        probe = Sample(
            name="probe",
            composite_mass_mg=composite_mass_mg,
            active_parts=active_parts or DEFAULT_ACTIVE_PARTS,
            total_parts=total_parts or DEFAULT_TOTAL_PARTS,
            active_mass_override_mg=override_mg,
        )
        mass = probe.active_mass_mg
    except (ArithmeticError, TypeError):
        mass = None
    if mass is None:
        return "unknown: enter the composite mass or an override"
    if probe.active_mass_override_mg is not None:
        return f"{format_number(mass)} mg (override)"
    return (
        f"{format_number(mass)} mg = {format_number(probe.composite_mass_mg)} mg \u00d7 "
        f"{format_number(probe.active_parts)} / {format_number(probe.total_parts)}"
    )
