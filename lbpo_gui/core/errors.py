"""Error types shared by the core. Every message is one line that says what is wrong."""

from __future__ import annotations

from pathlib import Path


class LbpoError(Exception):
    """Base class of every error the core raises on purpose."""


class ProjectError(LbpoError, ValueError):
    """An edit the project refuses (bad name, unknown id, invalid value). Nothing was changed."""


class ProjectFileError(LbpoError):
    """A .lbpo file that cannot be read or written safely. Nothing was changed."""

    def __init__(self, path: str | Path | None, message: str) -> None:
        self.path = Path(path) if path is not None else None
        self.reason = message
        where = f"{self.path.name}: " if self.path is not None else ""
        super().__init__(f"{where}{message}")


class ReaderError(LbpoError):
    """An instrument file a reader cannot map. Names the file, the line and what was expected."""

    def __init__(
        self,
        path: str | Path,
        message: str,
        *,
        line: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.expected = expected
        self.reason = message
        text = f"{self.path.name}"
        if line is not None:
            text += f", line {line}"
        text += f": {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class AnalysisError(LbpoError, ValueError):
    """Input an analysis cannot work with (e.g. no current column, no active mass)."""
