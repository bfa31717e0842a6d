"""`sdcrawl nightly --queue redis://HOST:PORT/DB`: the night's run spread over workers.

The coordinator runs on the machine that keeps the data folder (feed.jsonl, runs/). It

1. checks that Redis and PostgreSQL answer (one line, exit status 4 and nothing written if not);
2. takes the data folder's lock (sdcrawl.lock) and, in PostgreSQL, the one-coordinator lock;
3. repairs the feed (a cut last line) and reconciles it with the state: a line whose article
   the state still has as "not exported" (the coordinator was killed between appending the line
   and recording it) is recorded as exported, so the feed resumes after the highest sequence
   number already in it and never gets a line twice; a line the state does not know at all (a
   feed written by single-machine runs) is recorded as a stored article;
4. writes the run files of runs that were killed, as `sdcrawl nightly` does;
5. enqueues one job per site (job id `site-<id>`; a job of that id that is still queued or
   running, left by a killed coordinator, is adopted instead of enqueued twice), with RQ's Retry;
6. while the jobs run: appends the articles the workers numbered, in sequence order, to the feed
   (one fsynced line each, then `mark_exported`), and runs RQ's StartedJobRegistry.cleanup so the
   job of a worker that died is retried at once;
7. when every job has ended: appends what is left, writes runs/<run-id>.jsonl (the feed's bytes
   added during this run) and the report, as `sdcrawl nightly` does.

Every article thus reaches the feed once, in the order of its sequence number, whichever worker
stored it and whichever workers or coordinators died on the way.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sdcrawl.item import content_key
from sdcrawl.scale import EXIT_UNAVAILABLE
from sdcrawl.scale.servers import Unavailable, check_postgres, check_redis
from sdcrawl.store.feed import FeedWriter, iter_lines

__all__ = ["FeedExporter", "nightly_queue"]

logger = logging.getLogger(__name__)

ACTIVE = ("queued", "started", "deferred", "scheduled", "created")
ENDED_BADLY = ("failed", "stopped", "canceled")


class FeedExporter:
    """Appends the state's numbered, not yet exported articles to the feed, in sequence order."""

    def __init__(self, feed: FeedWriter, state: Any) -> None:
        self.feed = feed
        self.state = state

    def reconcile(self) -> dict[str, int]:
        """Match the feed's tail (after the state's last recorded offset) with the state."""
        start = self.state.last_feed_offset()
        size = self.feed.size()
        if start > size or (start > 0 and not _line_ends_at(self.feed.path, start)):
            logger.error("Feed %s (%d bytes) does not match the state (last line recorded ends at %d);"
                         " reading the whole feed", self.feed.path, size, start)
            start = 0
        repaired = imported = 0
        for item, end in iter_lines(self.feed.path, start):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            offset = self.state.article_offset(item["id"])
            if offset is None:
                imported += self.state.record_stored(item, content_key(item), end)
            elif offset == 0:
                repaired += self.state.mark_exported(item["id"], end)
        if repaired:
            logger.warning("Feed %s: %d line(s) appended by a coordinator killed before it recorded them; recorded now",
                           self.feed.path, repaired)
        return {"repaired": repaired, "imported": imported}

    def export(self) -> int:
        """Append every pending article; returns how many."""
        written = 0
        while True:
            rows = self.state.pending_lines(500)
            if not rows:
                return written
            for _seq, article_id, line in rows:
                # Feed first, then state: a kill in between leaves a line that reconcile() records.
                end = self.feed.write(json.loads(line))
                self.state.mark_exported(article_id, end)
                written += 1


def _line_ends_at(path: Path, offset: int) -> bool:
    with open(path, "rb") as f:
        f.seek(offset - 1)
        return f.read(1) == b"\n"


def _job_kwargs(database_id: str, since: str | None, page_budget: int | None, settings: dict) -> dict:
    """What a job carries: not the database's URL (each worker has its own, and a password has no
    business in Redis) but its id, which the job checks against its worker's database."""
    return {"database_id": database_id, "since": since, "page_budget": page_budget, "settings": settings}


def database_id(state: Any) -> str:
    import uuid

    from sdcrawl.scale.jobs import DATABASE_ID_KEY

    value = state.get_meta(DATABASE_ID_KEY)
    if value is None:
        state.set_meta(DATABASE_ID_KEY, str(uuid.uuid4()))
        value = state.get_meta(DATABASE_ID_KEY)
    return value


