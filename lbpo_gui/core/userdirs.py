"""Per-user folders for state that is not settings: logs and autosave recovery.

``%LOCALAPPDATA%\\LBPO Workbench`` on Windows, ``~/Library/Application Support/LBPO Workbench`` on
macOS and ``$XDG_STATE_HOME/lbpo-workbench`` (default ``~/.local/state``) elsewhere. The environment
variables ``LBPO_LOG_DIR`` and ``LBPO_RECOVERY_DIR`` override the subfolders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "LBPO Workbench"


def user_state_dir() -> Path:
    """The per-user folder for state that is not settings (logs, recovery)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "lbpo-workbench"


def log_dir() -> Path:
    """Where error logs go (``LBPO_LOG_DIR`` overrides)."""
    override = os.environ.get("LBPO_LOG_DIR")
    return Path(override) if override else user_state_dir() / "logs"
