"""STEM-EDS line profiles: interlayer thickness with its definition, uncertainty and warnings.

Arrays in, results out (no project model, no Qt). The public API:

- :func:`line_profile` (maps -> :class:`LineProfile`), :func:`line_normal_angle_deg`,
  :func:`interface_normal`, :func:`auto_line` (:mod:`.line`);
- :func:`analyse_profile` -> :class:`ThicknessResult` with :class:`EdsSettings`;
  :func:`pool_thickness` / :func:`pool_results` -> :class:`PooledThickness` (:mod:`.thickness`);
- :func:`fit_joint_edges` -> :class:`JointEdgeFit`, :func:`fit_element_edges`,
  :func:`fit_interphase` -> :class:`InterphaseFit` (:mod:`.fit`);
- :func:`overlap_width` -> :class:`OverlapReading` (:mod:`.threshold`);
- :func:`estimate_broadening` -> :class:`Broadening`, :func:`goldstein_b_nm`,
  :func:`remove_in_quadrature` (:mod:`.broadening`);
- :class:`EdsWarning` and the checks (:mod:`.checks`).
"""

from .broadening import (
    MATERIALS,
    Broadening,
    estimate_broadening,
    goldstein_b_nm,
    remove_in_quadrature,
)
from .checks import EdsWarning
from .edges import WIDTH_10_90_PER_SIGMA, theta_offset, width_10_90
from .fit import (
    ElementLevels,
    InterphaseFit,
    JointEdgeFit,
    SideEdge,
    fit_element_edges,
    fit_interphase,
    fit_joint_edges,
)
from .line import LineProfile, auto_line, interface_normal, line_normal_angle_deg, line_profile
from .thickness import (
    STUDY_THETA,
    EdsSettings,
    PooledThickness,
    ThicknessResult,
    analyse_profile,
    definition_text,
    pool_results,
    pool_thickness,
    theta_code,
)
from .threshold import OverlapReading, overlap_width

__all__ = [
    "MATERIALS",
    "STUDY_THETA",
    "WIDTH_10_90_PER_SIGMA",
    "Broadening",
    "EdsSettings",
    "EdsWarning",
    "ElementLevels",
    "InterphaseFit",
    "JointEdgeFit",
    "LineProfile",
    "OverlapReading",
    "PooledThickness",
    "SideEdge",
    "ThicknessResult",
    "analyse_profile",
    "auto_line",
    "definition_text",
    "estimate_broadening",
    "fit_element_edges",
    "fit_interphase",
    "fit_joint_edges",
    "goldstein_b_nm",
    "interface_normal",
    "line_normal_angle_deg",
    "line_profile",
    "overlap_width",
    "pool_results",
    "pool_thickness",
    "remove_in_quadrature",
    "theta_code",
    "theta_offset",
    "width_10_90",
]
