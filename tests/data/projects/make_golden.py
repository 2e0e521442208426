"""Writes golden_v1.lbpo: the schema-1 file every later version must still open.

Run once per schema version (``python tests/data/projects/make_golden.py``) and commit the output;
never regenerate an old version's golden file.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE.parents[1] / "core" / "project"))

from helpers import small_project  # noqa: E402

from lbpo_gui.core.project import save_project  # noqa: E402

if __name__ == "__main__":
    save_project(small_project(n=50), HERE / "golden_v1.lbpo", backup=False)
