"""Runs and their files: every line of the feed belongs to exactly one run file.

    runs/<run-id>.jsonl        the lines this run added to the feed, written when the run ends
    runs/<run-id>.report.json  the run's report, machine-readable

A run id and the feed's size are recorded in the state when a run starts. When it ends, the
feed's bytes from that offset to the end are its run file (written to a temporary name, fsynced
and renamed, so it is whole or absent). A run that was killed never ends: the next run finds it
in the state, repairs the feed (a cut last line is dropped) and writes the killed run's file from
its start offset to the feed's end before starting its own. Every writer of the feed (`crawl`,
`nightly`, `reclassify`) goes through a `RunBook`, under the data folder's lock.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sdcrawl.store.feed import FeedWriter
from sdcrawl.store.paths import DataPaths
from sdcrawl.store.state import StateStore

__all__ = ["RunBook", "feed_segment", "new_run_id", "set_aside_if_damaged", "write_atomic"]

logger = logging.getLogger(__name__)


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, rename: the file is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def feed_segment(feed: Path, start: int, end: int) -> bytes:
    if not feed.exists() or end <= start:
        return b""
    with open(feed, "rb") as f:
        f.seek(start)
        return f.read(end - start)


def repaired_feed_size(feed: Path) -> int:
    """Open (and so repair) the feed, return its size."""
    writer = FeedWriter(feed)
    try:
        return writer.size()
    finally:
        writer.close()


def recover_killed_runs(state: Any, feed: Path, runs: Path, size: int) -> list[dict[str, Any]]:
    """Write the files of runs that never ended (killed): their lines are feed[start:size]."""
    recovered = []
    for run_id, start in state.unfinished_runs():
        segment = feed_segment(feed, start, size)
        path = runs / f"{run_id}.jsonl"
        write_atomic(path, segment)
        write_atomic(runs / f"{run_id}.report.json", json.dumps(
            {"run_id": run_id, "status": "killed", "new_items": segment.count(b"\n")}, indent=2).encode())
        state.finish_run(run_id, "killed", size)
        recovered.append({"run_id": run_id, "lines": segment.count(b"\n"), "file": str(path)})
    return recovered


def state_damage(path: Path) -> str | None:
    """Why the SQLite state at `path` cannot be trusted (it fails to open, or fails SQLite's
    integrity check), or None when it is sound or absent."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    problems = [r[0] for r in rows if r and r[0] != "ok"]
    return "; ".join(problems[:3]) if problems else None


def set_aside_if_damaged(path: Path) -> str | None:
    """Move a damaged state (and its -wal/-shm files) aside, keeping it for a person to look at;
    the run then starts from an empty state, which the store stage rebuilds from the feed (every
    article in it is known again; rejected pages and walked listings are learnt anew). Returns a
    line for the run report, or None."""
    why = state_damage(path)
    if why is None:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            os.replace(part, Path(f"{kept}{suffix}"))
    line = f"the crawl state {path} was damaged ({why}): set aside as {kept.name}, rebuilt from the feed"
    logger.warning(line)
    return line


BAD_LINES_KEY = "feed:damaged_lines_reported"


