"""How each dataset kind is shown: names, one-letter badges, colours and small icons."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap


@dataclass(frozen=True)
class KindInfo:
    """Display information of one dataset kind."""

    kind: str
    title: str  # e.g. "Electrochemistry"
    noun: str  # e.g. "cycling" as in "No cycling data"
    badge: str  # one letter drawn in the icon
    color: str  # hex colour of the icon


KIND_INFO: dict[str, KindInfo] = {
    "cycling": KindInfo("cycling", "Electrochemistry", "cycling", "C", "#1f77b4"),
    "impedance": KindInfo("impedance", "Impedance", "impedance", "Z", "#d62728"),
    "xps": KindInfo("xps", "XPS", "XPS", "X", "#2ca02c"),
    "eds_profile": KindInfo("eds_profile", "EDS", "EDS profile", "E", "#9467bd"),
    "eds_map": KindInfo("eds_map", "EDS", "EDS map", "M", "#7b5ea7"),
}


def kind_info(kind: str) -> KindInfo:
    """The display information of ``kind`` (a neutral fallback for unknown kinds)."""
    return KIND_INFO.get(kind, KindInfo(kind, kind, kind, "?", "#7f7f7f"))


def _badge_pixmap(letter: str, color: str, size: int, round_shape: bool) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    rect = QRectF(1, 1, size - 2, size - 2)
    if round_shape:
        painter.drawEllipse(rect)
    else:
        painter.drawRoundedRect(rect, 3, 3)
    if letter:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return pix


@cache
def kind_icon(kind: str) -> QIcon:
    """A small square icon with the kind's badge letter (needs a running QGuiApplication)."""
    info = kind_info(kind)
    icon = QIcon()
    for size in (16, 24, 32):
        icon.addPixmap(_badge_pixmap(info.badge, info.color, size, round_shape=False))
    return icon


@cache
def sample_icon() -> QIcon:
    """A round icon for a sample row."""
    icon = QIcon()
    for size in (16, 24, 32):
        icon.addPixmap(_badge_pixmap("", "#8c6d31", size, round_shape=True))
    return icon


def format_number(value: float | None, digits: int = 4) -> str:
    """A number with up to ``digits`` significant digits, or an en dash for None."""
    if value is None:
        return "\u2013"
    return f"{value:.{digits}g}"


def coating_text(lbo_wt_pct: float | None, lpo_wt_pct: float | None) -> str:
    """The coating as an analyst writes it: ``LBO 0.05 / LPO 0.15 wt%`` (or ``uncoated``)."""
    if lbo_wt_pct is None and lpo_wt_pct is None:
        return ""
    if not lbo_wt_pct and not lpo_wt_pct:
        return "uncoated"
    return f"LBO {format_number(lbo_wt_pct)} / LPO {format_number(lpo_wt_pct)} wt%"
