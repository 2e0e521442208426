"""Application settings (QSettings) and the recent-files list.

When the environment variable ``LBPO_SETTINGS_DIR`` is set, settings live in an INI file in that
folder (tests and portable installs); otherwise in the platform's usual place.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from .. import APP_NAME

ORGANIZATION = "LBPO Workbench"
MAX_RECENT = 10
_RECENT_KEY = "recent_files"


def app_settings() -> QSettings:
    """The settings object of the application (see module docstring for where it lives)."""
    folder = os.environ.get("LBPO_SETTINGS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "lbpo-workbench.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APP_NAME)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return []


def recent_files(settings: QSettings) -> list[str]:
    """The recent project files, newest first (at most :data:`MAX_RECENT`)."""
    return _as_list(settings.value(_RECENT_KEY, []))[:MAX_RECENT]


def add_recent_file(settings: QSettings, path: str | Path) -> list[str]:
    """Put ``path`` first in the recent list; returns the new list."""
    text = str(Path(path).resolve())
    items = [p for p in recent_files(settings) if os.path.normcase(p) != os.path.normcase(text)]
    items.insert(0, text)
    items = items[:MAX_RECENT]
    settings.setValue(_RECENT_KEY, items)
    return items


def remove_recent_file(settings: QSettings, path: str | Path) -> list[str]:
    """Remove ``path`` from the recent list; returns the new list."""
    text = os.path.normcase(str(path))
    items = [p for p in recent_files(settings) if os.path.normcase(p) != text]
    settings.setValue(_RECENT_KEY, items)
    return items


def last_directory(settings: QSettings, key: str) -> str:
    """The folder last used for ``key`` (e.g. ``open``, ``import``), or the home folder."""
    value = settings.value(f"last_dir/{key}", "")
    if isinstance(value, str) and value and Path(value).is_dir():
        return value
    return str(Path.home())


def set_last_directory(settings: QSettings, key: str, path: str | Path) -> None:
    """Remember the folder of ``path`` for the next dialog of ``key``."""
    p = Path(path)
    settings.setValue(f"last_dir/{key}", str(p if p.is_dir() else p.parent))
