"""One story once: an article that is the same story as earlier articles of other sites (the same
press release, lightly edited) gets their ids in `related` (sdcrawl/stories.py: MinHash LSH,
threshold and shingles there). The feed stays append-only: only the later article's line carries
the link; readers make it symmetric (`sdcrawl.stories.related_map`).

The index is built once per process from the feed and then grows with each article this stage
passes on. It holds only the articles published in the last SDCRAWL_RELATED_DAYS (90) days: a
press release is republished within weeks, and an index of the whole archive would cost memory
and CPU in proportion to it (about 9 kB and 1 ms per article: a 20,000-article backfill went
from 210 to 387 MB). Older articles are neither indexed nor linked. SDCRAWL_RELATED = False
switches the stage off.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from sdcrawl.store.paths import feed_path
from sdcrawl.store.shared import Shared
from sdcrawl.stories import NearDupIndex

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["RelatedPipeline"]

logger = logging.getLogger(__name__)

_indexes: Shared[NearDupIndex] = Shared(lambda index: None)


class RelatedPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = feed_path(crawler.settings)
        days = crawler.settings.getint("SDCRAWL_RELATED_DAYS", 90)
        self.since = (date.today() - timedelta(days=days)).isoformat()
        self.index: NearDupIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelatedPipeline:
        if not crawler.settings.getbool("SDCRAWL_RELATED", True):
            raise NotConfigured
        return cls(crawler)

    def open_spider(self) -> None:
        pass  # the index is made when the first article of the window arrives (it costs ~70 MB of imports)

    def _index(self) -> NearDupIndex:
        if self.index is None:
            self.index, built = _indexes.acquire(self.path, lambda path: NearDupIndex.from_feed(path, since=self.since))
            if built:
                logger.debug("Story index of %s: %d article(s)", self.path, len(self.index))
        return self.index

    def close_spider(self) -> None:
        if self.index is not None:
            _indexes.release(self.path, self.index)
            self.index = None

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if str(item.get("published") or "") < self.since:
            return item
        related = self._index().link(item)
        if related:
            item = {**item, "related": related}
            self.crawler.stats.inc_value("sdcrawl/related")
        return item
