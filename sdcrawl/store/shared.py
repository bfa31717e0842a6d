"""One open resource per file per process, shared by every crawler of the process and closed when
its last user lets go: the feed writer and the crawl state both live this way in a crawl."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["Shared"]


class Shared(Generic[T]):
    """A process-wide table of path -> (resource, number of users)."""

    def __init__(self, close: Callable[[T], None]):
        self._close = close
        self._lock = threading.RLock()
        self._open: dict[Path, list] = {}

    def acquire(self, path: Path, opener: Callable[[Path], T]) -> tuple[T, bool]:
        """The resource for `path` (opened by `opener` if no user holds it); True if newly opened."""
        with self._lock:
            entry = self._open.get(path)
            if entry is None:
                resource = opener(path)
                self._open[path] = [resource, 1]
                return resource, True
            entry[1] += 1
            return entry[0], False

    def release(self, path: Path, resource: T) -> None:
        """Let go of one use; the last user's release closes it."""
        with self._lock:
            entry = self._open.get(path)
            if entry is None or entry[0] is not resource:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del self._open[path]
        self._close(resource)
