"""How the command line prints a result: one JSON object, or text for a person."""

from __future__ import annotations

from typing import Any


def print_human(obj: Any, indent: int = 0) -> None:
    pad = "  " * indent
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict | list):
                print(f"{pad}{k}:")
                print_human(v, indent + 1)
            else:
                print(f"{pad}{k}: {v}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, dict | list):
                print(f"{pad}-")
                print_human(item, indent + 1)
            else:
                print(f"{pad}- {item}")
    else:
        print(f"{pad}{obj}")
