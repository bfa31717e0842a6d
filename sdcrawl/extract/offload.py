"""Extraction beside the reactor: a pool of worker processes, with a size and a time bound per page.

Extraction is a pure function of a page (HTML, URL, the site's selectors) and the costliest thing a
crawl does per page. Run on the reactor thread, it takes the first core from downloading: one heavy
page (an 8.7 MB body took 47 s, issue 13 item 7) stalls every site of the run, whose responses
then "time out" although their servers answered at once. Here a spider callback awaits the
extraction instead (`await extract_page(...)` in an `async def` callback: Scrapy runs the asyncio
reactor), and the work runs in one of SDCRAWL_EXTRACT_WORKERS processes, so the reactor goes on
downloading on its core while the pages are read on the others.

Bounds, per page (`sdcrawl/skipped/<reason>` counts each page left out, with one warning line):
  too_large_to_extract  the body is over SDCRAWL_EXTRACT_MAXSIZE bytes: not extracted at all
                        (checked before anything is sent to a worker);
  extract_timeout       its extraction ran past SDCRAWL_EXTRACT_TIMEOUT seconds: abandoned, and
                        the worker that ran it is killed and replaced (a process pool cannot
                        cancel a running task; pebble's ProcessPool does exactly this);
  extract_crashed       the worker died under it (out of memory, a crash in a C library): the
                        worker is replaced.
Neither page is recorded in the crawl state, so it is fetched (and bounded) again next run.

SDCRAWL_EXTRACT_WORKERS = 0 extracts on the reactor thread as before (the size bound still holds;
no time bound can be kept there). The pool is one per process, shared by every crawler of a
nightly run; workers come from a fork server (a single-threaded process that imported sdcrawl's
extraction once), never from a fork of the crawling process with its threads and open sockets. A
worker is replaced after SDCRAWL_EXTRACT_MAX_TASKS pages, so its memory stays flat however long
the run.

Scale-out (`sdcrawl worker`, one site per job in a child process) and this pool fit together: each
job's crawl process gets its own pool; on a machine running W such workers set
SDCRAWL_EXTRACT_WORKERS to about cores / W (1 is enough to take the extraction off the reactor).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import TimeoutError as FuturesTimeout
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sdcrawl.extract import Selectors, extract_article

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import TextResponse

__all__ = ["ExtractionPool", "PageSkipped", "SKIPPED_CRASHED", "SKIPPED_TIMEOUT", "SKIPPED_TOO_LARGE", "extract_page",
           "get_pool", "pool_workers"]

logger = logging.getLogger(__name__)

# stat keys (sdcrawl/skipped/... as the spiders' other skipped pages)
SKIPPED_TOO_LARGE = "sdcrawl/skipped/too_large_to_extract"
SKIPPED_TIMEOUT = "sdcrawl/skipped/extract_timeout"
SKIPPED_CRASHED = "sdcrawl/skipped/extract_crashed"
OFFLOADED = "sdcrawl/extract/offloaded"  # pages extracted in a worker process


class PageSkipped(Exception):
    """A page left out by a bound: `reason` is 'too_large', 'timeout' or 'crashed'."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def pool_workers(setting: Any) -> int:
    """SDCRAWL_EXTRACT_WORKERS: None (the default) = the machine's cores, at most 4; 0 = none."""
    if setting is None or setting == "":
        return max(1, min(4, os.cpu_count() or 1))
    workers = int(setting)
    if workers < 0:
        raise ValueError(f"SDCRAWL_EXTRACT_WORKERS must be 0 or more, not {setting!r}")
    return workers


