"""Every path of a data folder, from the settings: the one place that knows where things live.

    paths = DataPaths.from_settings(settings)
    paths.feed, paths.state, paths.runs, paths.lock

Settings (each optional; `-s NAME=VALUE` or the environment of the same name):
    SDCRAWL_DATA_DIR    the folder (default ./data)
    SDCRAWL_FEED_PATH   the feed (default <data dir>/feed.jsonl)
    SDCRAWL_STATE_PATH  the crawl state (default <data dir>/state.sqlite)
    SDCRAWL_RUNS_DIR    run files and reports (default <data dir>/runs)
    SDCRAWL_REJECTED_PATH  the items the classifier found irrelevant, kept for `sdcrawl reclassify`
                        (default <data dir>/rejected.jsonl)
The lock that every writer of a data folder holds is <data dir>/sdcrawl.lock, beside the feed's
folder when only SDCRAWL_FEED_PATH is set (the lock guards the feed, which is what must not have
two writers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["DataPaths", "data_file", "feed_path", "state_path"]


def _get(settings: Any, name: str) -> Any:
    if isinstance(settings, Mapping):
        return settings.get(name)
    return settings.get(name)


def data_dir(settings: Any) -> Path:
    return Path(_get(settings, "SDCRAWL_DATA_DIR") or "data").expanduser().resolve()


def data_file(settings: Any, setting: str, default_name: str) -> Path:
    """The path in `setting`, or `default_name` in SDCRAWL_DATA_DIR, absolute and resolved."""
    value = _get(settings, setting) or data_dir(settings) / default_name
    return Path(value).expanduser().resolve()


def state_path(settings: Any) -> Path:
    """SDCRAWL_STATE_PATH, or <SDCRAWL_DATA_DIR>/state.sqlite."""
    return data_file(settings, "SDCRAWL_STATE_PATH", "state.sqlite")


def feed_path(settings: Any) -> Path:
    """SDCRAWL_FEED_PATH, or <SDCRAWL_DATA_DIR>/feed.jsonl."""
    return data_file(settings, "SDCRAWL_FEED_PATH", "feed.jsonl")


@dataclass(frozen=True)
class DataPaths:
    root: Path
    feed: Path
    state: Path
    runs: Path
    rejected: Path

    @property
    def lock(self) -> Path:
        """Held (flock) by every process that writes this feed: crawl, nightly, reclassify."""
        return self.feed.parent / "sdcrawl.lock"

    @classmethod
    def from_settings(cls, settings: Any) -> DataPaths:
        return cls(
            root=data_dir(settings),
            feed=feed_path(settings),
            state=state_path(settings),
            runs=data_file(settings, "SDCRAWL_RUNS_DIR", "runs"),
            rejected=data_file(settings, "SDCRAWL_REJECTED_PATH", "rejected.jsonl"),
        )
