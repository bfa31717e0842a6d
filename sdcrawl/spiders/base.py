"""The base of every sdcrawl spider, and the platform bases built on it.

A site spider names itself (its registry id) and declares only what its platform base gets wrong:

    class SocdSpider(WordPressSpider):
        name = "socd"

The registry entry (seeds/<id>.toml) gives the start URLs, feeds and sitemaps. The base walks the
listing newest first, follows pagination within a page budget, stops going back past `since`,
reads RSS/Atom feeds and sitemaps when the registry names them, and hands every article page to
`sdcrawl.extract.extract_article` with the spider's `selectors`. Site quirks go in one hook,
`post_process_item(item, response)`.

Incremental (SDCRAWL_INCREMENTAL, on by default): a link whose page is known to the crawl state
(in the feed, another address of an article in the feed, or deliberately rejected) is not
fetched again, and pagination ends at the listing page whose last (oldest) link is known: the
listing is newest first, so everything after it is known too. An article page whose fetch failed
is remembered and requested again on the next runs (SDCRAWL_FAILED_RETRY_RUNS times).

Spider arguments (`scrapy crawl ID -a since=2020-01-01 -a page_budget=5`):
  since        YYYY-MM-DD: articles published before it are not collected, and listing pages
               whose dated entries are all older end the pagination.
  page_budget  the most listing pages walked per start URL (default SDCRAWL_PAGE_BUDGET).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from typing import Any, AsyncIterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap

from sdcrawl.extract import Selectors
from sdcrawl.extract.offload import extract_page
from sdcrawl.extract.dates import parse_date
from sdcrawl.middlewares import Refused
from sdcrawl.registry import RegistryError, Site, get_site
from sdcrawl.store.state import StateStore, get_state
from sdcrawl.urls import url_key

logger = logging.getLogger(__name__)

COVERED_FIELDS = ("title", "published", "body")  # field coverage, watched by sdcrawl.monitors
NOT_ARTICLES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".zip", ".rar",
                ".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp3", ".mp4", ".avi", ".ics")


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

    def __init__(self, *args, since: str | None = None, page_budget: int | str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.since: date | None = date.fromisoformat(since) if since else None
        self._page_budget = int(page_budget) if page_budget else None
        self._requested: set[str] = set()  # URL keys of the article pages requested in this run
        self._walked: set[str] = set()  # start URLs whose listing this run walked to its end

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
        if spider.since is None:
            horizon = crawler.settings.getint("SDCRAWL_HORIZON_DAYS")
            spider.since = (datetime.now(timezone.utc) - timedelta(days=horizon)).date()
        if spider._page_budget is None:
            spider._page_budget = crawler.settings.getint("SDCRAWL_PAGE_BUDGET")
        spider.state = get_state(crawler) if crawler.settings.getbool("SDCRAWL_INCREMENTAL", True) else None
        crawler.signals.connect(spider._close_state, signal=scrapy.signals.spider_closed)
        return spider

    state: StateStore | None = None

    def _close_state(self, spider, reason=None) -> None:
        if self.state is not None:
            if reason == "finished":  # every request of the run was handled: the walks are complete
                for start in self._walked:
                    self.state.set_meta(self._walked_key(start), date.today().isoformat())
            self.state.close()
            self.state = None

    def _walked_key(self, start: str) -> str:
        return f"listing_walked:{self.site_id}:{start}"

    def listing_walked_before(self, start: str) -> bool:
        """Whether an earlier, normally finished run walked this listing to its end."""
        return self.state is not None and self.state.get_meta(self._walked_key(start)) is not None

    def is_known(self, url: str) -> bool:
        """Whether the crawl state already has this page (stored, an alias, or rejected)."""
        if self.state is None:
            return False
        try:
            return self.state.is_known_url(url_key(url))
        except ValueError:
            return False

    def _requested_this_run(self, url: str) -> bool:
        try:
            return url_key(url) in self._requested
        except ValueError:
            return False

    # --- failures ----------------------------------------------------------------------------
    @staticmethod
    def _reason(failure) -> str:
        value = failure.value
        response = getattr(value, "response", None)
        if response is not None:
            return f"HTTP {response.status}"
        return f"{type(value).__name__}: {value}".splitlines()[0][:200]

    def article_failed(self, failure):
        """An article page could not be fetched: remember it, to try again on the next run."""
        url = failure.request.url
        reason = self._reason(failure)
        self.crawler.stats.inc_value("sdcrawl/article_failed")
        # refused for good (a bomb, a blocked redirect, undecodable bytes): trying again won't help
        for_good = isinstance(failure.value, Refused) and failure.value.kind in ("too_large", "redirect_blocked", "bad_encoding")
        self.logger.warning("%s: article %s failed: %s%s", self.name, url, reason,
                            "" if for_good else " (will be tried again next run)")
        if self.state is not None and not for_good:
            self.state.record_failed(url_key(url), url, self.site_id, reason)

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

    def article_request(self, url: str, **kwargs) -> scrapy.Request:
        try:
            self._requested.add(url_key(url))
        except ValueError:
            pass
        if self.site.javascript_articles:  # drawn by script: through the browser
            from sdcrawl.browser import article_meta
            kwargs["meta"] = {**article_meta(self), **kwargs.get("meta", {})}
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed, **kwargs)

    def listing_request(self, url: str, start: str, page: int) -> scrapy.Request:
        meta = {}
        if self.site.javascript:  # drawn by script: through the browser
            from sdcrawl.browser import listing_meta
            meta = listing_meta(self, page)
        return scrapy.Request(url, callback=self.parse, errback=self.listing_failed, cb_kwargs={"start": start, "page": page}, meta=meta)

    @property
    def page_budget(self) -> int:
        return self._page_budget or 50

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
                self.crawler.stats.inc_value("sdcrawl/retried_from_last_run")
                yield self.article_request(url)

    # --- listings -----------------------------------------------------------------------
    def parse(self, response: Response, start: str | None = None, page: int = 1):
        """A listing page: its article links, newest first, then the next page."""
        if not isinstance(response, TextResponse):
            return
        start = start or response.url
        self.crawler.stats.inc_value("sdcrawl/listing_pages")
        links = self.article_links(response)
        stats = self.crawler.stats
        stats.inc_value("sdcrawl/listing_links", len(links))
        dates = self.listing_dates(response)
        known = [self.is_known(url) for url in links]
        for url, is_known in zip(links, known):
            if is_known:
                stats.inc_value("sdcrawl/skipped/known")
            else:
                yield self.article_request(url)
        if dates and self.since and all(d < self.since for d in dates):
            self.logger.info("%s: listing page %d is all older than %s; pagination ends", self.name, page, self.since)
            self._walked.add(start)
            return
        if not links:
            self._walked.add(start)
            return
        if known[-1] and not self._requested_this_run(links[-1]) and self.listing_walked_before(start):
            # known since an earlier run: everything older is known too
            stats.inc_value("sdcrawl/listing_boundary_reached")
            self.logger.info("%s: the oldest link on listing page %d is known; pagination ends", self.name, page)
            self._walked.add(start)
            return
        next_url = self.next_page_url(response)
        if next_url is None:
            self._walked.add(start)
            return
        if page >= self.page_budget:
            self.crawler.stats.inc_value("sdcrawl/page_budget_reached")
            self.logger.info("%s: page budget %d reached at %s", self.name, self.page_budget, response.url)
            self._walked.add(start)
            return
        yield self.listing_request(next_url, start, page + 1)

    def article_links(self, response: TextResponse) -> list[str]:
        """Absolute URLs of the articles a listing links to, in page order, without repeats."""
        seen: dict[str, None] = {}
        for href in response.css(self.listing_links).xpath("@href").getall():
            url = response.urljoin(href.strip())
            if self.is_article_url(url):
                seen.setdefault(url.split("#")[0], None)
        return list(seen)

    def is_article_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False  # mailto:, javascript:, tel:
        host = (parts.hostname or "").removeprefix("www.")
        if host not in {d.removeprefix("www.") for d in self.allowed_domains}:
            return False
        return not parts.path.lower().endswith(NOT_ARTICLES)

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
        """RSS 2.0 or Atom: links of entries newer than `since`, newest first."""
        sel = scrapy.Selector(response, type="xml")  # parsel's XML parser never expands entities
        sel.remove_namespaces()
        entries = []
        for node in sel.xpath("//item | //entry"):
            link = node.xpath("link/text()").get() or node.xpath("link/@href").get()
            when = node.xpath("pubDate/text() | published/text() | updated/text() | date/text()").get()
            d = _feed_date(when)
            if link:
                entries.append((d, response.urljoin(link.strip())))
        self.crawler.stats.inc_value("sdcrawl/feed_entries", len(entries))
        entries.sort(key=lambda e: e[0] or date.min, reverse=True)
        for d, url in entries:
            if d and self.since and d < self.since:
                continue
            if self.is_article_url(url):
                if self.is_known(url):
                    self.crawler.stats.inc_value("sdcrawl/skipped/known")
                else:
                    yield self.article_request(url, priority=5)

    def parse_sitemap(self, response: Response):
        """A sitemap or sitemap index (Scrapy's reader, which does not resolve entities)."""
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # lxml raises on non-XML bodies
            self.logger.warning("%s: %s is not a sitemap: %s", self.name, response.url, exc)
            return
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                yield scrapy.Request(entry["loc"], callback=self.parse_sitemap)
            return
        entries = [(parse_date(e.get("lastmod", "")), e["loc"]) for e in sitemap]
        entries.sort(key=lambda e: e[0] or date.min, reverse=True)
        for d, url in entries:
            if d and self.since and d < self.since:
                continue
            if self.is_article_url(url) and self.is_article_in_sitemap(url):
                self.crawler.stats.inc_value("sdcrawl/sitemap_entries")
                if self.is_known(url):
                    self.crawler.stats.inc_value("sdcrawl/skipped/known")
                else:
                    yield self.article_request(url, priority=5)

    def is_article_in_sitemap(self, url: str) -> bool:
        """Sitemaps list every page; a platform base narrows them to news articles."""
        return True

    # --- articles --------------------------------------------------------------------------
    async def parse_article(self, response: Response):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("sdcrawl/skipped/not_html")
            return
        site = self.site
        # beside the reactor, bounded in size and time (sdcrawl.extract.offload); None: left out, counted
        item = await extract_page(self, response, selectors=self.selectors, site=site.id, municipality=site.municipality)
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
            self.crawler.stats.inc_value("sdcrawl/skipped/older_than_since")
            return
        yield item

    def post_process_item(self, item: dict, response: Response) -> dict | None:
        """The one hook for a site's quirks: change the item, or return None to skip the page."""
        return item


def _feed_date(text: str | None) -> date | None:
    if not text:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text.strip()).date()  # RSS: RFC 822
    except (TypeError, ValueError):
        return parse_date(text.strip())  # Atom: ISO 8601