def check_feed(feed: Path, state: StateStore) -> str | None:
    """Read the whole feed once and square the state with it; returns a line for the run report,
    or None when all is well.

    - A line that is not JSON (damaged in place, or garbage written into the middle) is reported
      once — the feed is append-only, so it stays; readers skip it (docs/feed.md) — and never
      again on later runs.
    - An article the state has whose line is no longer in the feed is forgotten, so its page is
      fetched again and its line appended anew: nothing is lost for good.
    - Articles whose lines moved (a line inserted or cut before them) get their offsets corrected,
      so the next run reads only the feed's new tail again.
    """
    known = state.feed_offsets()
    found: dict[str, int] = {}
    bad: list[int] = []
    offset = 0
    if feed.exists():
        with open(feed, "rb") as f:
            for raw in f:
                offset += len(raw)
                if not raw.endswith(b"\n"):
                    break  # a partial last line: cut by the feed writer, not damage
                try:
                    value = json.loads(raw)
                except ValueError:
                    bad.append(offset)
                    continue
                if isinstance(value, dict) and isinstance(value.get("id"), str):
                    found.setdefault(value["id"], offset)
    lost = sorted(i for i, end in known.items() if end and i not in found)
    moved = {i: found[i] for i, end in known.items() if end and i in found and found[i] != end}
    if moved:
        state.correct_feed_offsets(moved)
    if lost:
        state.forget_articles(lost)
    reported = set(json.loads(state.get_meta(BAD_LINES_KEY) or "[]"))
    new_bad = [o for o in bad if o not in reported]
    if new_bad:
        state.set_meta(BAD_LINES_KEY, json.dumps(sorted(reported | set(new_bad))))
    if not new_bad and not lost:
        return None
    parts = []
    if new_bad:
        parts.append(f"{len(new_bad)} damaged line(s) in {feed.name} (not JSON; ending at byte "
                     f"{', '.join(map(str, new_bad[:5]))}{', ...' if len(new_bad) > 5 else ''}), left in place and skipped")
    if lost:
        parts.append(f"{len(lost)} article(s) whose line was lost will be fetched again: {', '.join(lost[:5])}"
                     f"{', ...' if len(lost) > 5 else ''}")
    line = "; ".join(parts)
    logger.warning(line)
    return line


class RunBook:
    """The bookkeeping of one run: call `begin()`, crawl, then `end(report)`."""

    def __init__(self, paths: DataPaths, kind: str = "nightly"):
        self.paths = paths
        self.kind = kind
        self.run_id = new_run_id()
        self.start_offset = 0
        self.recovered: list[dict[str, Any]] = []
        self.state_set_aside: str | None = None
        self.feed_damage: str | None = None

    @property
    def run_file(self) -> Path:
        return self.paths.runs / f"{self.run_id}.jsonl"

    @property
    def report_file(self) -> Path:
        return self.paths.runs / f"{self.run_id}.report.json"

    def begin(self) -> None:
        """Repair the feed, set a damaged state aside, write the files of killed runs, record
        this run's start."""
        feed, runs = self.paths.feed, self.paths.runs
        self.state_set_aside = set_aside_if_damaged(self.paths.state)
        with StateStore(self.paths.state) as state:
            size = repaired_feed_size(feed)
            self.recovered = recover_killed_runs(state, feed, runs, size)
            self.feed_damage = check_feed(feed, state)
            self.start_offset = size
            state.start_run(self.run_id, size)

    def end(self, report: dict[str, Any]) -> dict[str, Any]:
        """Write this run's file and report; record each site's result and the run's end.
        Returns the report completed with the run's own figures."""
        end = repaired_feed_size(self.paths.feed)
        segment = feed_segment(self.paths.feed, self.start_offset, end)
        write_atomic(self.run_file, segment)
        report = {
            "run_id": self.run_id,
            "kind": self.kind,
            **report,
            "data_dir": str(self.paths.root),
            "feed": str(self.paths.feed),
            "new_items": segment.count(b"\n"),
            "run_file": str(self.run_file),
            "recovered_runs": self.recovered,
            "state_set_aside": self.state_set_aside,
            "feed_damage": self.feed_damage,
        }
        with StateStore(self.paths.state) as state:
            for s in report.get("sites", []):
                state.record_run_site(self.run_id, s["site"], s["status"], s["new_items"], s["articles_seen"],
                                      s["pages_fetched"], s["errors"], json.dumps(s["alerts"], ensure_ascii=False),
                                      s["duration_s"])
            write_atomic(self.report_file, json.dumps(report, ensure_ascii=False, indent=2).encode())
            state.finish_run(self.run_id, "finished", end)
        return report
