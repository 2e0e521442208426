"""Column-mapping templates: one JSON file per template in a per-user folder.

The folder is ``<LBPO_SETTINGS_DIR>/templates/`` when that environment variable is set (tests,
portable installs), else ``<QStandardPaths.AppDataLocation>/templates/``. A template file is
:meth:`ColumnMapping.to_json <lbpo_gui.core.readers.column_map.ColumnMapping.to_json>` output
whose ``name`` field is the template's name; it is read with plain ``json.loads`` and checked
field by field (never evaluated). A file that cannot be read is skipped with a logged warning.
File names are derived from the template names (sanitised); the name inside the file is what
the user sees.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from ..core.readers.column_map import ColumnMapping

log = logging.getLogger(__name__)

SUFFIX = ".json"
#: Template files larger than this are not read (a template is well under 2 kB).
MAX_TEMPLATE_BYTES = 256 * 1024
_MAX_STEM = 80
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


@dataclass(frozen=True)
class Template:
    """A saved column mapping: its name, its file and the mapping."""

    name: str
    path: Path
    mapping: ColumnMapping


def templates_dir() -> Path:
    """The folder of the template files (not created here)."""
    folder = os.environ.get("LBPO_SETTINGS_DIR")
    if folder:
        return Path(folder) / "templates"
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:  # pragma: no cover - no writable location on this platform
        base = str(Path.home() / ".lbpo-workbench")
    return Path(base) / "templates"


def clean_name(name: str) -> str:
    """A template name as shown: whitespace collapsed, control characters removed."""
    name = re.sub(r"\s+", " ", name)
    return "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()


def safe_file_stem(name: str) -> str:
    """A file name stem for ``name`` that is valid on Windows, macOS and Linux.

    Letters (any script), digits, space, ``-``, ``_``, ``.``, ``(`` and ``)`` are kept, every
    other run of characters becomes ``_``; leading/trailing dots and spaces are dropped, reserved
    device names get a ``_`` appended, and the stem is at most 80 characters (``template`` when
    nothing is left).
    """
    stem = unicodedata.normalize("NFC", clean_name(name))
    stem = re.sub(r"[^\w\-. ()]+", "_", stem)
    stem = stem.strip(" .")[:_MAX_STEM].strip(" .")
    if not stem or set(stem) <= {"_"}:
        stem = "template"
    if stem.split(".")[0].lower() in _WINDOWS_RESERVED:
        stem += "_"
    return stem


def _read(path: Path) -> ColumnMapping:
    """The mapping in ``path``; ValueError/OSError when the file is not a usable template."""
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise ValueError(f"larger than {MAX_TEMPLATE_BYTES // 1024} kB")
    text = path.read_text(encoding="utf-8")
    mapping = ColumnMapping.from_json(text)
    if not clean_name(mapping.name):
        mapping = replace(mapping, name=path.stem)
    return mapping


def list_templates(problems: list[str] | None = None) -> list[Template]:
    """All readable templates, sorted by name (case-insensitive).

    Unreadable files are skipped: a warning is logged and, when ``problems`` is given, one line
    per skipped file is appended to it.
    """
    folder = templates_dir()
    if not folder.is_dir():
        return []
    out: list[Template] = []
    seen: set[str] = set()
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            mapping = _read(path)
        except (OSError, ValueError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
            reason = f"{path.name}: not a usable column-mapping template ({exc})"
            log.warning("skipping template file %s", reason)
            if problems is not None:
                problems.append(reason)
            continue
        name = clean_name(mapping.name)
        if name.casefold() in seen:
            reason = f"{path.name}: a second template named \u201c{name}\u201d"
            log.warning("skipping template file %s", reason)
            if problems is not None:
                problems.append(reason)
            continue
        seen.add(name.casefold())
        out.append(Template(name, path, replace(mapping, name=name)))
    out.sort(key=lambda t: t.name.casefold())
    return out


def find_template(name: str) -> Template | None:
    """The template called ``name`` (case-insensitive), or None."""
    key = clean_name(name).casefold()
    return next((t for t in list_templates() if t.name.casefold() == key), None)


def load_template(name: str) -> ColumnMapping:
    """The mapping of template ``name``; KeyError when there is none."""
    template = find_template(name)
    if template is None:
        raise KeyError(f"no column-mapping template named {name!r}")
    return template.mapping


def save_template(name: str, mapping: ColumnMapping) -> Path:
    """Store ``mapping`` as template ``name`` (replacing one of the same name); its file.

    ValueError for an empty name; OSError when the folder cannot be written.
    """
    name = clean_name(name)
    if not name:
        raise ValueError("a template needs a name")
    folder = templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    existing = find_template(name)
    if existing is not None:
        path = existing.path
    else:
        stem = safe_file_stem(name)
        path = folder / f"{stem}{SUFFIX}"
        k = 2
        while path.exists():
            path = folder / f"{stem}-{k}{SUFFIX}"
            k += 1
    text = replace(mapping, name=name).to_json() + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def delete_template(name: str) -> bool:
    """Delete template ``name``; False when there is none."""
    template = find_template(name)
    if template is None:
        return False
    template.path.unlink(missing_ok=True)
    return True
