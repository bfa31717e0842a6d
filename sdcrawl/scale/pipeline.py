"""The feed stage of a crawl in queue mode: the article goes into the state database, not a file.

It takes the place of sdcrawl.pipelines.store.StorePipeline in ITEM_PIPELINES (the worker passes
that setting to each crawl, sdcrawl.scale.jobs). Each article that passes the stages before it is
recorded, with its feed line and the next sequence number, in ONE transaction
(`StateStore.record_queued`): it is either wholly stored and numbered or not at all, and a worker
killed at any moment leaves nothing in between. The coordinator appends the numbered lines to the
feed (sdcrawl.scale.coordinator); nothing here touches a feed file.

An article another worker stored first (same id or URL key: the database's unique constraints
decide; same content: checked under the lock that orders the numbers) is dropped as a duplicate,
its addresses recorded as aliases, so it can never be numbered twice.

Stats: `sdcrawl/feed/written` (numbered articles, as the file pipeline counts lines),
`sdcrawl/feed/invalid`, `sdcrawl/dropped/duplicate` (and `.../stored_elsewhere`).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from sdcrawl.item import content_key, page_keys
from sdcrawl.pipelines.base import StatePipeline
from sdcrawl.pipelines.store import StorePipeline
from sdcrawl.store.feed import dumps_line

__all__ = ["DatabaseFeedPipeline", "FILE_FEED", "DATABASE_FEED", "queue_pipelines"]

logger = logging.getLogger(__name__)

FILE_FEED = "sdcrawl.pipelines.store.StorePipeline"
DATABASE_FEED = "sdcrawl.scale.pipeline.DatabaseFeedPipeline"


def queue_pipelines(pipelines: dict[str, Any]) -> dict[str, Any]:
    """The project's ITEM_PIPELINES with the file feed stage replaced by this one, same order."""
    if FILE_FEED not in pipelines:
        raise ValueError(f"ITEM_PIPELINES has no {FILE_FEED} to replace")
    out = {name: order for name, order in pipelines.items() if name != FILE_FEED}
    out[DATABASE_FEED] = pipelines[FILE_FEED]
    return out


class DatabaseFeedPipeline(StorePipeline):
    """The store stage of queue mode: what the stages before it dropped is recorded as in one
    process (rejected pages, duplicates' aliases, from `item_dropped`); the articles go to the
    database. No feed file is opened, and irrelevant items are not kept for `reclassify` (the
    worker's data folder is a temporary one)."""

    def open_spider(self) -> None:
        StatePipeline.open_spider(self)

    def keep_rejected(self, item: dict[str, Any]) -> None:
        return None

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.state is None:
            raise RuntimeError("DatabaseFeedPipeline.process_item() before open_spider()")
        line = self.valid_line(item)
        seq = self.state.record_queued(line, content_key(line), dumps_line(line).decode("utf-8"))
        stats = self.crawler.stats
        keys = page_keys(item)
        if seq is None:
            # another crawl stored it between the dedup stage and here: its addresses become aliases
            known = self.state.known_article(url_key=keys[0] if keys else None, content_key=content_key(line), id=line["id"])
            if known is not None:
                for key in keys:
                    self.state.add_alias(key, known)
            stats.inc_value("sdcrawl/dropped/duplicate")
            stats.inc_value("sdcrawl/dropped/duplicate/stored_elsewhere")
            raise DropItem(f"already stored (by another crawl): {item['url']}", log_level="DEBUG")
        for key in keys[1:]:
            self.state.add_alias(key, line["id"])
        self.state.forget_failed(keys)
        stats.inc_value("sdcrawl/feed/written")
        return item