def enqueue_sites(queue, site_ids: list[str], kwargs: dict, *, retries: int, timeout: int) -> tuple[dict, list[str]]:
    """(site -> job, adopted site ids): a job per site, reusing one still queued or running."""
    from rq import Retry
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    jobs, adopted = {}, []
    for site in site_ids:
        job_id = f"site-{site}"
        try:
            old = Job.fetch(job_id, connection=queue.connection)
        except NoSuchJobError:
            old = None
        if old is not None:
            status = old.get_status(refresh=False)
            if status is not None and str(getattr(status, "value", status)) in ACTIVE:
                jobs[site] = old
                adopted.append(site)
                continue
            old.delete()
        jobs[site] = queue.enqueue_call("sdcrawl.scale.jobs.crawl_site", args=(site,), kwargs=kwargs, job_id=job_id,
                                        timeout=timeout, result_ttl=7 * 86400, failure_ttl=7 * 86400,
                                        retry=Retry(max=retries), description=f"sdcrawl: crawl {site}")
    return jobs, adopted


def _status(job) -> str | None:
    status = job.get_status(refresh=True)
    return None if status is None else str(getattr(status, "value", status))


def _failure(job) -> str:
    result = job.latest_result()
    text = (getattr(result, "exc_string", None) or "").strip().splitlines()
    return text[-1] if text else "the job failed"


def wait_for_jobs(queue, jobs: dict, exporter: FeedExporter, *, poll: float = 0.3, out=sys.stderr) -> tuple[dict, dict]:
    """Export while the jobs run; (site -> stats, site -> failure) when every job has ended."""
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.registry import StartedJobRegistry

    results, failures = {}, {}
    pending = set(jobs)
    redis_down = False
    registry = StartedJobRegistry(queue=queue)
    while pending:
        exporter.export()
        try:
            registry.cleanup()  # RQ's own handling of jobs whose worker stopped beating
            for site in sorted(pending):
                job = jobs[site]
                try:
                    status = _status(job)
                except NoSuchJobError:
                    status = None
                if status == "finished":
                    results[site] = job.return_value(refresh=True) or {}
                elif status in ENDED_BADLY:
                    failures[site] = _failure(job)
                elif status is None:
                    failures[site] = "its job vanished from Redis"
                else:
                    continue
                pending.discard(site)
            if redis_down:
                print("sdcrawl nightly: Redis answers again", file=out)
                redis_down = False
        except RedisError as exc:
            if not redis_down:
                print(f"sdcrawl nightly: Redis went away ({exc}); the workers' articles are still written to the feed,"
                      " waiting for Redis to come back", file=out)
                redis_down = True
        time.sleep(poll)
    exporter.export()
    return results, failures


