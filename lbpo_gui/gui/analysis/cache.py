"""A small least-recently-used cache for results a tab shows (keys: dataset id + settings)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class LRUCache(OrderedDict):
    """A dict that keeps at most ``limit`` entries, dropping the least recently used."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def get_fresh(self, key: Hashable) -> Any:
        """The value of ``key`` (None when absent), marked as just used."""
        if key not in self:
            return None
        self.move_to_end(key)
        return self[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Store ``value``, dropping the oldest entries beyond the limit."""
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)

    def forget(self, belongs: Callable[[Hashable], bool]) -> int:
        """Drop every key for which ``belongs(key)`` is true; returns how many."""
        doomed = [k for k in self if belongs(k)]
        for k in doomed:
            del self[k]
        return len(doomed)
