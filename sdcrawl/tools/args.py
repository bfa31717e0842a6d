"""What the commands share: settings from `-s NAME=VALUE`, the checks of their arguments, and how
a person at a terminal sees a crawl. The CLI and the operator's tools both use these; neither
imports the other."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from sdcrawl.errors import UsageError

__all__ = ["check_since", "display", "interactive", "positive", "settings_of", "site_ids"]


def settings_of(args) -> dict:
    """The `-s NAME=VALUE` settings of a command."""
    out = {}
    for item in getattr(args, "set", None) or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s takes NAME=VALUE, not {item!r}")
        out[name.strip()] = value
    return out


def positive(text: str) -> int:
    """argparse type of a budget: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def site_ids(requested: list[str]) -> list[str]:
    from sdcrawl.registry import RegistryError, load_registry

    try:
        known = load_registry()
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    unknown = [s for s in requested if s not in known]
    if unknown:
        raise UsageError(f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return requested or sorted(known)


def interactive(extra: dict) -> dict:
    """A person at a terminal (stderr a TTY) sees each site's progress in place rather than a wall
    of log lines: progress on, and the log at WARNING unless SDCRAWL_LOG_LEVEL or -s LOG_LEVEL says
    otherwise. Scheduled runs (no TTY) are left as they are. SDCRAWL_PROGRESS=0 turns it off."""
    if "SDCRAWL_PROGRESS" not in extra and os.environ.get("SDCRAWL_PROGRESS", "1") != "0" and sys.stderr.isatty():
        extra["SDCRAWL_PROGRESS"] = True
        extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    return extra


def check_since(since: str | None) -> None:
    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise UsageError(f"--since must be YYYY-MM-DD, not {since!r}") from None


def display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
