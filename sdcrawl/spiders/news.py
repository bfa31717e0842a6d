"""The base of every sdcrawl spider: a site's news, from listing pages (and feeds and sitemaps)
to dated article pages.

Platform bases (`sdcrawl.spiders.platforms`: WordPress, the unified government platform, Joomla)
hold a platform's selectors. A registry entry without a module of its own crawls with its
platform's base (`sdcrawl.spiderloader`); a site module (`sdcrawl/spiders/<id>.py`) exists only
where the site differs from its platform, and says only that:

    class RezeknesnovadsSpider(WordPressSpider):
        name = "rezeknesnovads"
        listing_date = ".post-date"

The registry entry (seeds/<id>.toml) gives the start URLs, feeds and sitemaps. The spider walks
the listing newest first, follows pagination within a page budget, stops going back past `since`,
reads RSS/Atom feeds and sitemaps when the registry names them (`sdcrawl.sources`), and hands
every article page to `sdcrawl.extract.extract_article` with the spider's `selectors`. Site
quirks go in one hook, `post_process_item(item, response)`.

The spider navigates; it never writes the crawl state. It reads it through
`sdcrawl.store.crawlstate.StateReader` and sends what it learns as signals (`sdcrawl.signals`:
`listing_walked`, `article_failed`, `article_extracted`) to the components that own the state.

Incremental (SDCRAWL_INCREMENTAL, on by default): a link whose page is known to the crawl state
(in the feed, another address of an article in the feed, or deliberately rejected) is not
fetched again. Pagination ends early only where a complete walk has been before: when a run
walked a listing from its first page to its end (the `since` boundary, its last page, the page
budget, or this boundary) and finished normally, the links of that walk's first page become the
listing's boundary, and a later walk ends at the first page whose last (oldest) link is one of
them — the listing is newest first, so what follows was covered by that walk. A walk cut short (a
killed run, a listing page that failed, the article budget spent) leaves the old boundary in
place, so the next run walks on past pages it already knows until it reaches it. An article page
whose fetch failed is requested again on the next runs (SDCRAWL_FAILED_RETRY_RUNS times).

Spider arguments (`scrapy crawl ID -a since=2020-01-01 -a page_budget=5 -a article_budget=100`):
  since           YYYY-MM-DD: articles published before it are not collected, and listing pages
                  whose dated entries are all older end the pagination.
  page_budget     the most listing pages walked per start URL (default SDCRAWL_PAGE_BUDGET).
  article_budget  the most article pages requested in one run (default SDCRAWL_ARTICLE_BUDGET);
                  once it is spent no further article or listing page is requested, the stats
                  say `sdcrawl/article_budget_reached`, and the next run goes on from there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, AsyncIterator, Iterator

import scrapy
from scrapy.http import Response, TextResponse

from sdcrawl import signals
from sdcrawl.extract import Selectors
from sdcrawl.extract.offload import extract_page
from sdcrawl.extract.dates import parse_date
from sdcrawl.faults import Refused
from sdcrawl.registry import RegistryError, Site, get_site
from sdcrawl.sources.feeds import FeedEntry, parse_feed
from sdcrawl.sources.sitemaps import parse_sitemap
from sdcrawl.sources.urls import is_page_link
from sdcrawl.store.crawlstate import StateReader

__all__ = ["COVERED_FIELDS", "NewsSpider"]

COVERED_FIELDS = ("title", "published", "body")  # field coverage, watched by sdcrawl.monitors
# Refused for good (a bomb, a blocked redirect, undecodable bytes): trying again won't help.
FINAL_REFUSALS = ("too_large", "redirect_blocked", "bad_encoding")


class NewsSpider(scrapy.Spider):
    """A site's news: listing pages (and feeds/sitemaps) leading to dated article pages."""

    #: CSS for the links to articles on a listing page.
    listing_links: str = "article h2 a, article h3 a, .news-item a, .views-row a"
    #: CSS for each entry of a listing (to read its date); None when the listing shows no dates.
    listing_entries: str | None = None
    #: CSS, inside an entry, of its date; None to look for a date line in the entry's text.
    listing_date: str | None = None
    #: CSS for the link to the next (older) listing page.
    next_page: str = "a[rel=next], link[rel=next], .pagination .next a, a.next"
    #: The site's own selectors for article pages (the first extraction layer).
    selectors: Selectors = Selectors()
    #: Sites marked `javascript = true` (sdcrawl.browser): what the rendered listing must show
    #: before it is read (default: `listing_links`), and its "load more" button, clicked while
    #: the page budget lasts.
    js_wait_for: str | None = None
    js_load_more: str | None = "button:has-text('Rādīt vairāk'), a:has-text('Rādīt vairāk')"

    custom_settings: dict[str, Any] = {}
    #: Read-only view of the crawl state; None when the crawl is not incremental.
    state: StateReader | None = None

    def __init__(self, *args, since: str | None = None, page_budget: int | str | None = None,
                 article_budget: int | str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.since: date | None = date.fromisoformat(since) if since else None
        self._page_budget = int(page_budget) if page_budget else None
        self._article_budget = int(article_budget) if article_budget else None
        self._articles_requested = 0  # article requests made this run (the article budget)
        self._refused = 0  # article links left unrequested because the budget was spent
        self._first_pages: dict[str, list[str]] = {}  # start URL -> the links of its first page, this run

    # --- registry --------------------------------------------------------------------
    @property
    def site_id(self) -> str:
        return self.name

    @property
    def site(self) -> Site:
        seeds = self.settings.get("SDCRAWL_SEEDS_DIR") if hasattr(self, "crawler") else None
        return get_site(self.site_id, seeds)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        try:
            site = spider.site
        except RegistryError as exc:
            raise ValueError(str(exc)) from None
        spider.allowed_domains = list(site.domains)
        settings = crawler.settings
        if spider.since is None:
            horizon = settings.getint("SDCRAWL_HORIZON_DAYS")
            spider.since = (datetime.now(timezone.utc) - timedelta(days=horizon)).date()
        if spider._page_budget is None:
            spider._page_budget = settings.getint("SDCRAWL_PAGE_BUDGET")
        if spider._article_budget is None:
            spider._article_budget = settings.getint("SDCRAWL_ARTICLE_BUDGET")
        if settings.getbool("SDCRAWL_INCREMENTAL", True):
            spider.state = StateReader.open(crawler)
        return spider

    # --- what the crawl state knows (read only) ----------------------------------------------
    def is_known(self, url: str) -> bool:
        """Whether the crawl state already has this page (stored, an alias, or rejected)."""
        return self.state is not None and self.state.is_known(url)

    def listing_boundary(self, start: str) -> frozenset[str]:
        """URL keys of the first page of this listing's last complete walk (empty: none yet)."""
        return self.state.listing_boundary(self.site_id, start) if self.state is not None else frozenset()

    def _send(self, signal, **kwargs) -> None:
        self.crawler.signals.send_catch_log(signal, spider=self, **kwargs)

    # --- failures ----------------------------------------------------------------------------
    @staticmethod
    def _reason(failure) -> str:
        value = failure.value
        response = getattr(value, "response", None)
        if response is not None:
            return f"HTTP {response.status}"
        return f"{type(value).__name__}: {value}".splitlines()[0][:200]

    def article_failed(self, failure):
        """An article page could not be fetched: said, to be tried again on the next run."""
        url = failure.request.url
        reason = self._reason(failure)
        self.crawler.stats.inc_value("sdcrawl/article_failed")
        for_good = isinstance(failure.value, Refused) and failure.value.kind in FINAL_REFUSALS
        self.logger.warning("%s: article %s failed: %s%s", self.name, url, reason,
                            "" if for_good else " (will be tried again next run)")
        if not for_good:
            self._send(signals.article_failed, url=url, reason=reason)

    def listing_failed(self, failure):
        """A listing page could not be fetched; the site's first listing page failing fails the site."""
        request = failure.request
        reason = self._reason(failure)
        self.crawler.stats.inc_value("sdcrawl/listing_failed")
        self.logger.error("%s: listing %s failed: %s", self.name, request.url, reason)
        if request.cb_kwargs.get("page") == 1 and not self.crawler.stats.get_value("sdcrawl/site_error"):
            self.crawler.stats.set_value("sdcrawl/site_error", f"listing {request.url} failed: {reason}")

    def feed_failed(self, failure):
        self.crawler.stats.inc_value("sdcrawl/feed_failed")
        self.logger.warning("%s: feed %s failed: %s; the listing is walked instead", self.name, failure.request.url, self._reason(failure))

    # --- requests ------------------------------------------------------------------------------
    def article_request(self, url: str, **kwargs) -> scrapy.Request:
        """The request for an article page (see `follow_article` for the checks before it)."""
        if self.site.javascript_articles:  # drawn by script: through the browser
            from sdcrawl.browser import article_meta
            kwargs["meta"] = {**article_meta(self), **kwargs.get("meta", {})}
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed, **kwargs)

    def follow_article(self, url: str, **kwargs) -> Iterator[scrapy.Request]:
        """The request for an article link, unless the crawl state knows the page or the run's
        article budget is spent."""
        stats = self.crawler.stats
        if self.is_known(url):
            stats.inc_value("sdcrawl/skipped/known")
            return
        if self.article_budget_spent:
            self._budget_reached()
            self._refused += 1
            stats.inc_value("sdcrawl/skipped/article_budget")
            return
        self._articles_requested += 1
        yield self.article_request(url, **kwargs)

    def listing_request(self, url: str, start: str, page: int) -> scrapy.Request:
        meta = {}
        if self.site.javascript:  # drawn by script: through the browser
            from sdcrawl.browser import listing_meta
            meta = listing_meta(self, page)
        return scrapy.Request(url, callback=self.parse, errback=self.listing_failed, cb_kwargs={"start": start, "page": page}, meta=meta)

    @property
    def page_budget(self) -> int:
        return self._page_budget or 50

    @property
    def article_budget(self) -> int:
        return self._article_budget or 2000

    @property
    def article_budget_spent(self) -> bool:
        return self._articles_requested >= self.article_budget

    def _budget_reached(self) -> None:
        stats = self.crawler.stats
        if not stats.get_value("sdcrawl/article_budget_reached"):
            stats.set_value("sdcrawl/article_budget_reached", 1)
            self.logger.info("%s: article budget %d reached; the next run goes on from here", self.name, self.article_budget)

    # --- start --------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        site = self.site
        for url in site.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.feed_failed, priority=10)
        for url in site.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.feed_failed, priority=5)
        for url in site.start_urls:
            yield self.listing_request(url, url, 1)
        if self.state is not None:
            runs = self.settings.getint("SDCRAWL_FAILED_RETRY_RUNS", 5)
            for url in self.state.pending_failed(self.site_id, runs):
                for request in self.follow_article(url):
                    self.crawler.stats.inc_value("sdcrawl/retried_from_last_run")
                    yield request

    # --- listings -----------------------------------------------------------------------
    def parse(self, response: Response, start: str | None = None, page: int = 1):
        """A listing page: its article links, newest first, then the next page."""
        if not isinstance(response, TextResponse):
            return
        start = start or response.url
        stats = self.crawler.stats
        stats.inc_value("sdcrawl/listing_pages")
        links = self.article_links(response)
        stats.inc_value("sdcrawl/listing_links", len(links))
        if page == 1:
            self._first_pages[start] = links
        dates = self.listing_dates(response)
        refused = self._refused
        for url in links:
            yield from self.follow_article(url)
        if self._refused > refused:
            return  # the budget is spent: the walk stops here, unfinished
        if dates and self.since and all(d < self.since for d in dates):
            self.logger.info("%s: listing page %d is all older than %s; pagination ends", self.name, page, self.since)
            self._walked(start)
            return
        if not links:
            self._walked(start)
            return
        boundary = self.listing_boundary(start)
        if boundary and StateReader.key(links[-1]) in boundary:
            # the last complete walk began here: everything older is known
            stats.inc_value("sdcrawl/listing_boundary_reached")
            self.logger.info("%s: the oldest link on listing page %d is where the last walk began; pagination ends", self.name, page)
            self._walked(start)
            return
        next_url = self.next_page_url(response)
        if next_url is None:
            self._walked(start)
            return
        if page >= self.page_budget:
            stats.inc_value("sdcrawl/page_budget_reached")
            self.logger.info("%s: page budget %d reached at %s", self.name, self.page_budget, response.url)
            self._walked(start)
            return
        if self.article_budget_spent:  # nothing more could be requested from the next page
            self._budget_reached()
            return
        yield self.listing_request(next_url, start, page + 1)

    def _walked(self, start: str) -> None:
        """This run walked the listing from its first page to its end: say so (the crawl state
        records it as the listing's boundary when the run finishes normally)."""
        first_page = self._first_pages.pop(start, None)
        if first_page is not None:
            self._send(signals.listing_walked, start=start, first_page=first_page)

    def article_links(self, response: TextResponse) -> list[str]:
        """Absolute URLs of the articles a listing links to, in page order, without repeats."""
        seen: dict[str, None] = {}
        for href in response.css(self.listing_links).xpath("@href").getall():
            url = response.urljoin(href.strip())
            if self.is_article_url(url):
                seen.setdefault(url.split("#")[0], None)
        return list(seen)

    def is_article_url(self, url: str) -> bool:
        """An http(s) link on the site's own domains that is not a file (PDF, image, ...)."""
        return is_page_link(url, self.allowed_domains)

    def listing_dates(self, response: TextResponse) -> list[date]:
        if not self.listing_entries:
            return []
        out = []
        for entry in response.css(self.listing_entries):
            if self.listing_date:
                raw = entry.css(self.listing_date)
                text = raw.xpath("@datetime").get() or " ".join(raw.xpath(".//text()").getall())
            else:
                text = " ".join(t.strip() for t in entry.xpath(".//text()").getall() if t.strip())
            if d := parse_date(text.strip()):
                out.append(d)
        return out

    def next_page_url(self, response: TextResponse) -> str | None:
        href = response.css(self.next_page).xpath("@href").get()
        return response.urljoin(href) if href else None

    # --- feeds and sitemaps ----------------------------------------------------------------
    def parse_feed(self, response: Response):
        """RSS 2.0, RSS 1.0 or Atom: links of entries newer than `since`, newest first."""
        entries = parse_feed(response.text if isinstance(response, TextResponse) else response.body, response.url)
        if entries is None:
            self.logger.warning("%s: %s is not a feed", self.name, response.url)
            return
        yield from self.follow_feed(entries)

    def follow_feed(self, entries: list[FeedEntry]) -> Iterator[scrapy.Request]:
        """Requests for a feed's entries on this site that are newer than `since`, newest first."""
        self.crawler.stats.inc_value("sdcrawl/feed_entries", len(entries))
        for entry in sorted(entries, key=lambda e: e.published or date.min, reverse=True):
            if entry.published and self.since and entry.published < self.since:
                continue
            if self.is_article_url(entry.url):
                yield from self.follow_article(entry.url, priority=5)

    def parse_sitemap(self, response: Response):
        """A sitemap or sitemap index (Scrapy's reader, which does not resolve entities)."""
        parsed = parse_sitemap(response.body, response.url)
        if parsed is None:
            self.logger.warning("%s: %s is not a sitemap", self.name, response.url)
            return
        kind, entries = parsed
        if kind == "sitemapindex":
            for loc, _ in entries:
                yield scrapy.Request(loc, callback=self.parse_sitemap)
            return
        for url, lastmod in sorted(entries, key=lambda e: e[1] or date.min, reverse=True):
            if lastmod and self.since and lastmod < self.since:
                continue
            if self.is_article_url(url) and self.is_article_in_sitemap(url):
                self.crawler.stats.inc_value("sdcrawl/sitemap_entries")
                yield from self.follow_article(url, priority=5)

    def is_article_in_sitemap(self, url: str) -> bool:
        """Sitemaps list every page; a platform base narrows them to news articles."""
        return True

    # --- articles --------------------------------------------------------------------------
    async def extract(self, response: TextResponse) -> dict | None:
        """The item of an article page: `sdcrawl.extract.extract_article` with the site's selectors,
        run beside the reactor and bounded in size and time (sdcrawl.extract.offload); None when
        a bound left the page out (counted, one warning line)."""
        site = self.site
        return await extract_page(self, response, selectors=self.selectors, site=site.id, municipality=site.municipality)

    async def parse_article(self, response: Response):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("sdcrawl/skipped/not_html")
            return
        item = await self.extract(response)
        if item is None:
            return
        item = self.post_process_item(item, response)
        if item is None:
            return
        stats = self.crawler.stats
        stats.inc_value("sdcrawl/extracted")
        for field in COVERED_FIELDS:
            if item.get(field):
                stats.inc_value(f"sdcrawl/extracted/{field}")
        # every address this page was fetched under, so that each becomes known (private key:
        # the pipelines use it, the feed never holds it)
        item["_fetched_urls"] = [*response.meta.get("redirect_urls", []), response.url]
        published = item.get("published")
        if published and self.since and date.fromisoformat(published) < self.since:
            stats.inc_value("sdcrawl/skipped/older_than_since")
            return
        self._send(signals.article_extracted, item=item, response=response)
        yield item

    def post_process_item(self, item: dict, response: Response) -> dict | None:
        """The one hook for a site's quirks: change the item, or return None to skip the page."""
        return item
