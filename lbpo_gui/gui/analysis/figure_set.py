"""The study's figure set out of the program: every panel as SVG (drawn by the core) and as PNG.

The core (:mod:`lbpo_gui.core.report.figures`) decides what each panel shows and writes its SVG;
here the same SVG is rendered to a PNG of the panel's size at the chosen DPI (>= 300) with Qt's
SVG renderer, the DPI written into the file, so both files show the same figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from ...core.project import Project
from ...core.report.figures import PNG_DPI, figure_panels, png_size_px, write_figure_set


def svg_to_png(svg_path: Path, png_path: Path, dpi: int = PNG_DPI) -> Path:
    """Render ``svg_path`` to a PNG of the panel size at ``dpi`` (white background)."""
    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        raise OSError(f"{svg_path.name} is not a drawable SVG")
    width, height = png_size_px(dpi)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    dots_per_metre = int(round(dpi / 0.0254))
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, width, height))
    finally:
        painter.end()
    if not image.save(str(png_path), "PNG"):
        raise OSError(f"cannot write {png_path}")
    return png_path


def export_figure_set(
    project: Project, folder: str | Path, samples: Sequence[str] | None = None, dpi: int = PNG_DPI
) -> list[Path]:
    """Write the study's panels of ``samples`` (names or ids; None = all) into ``folder``, each
    as ``<key>.svg`` and ``<key>.png``; returns the files written."""
    written: list[Path] = []
    for svg_path, _panel, _svg in write_figure_set(figure_panels(project, samples), folder):
        written.append(svg_path)
        written.append(svg_to_png(svg_path, svg_path.with_suffix(".png"), dpi))
    return written
