"""The store stage: writes articles to the JSON Lines feed and records them in the crawl state;
the one pipeline that writes the state. It also records what the stages before it dropped (through
Scrapy's `item_dropped` signal): a rejected page (irrelevant, no date, no title) so that it is not
fetched again, and every address of a duplicate as an alias of the article the feed has.

Crash safety rests on the order of the two writes and on a check when the pipeline opens:

1. The line goes to the feed first (one O_APPEND write, then fsync).
2. Only then is the article recorded in the state (one SQLite commit, synchronous=FULL), with the
   feed offset just after its line.
3. On open, the feed is first repaired (a partial last line is cut off: FeedWriter), then
   RECONCILED: every complete line after the state's last recorded offset whose id the state
   does not have is recorded now.

A kill before 1 completes loses the article from this run only (nothing claims it; the page is
fetched again next time). A kill between 1 and 2 leaves a line the state does not know; step 3
records it at the next start, so the deduplication drops the article when it is seen again
instead of writing it twice. The state therefore never claims an article that is not in the
feed, and the feed never holds an article twice.

Stats: `sdcrawl/feed/written`, `sdcrawl/feed/reconciled`, `sdcrawl/feed/invalid` (an item that a
later-added pipeline made invalid; not written), `sdcrawl/feed/repaired_bytes`.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from sdcrawl.store.feed import FeedWriter, get_feed, iter_lines, shared_writer
from sdcrawl.store.paths import DataPaths
from scrapy import signals

from sdcrawl.item import content_key, page_keys, public
from sdcrawl.pipelines.base import Duplicate, Rejected, StatePipeline
from sdcrawl.pipelines.validate import validated_line
from sdcrawl.errors import DATA_HINTS, cannot_write
from sdcrawl.stats import DATA_ERROR

from sdcrawl.store.state import StateStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["StorePipeline", "reconcile"]

logger = logging.getLogger(__name__)


def reconcile(feed: FeedWriter, state: StateStore) -> int:
    """Record in `state` every article of the feed tail (after the state's last recorded offset)
    that the state does not have; returns how many were recorded."""
    start = state.last_feed_offset()
    size = feed.size()
    if start > size or (start > 0 and not _line_ends_at(feed, start)):
        logger.error(
            "Feed %s (%d bytes) does not match state %s (last line recorded ends at %d);"
            " reading the whole feed to rebuild the state",
            feed.path, size, state.path, start,
        )
        start = 0
    recorded = 0
    for item, offset_end in iter_lines(feed.path, start):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        if state.known_article(id=item["id"]) is not None:
            continue
        if state.record_stored(item, content_key(item), offset_end):
            recorded += 1
            logger.info("Reconciled %s from the feed (a run ended before recording it)", item["id"])
    return recorded


def _line_ends_at(feed: FeedWriter, offset: int) -> bool:
    with open(feed.path, "rb") as f:
        f.seek(offset - 1)
        return f.read(1) == b"\n"


def store_line(feed: FeedWriter, state: StateStore, line: dict[str, Any], keys: list[str]) -> int:
    """Append a valid, new article to the feed and record it with every address it was fetched
    under (`keys`, canonical first). Feed first, then state (see the module docstring): never the
    other way round. Returns the feed offset just after the line."""
    offset_end = feed.write(line)
    state.record_stored(line, content_key(line), offset_end)
    for key in keys[1:]:  # the other addresses it was fetched under
        state.add_alias(key, line["id"])
    state.forget_failed(keys)
    return offset_end


class StorePipeline(StatePipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.feed: FeedWriter | None = None
        self.rejected: FeedWriter | None = None  # irrelevant items, for `sdcrawl reclassify`
        # (url_key, id) of duplicates of articles passed on in this run but not stored yet
        self._pending_aliases: list[tuple[str, str]] = []
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    def open_spider(self) -> None:
        super().open_spider()
        try:
            self.feed = get_feed(self.crawler)  # repairs a partial last line
        except BaseException:
            super().close_spider()
            raise
        reconciled = reconcile(self.feed, self.state)
        if reconciled:
            self.crawler.stats.inc_value("sdcrawl/feed/reconciled", reconciled)

    def close_spider(self) -> None:
        if self.state is not None and not self.crawler.stats.get_value(DATA_ERROR):
            try:
                for key, article_id in self._pending_aliases:
                    self.state.add_alias(key, article_id)
            except (OSError, sqlite3.OperationalError) as exc:
                self._unwritable(exc)
        self._pending_aliases.clear()
        for writer in (self.feed, self.rejected):
            if writer is not None:
                writer.close()
        self.feed = self.rejected = None
        super().close_spider()

    def _unwritable(self, exc: BaseException) -> None:
        """The feed or the state cannot be written (a full or read-only disk): end this site's
        crawl at once, quietly; the command reports it in one line. What was written stays whole:
        the feed writer cuts a partial line, and a line the state missed is reconciled next run."""
        if not (isinstance(exc, OSError) and exc.errno in DATA_HINTS) and "disk" not in str(exc).lower():
            raise exc
        where = getattr(exc, "filename", None) or (self.feed.path if isinstance(exc, OSError) else self.state.path)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        stats = self.crawler.stats
        if not stats.get_value(DATA_ERROR):
            code = getattr(exc, "errno", None) or errno.ENOSPC  # SQLite says "database or disk is full"
            stats.set_value(DATA_ERROR, cannot_write(where, why, code))
            logger.debug("Stopping %s: %s", self.crawler.spider.name, why)
            if self.crawler.engine is not None:
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(self.crawler.engine.close_spider_async(reason="data_unwritable"))

    def keep_rejected(self, item: dict[str, Any]) -> None:
        """Append an irrelevant item to rejected.jsonl, for `sdcrawl reclassify`."""
        if self.rejected is None:
            self.rejected, _ = shared_writer(DataPaths.from_settings(self.crawler.settings).rejected)
        self.rejected.write({**public(item), "_fetched_urls": list(item.get("_fetched_urls") or [])})

    def item_dropped(self, item, response=None, exception=None, spider=None) -> None:
        """Record what an earlier stage dropped: a rejected page, or a duplicate's addresses."""
        if self.state is None or not isinstance(item, dict) or self.crawler.stats.get_value(DATA_ERROR):
            return
        try:
            self._record_drop(item, exception)
        except (OSError, sqlite3.OperationalError) as exc:
            self._unwritable(exc)

    def _record_drop(self, item: dict, exception: BaseException | None) -> None:
        if isinstance(exception, Rejected) and isinstance(item.get("site"), str):
            if exception.reason == "irrelevant":  # kept whole, so a better classifier can bring it back
                self.keep_rejected(item)
            for key in page_keys(item):
                self.state.record_rejected(key, item["site"], exception.reason)
        elif isinstance(exception, Duplicate):
            for key in page_keys(item):
                if not self.state.add_alias(key, exception.article_id):
                    if self.state.known_article(id=exception.article_id) is None:
                        self._pending_aliases.append((key, exception.article_id))

    def valid_line(self, item: dict[str, Any]) -> dict[str, Any]:
        """The item's feed line; dropped if it no longer matches the schema (validation ran
        earlier: a stage placed after it changed the item). An invalid line is never stored."""
        line = public(item)
        _, errors = validated_line(item)
        if errors:
            self.crawler.stats.inc_value("sdcrawl/feed/invalid")
            logger.error("Not storing %s, it no longer matches the schema: %s", item.get("url"), errors[0])
            raise DropItem(f"invalid at the feed: {errors[0]}", log_level="DEBUG")
        return line

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.feed is None or self.state is None:
            raise RuntimeError("StorePipeline.process_item() before open_spider()")
        line = self.valid_line(item)
        if self.crawler.stats.get_value(DATA_ERROR):
            raise DropItem("the data folder cannot be written", log_level="DEBUG")
        try:
            store_line(self.feed, self.state, line, page_keys(item))
        except (OSError, sqlite3.OperationalError) as exc:
            self._unwritable(exc)
            raise DropItem("the data folder cannot be written", log_level="DEBUG") from None
        self.crawler.stats.inc_value("sdcrawl/feed/written")
        return item
