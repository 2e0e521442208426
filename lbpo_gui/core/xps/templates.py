"""Fit templates: a :class:`~.model.FitSpec` saved as JSON.

Built-in templates are JSON resources of the package (``lbpo_gui/resources/xps_templates/``):
``s2p-argyrodite`` and ``p2p-argyrodite`` (the doublets of the study at the positions of
``reference/xps_components.csv``) and ``b1s``. A user template is the plain dict of
:meth:`FitSpec.to_dict` (what :func:`template_to_dict` returns); the project stores it as is and
:func:`template_from_dict` reads it back. Nothing in a template is evaluated.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .model import FitSpec

_PACKAGE = "lbpo_gui.resources.xps_templates"


@lru_cache(maxsize=1)
def _builtin_dicts() -> dict[str, dict[str, Any]]:
    out = {}
    for entry in resources.files(_PACKAGE).iterdir():
        if entry.name.endswith(".json"):
            d = json.loads(entry.read_text(encoding="utf-8"))
            out[d.get("name") or entry.name[:-5]] = d
    return out


def template_names() -> list[str]:
    """Names of the built-in templates."""
    return sorted(_builtin_dicts())


def builtin_template(name: str) -> FitSpec:
    """A fresh copy of built-in template ``name``."""
    try:
        return FitSpec.from_dict(_builtin_dicts()[name])
    except KeyError:
        raise KeyError(f"no XPS template named {name!r}; built in: {template_names()}") from None


def template_to_dict(spec: FitSpec) -> dict[str, Any]:
    """The JSON-able dict of a template (what the project stores)."""
    return spec.to_dict()


def template_from_dict(d: dict[str, Any]) -> FitSpec:
    """A template from its dict; raises ValueError on unknown fields or bad values."""
    if not isinstance(d, dict):
        raise ValueError("an XPS template is a JSON object")
    try:
        return FitSpec.from_dict(d)
    except TypeError as exc:
        raise ValueError(f"not an XPS template: {exc}") from None


def save_template(spec: FitSpec, path: str | Path) -> Path:
    """Write ``spec`` as a JSON template file."""
    path = Path(path)
    path.write_text(json.dumps(template_to_dict(spec), indent=2) + "\n", encoding="utf-8")
    return path


def load_template(name_or_path: str | Path | dict[str, Any]) -> FitSpec:
    """A template by built-in name, from a JSON file, or from its dict."""
    if isinstance(name_or_path, dict):
        return template_from_dict(name_or_path)
    text = str(name_or_path)
    if text in _builtin_dicts():
        return builtin_template(text)
    path = Path(text)
    if path.suffix.lower() == ".json" and path.is_file():
        try:
            return template_from_dict(json.loads(path.read_text(encoding="utf-8")))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}: not JSON ({exc})") from None
    raise KeyError(f"no XPS template named {text!r}; built in: {template_names()}")
