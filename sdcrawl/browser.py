"""Sites whose news lists are drawn by JavaScript: their pages through scrapy-playwright and
Debian's Chromium, every other request as before.

A registry entry marks such a site (docs/javascript-sites.md):

    javascript = true            # listing pages are rendered in the browser
    javascript_articles = true   # ... and article pages too (rarely needed)

`BrowserAddon` (in ADDONS, sdcrawl/settings.py) looks at each crawler's spider when the crawl
starts. For a site that needs the browser it installs `BrowserDownloadHandler` for http/https and
the launch options; for any other site it changes nothing, so no Playwright and no browser are
started. `BrowserDownloadHandler` is scrapy-playwright's handler on top of
`sdcrawl.loopback.LoopbackDownloadHandler`: requests with `playwright` meta go to the browser,
all others (robots.txt, feeds, articles) to the loopback-aware HTTP/1.1 handler, exactly as for a
site without the browser. When no Chromium is found, a site that needs it is closed at once with
one error line (also in the stats as `sdcrawl/site_error`); the other sites of the run go on.

The spider side is two request factories in sdcrawl/spiders/news.py (`listing_request`,
`article_request`) that add `listing_meta` / `article_meta` from here when the registry asks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import time
import weakref
from contextlib import suppress
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.settings import SETTINGS_PRIORITIES
from playwright.async_api import TimeoutError as BrowserTimeout
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from sdcrawl.loopback import LoopbackDownloadHandler

if TYPE_CHECKING:
    from playwright.async_api import Page
    from playwright.async_api import Request as BrowserRequest

logger = logging.getLogger(__name__)

#: Where Debian's `chromium` package puts the browser; looked at before $PATH.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: The one line a site that needs the browser fails with when there is none.
NOT_FOUND = "chromium not found: apt-get install chromium, or set SDCRAWL_CHROMIUM_PATH"
#: Switches for a headless Chromium on a closed network, run as root. Playwright starts every
#: browser with a fresh, empty temporary profile (its own --user-data-dir), removed on close.
CHROMIUM_ARGS = (
    "--no-sandbox",  # root cannot use Chromium's sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",  # no calls home: refused on a closed network
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--mute-audio",
)
#: Resource types the browser never fetches (Playwright's names).
BLOCKED_TYPES = frozenset({"image", "font", "media"})
HANDLER = "sdcrawl.browser.BrowserDownloadHandler"
REPLACEABLE_HANDLERS = ("sdcrawl.loopback.LoopbackDownloadHandler", LoopbackDownloadHandler,
                        "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler")


def find_chromium(configured: str | None = None) -> str | None:
    """The Chromium to start: SDCRAWL_CHROMIUM_PATH when set (only that), else Debian's
    /usr/bin/chromium, else `chromium` on $PATH; None when there is none."""
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    if os.path.isfile(DEFAULT_CHROMIUM) and os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


def needs_browser(spider) -> bool:
    """Whether the registry marks the spider's site `javascript` or `javascript_articles`."""
    try:
        site = spider.site
    except Exception:  # not a registry site (e.g. a generic spider)
        return False
    return bool(getattr(site, "javascript", False) or getattr(site, "javascript_articles", False))


def site_hosts(spider) -> frozenset[str]:
    """The site's own hosts (without www.): what the browser may fetch from."""
    return frozenset(d.removeprefix("www.") for d in getattr(spider, "allowed_domains", None) or ())


