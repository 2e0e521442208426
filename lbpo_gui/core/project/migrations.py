"""Schema versions of ``project.json`` and the chain of migrations between them.

Each migration takes the plain ``project.json`` dict of version N and returns version N + 1. They
work on dicts before the model is built, so old files are upgraded once, on load. Keep a golden
file of every version in ``tests/data/projects/`` and test that it loads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: The schema version this program writes.
CURRENT_SCHEMA = 1

Migration = Callable[[dict[str, Any]], dict[str, Any]]

#: ``MIGRATIONS[n]`` upgrades a version-n document to version n + 1.
MIGRATIONS: dict[int, Migration] = {}


class SchemaError(Exception):
    """The document's schema version cannot be read by this program."""


def migrate(doc: dict[str, Any], version: int) -> dict[str, Any]:
    """Upgrade ``doc`` from ``version`` to :data:`CURRENT_SCHEMA`, one step at a time."""
    if version > CURRENT_SCHEMA:
        raise SchemaError(
            f"was written with project schema version {version}, newer than this program reads "
            f"(up to {CURRENT_SCHEMA}); update LBPO Workbench to open it"
        )
    if version < 1:
        raise SchemaError(f"has an invalid schema version {version}")
    while version < CURRENT_SCHEMA:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SchemaError(f"has schema version {version}, for which no migration exists")
        doc = step(doc)
        version += 1
    return doc
