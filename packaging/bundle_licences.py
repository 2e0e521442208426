"""Which installed distributions a PyInstaller bundle contains, and under which licence.

Used by ``lbpo-workbench.spec`` (run by PyInstaller inside the build venv): it passes every
source file the bundle collects, gets the distributions those files belong to, refuses to build
when one of them is GPL-only, and ships the list as ``licences/distributions.json`` inside the
bundle (with each distribution's own licence files beside it). ``tests/packaging`` loads this file
by path: ``packaging/`` is not a Python package (an ``__init__.py`` here would shadow PyPI's
``packaging``).

Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

#: Distributions that must never be in the bundle: GPL readers we use as test oracles only, and
#: the other Qt bindings (PyQt is GPL/commercial; one binding per build).
DENIED = frozenset(
    {
        "galvani",
        "yadg",
        "rosettasciio",
        "pyimpspec",
        "hyperspy",
        "pyqt5",
        "pyqt5-qt5",
        "pyqt5-sip",
        "pyqt6",
        "pyqt6-qt6",
        "pyqt6-sip",
        "pyside2",
    }
)

#: GPL distributions whose bundled parts carry an exception that allows any licence for the
#: bundle: PyInstaller's bootloader and run-time modules (GPL-2.0 with its bootloader exception).
EXCEPTIONS = {
    "pyinstaller": "GPL-2.0-or-later WITH Bootloader-exception (bundles may use any licence)",
}

_GPL = re.compile(r"\b(A?GPL|GNU (Affero )?General Public)", re.IGNORECASE)
#: Licences that, offered as an alternative next to the GPL, make redistribution possible.
_NOT_STRONG = re.compile(
    r"LGPL|Lesser General Public|Library General Public|\bMIT\b|\bBSD\b|Apache|\bPSF\b|"
    r"Python Software Foundation|\bISC\b|\bMPL\b|Mozilla|zlib|Unlicense|Public Domain|CC0|HPND",
    re.IGNORECASE,
)
_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(dist: metadata.Distribution) -> str:
    """The licence a distribution declares: License-Expression, else the License field (first
    line), else its ``License ::`` classifiers; "" when it declares none."""
    meta = dist.metadata
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    field = (meta.get("License") or "").strip()
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    if field and len(field) <= 80 and "\n" not in field:
        return "; ".join([field, *[c for c in classifiers if c != field]])
    if classifiers:
        return "; ".join(classifiers)
    return field.splitlines()[0][:80] if field else ""


def is_gpl_only(licence: str) -> bool:
    """Whether a licence string is (A)GPL with no LGPL or permissive alternative.

    PySide6 lists LGPLv3 next to GPLv2/GPLv3: that is not GPL-only.
    """
    return bool(_GPL.search(licence)) and not _NOT_STRONG.search(licence)


def is_forbidden(name: str, licence: str) -> bool:
    """Whether a distribution may not be bundled (denied by name, or GPL-only without a
    linking exception)."""
    key = normalise(name)
    return key in DENIED or (key not in EXCEPTIONS and is_gpl_only(licence))


def bundled_distributions(collected: Iterable[str | Path]) -> list[dict[str, object]]:
    """The installed distributions at least one of whose files is in ``collected`` (absolute
    source paths of the files PyInstaller bundles), sorted by name, each as
    ``{"name", "version", "licence", "forbidden", "files", "licence_files"}``."""
    wanted = {str(Path(p).resolve()) for p in collected}
    found: dict[str, dict[str, object]] = {}
    for dist in metadata.distributions():
        name = dist.metadata.get("Name") or ""
        if not name or normalise(name) in found:
            continue
        files = dist.files or []
        hits = sum(1 for f in files if str(Path(dist.locate_file(f)).resolve()) in wanted)
        if not hits:
            continue
        licence = EXCEPTIONS.get(normalise(name)) or licence_of(dist)
        licence_files = [
            str(Path(dist.locate_file(f)).resolve())
            for f in files
            if ".dist-info" in str(f) and _LICENCE_FILE.search(Path(str(f)).name)
        ]
        found[normalise(name)] = {
            "name": name,
            "version": dist.version,
            "licence": licence,
            "forbidden": is_forbidden(name, licence),
            "files": hits,
            "licence_files": licence_files,
        }
    return [found[k] for k in sorted(found)]
