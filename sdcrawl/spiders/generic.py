"""`generic`: any site from one URL, no code. `sdcrawl try URL` runs it and sums up what it found.

    scrapy crawl generic -a url=https://www.kekava.lv/?id=212 [-a articles=30] [-a page_budget=3]

From the URL (a home page, a news section, or a feed itself) it finds where the news is
(sdcrawl.discover): the feeds the page announces or that answer at the well-known addresses,
the page's list of articles (or the news section a home page links to) with its pagination, and
only when there is neither, the sitemaps (robots.txt `Sitemap:` lines, /sitemap.xml,
/wp-sitemap.xml) narrowed to their article-shaped part. The probes go one at a time, then it
crawls what it found as a registry spider would: feeds first, then the listing newest first
within the page budget (default 3 pages) and the article budget (`articles`, default 30).

Each article is extracted with the generic layers (no site selectors). When the page gives no
date by its title, extraction asks this spider (`date_fallback`): the date shown at the end of
the article before 'Drukāt' (kekava.lv's CMS), else the date the listing entry or feed entry
showed (provenance 'generic'); only then htmldate's guess from the markup.

Not a registry site: items get site "generic" and the host (without www.) as municipality; the
allowed domains are the URL's host with and without www.; the feed and state go to
<data dir>/try/<host>/ (unless SDCRAWL_DATA_DIR is given on the command line), and the crawl is
not incremental. What it found is sent with the `discovery_finished` signal when it closes
(`sdcrawl try` writes it to discovery.json), each extracted page with `article_extracted`.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from pathlib import Path
from typing import AsyncIterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES

from sdcrawl import discover, signals
from sdcrawl.discover import Discovery
from sdcrawl.extract import extract_article
from sdcrawl.extract.dates import UPDATED_MARKER, parse_date
from sdcrawl.extract.generic import main_heading
from sdcrawl.extract.html import element_text, inline_text
from sdcrawl.registry import Site
from sdcrawl.sources.feeds import FeedEntry, parse_feed
from sdcrawl.sources.sitemaps import parse_sitemap, robots_sitemaps
from sdcrawl.sources.urls import bare_host, same_site, site_root, with_scheme
from sdcrawl.spiders.news import NewsSpider
from sdcrawl.store.crawlstate import StateReader

DEFAULT_ARTICLES = 30
DEFAULT_PAGES = 3
SECTION_PROBES = 2      # news-section pages tried from a home page
CHILD_SITEMAPS = 3      # child sitemaps of a sitemap index read
END_MARKER = re.compile(r"^((drukāt|izdrukāt|drukas versija|drukāšanai|print)\b.*|atpakaļ|uz augšu|dalīties)$", re.IGNORECASE)
BARE_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-](19|20)\d\d\.?$")


def date_at_end(doc) -> date | None:
    """A date line closing the article text of a parsed page, as kekava.lv's CMS prints it:
    `09.11.2021.` just before `Drukāt` (or as the last line of the article's block). Footer 'last
    updated' lines and dates inside sentences are not taken."""
    h1 = main_heading(doc)
    if h1 is None:
        return None
    block = h1
    for anc in h1.iterancestors():
        if anc.tag in ("body", "html"):
            return None
        block = anc
        if len(inline_text(anc)) >= 400:
            break
    lines = [l.strip() for l in element_text(block).split("\n") if l.strip()]
    title = inline_text(h1)
    start = lines.index(title) + 1 if title in lines else 0
    lines = lines[start:]
    marker = next((i for i, l in enumerate(lines) if END_MARKER.match(l)), None)
    candidates = lines[max(0, marker - 3) : marker] if marker is not None else lines[-1:]
    for line in reversed(candidates):
        if len(line) <= 24 and not UPDATED_MARKER.search(line) and (marker is not None or BARE_DATE.match(line)):
            if d := parse_date(line):
                return d
    return None


class GenericSpider(NewsSpider):
    """Any site from one URL: finds its feed, listing or sitemap, extracts articles generically."""

    name = "generic"

    def __init__(self, *args, url: str | None = None, articles: int | str | None = None,
                 discover_only: bool | str = False, **kwargs):
        if not url:
            raise ValueError("the generic spider needs a URL: scrapy crawl generic -a url=https://...")
        if articles:  # the generic spider's name for the article budget
            kwargs.setdefault("article_budget", articles)
        super().__init__(*args, **kwargs)
        self.url = with_scheme(url)
        host = (urlsplit(self.url).hostname or "").lower()
        if not host:
            raise ValueError(f"not a URL: {url!r}")
        self.discover_only = str(discover_only).lower() in ("1", "true", "yes", "on")
        self._site = Site(id="generic", name=host, municipality=bare_host(self.url),
                          home=site_root(self.url), platform="custom", start_urls=(self.url,))
        self.discovery = Discovery(start_url=self.url)
        self._probes: deque[tuple[str, str]] = deque()
        self._probed: set[str] = set()
        self._feeds: list[list[FeedEntry]] = []
        self._listing_response: TextResponse | None = None
        self._listing_group: discover.LinkGroup | None = None
        self._listing_next: discover.NextPage | None = None
        self._sitemap_entries: list[tuple[str, date | None]] = []
        self._hints: dict[str, tuple[date, str]] = {}   # URL key of an article -> (date shown, where)
        self._last_dates: list[date] = []
        self._waiting: str | None = None   # the probe under way
        self._decided = False              # discovery over, the crawl under way

    @property
    def site(self) -> Site:
        return self._site

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        settings = crawler.settings
        url = with_scheme(kwargs.get("url") or "")
        host = bare_host(url)
        cmdline = SETTINGS_PRIORITIES["cmdline"]
        # a look at an unknown site: its own folder, and not incremental (settings are not frozen yet)
        if host and (settings.getpriority("SDCRAWL_DATA_DIR") or 0) < cmdline:
            settings.set("SDCRAWL_DATA_DIR", str(Path(settings.get("SDCRAWL_DATA_DIR") or "data") / "try" / host), priority="spider")
        if (settings.getpriority("SDCRAWL_INCREMENTAL") or 0) < cmdline:
            settings.set("SDCRAWL_INCREMENTAL", False, priority="spider")
        if (settings.getpriority("SPIDERMON_ENABLED") or 0) < cmdline:
            settings.set("SPIDERMON_ENABLED", False, priority="spider")  # the try summary judges the site
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._idle, signal=scrapy.signals.spider_idle)
        # a first look: a few pages and articles, unless the command line asks for more
        if not kwargs.get("page_budget") and (settings.getpriority("SDCRAWL_PAGE_BUDGET") or 0) < cmdline:
            spider._page_budget = DEFAULT_PAGES
        if not (kwargs.get("articles") or kwargs.get("article_budget")) and (settings.getpriority("SDCRAWL_ARTICLE_BUDGET") or 0) < cmdline:
            spider._article_budget = DEFAULT_ARTICLES
        return spider

    def closed(self, reason: str) -> None:
        listing_html = self._listing_response.text if self._listing_response is not None else None
        self.crawler.signals.send_catch_log(signals.discovery_finished, spider=self, discovery=self.discovery,
                                            listing_html=listing_html)

    # --- discovery ----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self.parse_start, errback=self.start_failed, dont_filter=True)

    def start_failed(self, failure):
        reason = self._reason(failure)
        self.discovery.error = f"{self.url}: {reason}"
        self.crawler.stats.set_value("sdcrawl/site_error", f"start page {self.url} failed: {reason}")
        self.logger.error("generic: the start page %s failed: %s", self.url, reason)

    def _probe(self, kind: str, url: str) -> None:
        if not same_site(url, self.url):
            self.discovery.probes.append([url, "on another site: not fetched"])
            return
        if url not in self._probed:
            self._probed.add(url)
            self._probes.append((kind, url))

    def parse_start(self, response: Response):
        d = self.discovery
        d.final_url = response.url
        body = response.body
        # the URL may be a feed or a sitemap itself
        if (entries := parse_feed(_text(response), response.url)) is not None:
            self._add_feed(response, entries)
            yield from self._crawl()
            return
        is_html = re.search(rb"<(!doctype html|html|head|body)[\s>]", body[:4096], re.IGNORECASE) is not None
        if not is_html and parse_sitemap(body, response.url) is not None:
            self._probed.add(response.url)
            yield from self._on_sitemap(response)
            return
        if not isinstance(response, TextResponse):
            d.error = f"{response.url} is not a web page"
            return
        html = response.text
        platform = discover.guess_platform(html, response.url)
        d.platform, d.platform_evidence = platform.name, list(platform.evidence)
        d.site_name = discover.site_name(html)
        group = discover.find_listing(html, response.url, with_css=True)
        nxt = discover.next_page(html, response.url)
        if group is not None:
            self._set_listing(response, group, nxt)
        if group is None or nxt is None:  # a home page: its news section may be one click away
            for url in discover.news_section_links(html, response.url)[:SECTION_PROBES]:
                self._probe("section", url)
        feeds = discover.feed_links(html, response.url)
        for url in feeds[:2]:
            self._probe("feed", url)
        if not feeds:
            for url in discover.well_known_feeds(response.url, d.platform):
                self._probe("feed?", url)
        root = site_root(response.url).rstrip("/")
        self._probe("robots", root + "/robots.txt")
        for path in discover.WELL_KNOWN_SITEMAPS:
            self._probe("sitemap?", root + path)
        yield from self._next_probe()

    def _next_probe(self):
        while self._probes:
            kind, url = self._probes.popleft()
            if kind == "feed?" and self.discovery.feeds:
                continue  # one feed is enough
            if kind in ("robots", "sitemap?", "sitemap") and (self.discovery.feeds or self._listing_group is not None):
                continue  # sitemaps list every page: only when there is nothing better
            if kind == "sitemap?" and self._sitemap_entries:
                continue
            if kind == "section" and self._listing_next is not None:
                continue
            self.crawler.stats.inc_value("sdcrawl/discovery_requests")
            self._waiting = url
            yield scrapy.Request(url, callback=self.parse_probe, errback=self.probe_failed, dont_filter=True,
                                 cb_kwargs={"kind": kind}, meta={"probe": kind})
            return
        yield from self._crawl()

    def _idle(self, spider=None):
        """A probe that never answered (dropped by a middleware without an errback) must not end
        the discovery: go on with the next one."""
        from scrapy.exceptions import DontCloseSpider

        if self._waiting is None or self._decided:
            return
        self.discovery.probes.append([self._waiting, "no answer"])
        self._waiting = None
        requests = [r for r in self._next_probe() if isinstance(r, scrapy.Request)]
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def probe_failed(self, failure):
        self._waiting = None
        self.discovery.probes.append([failure.request.url, self._reason(failure)])
        yield from self._next_probe()

    def parse_probe(self, response: Response, kind: str):
        self._waiting = None
        if kind in ("feed", "feed?"):
            entries = parse_feed(_text(response), response.url)
            if entries:
                self._add_feed(response, entries)
            else:
                self.discovery.probes.append([response.url, "not a feed" if entries is None else "an empty feed"])
        elif kind == "section" and isinstance(response, TextResponse):
            group = discover.find_listing(response.text, response.url, with_css=True)
            nxt = discover.next_page(response.text, response.url)
            better = group is not None and (self._listing_group is None or (nxt is not None and self._listing_next is None)
                                            or group.dated > self._listing_group.dated)
            self.discovery.probes.append([response.url, "a listing" if better else "no better listing"])
            if better:
                self._set_listing(response, group, nxt)
        elif kind == "robots" and isinstance(response, TextResponse):
            found = robots_sitemaps(response.text, response.url)
            self.discovery.probes.append([response.url, f"{len(found)} sitemap(s)"])
            for url in reversed(found):
                if url not in self._probed:
                    self._probed.add(url)
                    self._probes.appendleft(("sitemap", url))
        elif kind in ("sitemap", "sitemap?"):
            yield from self._on_sitemap(response, chain=True)
            return
        yield from self._next_probe()

    def _on_sitemap(self, response: Response, chain: bool = False):
        parsed = parse_sitemap(response.body, response.url)
        if parsed is None:
            self.discovery.probes.append([response.url, "not a sitemap"])
        else:
            kind, entries = parsed
            self.discovery.sitemaps.append({"url": response.url, "type": kind, "entries": len(entries)})
            self.discovery.probes.append([response.url, f"a sitemap{' index' if kind == 'sitemapindex' else ''} of {len(entries)} entries"])
            if kind == "sitemapindex":
                children = discover.rank_child_sitemaps([loc for loc, _ in entries])[:CHILD_SITEMAPS]
                for url in reversed(children):
                    if url not in self._probed:
                        self._probed.add(url)
                        self._probes.appendleft(("sitemap", url))
            else:
                self._sitemap_entries.extend(entries)
                shape, members = discover.sitemap_articles(self._sitemap_entries, self.url)
                self.discovery.sitemap_shape = shape
                self.discovery.sitemap_articles = len(members)
        yield from self._next_probe()

    def _add_feed(self, response: Response, entries: list[FeedEntry]) -> None:
        on_site = sum(1 for e in entries if same_site(e.url, self.url))
        self.discovery.feeds.append({"url": response.url, "entries": len(entries), "on_site": on_site})
        self.discovery.probes.append([response.url, f"a feed of {len(entries)} entries"])
        self._feeds.append(entries)
        for e in entries:
            if e.published:
                self._hint(e.url, e.published, "feed")

    def _hint(self, url: str, shown: date, where: str) -> None:
        """Note the date a listing or feed entry shows for an article (the first one noted stays)."""
        if (key := StateReader.key(url)) is not None:
            self._hints.setdefault(key, (shown, where))

    def _set_listing(self, response: TextResponse, group: discover.LinkGroup, nxt: discover.NextPage | None) -> None:
        self._listing_response, self._listing_group, self._listing_next = response, group, nxt
        self.discovery.listing = {
            "url": response.url, "shape": group.shape, "place": group.place, "links": len(group.urls),
            "dated": group.dated, "link_css": group.link_css, "entry_css": group.entry_css, "date_css": group.date_css,
            "next": nxt.url if nxt else None, "next_how": nxt.how if nxt else None, "next_css": nxt.css if nxt else None,
            "pages": [],
        }

    # --- the crawl ----------------------------------------------------------------------------
    def _crawl(self):
        d = self.discovery
        self._decided = True
        if self.discover_only:
            return
        for entries in self._feeds:
            yield from self.follow_feed(entries)
        if self._listing_response is not None:
            yield from self.parse(self._listing_response, start=self._listing_response.url, page=1)
        elif not self._feeds and d.sitemap_shape:
            _, members = discover.sitemap_articles(self._sitemap_entries, self.url)
            for url, lastmod in members:
                if lastmod and self.since and lastmod < self.since:
                    continue
                self.crawler.stats.inc_value("sdcrawl/sitemap_entries")
                yield from self.follow_article(url, priority=5)
        if not (self._feeds or self._listing_response is not None or d.sitemap_shape):
            self.logger.warning("generic: found no feed, listing or sitemap at %s", self.url)

    def parse(self, response: Response, start: str | None = None, page: int = 1):
        if self.discovery.listing is not None and isinstance(response, TextResponse):
            self.discovery.listing["pages"].append(response.url)
        yield from super().parse(response, start, page)

    def article_links(self, response: TextResponse) -> list[str]:
        group = None
        if self._listing_group is not None:
            group = discover.group_on_page(response.text, response.url, self._listing_group.key)
        if group is None or not group.urls:  # a later page may look different (no lead article)
            group = discover.find_listing(response.text, response.url)
        if group is None:
            self._last_dates = []
            return []
        self._last_dates = [d for u in group.urls if (d := group.date_of(u))]
        for u in group.urls:
            if d := group.date_of(u):
                self._hint(u, d, "listing")
        return [u for u in group.urls if self.is_article_url(u)]

    def listing_dates(self, response: TextResponse) -> list[date]:
        return self._last_dates  # read by article_links() just before

    def next_page_url(self, response: TextResponse) -> str | None:
        nxt = discover.next_page(response.text, response.url)
        walked = self.discovery.listing["pages"] if self.discovery.listing else []
        return nxt.url if nxt and nxt.url not in walked else None

    # --- articles ------------------------------------------------------------------------------
    async def extract(self, response: TextResponse) -> dict:
        """Generic extraction; when the page shows no date by its title, the date line closing
        the article, else the date its listing or feed entry showed, before htmldate's guess.
        It runs on the reactor: its date fallback reads this spider's hints, which a worker
        process does not have (`try` fetches a few dozen pages at most)."""
        fetched = [*response.meta.get("redirect_urls", []), response.url]
        asked: list[str | None] = []  # what the fallback found (None: nothing), when it was asked

        def fallback(doc) -> date | None:
            found, how = date_at_end(doc), "page end"
            if found is None:
                hint = next((self._hints[k] for k in map(StateReader.key, fetched) if k in self._hints), None)
                found, how = hint if hint else (None, None)
            asked.append(how)
            return found

        site = self.site
        item = extract_article(response.text, response.url, selectors=self.selectors, site=site.id,
                               municipality=site.municipality, date_fallback=fallback)
        layer = item["provenance"].get("published")
        if not item.get("published"):
            item["_date_from"] = None
        elif layer != "generic" or not asked:
            item["_date_from"] = "page"  # the site's, the metadata's, the URL's or the line by the title
        else:
            item["_date_from"] = asked[0] or "markup"
        return item

    def post_process_item(self, item: dict, response: Response) -> dict | None:
        """The date line closing the text is the page's furniture, not the article's."""
        if item.get("body") and item.get("published"):
            paragraphs = item["body"].split("\n\n")
            if len(paragraphs) > 1 and BARE_DATE.match(paragraphs[-1].strip()) and parse_date(paragraphs[-1]) == date.fromisoformat(item["published"]):
                item["body"] = "\n\n".join(paragraphs[:-1])
        return item


def _text(response: Response) -> str | bytes:
    """The body as the crawl decoded it (bytes when it is not text)."""
    return response.text if isinstance(response, TextResponse) else response.body