class WordPressSpider(NewsSpider):
    """WordPress sites: /category/<name>/ listings with /page/N/, posts in .entry-content."""

    listing_links = "article .entry-title a, h2.entry-title a"
    listing_entries = "article"
    listing_date = "time.entry-date"
    next_page = ".nav-links a.next, .nav-previous a, a.next.page-numbers, link[rel=next]"
    selectors = Selectors(
        title="h1.entry-title",
        date="article time.entry-date",
        body=".entry-content",
        remove=(".sharedaddy", ".jp-relatedposts", ".more-link", ".wp-block-buttons", ".tts-widget", "script", "style"),
        category="article .cat-links a",
    )

    def is_article_in_sitemap(self, url: str) -> bool:
        path = urlsplit(url).path
        return "/category/" not in path and "/tag/" not in path and "/author/" not in path


class UnifiedPlatformSpider(NewsSpider):
    """The unified government site platform (lm.gov.lv, bauskasnovads.lv, valka.lv, ...):
    /lv/jaunumi listings with ?page=N, articles /lv/jaunums/<slug> whose date is in the markup."""

    listing_links = ".views-row .news-title a, .view-content article h3 a"
    listing_entries = ".views-row"
    listing_date = "time"
    next_page = "li.pager__item--next a, a[rel=next]"
    selectors = Selectors(
        title="h1.page-title",
        date="article .node__meta time, .article-date time",
        body="article .field--name-body, article .text-formatted",
        remove=(".share-buttons", ".social-share", "script", "style"),
        category="article .field--name-field-tags a, .article-tags a",
    )

    def is_article_in_sitemap(self, url: str) -> bool:
        return "/jaunums/" in url or "/projekts/" in url


class JoomlaSpider(NewsSpider):
    """Joomla-style sites: /lv/zinas/<category>/<id>-<slug>, blog listings with ?start=N."""

    listing_links = ".blog .items-leading > div h2 a, .blog .item h2 a, .items-row h2 a, .blog .page-header a"
    listing_entries = ".blog .items-leading > div, .blog .item, .items-row"
    listing_date = ".published, .create"
    next_page = ".pagination-next a, .pagination a[title='Nākamā'], a[rel=next]"
    selectors = Selectors(
        title=".item-page h2, .item-page h1",
        date=".item-page .published, .item-page .create",
        body=".item-page [itemprop=articleBody], .item-page .article-body",
        remove=(".social-follow", ".twitter-widget", ".pagenav", "script", "style"),
        author=".item-page .createdby",
    )
