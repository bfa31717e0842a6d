"""What the pipelines share: the process-wide crawl state (`sdcrawl.store.state.get_state`), held
from open_spider to close_spider, and the drop reasons the store records.

Only the store stage (`sdcrawl.pipelines.store`) writes the crawl state. The stages before it say
why they drop an item by raising `Rejected` (the page is left out for good: irrelevant, no date,
no title) or `Duplicate` (another address of an article the feed has); the store stage hears of
every drop through Scrapy's `item_dropped` signal and records it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from sdcrawl.store.access import get_state
from sdcrawl.store.state import StateStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["Duplicate", "Rejected", "StatePipeline"]


class Rejected(DropItem):
    """The page is deliberately left out of the feed; its reason is recorded in the state."""

    def __init__(self, reason: str, url: object, detail: str = ""):
        super().__init__(f"{reason}: {url}" + (f" ({detail})" if detail else ""), log_level="DEBUG")
        self.reason = reason


class Duplicate(DropItem):
    """The page is another address (or another copy) of article `article_id`."""

    def __init__(self, article_id: str, kind: str, url: object):
        super().__init__(f"duplicate of {article_id} (same {kind}): {url}", log_level="DEBUG")
        self.article_id = article_id
        self.kind = kind


class StatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state: StateStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.state = get_state(self.crawler)

    def close_spider(self) -> None:
        if self.state is not None:
            self.state.close()
            self.state = None
