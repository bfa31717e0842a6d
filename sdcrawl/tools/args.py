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

__all__ = ["check_since", "display", "interactive", "positive", "scratch_folder", "settings_of", "site_ids"]


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


def scratch_folder(folder: Path, mark: str, command: str, files: tuple[str, ...], keep: bool = False) -> None:
    """Make `folder` ready for a command that starts afresh in a folder of its own (`demo`, `try`):
    the files it lists are removed only where the folder bears the command's mark (it made them);
    a folder holding a feed or state the command did not write is refused; the mark is written."""
    marker = folder / mark
    if marker.exists():
        if not keep:
            for name in files:
                (folder / name).unlink(missing_ok=True)
            runs = folder / "runs"
            if runs.is_dir():
                for path in runs.iterdir():
                    if path.name.endswith((".jsonl", ".report.json", ".alerts.json")):
                        path.unlink()
                if not any(runs.iterdir()):
                    runs.rmdir()
        return
    if any((folder / name).exists() for name in ("feed.jsonl", "state.sqlite", "runs")):
        raise UsageError(f"{folder} holds a feed or state that `sdcrawl {command}` did not write; "
                         f"give {command} an empty or new --data-dir")
    folder.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"written by `sdcrawl {command}`, which may remove its own files here\n", encoding="utf-8")
