"""Errors that end a command with one plain line, and the exit statuses (see sdcrawl.cli.main).

Exit status: 0 all well; 1 a site failed or a check fired; 2 bad input (arguments, registry,
pages); 3 another process writes the data folder; 4 the data folder cannot be used (read-only,
full, a state from a newer sdcrawl, a file that is not what it should be).
"""

import errno

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUSY, EXIT_DATA = 0, 1, 2, 3, 4

#: What the operator can do about a data folder that cannot be written, by errno.
DATA_HINTS = {
    errno.EROFS: "a read-only file system: give a writable --data-dir",
    errno.EACCES: "no permission: give a writable --data-dir, or run as its owner",
    errno.EPERM: "no permission: give a writable --data-dir, or run as its owner",
    errno.ENOSPC: "the disk is full: free space, then run again; the feed is kept whole",
    errno.EDQUOT: "over the disk quota: free space, then run again; the feed is kept whole",
    errno.EFBIG: "the file is too large for this file system",
}


def cannot_write(where: object, why: str, code: int | None) -> str:
    """The one line for a file that cannot be written."""
    hint = DATA_HINTS.get(code or 0)
    return f"cannot write {where}: {why}" + (f" ({hint})" if hint else "")


class UsageError(Exception):
    """Bad input or an expected failure the operator can fix: one line on stderr, exit status 2."""


class DataError(Exception):
    """The data folder cannot be used as it is: one line on stderr, exit status 4."""
