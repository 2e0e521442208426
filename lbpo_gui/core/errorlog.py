"""The error log: tracebacks of unexpected errors, appended to ``<log dir>/errors.log``.

The user sees one line naming the log; the traceback goes here (see :func:`.userdirs.log_dir`).
"""

from __future__ import annotations

import platform
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from .. import __version__
from .userdirs import log_dir

LOG_NAME = "errors.log"
#: The log is started afresh when it grows beyond this size (the old one is kept as .1).
MAX_LOG_BYTES = 2 * 1024 * 1024


def error_log_path() -> Path:
    """The error log file."""
    return log_dir() / LOG_NAME


def append_error_log(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    context: str = "",
) -> Path | None:
    """Append a traceback (with time, version and ``context``) to the error log.

    The arguments are those of ``sys.excepthook``. Returns the log's path, or None when it
    cannot be written (never raises).
    """
    path = error_log_path()
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    header = (
        f"===== {datetime.now().isoformat(timespec='seconds')}  LBPO Workbench {__version__}  "
        f"Python {platform.python_version()}  {platform.platform()}  {context}\n"
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_name(LOG_NAME + ".1"))
        with path.open("a", encoding="utf-8") as fh:
            fh.write(header + text + "\n")
    except OSError:
        return None
    return path
