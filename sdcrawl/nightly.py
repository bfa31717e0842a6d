"""The nightly run: every registry site in one process, only what is new, a report at the end.

    sdcrawl nightly [--data-dir DIR] [--since D] [--page-budget N] [SITE_ID ...]

Layout of the data folder (see docs/nightly.md for what downstream readers may rely on):
    feed.jsonl                 every article once, append only
    state.sqlite               what is known, failed fetches, the history of runs
    nightly.lock               held (flock) while a run is under way
    runs/<run-id>.jsonl        the lines this run added to the feed, written when the run ends
    runs/<run-id>.report.json  the run's report, machine-readable

Crash safety: a run id and the feed's size are recorded when a run starts. When it ends, the
feed's bytes from that offset to the end are its run file (written to a temporary name, fsynced
and renamed, so it is whole or absent). A run that was killed never ends: the next run finds it
in the state, repairs the feed (a cut last line is dropped) and writes the killed run's file from
its start offset to the feed's end before starting its own. Every feed line thus belongs to
exactly one run file. The lock is an flock on nightly.lock: the kernel releases it when the
process dies, so a stale lock from a killed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from sdcrawl.store.feed import FeedWriter

EXIT_OK, EXIT_PROBLEMS, EXIT_LOCKED = 0, 1, 3
REJECTION_STATS = ("irrelevant", "no_date", "no_title", "invalid", "duplicate")


class Locked(Exception):
    """Another nightly run holds the lock."""


class RunLock:
    """An exclusive flock on <data dir>/nightly.lock, released by the kernel if the process dies."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise Locked(f"another nightly run (pid {holder}) is using {self.path.parent}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, rename: the file is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
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


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def site_report(site: str, stats: dict) -> dict:
    """One site's part of the run report, from its final crawl stats."""
    alerts = list(stats.get("sdcrawl/alerts") or [])
    error = stats.get("sdcrawl/site_error")
    status = "failed" if error or stats.get("finish_reason") != "finished" else ("alert" if alerts else "ok")
    rejected = {k: stats.get(f"sdcrawl/dropped/{k}", 0) for k in REJECTION_STATS if stats.get(f"sdcrawl/dropped/{k}")}
    faults = {k.removeprefix("sdcrawl/fault/"): v for k, v in stats.items() if k.startswith("sdcrawl/fault/")}
    return {
        "site": site,
        "status": status,
        "site_error": error,
        "alerts": alerts,
        "finish_reason": stats.get("finish_reason"),
        "pages_fetched": stats.get("response_received_count", 0),
        "articles_seen": sum(stats.get(k, 0) for k in ("sdcrawl/listing_links", "sdcrawl/feed_entries", "sdcrawl/sitemap_entries")),
        "skipped_known": stats.get("sdcrawl/skipped/known", 0),
        "new_items": stats.get("sdcrawl/feed/written", 0),
        "rejected": rejected,
        "failed_articles": stats.get("sdcrawl/article_failed", 0),
        "errors": stats.get("sdcrawl/log/ERROR", 0),
        "retries": stats.get("retry/count", 0),
        "faults": faults,
        "duration_s": round(float(stats.get("elapsed_time_seconds") or 0), 2),
    }


def render_summary(report: dict) -> str:
    lines = [f"sdcrawl nightly run {report['run_id']}: {report['status'].upper()} "
             f"({report['new_items']} new article(s) in {report['duration_s']} s)"]
    lines.append(f"{'site':<16}{'status':<8}{'pages':>6}{'seen':>6}{'new':>5}  {'rejected':<28}{'errors':>7}{'time':>8}")
    for s in report["sites"]:
        rejected = ", ".join(f"{k} {v}" for k, v in s["rejected"].items()) or "-"
        lines.append(f"{s['site']:<16}{s['status']:<8}{s['pages_fetched']:>6}{s['articles_seen']:>6}{s['new_items']:>5}  "
                     f"{rejected:<28}{s['errors']:>7}{s['duration_s']:>7.1f}s")
    problems = [(s["site"], p) for s in report["sites"] for p in ([s["site_error"]] if s["site_error"] else []) + s["alerts"]]
    if problems:
        lines.append("Problems:")
        lines.extend(f"  {site}: {problem}" for site, problem in problems)
    for killed in report.get("recovered_runs", []):
        lines.append(f"Recovered run {killed['run_id']} (killed): {killed['lines']} line(s) -> {killed['file']}")
    return "\n".join(lines)


