"""Errors that end a command with one plain line, and the exit statuses (see sdcrawl.cli.main).

Exit status: 0 all well; 1 a site failed or a check fired; 2 bad input (arguments, registry,
pages); 3 another process writes the data folder; 4 the data folder cannot be used (read-only,
full, a state from a newer sdcrawl, a file that is not what it should be).
"""

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUSY, EXIT_DATA = 0, 1, 2, 3, 4


class UsageError(Exception):
    """Bad input or an expected failure the operator can fix: one line on stderr, exit status 2."""


class DataError(Exception):
    """The data folder cannot be used as it is: one line on stderr, exit status 4."""
