"""The job a worker runs: one site's crawl, under the locks of the site's hosts, in a child process.

    crawl_site("stopini", since="2024-01-01", settings={"DOWNLOAD_DELAY": "2"})  -> the site's stats

The crawl is the real `sdcrawl crawl SITE` command, with the state in PostgreSQL
(SDCRAWL_STATE_URL, passed in the environment so no password shows in `ps`) and the feed stage
replaced by DatabaseFeedPipeline. Its data folder is a temporary one: a worker keeps nothing on
its disk. Twisted's reactor cannot restart, so every crawl gets a fresh process:

- under `sdcrawl worker` the job runs in RQ's work horse, a process forked for this one job from a
  worker that has already imported Scrapy and sdcrawl (`warm_up`) but never started a reactor;
  the crawl runs right there (`crawl_here`, through sdcrawl.runner), without paying Python's and Scrapy's start
  (5-10 s a site on a busy machine, most of a small site's crawl);
- anywhere else (a plain `rq worker`, a test calling the function) it runs as a child process,
  `python -m sdcrawl.cli crawl SITE ...`.

Dying together: the horse (and the child, when there is one) asks the kernel to kill it when its
parent dies (PR_SET_PDEATHSIG), so a worker that is SIGKILLed (or whose systemd unit is stopped)
leaves no crawl behind that could race the retry of its job on another machine.

A site that fails (down, robots.txt refusing, a check firing) is a result, not a job failure: its
stats say so and the run report shows it. The job fails, and RQ retries it, only when the crawl
process itself ended without a report (killed, out of memory, PostgreSQL gone).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sdcrawl.scale.locks import HostLocks
from sdcrawl.scale.pipeline import queue_pipelines

__all__ = ["CrawlFailed", "crawl_site", "site_hosts"]

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
# Settings the coordinator must not hand on: where a crawl keeps its files and what it shows a person.
LOCAL_SETTINGS = ("SDCRAWL_DATA_DIR", "SDCRAWL_FEED_PATH", "SDCRAWL_STATE_PATH", "SDCRAWL_RUNS_DIR",
                  "SDCRAWL_STATE_URL", "SDCRAWL_PROGRESS", "ITEM_PIPELINES")


# The meta key under which the coordinator keeps its database's id (a random UUID), which each job
# carries: the password of the database never goes into Redis, and each worker uses its own URL.
DATABASE_ID_KEY = "queue:database_id"
# Set by sdcrawl.scale.worker in the work horse it forked for one job: the crawl may run in it.
IN_FRESH_HORSE = False


def warm_up() -> None:
    """Import what a crawl imports (Scrapy, the pipelines, middlewares, spiders, extraction), so each
    forked horse starts with them; never the reactor, which a horse must install itself."""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings

    import sdcrawl.runner  # noqa: F401

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    settings = get_project_settings()
    for key in ("ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS", "DOWNLOAD_HANDLERS"):
        for name, value in settings.getwithbase(key).items():
            for path in (name, value):
                if isinstance(path, str) and "." in path:
                    try:
                        load_object(path)
                    except Exception:  # noqa: BLE001 - only a warm-up: the crawl reports real problems
                        pass
    SpiderLoader.from_settings(settings).list()
    assert "twisted.internet.reactor" not in sys.modules, "warm_up must not install a reactor"


class CrawlFailed(RuntimeError):
    """The crawl process ended without a report; RQ retries the job."""


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies. Elsewhere: nothing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def site_hosts(site_id: str) -> list[str]:
    """The hosts a site's crawl may fetch from (its registry entry's domains)."""
    from sdcrawl.registry import get_site

    return sorted(get_site(site_id).domains)


def crawl_argv(site_id: str, data_dir: str, report: str, since: str | None, page_budget: int | None,
               settings: dict[str, Any]) -> list[str]:
    """The arguments of `sdcrawl crawl` for one site in queue mode."""
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    pipelines = queue_pipelines(get_project_settings().getdict("ITEM_PIPELINES"))
    cmd = ["crawl", site_id, "--data-dir", data_dir, "--report", report, "-s", f"ITEM_PIPELINES={json.dumps(pipelines)}"]
    if since:
        cmd += ["--since", since]
    if page_budget:
        cmd += ["--page-budget", str(page_budget)]
    for name, value in settings.items():
        if name not in LOCAL_SETTINGS:
            cmd += ["-s", f"{name}={value if isinstance(value, str) else json.dumps(value)}"]
    return cmd


def check_database(state_url: str, database_id: str | None) -> None:
    """Raise CrawlFailed unless SDCRAWL_STATE_URL names the coordinator's database (the id it
    wrote into `meta`): a worker pointed elsewhere would store articles the feed never gets."""
    if database_id is None:
        return
    from sdcrawl.store.backends.postgresql import connect, redact

    with connect(state_url) as conn:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = %s", (DATABASE_ID_KEY,)).fetchone()
        except Exception:  # noqa: BLE001 - no meta table: not the coordinator's database either
            row = None
    if row is None or row[0] != database_id:
        raise CrawlFailed(f"this worker's SDCRAWL_STATE_URL ({redact(state_url)}) is not the coordinator's database")


def crawl_site(site_id: str, *, state_url: str | None = None, database_id: str | None = None, since: str | None = None,
               page_budget: int | None = None, settings: dict[str, Any] | None = None,
               lock_timeout: float | None = None) -> dict[str, Any]:
    """Crawl one site into the state database (the worker's own SDCRAWL_STATE_URL unless given);
    return its final stats (as `crawl --report` has them)."""
    state_url = state_url or os.environ.get("SDCRAWL_STATE_URL")
    if not state_url:
        raise CrawlFailed("SDCRAWL_STATE_URL is not set for this worker")
    check_database(state_url, database_id)
    worker = os.environ.get("RQ_WORKER_ID", f"pid {os.getpid()}")
    with HostLocks(state_url, site_hosts(site_id), owner=f"{worker}: {site_id}", timeout=lock_timeout) as locks:
        with tempfile.TemporaryDirectory(prefix=f"sdcrawl-{site_id}-") as tmp:
            report = Path(tmp) / "report.json"
            argv = crawl_argv(site_id, str(Path(tmp) / "data"), str(report), since, page_budget, settings or {})
            started = time.monotonic()
            status, tail = _run(argv, state_url)
            logger.info("%s: crawl of %s ended with status %s after %.1f s (waited %.1f s for its hosts)",
                        worker, site_id, status, time.monotonic() - started, locks.waited)
            if status not in (0, 1) or not report.exists():
                raise CrawlFailed(f"crawl of {site_id} ended with status {status}: {tail}")
            stats = json.loads(report.read_text(encoding="utf-8"))["sites"].get(site_id)
            if stats is None:
                raise CrawlFailed(f"crawl of {site_id} did not start: {tail}")
    stats["sdcrawl/queue/worker"] = worker
    stats["sdcrawl/queue/lock_wait_s"] = round(locks.waited, 2)
    return stats


def crawl_here(argv: list[str]) -> int:
    """The crawl `crawl_argv` describes, in this process (a fresh work horse), through the runner
    rather than the CLI: a worker's data folder is a temporary one, so no run bookkeeping."""
    from sdcrawl.runner import run_crawl

    site_id, options = argv[1], argv[2:]
    given = dict(zip(options[::2], options[1::2]))
    settings = dict(value.split("=", 1) for flag, value in zip(options[::2], options[1::2]) if flag == "-s")
    budget = given.get("--page-budget")
    results = run_crawl([site_id], data_dir=given["--data-dir"], since=given.get("--since"),
                        page_budget=int(budget) if budget else None, settings=settings)
    Path(given["--report"]).write_text(json.dumps({"sites": results}, default=str), encoding="utf-8")
    stats = results.get(site_id)
    return 0 if stats is not None and stats.get("finish_reason") == "finished" else 1


def _run(argv: list[str], state_url: str) -> tuple[int, str]:
    """Run `sdcrawl ARGV` with the state in PostgreSQL: (exit status, last lines of its stderr)."""
    global IN_FRESH_HORSE
    if IN_FRESH_HORSE and "twisted.internet.reactor" not in sys.modules:
        IN_FRESH_HORSE = False  # one crawl per horse
        os.environ["SDCRAWL_STATE_URL"] = state_url
        return crawl_here(argv), ""
    proc = subprocess.run([sys.executable, "-m", "sdcrawl.cli", *argv], env={**os.environ, "SDCRAWL_STATE_URL": state_url},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
    return proc.returncode, " | ".join(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:])
