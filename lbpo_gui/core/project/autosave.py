"""Autosave to a per-user recovery folder and the offer to restore after a crash.

Each open project autosaves to ``<recovery dir>/<project id>.lbpo`` (the normal project format,
written atomically) with a ``<project id>.json`` note beside it: process id, host, the project's
own path and the time. A clean save or close deletes both. At start, an autosave whose process is
gone is offered back (:func:`find_recoverable`).

The recovery folder is ``%LOCALAPPDATA%\\LBPO Workbench\\recovery`` on Windows,
``~/Library/Application Support/LBPO Workbench/recovery`` on macOS and
``$XDG_STATE_HOME/lbpo-workbench/recovery`` (default ``~/.local/state``) elsewhere; the environment
variable ``LBPO_RECOVERY_DIR`` overrides it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProjectFileError
from ..userdirs import log_dir, user_state_dir  # noqa: F401  (log_dir: re-exported for the GUI)
from .atomic import atomic_write_bytes
from .container import project_to_bytes, read_manifest
from .model import Project, now_iso


def recovery_dir() -> Path:
    """Where autosaves go (``LBPO_RECOVERY_DIR`` overrides)."""
    override = os.environ.get("LBPO_RECOVERY_DIR")
    return Path(override) if override else user_state_dir() / "recovery"


def pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` is running on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class RecoveryEntry:
    """An autosave left behind by a program that did not close cleanly."""

    autosave_path: Path
    info_path: Path
    project_name: str
    project_path: str | None
    saved_at: str


def _paths(project_id: str, folder: Path | None = None) -> tuple[Path, Path]:
    folder = folder or recovery_dir()
    return folder / f"{project_id}.lbpo", folder / f"{project_id}.json"


def write_autosave(project: Project, project_path: str | Path | None = None) -> Path:
    """Write the autosave of ``project`` (atomic); returns its path."""
    folder = recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data_path, info_path = _paths(project.id, folder)
    atomic_write_bytes(data_path, project_to_bytes(project, include_raw=False), backup=False)
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "project_name": project.name,
        "project_path": str(project_path) if project_path else None,
        "saved_at": now_iso(),
    }
    atomic_write_bytes(info_path, json.dumps(info).encode("utf-8"), backup=False)
    return data_path


def clear_autosave(project_id: str) -> None:
    """Delete the autosave of a project (after a clean save or close)."""
    for p in _paths(project_id):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def find_recoverable() -> list[RecoveryEntry]:
    """Autosaves whose program is gone (crashed or killed), newest first."""
    folder = recovery_dir()
    if not folder.is_dir():
        return []
    out = []
    host = socket.gethostname()
    for info_path in folder.glob("*.json"):
        data_path = info_path.with_suffix(".lbpo")
        try:
            info = json.loads(info_path.read_text("utf-8"))
            pid = int(info.get("pid", 0))
        except (OSError, ValueError, AttributeError):
            continue
        if not data_path.is_file():
            continue
        if info.get("host") == host and pid != os.getpid() and pid_alive(pid):
            continue  # another running instance owns it
        if info.get("host") == host and pid == os.getpid():
            continue
        try:
            read_manifest(data_path)
        except ProjectFileError:
            continue
        out.append(
            RecoveryEntry(
                data_path,
                info_path,
                str(info.get("project_name", "")),
                info.get("project_path"),
                str(info.get("saved_at", "")),
            )
        )
    out.sort(key=lambda e: e.saved_at, reverse=True)
    return out


def discard(entry: RecoveryEntry) -> None:
    """Delete a recovery entry the user declined."""
    for p in (entry.autosave_path, entry.info_path):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