def nightly(site_ids: list[str], *, data_dir: str, since: str | None = None, page_budget: int | None = None,
            replay: list[str] | None = None, settings: dict | None = None, out=sys.stdout, queue: str | None = None) -> int:
    if queue:  # scale-out hook: the sites go to workers on a queue (docs/scale-out.md)
        from sdcrawl.scale.coordinator import nightly_queue
        return nightly_queue(site_ids, queue_url=queue, data_dir=data_dir, since=since, page_budget=page_budget,
                             replay=replay, settings=settings, out=out)
    from sdcrawl.cli import run_crawl
    from sdcrawl.store.state import StateStore

    data = Path(data_dir).resolve()
    runs_dir = data / "runs"
    feed = data / "feed.jsonl"
    try:
        lock = RunLock(data / "nightly.lock").__enter__()
    except Locked as exc:
        print(f"sdcrawl nightly: {exc}; not starting", file=sys.stderr)
        return EXIT_LOCKED
    try:
        started = time.monotonic()
        state = StateStore(data / "state.sqlite")
        try:
            size = repaired_feed_size(feed)
            recovered = []
            for run_id, start in state.unfinished_runs():  # killed runs: their lines are feed[start:size]
                segment = feed_segment(feed, start, size)
                path = runs_dir / f"{run_id}.jsonl"
                write_atomic(path, segment)
                write_atomic(runs_dir / f"{run_id}.report.json", json.dumps(
                    {"run_id": run_id, "status": "killed", "new_items": segment.count(b"\n")}, indent=2).encode())
                state.finish_run(run_id, "killed", size)
                recovered.append({"run_id": run_id, "lines": segment.count(b"\n"), "file": str(path)})
            run_id = new_run_id()
            state.start_run(run_id, size)
        finally:
            state.close()

        overrides = {"SDCRAWL_DATA_DIR": str(data), **(settings or {})}
        results = run_crawl(site_ids, data_dir=str(data), since=since, page_budget=page_budget, replay=replay, settings=overrides)

        end = repaired_feed_size(feed)
        segment = feed_segment(feed, size, end)
        write_atomic(runs_dir / f"{run_id}.jsonl", segment)
        sites = [site_report(site, results[site]) if site in results else
                 {**site_report(site, {}), "status": "failed", "site_error": "the crawl did not start"} for site in site_ids]
        status = "ok" if all(s["status"] == "ok" for s in sites) else "problems"
        report = {
            "run_id": run_id,
            "status": status,
            "started_at": datetime.fromtimestamp(time.time() - (time.monotonic() - started), timezone.utc).isoformat(timespec="seconds"),
            "duration_s": round(time.monotonic() - started, 2),
            "data_dir": str(data),
            "new_items": segment.count(b"\n"),
            "run_file": str(runs_dir / f"{run_id}.jsonl"),
            "sites": sites,
            "recovered_runs": recovered,
        }
        state = StateStore(data / "state.sqlite")
        try:
            for s in sites:
                state.record_run_site(run_id, s["site"], s["status"], s["new_items"], s["articles_seen"],
                                      s["pages_fetched"], s["errors"], json.dumps(s["alerts"], ensure_ascii=False), s["duration_s"])
            write_atomic(runs_dir / f"{run_id}.report.json", json.dumps(report, ensure_ascii=False, indent=2).encode())
            state.finish_run(run_id, "finished", end)
        finally:
            state.close()
        print(render_summary(report), file=out)
        return EXIT_OK if status == "ok" else EXIT_PROBLEMS
    finally:
        lock.__exit__(None, None, None)
