"""The crawl state as a crawl sees it: spiders read it, one extension writes what they learn.

Spiders navigate and never write the state. They read it through a `StateReader` (is this page
known, which article pages failed on earlier runs, where did the last complete walk of a listing
begin) and send what they learn as signals (`sdcrawl.signals`); `CrawlStateExtension`,
registered in EXTENSIONS, records them:

- `article_failed`: the page goes into the state's list of failed fetches at once; the next runs
  request it again (SDCRAWL_FAILED_RETRY_RUNS times).
- `listing_walked`: kept until the spider closes. When the run finished normally, each listing
  walked to its end gets its boundary: the URL keys of the links on the first page of that walk.
  The next walk of the listing ends at the first page whose oldest link is among them (see
  `sdcrawl.spiders.news`). A run that is killed, or closes for another reason, records none, and
  a walk that was cut short sends no `listing_walked`: the listing keeps its old boundary, so the
  next walk goes on past known pages until it reaches the ground the last complete walk covered.

Both are off when the crawl is not incremental (SDCRAWL_INCREMENTAL = False).
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import TYPE_CHECKING

from scrapy import signals as scrapy_signals
from scrapy.exceptions import NotConfigured

from sdcrawl import signals
from sdcrawl.store.access import get_state
from sdcrawl.store.state import StateStore
from sdcrawl.urls import url_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["CrawlStateExtension", "StateReader", "boundary_key"]

logger = logging.getLogger(__name__)


def boundary_key(site: str, start: str) -> str:
    """The state's meta key of a listing's boundary."""
    return f"listing_walked:{site}:{start}"


class StateReader:
    """What a spider may read of the crawl state (and nothing it could write)."""

    def __init__(self, store: StateStore) -> None:
        self._store = store

    @classmethod
    def open(cls, crawler: Crawler) -> StateReader:
        """A reader of the crawler's state, closed when the spider closes."""
        reader = cls(get_state(crawler))
        crawler.signals.connect(reader.close, signal=scrapy_signals.spider_closed)
        return reader

    @staticmethod
    def key(url: str) -> str | None:
        """The URL's key in the state (None when it is not a usable URL)."""
        try:
            return url_key(url)
        except ValueError:
            return None

    def is_known(self, url: str) -> bool:
        """Whether the state has this page: stored, another address of a stored article, or rejected."""
        key = self.key(url)
        return key is not None and self._store.is_known_url(key)

    def pending_failed(self, site: str, max_attempts: int) -> list[str]:
        """URLs of the site's article pages whose fetch failed on earlier runs, fewer than max_attempts times."""
        return self._store.pending_failed(site, max_attempts)

    def listing_boundary(self, site: str, start: str) -> frozenset[str]:
        """URL keys of the first page of this listing's last complete walk; empty when there
        was none (or it was recorded by an sdcrawl that kept only its date)."""
        raw = self._store.get_meta(boundary_key(site, start))
        try:
            recorded = json.loads(raw) if raw else None
        except ValueError:
            recorded = None
        if not isinstance(recorded, dict):
            return frozenset()
        return frozenset(k for k in recorded.get("first_page") or () if isinstance(k, str))

    def close(self, *args, **kwargs) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class CrawlStateExtension:
    """Records in the crawl state what the spider says it learned (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("SDCRAWL_INCREMENTAL", True):
            raise NotConfigured("the crawl is not incremental")
        self.crawler = crawler
        self.store: StateStore | None = None
        self.walked: dict[str, list[str]] = {}  # start URL -> URL keys of its walk's first page
        crawler.signals.connect(self.spider_opened, signal=scrapy_signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=scrapy_signals.spider_closed)
        crawler.signals.connect(self.article_failed, signal=signals.article_failed)
        crawler.signals.connect(self.listing_walked, signal=signals.listing_walked)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStateExtension:
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        self.store = get_state(self.crawler)

    @staticmethod
    def site_of(spider) -> str:
        return getattr(spider, "site_id", None) or spider.name

    def article_failed(self, spider, url: str, reason: str) -> None:
        key = StateReader.key(url)
        if self.store is not None and key is not None:
            self.store.record_failed(key, url, self.site_of(spider), reason)

    def listing_walked(self, spider, start: str, first_page: list[str]) -> None:
        self.walked[start] = [k for k in map(StateReader.key, first_page) if k is not None]

    def spider_closed(self, spider, reason: str) -> None:
        if self.store is None:
            return
        if reason == "finished":  # every request of the run was handled: the walks are complete
            for start, keys in self.walked.items():
                record = {"walked": date.today().isoformat(), "first_page": keys}
                self.store.set_meta(boundary_key(self.site_of(spider), start), json.dumps(record))
        elif self.walked:
            logger.info("%s: the run ended %s: no listing boundary recorded", spider.name, reason)
        self.store.close()
        self.store = None
