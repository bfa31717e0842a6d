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
                        cancel a running task);
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
import collections
import logging
import multiprocessing
import os
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sdcrawl.extract import Selectors, extract_article

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import TextResponse

__all__ = ["ExtractionPool", "PageSkipped", "WorkerError", "SKIPPED_CRASHED", "SKIPPED_TIMEOUT", "SKIPPED_TOO_LARGE", "extract_page",
           "get_pool", "pool_workers"]

logger = logging.getLogger(__name__)

# stat keys (sdcrawl/skipped/... as the spiders' other skipped pages)
from sdcrawl.stats import OFFLOADED, SKIPPED_CRASHED, SKIPPED_TIMEOUT, SKIPPED_TOO_LARGE  # noqa: E402


class PageSkipped(Exception):
    """A page left out by a bound: `reason` is 'too_large', 'timeout' or 'crashed'."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def pool_workers(setting: Any) -> int:
    """SDCRAWL_EXTRACT_WORKERS: None (the default) = one core fewer than the machine has (the
    reactor's), at least 1 and at most 4; 0 = none (extraction on the reactor thread)."""
    if setting is None or setting == "":
        return max(1, min(4, (os.cpu_count() or 2) - 1))
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


class WorkerError(RuntimeError):
    """The function raised in the worker; the message holds the worker's traceback."""


def _serve(conn) -> None:
    """A worker's life: (function, args) in, (True, result) or (False, exception) out, until EOF."""
    _worker_init()
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            reply = (True, fn(*args))
        except Exception as exc:  # handed to the awaiting callback, as if raised there
            import traceback

            reply = (False, WorkerError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


# --- the pool, driven from the event loop --------------------------------------------------------
class _Worker:
    __slots__ = ("conn", "process", "future", "timer", "tasks")

    def __init__(self, context) -> None:
        parent, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="sdcrawl-extract")
        self.process.start()
        child.close()
        self.conn = parent
        self.future: asyncio.Future | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.tasks = 0

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError, AttributeError):
            pass
        self.conn.close()
        self.process.join(timeout=5)


