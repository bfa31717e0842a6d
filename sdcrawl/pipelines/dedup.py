"""Drops an article already in the feed, or already passed on earlier in this run, under this URL
(its URL key: tracking parameters, http/https and www do not matter) or with the same content
(`sdcrawl.item.content_key`: title, date and body; catches `?p=123` against its slug).

A duplicate counts `sdcrawl/dropped/duplicate` (and `.../url` or `.../content`) and is dropped
with `Duplicate(article_id)`: the store stage records its addresses as aliases of the known
article, so a spider can skip them next time. This stage only reads the state.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from sdcrawl.item import content_key
from sdcrawl.pipelines.base import Duplicate, StatePipeline
from sdcrawl.urls import url_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["DedupPipeline"]

logger = logging.getLogger(__name__)


def _digest(kind: str, key: str) -> bytes:
    # 16 bytes per key keeps the run's memory small however long the URLs are.
    return hashlib.blake2b(f"{kind}\0{key}".encode(), digest_size=16).digest()


class DedupPipeline(StatePipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # Keys (digests) of the articles passed on in this run -> their id. The store stage
        # records an article in the state right after this stage, but items may interleave.
        self._seen: dict[bytes, str] = {}

    def close_spider(self) -> None:
        self._seen.clear()
        super().close_spider()

    def _known(self, ukey: str, ckey: str) -> tuple[str, str] | None:
        """(id, 'url' or 'content') of the article this one duplicates, or None."""
        state = self.state
        if state is not None:
            if (found := state.known_article(url_key=ukey)) is not None:
                return found, "url"
            if (found := state.known_article(content_key=ckey)) is not None:
                return found, "content"
        if (found := self._seen.get(_digest("url", ukey))) is not None:
            return found, "url"
        if (found := self._seen.get(_digest("content", ckey))) is not None:
            return found, "content"
        return None

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        ukey = url_key(item["url"])
        ckey = content_key(item)
        known = self._known(ukey, ckey)
        if known is None:
            self._seen[_digest("url", ukey)] = item["id"]
            self._seen[_digest("content", ckey)] = item["id"]
            return item
        article_id, kind = known
        stats = self.crawler.stats
        stats.inc_value("sdcrawl/dropped/duplicate")
        stats.inc_value(f"sdcrawl/dropped/duplicate/{kind}")
        logger.debug("Duplicate %s: same %s as %s", item["url"], kind, article_id)
        raise Duplicate(article_id, kind, item["url"])
