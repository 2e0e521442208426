"""Render ``icon.svg`` to ``icon.png`` (256 px) and a multi-size ``icon.ico`` in OUT_DIR.

Run by ``lbpo-workbench.spec`` with the build venv's Python (PySide6's QtSvg renders):
``python make_icon.py OUT_DIR``. The .ico holds one PNG-compressed image per size (the format
Windows Vista and later read). The SVG is the source; the
rendered files are build output and are not committed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, out_dir: Path) -> list[Path]:
    """Write icon.png and icon.ico; returns their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icon: cannot read {svg}")
    pngs: list[bytes] = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        pngs.append(bytes(data.data()))
    out_dir.mkdir(parents=True, exist_ok=True)
    png = out_dir / "icon.png"
    png.write_bytes(pngs[-1])
    ico = out_dir / "icon.ico"
    ico.write_bytes(ico_bytes(list(zip(SIZES, pngs, strict=True))))
    return [png, ico]


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An .ico file of (size in px, PNG bytes) images."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


if __name__ == "__main__":
    for path in render(Path(__file__).with_name("icon.svg"), Path(sys.argv[1])):
        print(path)