class ExtractionPool:
    """`workers` processes that run a function on one page each, every call bounded by `timeout`
    seconds; a worker past it is killed and a new one started.

    Written here rather than taken from pebble or concurrent.futures: both drive their workers from
    helper threads in the crawling process (pebble three, ProcessPoolExecutor two) that take the
    GIL from the reactor; measured on the benchmark's crawl (bench/RESULTS.md), pebble's threads
    cost the crawl process as much CPU as the extraction they moved out. Here the event loop itself
    watches the workers' pipes (`loop.add_reader`) and keeps the time bound (`loop.call_later`):
    no thread, and per page only a pickle of the page out and of the item back. Workers are
    started (a blocking round trip to the fork server) in a helper thread, never on the loop."""

    def __init__(self, workers: int, timeout: float, max_tasks: int = 2000):
        context = multiprocessing.get_context("forkserver")
        # the fork server imports extraction once; each worker is a fork of it
        context.set_forkserver_preload(["sdcrawl.extract.offload"])
        self._context = context
        self.workers = workers
        self.timeout = timeout
        self.max_tasks = max_tasks
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._queue: collections.deque = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    # workers come and go -------------------------------------------------------------------------
    def _start_workers(self) -> None:
        missing = self.workers - len(self._idle) - len(self._busy) - self._starting
        for _ in range(max(0, missing)):
            self._starting += 1
            threading.Thread(target=self._spawn, daemon=True, name="sdcrawl-extract-start").start()

    def _spawn(self) -> None:
        try:
            worker: _Worker | None = _Worker(self._context)
        except Exception as exc:  # pragma: no cover - the machine is out of processes or memory
            logger.error("Could not start an extraction worker: %s", exc)
            worker = None
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._started, worker)
        elif worker is not None:
            worker.kill()

    def _started(self, worker: _Worker | None) -> None:
        self._starting -= 1
        if worker is None:
            return
        if self._closed:
            worker.kill()
            return
        self._idle.append(worker)
        self._dispatch()

    def _retire(self, worker: _Worker) -> None:
        assert self._loop is not None
        self._busy.discard(worker)
        try:
            self._loop.remove_reader(worker.conn.fileno())
        except (OSError, ValueError):
            pass
        if worker.timer is not None:
            worker.timer.cancel()
        worker.kill()
        if not self._closed:
            self._start_workers()

    # the work ------------------------------------------------------------------------------------
    async def run(self, fn, *args) -> Any:
        """fn(*args) in a worker; PageSkipped past the time bound or when the worker died."""
        if self._closed:
            raise RuntimeError("the extraction pool is closed")
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        future = self._loop.create_future()
        self._queue.append((fn, args, future))
        self._start_workers()
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        while self._queue and self._idle:
            fn, args, future = self._queue.popleft()
            if future.done():  # its caller went away
                continue
            worker = self._idle.pop()
            try:
                worker.conn.send((fn, args))
            except (OSError, ValueError) as exc:  # the worker died while idle
                future.set_exception(PageSkipped("crashed", f"the extraction worker died ({exc})"))
                self._retire(worker)
                continue
            worker.future = future
            worker.timer = self._loop.call_later(self.timeout, self._expired, worker)
            self._busy.add(worker)
            self._loop.add_reader(worker.conn.fileno(), self._replied, worker)

    def _replied(self, worker: _Worker) -> None:
        future = worker.future
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            code = worker.process.exitcode
            self._retire(worker)
            if future is not None and not future.done():
                future.set_exception(PageSkipped("crashed", f"the extraction worker died (exit code {code}, {exc or 'EOF'})"))
            self._dispatch()
            return
        self._loop.remove_reader(worker.conn.fileno())
        worker.timer.cancel()
        worker.future = worker.timer = None
        self._busy.discard(worker)
        if future is not None and not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        worker.tasks += 1
        if self.max_tasks and worker.tasks >= self.max_tasks:
            self._retire(worker)  # a fresh process: the memory of a long run stays flat
        else:
            self._idle.append(worker)
        self._dispatch()

    def _expired(self, worker: _Worker) -> None:
        future = worker.future
        worker.timer = None
        self._retire(worker)  # a running task cannot be cancelled: its process is killed
        if future is not None and not future.done():
            future.set_exception(PageSkipped("timeout", f"extraction ran past {self.timeout:g} s; its worker was replaced"))
        self._dispatch()

    async def extract(self, html: str, url: str, *, selectors: Selectors | None, site: str, municipality: str,
                      scraped_at: datetime | None = None) -> dict:
        """The item of one page, extracted in a worker."""
        return await self.run(_extract, html, url, selectors, site, municipality, scraped_at)

    def close(self) -> None:
        self._closed = True
        for worker in [*self._idle, *self._busy]:
            if self._loop is not None and not self._loop.is_closed():
                try:
                    self._loop.remove_reader(worker.conn.fileno())
                except (OSError, ValueError):
                    pass
            if worker.timer is not None:
                worker.timer.cancel()
            if worker.future is not None and not worker.future.done():
                worker.future.cancel()
            worker.kill()
        self._idle.clear()
        self._busy.clear()
        while self._queue:
            _, _, future = self._queue.popleft()
            if not future.done():
                future.cancel()


_pool: ExtractionPool | None = None
_users = 0
_lock = threading.Lock()


def get_pool(crawler: Crawler) -> ExtractionPool | None:
    """The process-wide pool (None when SDCRAWL_EXTRACT_WORKERS is 0), made on the first call;
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
        pool = _pool
    from scrapy import signals

    def release(spider=None, reason=None) -> None:
        global _pool, _users
        with _lock:
            _users -= 1
            last = _users == 0 and _pool is pool
            if last:
                _pool = None
        if last:
            pool.close()

    crawler.signals.connect(release, signal=signals.spider_closed, weak=False)
    return pool


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
