"""The JSON Lines feed: append-only and crash safe.

Each item becomes one line (UTF-8 JSON, sorted keys) written with a single `os.write` on an
O_APPEND descriptor and then fsynced, so a line is either wholly in the file or, after a kill in
the middle of a write, a partial last line. Opening a `FeedWriter` repairs that: the file is cut
back to just after its last newline. An exclusive lock (flock) keeps a second process from
writing (or repairing) the same feed at the same time.

    with FeedWriter("data/feed.jsonl") as feed:
        end = feed.write(item)           # offset just after the new line
    for article_id, end in iter_ids("data/feed.jsonl", start_offset=0): ...

In a crawl, use `get_feed(crawler)`: one writer per feed file per process, shared by all
crawlers, closed when its last user calls `close()`.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdcrawl.stats import FEED_REPAIRED_BYTES
from sdcrawl.store.paths import feed_path
from sdcrawl.store.shared import Shared

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["FeedLockedError", "FeedWriter", "dumps_line", "feed_path", "get_feed", "iter_ids", "iter_lines"]

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024


class FeedLockedError(RuntimeError):
    """Another process has the feed open for writing."""


def dumps_line(item: Mapping[str, Any]) -> bytes:
    """One feed line: JSON with sorted keys, non-ASCII kept, ending in the only newline."""
    text = json.dumps(item, ensure_ascii=False, sort_keys=True, allow_nan=False)
    # json.dumps never emits a raw newline; U+2028/U+2029 are legal in JSON strings but are line
    # breaks to many line readers (str.splitlines, JavaScript), so they are escaped too.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (text + "\n").encode("utf-8")


class FeedWriter:
    """Appends items to a JSON Lines file, one fsynced line per item."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        self._lock = threading.Lock()
        self._closed = False
        self._shared: Shared | None = None  # set when handed out by get_feed
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise FeedLockedError(f"{self.path} is being written by another process") from None
            if created:
                _fsync_dir(self.path.parent)
            self.repaired_bytes = self._repair()
        except BaseException:
            os.close(self._fd)
            raise

    def _repair(self) -> int:
        """Cut a partial last line (left by a killed writer); returns the bytes dropped."""
        size = os.fstat(self._fd).st_size
        keep = _end_of_last_line(self.path, size)
        if keep == size:
            return 0
        with open(self.path, "rb") as f:
            f.seek(keep)
            tail = f.read(min(size - keep, 80))
        os.ftruncate(self._fd, keep)
        os.fsync(self._fd)
        logger.warning(
            "Feed %s ended with a partial line (a killed writer): dropped %d bytes starting %r",
            self.path, size - keep, tail,
        )
        return size - keep

    def size(self) -> int:
        return os.fstat(self._fd).st_size

    def write(self, item: Mapping[str, Any]) -> int:
        """Append `item` as one line and fsync; returns the file offset just after the line."""
        data = dumps_line(item)
        with self._lock:
            if self.closed:
                raise ValueError(f"feed {self.path} is closed")
            start = os.fstat(self._fd).st_size
            try:
                written = os.write(self._fd, data)
                while written < len(data):  # only after a short write, e.g. a nearly full disk
                    written += os.write(self._fd, data[written:])
                os.fsync(self._fd)
            except BaseException:
                # Never leave a partial line for the next line to be glued to.
                os.ftruncate(self._fd, start)
                raise
            return os.lseek(self._fd, 0, os.SEEK_CUR)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the file (releasing the flock); a writer from `get_feed` is closed when its last
        user calls this."""
        if self._shared is not None:
            self._shared.release(self.path, self)
        else:
            self._close_fd()

    def _close_fd(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                os.close(self._fd)  # also releases the flock

    def __enter__(self) -> FeedWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<FeedWriter {self.path}{' closed' if self._closed else ''}>"


def _fsync_dir(folder: Path) -> None:
    """Make a new file's directory entry durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems that refuse fsync on directories
        pass
    finally:
        os.close(fd)


def _end_of_last_line(path: Path, size: int) -> int:
    """The offset just after the last newline in the first `size` bytes of the file (0 if none)."""
    with open(path, "rb") as f:
        end = size
        while end > 0:
            start = max(0, end - _CHUNK)
            f.seek(start)
            chunk = f.read(end - start)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                return start + newline + 1
            end = start
    return 0


def iter_lines(path: str | Path, start_offset: int = 0, quiet: bool = False) -> Iterator[tuple[Any, int]]:
    """(parsed JSON, offset just after the line) for each complete line from `start_offset`,
    which must be the start of a line. A partial last line is not read; a line that is not JSON
    is logged and skipped. A missing file yields nothing."""
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        return
    with f:
        f.seek(start_offset)
        offset = start_offset
        for raw in f:  # binary files split on b"\n" only
            offset += len(raw)
            if not raw.endswith(b"\n"):
                break
            try:
                value = json.loads(raw)
            except ValueError:
                logger.log(logging.DEBUG if quiet else logging.WARNING,
                           "Feed %s: the line ending at offset %d is not JSON; skipped", path, offset)
                continue
            yield value, offset


def iter_ids(path: str | Path, start_offset: int = 0) -> Iterator[tuple[str, int]]:
    """(id, offset just after the line) for each complete line with an id, from `start_offset`."""
    for value, offset in iter_lines(path, start_offset):
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            yield value["id"], offset


# --- one writer per file per process --------------------------------------------------------
_writers: Shared[FeedWriter] = Shared(FeedWriter._close_fd)


def shared_writer(path: Path) -> tuple[FeedWriter, bool]:
    """The process-wide writer of a JSON Lines file (True if newly opened); `close()` when done."""
    writer, opened = _writers.acquire(Path(path), FeedWriter)
    writer._shared = _writers
    return writer, opened


def get_feed(crawler: Crawler) -> FeedWriter:
    """The process-wide writer for the crawler's feed file; call `close()` on it when done."""
    writer, opened = shared_writer(feed_path(crawler.settings))
    if opened and writer.repaired_bytes and crawler.stats is not None:
        crawler.stats.set_value(FEED_REPAIRED_BYTES, writer.repaired_bytes)
    return writer
