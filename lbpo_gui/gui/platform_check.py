"""Before Qt starts: are the system libraries its platform plugin needs there?

Without them Qt prints a confusing message and aborts the process with a core dump. On Linux
this module tries to load each library the chosen platform plugin links against and, when one is
missing, names the Debian/Ubuntu package that brings it, so ``lbpo-gui`` can say so in one line.
No Qt import here: this must run before Qt loads anything.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: Libraries every Qt platform needs (offscreen included) and the Debian package of each.
BASE_LIBRARIES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
}
#: What the X11 (xcb) platform plugin needs in addition.
XCB_LIBRARIES: dict[str, str] = {
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def platform_name(environ: dict[str, str] | None = None) -> str:
    """The Qt platform plugin that will be used: QT_QPA_PLATFORM, else what Qt picks on Linux
    (wayland with only a Wayland display, else xcb)."""
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip().lower()
    if chosen:
        return chosen
    if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY"):
        return "wayland"
    return "xcb"


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_packages(platform: str | None = None, loads=_loads) -> list[str]:
    """Debian packages whose library the platform plugin cannot load (empty when all load, and
    always on systems other than Linux)."""
    if not sys.platform.startswith("linux"):
        return []
    platform = platform or platform_name()
    needed = dict(BASE_LIBRARIES)
    if platform == "xcb":
        needed.update(XCB_LIBRARIES)
    elif platform not in ("offscreen", "minimal", "vnc"):
        return []  # wayland, eglfs...: Qt reports those itself
    return sorted({pkg for lib, pkg in needed.items() if not loads(lib)})


def missing_message(packages: list[str], platform: str | None = None) -> str:
    """One line that names what to install."""
    platform = platform or platform_name()
    return (
        f"lbpo-gui: Qt's {platform} platform needs system libraries that are missing; install "
        f"them with: sudo apt-get install {' '.join(packages)}  (as root: without sudo)"
    )
