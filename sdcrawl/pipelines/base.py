"""What the state-using pipelines share: the crawler, and the process-wide crawl state
(`sdcrawl.store.state.get_state`), held from open_spider to close_spider."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdcrawl.store.state import StateStore, get_state

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


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