# --- in the worker ---------------------------------------------------------------------------------
def _worker_init() -> None:
    """A worker ends with the fork server it came from (which ends with the crawl process), even
    when the crawl process is killed: Linux's parent-death signal, best effort elsewhere."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _extract(html: str, url: str, selectors: Selectors | None, site: str, municipality: str,
             scraped_at: datetime | None) -> dict:
    return extract_article(html, url, selectors=selectors, site=site, municipality=municipality, scraped_at=scraped_at)


# --- the pool --------------------------------------------------------------------------------------
class ExtractionPool:
    """`workers` processes that run `extract_article`, each call bounded by `timeout` seconds."""

    def __init__(self, workers: int, timeout: float, max_tasks: int = 2000):
        from pebble import ProcessPool

        context = multiprocessing.get_context("forkserver")
        # the fork server imports extraction once; each worker is a fork of it
        context.set_forkserver_preload(["sdcrawl.extract.offload"])
        self.workers = workers
        self.timeout = timeout
        self._pool = ProcessPool(max_workers=workers, max_tasks=max_tasks, initializer=_worker_init, context=context)

    async def extract(self, html: str, url: str, *, selectors: Selectors | None, site: str, municipality: str,
                      scraped_at: datetime | None = None) -> dict:
        """The item of one page, extracted in a worker; PageSkipped past the time bound or when the
        worker died."""
        future = self._pool.schedule(_extract, args=(html, url, selectors, site, municipality, scraped_at),
                                     timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FuturesTimeout:
            raise PageSkipped("timeout", f"extraction ran past {self.timeout:g} s; its worker was replaced") from None
        except _process_expired() as exc:
            raise PageSkipped("crashed", f"the extraction worker died ({exc})") from None
        except asyncio.CancelledError:
            future.cancel()
            raise

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=10)


def _process_expired() -> type[BaseException]:
    from pebble import ProcessExpired

    return ProcessExpired


_pool: ExtractionPool | None = None
_users = 0
_lock = threading.Lock()


def get_pool(crawler: Crawler) -> ExtractionPool | None:
    """The process-wide pool (None when SDCRAWL_EXTRACT_WORKERS is 0), started on the first call;
    the crawler gives its use back when its spider closes, and the last one stops the pool."""
    global _pool, _users
    workers = pool_workers(crawler.settings.get("SDCRAWL_EXTRACT_WORKERS"))
    if workers == 0:
        return None
    with _lock:
        if _pool is None:
            _pool = ExtractionPool(workers, crawler.settings.getfloat("SDCRAWL_EXTRACT_TIMEOUT", 15.0),
                                   crawler.settings.getint("SDCRAWL_EXTRACT_MAX_TASKS", 2000))
        _users += 1
    from scrapy import signals

    def release(spider=None, reason=None) -> None:
        global _pool, _users
        with _lock:
            _users -= 1
            pool = _pool if _users == 0 else None
            if pool is not None:
                _pool = None
        if pool is not None:
            pool.close()

    crawler.signals.connect(release, signal=signals.spider_closed, weak=False)
    return _pool


# --- what a spider calls -----------------------------------------------------------------------------
async def extract_page(spider, response: TextResponse, *, selectors: Selectors | None, site: str,
                       municipality: str) -> dict | None:
    """The item of an article page, or None when a bound left it out (counted, one warning)."""
    crawler = spider.crawler
    stats = crawler.stats
    max_bytes = crawler.settings.getint("SDCRAWL_EXTRACT_MAXSIZE", 5 * 1024 * 1024)
    try:
        if max_bytes and len(response.body) > max_bytes:
            raise PageSkipped("too_large", f"{len(response.body):,} bytes, over SDCRAWL_EXTRACT_MAXSIZE = {max_bytes:,}")
        pool = getattr(spider, "_extraction_pool", False)
        if pool is False:
            pool = spider._extraction_pool = get_pool(crawler)
        if pool is None:
            return extract_article(response.text, response.url, selectors=selectors, site=site, municipality=municipality)
        item = await pool.extract(response.text, response.url, selectors=selectors, site=site, municipality=municipality)
        stats.inc_value(OFFLOADED)
        return item
    except PageSkipped as skipped:
        key = {"too_large": SKIPPED_TOO_LARGE, "timeout": SKIPPED_TIMEOUT}.get(skipped.reason, SKIPPED_CRASHED)
        stats.inc_value(key)
        spider.logger.warning("%s: article %s not extracted: %s", spider.name, response.url, skipped)
        return None
