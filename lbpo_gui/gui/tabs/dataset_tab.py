"""Small widgets the tabs share: read-only table cells and centred hints for empty states."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QLabel,
    QTableWidgetItem,
)


def table_item(
    text: str,
    user_data: str,
    *,
    icon: QIcon | None = None,
    tooltip: str | None = None,
    right: bool = False,
) -> QTableWidgetItem:
    """A read-only table cell. Roles are set with setData: in PySide6 6.11, setIcon/setToolTip/
    setTextAlignment on an item later put in a table leak a reference to None each."""
    item = QTableWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, user_data)
    if icon is not None:
        item.setData(Qt.ItemDataRole.DecorationRole, icon)
    if tooltip is not None:
        item.setData(Qt.ItemDataRole.ToolTipRole, tooltip)
    if right:
        item.setData(
            Qt.ItemDataRole.TextAlignmentRole,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        )
    return item


def hint_label(text: str = "") -> QLabel:
    """A centred grey label for empty states."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setStyleSheet("color: #707070; font-size: 11pt; padding: 24px;")
    return label
