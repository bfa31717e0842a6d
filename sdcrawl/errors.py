"""Errors that end a command with one plain line (see sdcrawl.cli.main)."""


class UsageError(Exception):
    """Bad input or an expected failure the operator can fix: one line on stderr, exit status 2."""