def nightly_queue(site_ids: list[str], *, queue_url: str, data_dir: str, since: str | None = None,
                  page_budget: int | None = None, replay: list[str] | None = None, settings: dict | None = None,
                  out=sys.stdout) -> int:
    """The nightly run in queue mode; the exit status (0 ok, 1 problems, 3 locked, 4 a server unreachable)."""
    from sdcrawl.errors import EXIT_BUSY as EXIT_LOCKED
    from sdcrawl.errors import EXIT_OK, EXIT_PROBLEMS
    from sdcrawl.runner import crawl_settings
    from sdcrawl.stats import render_summary
    from sdcrawl.stats import site_summary as site_report
    from sdcrawl.store.lock import DataDirBusy, DataLock
    from sdcrawl.store.paths import DataPaths
    from sdcrawl.store.runs import feed_segment, new_run_id, recover_killed_runs, write_atomic

    settings = dict(settings or {})
    state_url = settings.pop("SDCRAWL_STATE_URL", None) or os.environ.get("SDCRAWL_STATE_URL")
    try:
        redis = check_redis(queue_url)
        check_postgres(state_url)
    except Unavailable as exc:
        print(f"sdcrawl nightly: {exc}; nothing was started", file=sys.stderr)
        return EXIT_UNAVAILABLE
    import psycopg
    from rq import Queue

    from sdcrawl.scale.locks import CoordinatorLock, LockBusy
    from sdcrawl.scale.worker import QUEUE_NAME
    from sdcrawl.store.backends.postgresql import PostgresStateStore

    paths = DataPaths.from_settings(crawl_settings(data_dir, settings))
    data, runs_dir, feed_file = paths.root, paths.runs, paths.feed
    try:
        lock = DataLock(paths.lock, "sdcrawl nightly --queue").__enter__()
    except DataDirBusy as exc:
        print(f"sdcrawl nightly: {exc}; not starting", file=sys.stderr)
        return EXIT_LOCKED
    server = None
    try:
        with CoordinatorLock(state_url):
            started = time.monotonic()
            state = PostgresStateStore(state_url)
            feed = FeedWriter(feed_file)  # repairs a cut last line; held (flock) for the whole run
            try:
                exporter = FeedExporter(feed, state)
                exporter.reconcile()
                size = feed.size()
                recovered = recover_killed_runs(state, feed_file, runs_dir, size)  # a killed coordinator's run
                run_id = new_run_id()
                state.start_run(run_id, size)

                if replay:  # recorded copies served from this machine (tests, benchmarks): local workers only
                    from sdcrawl.replay import ReplayServer

                    server = ReplayServer(replay).start()
                    settings.update({"SDCRAWL_LOOPBACK_HOSTS": server.hosts_setting, "DOWNLOAD_DELAY": 0,
                                     "AUTOTHROTTLE_ENABLED": False, "SDCRAWL_CONTACT": "demo@localhost"})
                queue = Queue(QUEUE_NAME, connection=redis)
                retries = int(settings.pop("SDCRAWL_QUEUE_RETRIES", 3))
                timeout = int(settings.get("CLOSESPIDER_TIMEOUT", 2 * 60 * 60)) + 60 * 60
                jobs, adopted = enqueue_sites(queue, site_ids, _job_kwargs(database_id(state), since, page_budget, settings),
                                              retries=retries, timeout=timeout)
                if adopted:
                    print(f"sdcrawl nightly: adopted the still running job(s) of {', '.join(adopted)}", file=sys.stderr)
                results, failures = wait_for_jobs(queue, jobs, exporter)

                end = feed.size()
                segment = feed_segment(feed_file, size, end)
                write_atomic(runs_dir / f"{run_id}.jsonl", segment)
                sites = []
                for site in site_ids:
                    if site in results:
                        entry = site_report(site, results[site])
                        entry["worker"] = results[site].get("sdcrawl/queue/worker")
                        entry["lock_wait_s"] = results[site].get("sdcrawl/queue/lock_wait_s", 0)
                    else:
                        entry = {**site_report(site, {}), "status": "failed",
                                 "site_error": f"job failed: {failures.get(site, 'unknown')}"}
                    sites.append(entry)
                status = "ok" if all(s["status"] == "ok" for s in sites) else "problems"
                report = {
                    "run_id": run_id,
                    "kind": "nightly",
                    "status": status,
                    "mode": "queue",
                    "started_at": datetime.fromtimestamp(time.time() - (time.monotonic() - started), timezone.utc).isoformat(timespec="seconds"),
                    "duration_s": round(time.monotonic() - started, 2),
                    "data_dir": str(data),
                    "new_items": segment.count(b"\n"),
                    "run_file": str(runs_dir / f"{run_id}.jsonl"),
                    "sites": sites,
                    "recovered_runs": recovered,
                }
                for s in sites:
                    state.record_run_site(run_id, s["site"], s["status"], s["new_items"], s["articles_seen"],
                                          s["pages_fetched"], s["errors"], json.dumps(s["alerts"], ensure_ascii=False), s["duration_s"])
                write_atomic(runs_dir / f"{run_id}.report.json", json.dumps(report, ensure_ascii=False, indent=2).encode())
                state.finish_run(run_id, "finished", end)
            finally:
                feed.close()
                state.close()
        print(render_summary(report), file=out)
        return EXIT_OK if status == "ok" else EXIT_PROBLEMS
    except LockBusy as exc:
        print(f"sdcrawl nightly: {exc}; not starting", file=sys.stderr)
        return EXIT_LOCKED
    except psycopg.OperationalError as exc:
        line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"sdcrawl nightly: PostgreSQL went away: {line}; run it again to finish (nothing is lost)", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        if server is not None:
            server.stop()
        lock.__exit__(None, None, None)