def abort_request(request: "BrowserRequest", hosts: frozenset[str]) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, fonts and media, and anything from another site."""
    if request.resource_type in BLOCKED_TYPES:
        return True
    parts = urlsplit(request.url)
    if parts.scheme in ("data", "blob", "about"):
        return False
    return (parts.hostname or "").removeprefix("www.") not in hosts


def launch_options(chromium: str, settings) -> dict:
    """PLAYWRIGHT_LAUNCH_OPTIONS: Debian's Chromium, headless, with the closed-network switches.
    With SDCRAWL_LOOPBACK_HOSTS set (tests, demo), the browser resolves those hosts to the
    loopback server too (plain http: the replay server does not speak TLS)."""
    options = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    args = list(CHROMIUM_ARGS) + [a for a in options.get("args", []) if a not in CHROMIUM_ARGS]
    routes = settings.getdict("SDCRAWL_LOOPBACK_HOSTS")
    if routes:
        args.append("--host-resolver-rules=" + ", ".join(f"MAP {host} {target}" for host, target in sorted(routes.items())))
    options.update(executable_path=chromium, headless=True, args=args)
    return options


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler, LoopbackDownloadHandler):
    """scrapy-playwright for requests with `playwright` meta; the loopback-aware HTTP/1.1 handler
    for every other request (scrapy-playwright's own fallback is `super().download_request`,
    which by this class order is LoopbackDownloadHandler's).

    Scrapy builds one handler per scheme; http and https share one instance here, so that a
    crawl starts at most one Playwright driver and one browser."""

    _by_crawler: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    @classmethod
    def from_crawler(cls, crawler):
        handler = cls._by_crawler.get(crawler)
        if handler is None:
            handler = cls._by_crawler[crawler] = cls(crawler)
        return handler

    async def close(self) -> None:
        if getattr(self, "_closing", False):  # the second scheme's close: already done
            return
        self._closing = True
        await super().close()


class BrowserAddon:
    """Engages the browser for the crawls of sites that need it, and only for those."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.error: str | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def update_settings(self, settings) -> None:
        spider = self.crawler.spider
        if spider is None or not needs_browser(spider):
            return
        chromium = find_chromium(settings.get("SDCRAWL_CHROMIUM_PATH"))
        if chromium is None:
            configured = settings.get("SDCRAWL_CHROMIUM_PATH")
            self.error = NOT_FOUND + (f" (SDCRAWL_CHROMIUM_PATH={configured}: no such executable)" if configured else "")
            self.crawler.signals.connect(self.fail_site, signal=signals.spider_opened)
            return
        handlers = settings["DOWNLOAD_HANDLERS"]
        for scheme in ("http", "https"):
            if handlers.get(scheme) not in REPLACEABLE_HANDLERS:
                logger.warning("%s: DOWNLOAD_HANDLERS[%r] is %r; the browser needs %s there", spider.name, scheme,
                               handlers.get(scheme), HANDLER)
                continue
            handlers.set(scheme, HANDLER, priority=max(handlers.getpriority(scheme) or 0, SETTINGS_PRIORITIES["addon"]))
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch_options(chromium, settings), priority="cmdline")
        extra = {h.removeprefix("www.") for h in settings.getlist("SDCRAWL_BROWSER_ALLOWED_HOSTS")}
        settings.set("PLAYWRIGHT_ABORT_REQUEST", partial(abort_request, hosts=site_hosts(spider) | extra), priority="cmdline")
        self.crawler.signals.connect(self.browser_ready, signal=signals.spider_opened)

    def browser_ready(self, spider) -> None:
        options = self.crawler.settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
        pages = [name for name, on in (("listing", spider.site.javascript), ("article", spider.site.javascript_articles)) if on]
        logger.info("%s: %s pages through the browser %s", spider.name, " and ".join(pages), options.get("executable_path"))

    def fail_site(self, spider) -> None:
        """The site is not crawled: one line in the log and in `sdcrawl/site_error`, and the
        spider closes at once with the finish reason every site-level failure has."""
        logger.error("%s: %s", spider.name, self.error)
        self.crawler.stats.set_value("sdcrawl/site_error", self.error)
        raise CloseSpider("site_error")


# --- what the spider's requests carry -------------------------------------------------------------
def listing_meta(spider, page: int = 1) -> dict:
    """Meta for a listing page drawn by script: wait for its list, then click "load more" while
    the page budget lasts (each click counts as one more listing page)."""
    timeout = spider.settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT") or 30000
    expand = PageMethod(expand_listing, spider=spider, wait_for=spider.js_wait_for or spider.listing_links,
                        load_more=spider.js_load_more, clicks=max(0, spider.page_budget - page), timeout_ms=timeout)
    return {"playwright": True, "playwright_page_methods": [expand]}


def article_meta(spider) -> dict:
    """Meta for an article page drawn by script: render it and wait until the network is quiet."""
    timeout = spider.settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT") or 30000
    return {"playwright": True, "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle", timeout=timeout)]}


async def expand_listing(page: "Page", *, spider, wait_for: str, load_more: str | None, clicks: int,
                         timeout_ms: float) -> dict:
    """Wait for the list (`wait_for`), then click `load_more` up to `clicks` times, each time
    until the list grew. Returns {"clicks": n, "more": whether a button was left unclicked}."""
    entries = page.locator(wait_for)
    await entries.first.wait_for(state="attached", timeout=timeout_ms)
    with suppress(BrowserTimeout):  # a button may be shown a moment after the list
        await page.wait_for_load_state("networkidle", timeout=min(timeout_ms, 5000))
    done = 0
    stats = spider.crawler.stats
    while load_more:
        button = page.locator(load_more).first
        if not (await button.count() and await button.is_visible() and await button.is_enabled()):
            return {"clicks": done, "more": False}
        if done >= clicks:
            stats.inc_value("sdcrawl/page_budget_reached")
            spider.logger.info("%s: page budget %d reached at %s (a %r button left unclicked)",
                               spider.name, spider.page_budget, page.url, load_more)
            return {"clicks": done, "more": True}
        before = await entries.count()
        await button.click(timeout=timeout_ms)
        done += 1
        stats.inc_value("sdcrawl/browser/load_more_clicks")
        deadline = time.monotonic() + timeout_ms / 1000
        while await entries.count() <= before:
            if time.monotonic() > deadline:
                spider.logger.warning("%s: the list at %s did not grow after clicking %r", spider.name, page.url, load_more)
                return {"clicks": done, "more": False}
            await asyncio.sleep(0.05)
    return {"clicks": done, "more": False}
