"""One writer per data folder: an exclusive flock that the kernel releases when its process dies.

Every command that writes a feed (`crawl`, `nightly`, `reclassify`, `demo`) holds it for the whole
run, so a second writer is refused at once with one line instead of failing deep inside a crawl.
A lock left by a killed process never blocks the next run.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path

__all__ = ["DataDirBusy", "DataLock"]


class DataDirBusy(Exception):
    """Another process writes this data folder."""


class DataLock:
    def __init__(self, path: Path, purpose: str = "a run"):
        self.path = Path(path)
        self.purpose = purpose
        self.fd: int | None = None

    def __enter__(self) -> DataLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise DataDirBusy(f"{self.path.parent} is in use by {holder}; try again when it has finished") from None
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{self.purpose} (pid {os.getpid()})\n".encode(), 0)
        except OSError:
            pass  # a full disk: the lock holds all the same, only the holder's name is missing
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
