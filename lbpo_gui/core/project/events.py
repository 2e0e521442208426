"""Change notifications of the project, without Qt.

The GUI subscribes a callback and re-emits each event as a Qt signal; tests subscribe a list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectEvent:
    """One change of the project.

    ``what`` is one of: ``project`` (name, notes, whole project replaced), ``sample_added``,
    ``sample_removed``, ``sample_changed``, ``samples_reordered``, ``dataset_added``,
    ``dataset_removed``, ``dataset_changed``, ``analysis_changed``.
    """

    what: str
    sample_id: str | None = None
    dataset_id: str | None = None
    field: str | None = None


Listener = Callable[[ProjectEvent], None]


class EventHub:
    """A minimal observer list. A listener that raises does not stop the others."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.errors: list[BaseException] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add ``listener``; returns a function that removes it again."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: ProjectEvent) -> None:
        """Call every listener with ``event``."""
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception as exc:  # keep the model consistent whatever a view does
                self.errors.append(exc)
