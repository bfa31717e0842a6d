"""Scrapy settings for sdcrawl.

Polite by default: robots.txt obeyed, AutoThrottle on, at most two requests at a time per site,
and a user agent that names the project and the operator's contact address (SDCRAWL_CONTACT,
also read from the environment variable of the same name).
"""

import os

from sdcrawl import __version__

BOT_NAME = "sdcrawl"
SPIDER_MODULES = ["sdcrawl.spiders"]
NEWSPIDER_MODULE = "sdcrawl.spiders"
SPIDER_LOADER_CLASS = "sdcrawl.spiderloader.RegistrySpiderLoader"
COMMANDS_MODULE = "sdcrawl.commands"
# More spider packages, comma-separated (SDCRAWL_SPIDER_MODULES): searched after sdcrawl.spiders, and
# the first is where `sdcrawl new-site` writes a new site's spider (a site reviewed outside the
# repository, or a test's temporary project). Default: none, new spiders go to sdcrawl/spiders/.
SDCRAWL_SPIDER_MODULES = [m.strip() for m in os.environ.get("SDCRAWL_SPIDER_MODULES", "").split(",") if m.strip()]
SPIDER_MODULES = SPIDER_MODULES + [m for m in SDCRAWL_SPIDER_MODULES if m not in SPIDER_MODULES]
NEWSPIDER_MODULE = SDCRAWL_SPIDER_MODULES[0] if SDCRAWL_SPIDER_MODULES else NEWSPIDER_MODULE

# --- sdcrawl's own settings -------------------------------------------------------------
# Where the feed and the crawl state live; every path below defaults to a file in this folder.
SDCRAWL_DATA_DIR = os.environ.get("SDCRAWL_DATA_DIR", "data")
SDCRAWL_FEED_PATH = None  # default: <data dir>/feed.jsonl
SDCRAWL_STATE_PATH = None  # default: <data dir>/state.sqlite
SDCRAWL_RUNS_DIR = None  # default: <data dir>/runs
# The operator's contact address, sent in the user agent so a site's admin can reach them.
SDCRAWL_CONTACT = os.environ.get("SDCRAWL_CONTACT", "")
# The site registry (one TOML file per site); default: the repository's seeds/ folder.
SDCRAWL_SEEDS_DIR = os.environ.get("SDCRAWL_SEEDS_DIR") or None
# How far back a spider goes when no `since` argument is given (days), and how many listing
# pages it may walk per start URL.
SDCRAWL_HORIZON_DAYS = 365 * 15
SDCRAWL_PAGE_BUDGET = 50
# How many article pages a site's spider may request in one run (the rest waits for the next
# run; `sdcrawl/article_budget_reached` in the stats says when it was spent).
SDCRAWL_ARTICLE_BUDGET = 2000
# Host -> "127.0.0.1:PORT": requests for these hosts are sent to a loopback server instead
# (recorded copies of the sites, for tests and the offline demo). Empty in production.
SDCRAWL_LOOPBACK_HOSTS: dict[str, str] = {}
# The Chromium for sites marked `javascript = true` (docs/javascript-sites.md); default: Debian's
# /usr/bin/chromium, else `chromium` on $PATH. Extra hosts the browser may fetch from (a CDN the
# site's list script needs); everything else off the site is blocked.
SDCRAWL_CHROMIUM_PATH = os.environ.get("SDCRAWL_CHROMIUM_PATH") or None
SDCRAWL_BROWSER_ALLOWED_HOSTS: list[str] = []

# One story once: the same press release on several sites is linked (`related`, sdcrawl/stories.py).
SDCRAWL_RELATED = True
SDCRAWL_RELATED_DAYS = 90  # only articles of the last 90 days are indexed and linked
# Incremental crawling: pages the state knows are not fetched again (see sdcrawl.spiders.news).
SDCRAWL_INCREMENTAL = True
# How many runs an article page whose fetch failed is requested again.
SDCRAWL_FAILED_RETRY_RUNS = 5
# Field coverage the monitors expect of the article pages a run extracts (sdcrawl.monitors).
SDCRAWL_MIN_FIELD_COVERAGE = 0.75
SDCRAWL_COVERAGE_MIN_PAGES = 3

# Extraction beside the reactor (sdcrawl.extract.offload): worker processes (None: one fewer than
# the machine's cores, 1 to 4; 0: on the reactor thread as before), and the bounds per page: a body
# over MAXSIZE bytes is not extracted, an extraction past TIMEOUT seconds is abandoned (its worker
# replaced); both are counted (sdcrawl/skipped/too_large_to_extract, .../extract_timeout). A worker
# is replaced after MAX_TASKS pages, so its memory stays flat.
SDCRAWL_EXTRACT_WORKERS = None
SDCRAWL_EXTRACT_MAXSIZE = 5 * 1024 * 1024
SDCRAWL_EXTRACT_TIMEOUT = 15.0
SDCRAWL_EXTRACT_MAX_TASKS = 2000
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for the output of every response (default 100); an
# sdcrawl callback yields one item or one listing page's few requests, so 4 lose nothing and save
# about 2.5 ms of CPU per page (bench/RESULTS.md, issue 16).
CONCURRENT_ITEMS = 4
# With extraction off the reactor, downloads no longer wait for it: Scrapy stops starting new ones
# while this many bytes of responses await their callbacks (default 5 MB, ~700 article pages held
# in memory at once). 1 MB is ~140 article pages, ample for the extraction workers; a larger page
# is processed alone. Measured: 50 MB less peak memory at 6,000 articles, same pages/s.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000

# --- monitoring (spidermon): per-site checks when each site's crawl closes ---------------
SPIDERMON_ENABLED = True
EXTENSIONS = {"sdcrawl.extensions.SiteLogCounter": 100, "spidermon.contrib.scrapy.extensions.Spidermon": 500}
SPIDERMON_SPIDER_CLOSE_MONITORS = ("sdcrawl.monitors.SiteMonitorSuite",)
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
SPIDERMON_MAX_ERRORS = 0  # of this site's own errors (sdcrawl.extensions.SiteLogCounter)

# --- politeness --------------------------------------------------------------------------
USER_AGENT = f"sdcrawl/{__version__} (+https://github.com/sdcrawl/sdcrawl)"  # contact added by sdcrawl.faults.useragent
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# --- robustness --------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 3
# Scrapy's 1 GiB default is far too large for news pages; the limit applies after
# decompression, so it also stops compression bombs.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# A body cut short (reset, fewer bytes than Content-Length, broken chunks) is an error, never a
# partial page (Scrapy's default, stated here because the feed relies on it).
DOWNLOAD_FAIL_ON_DATALOSS = True
# Retry-After on 429/503 is honoured, waiting at most this many seconds (sdcrawl.faults.retry_after).
SDCRAWL_RETRY_AFTER_MAX = 300
# A robots.txt whose Retry-After asks for more than this many seconds is not retried: the site is
# skipped tonight at once (every page of it would wait for its robots.txt).
SDCRAWL_ROBOTS_RETRY_AFTER_MAX = 30
# Hosts a redirect may lead to although they resolve to a private, loopback or link-local address
# (hosts of SDCRAWL_LOOPBACK_HOSTS are always allowed). Empty in production.
SDCRAWL_ALLOW_PRIVATE_HOSTS: list[str] = []
# A site's crawl ends after this many seconds at the latest (finish reason "closespider_timeout"),
# so a site that stalls every page cannot hold up the night's run.
CLOSESPIDER_TIMEOUT = 2 * 60 * 60

DOWNLOAD_HANDLERS = {
    "http": "sdcrawl.loopback.LoopbackDownloadHandler",
    "https": "sdcrawl.loopback.LoopbackDownloadHandler",
}
# Only a crawl of a site that needs the browser gets scrapy-playwright's handler (composed with
# the loopback handler above), Chromium's launch options and the request blocking: sdcrawl.browser.
ADDONS = {"sdcrawl.browser.BrowserAddon": 0}
# Bounds on the browser, so that a long crawl's memory stays flat: one context, at most two pages
# open at a time (pages are closed as soon as they are read), 30 s per navigation.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30 * 1000

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "sdcrawl.faults.useragent.ContactUserAgentMiddleware": 500,
    # faults: see sdcrawl/faults/ and docs/reliability.md
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "sdcrawl.faults.robots.ConservativeRobotsTxtMiddleware": 100,
    "sdcrawl.faults.report.FaultReportMiddleware": 540,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "sdcrawl.faults.retry_after.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "sdcrawl.faults.metarefresh.SafeMetaRefreshMiddleware": 580,
    "sdcrawl.faults.charset.CharsetMiddleware": 585,
    "sdcrawl.faults.markup.MarkupRepairMiddleware": 584,
    "sdcrawl.faults.xml.XmlDoctypeMiddleware": 583,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "sdcrawl.faults.compression.BoundedHttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "sdcrawl.faults.redirect.SafeRedirectMiddleware": 600,
}

ITEM_PIPELINES = {
    "sdcrawl.pipelines.normalize.NormalizePipeline": 100,
    "sdcrawl.pipelines.classify.ClassifyPipeline": 150,
    "sdcrawl.pipelines.validate.ValidatePipeline": 200,
    "sdcrawl.pipelines.relevance.RelevancePipeline": 300,
    "sdcrawl.pipelines.dedup.DedupPipeline": 400,
    "sdcrawl.pipelines.related.RelatedPipeline": 450,
    "sdcrawl.pipelines.store.StorePipeline": 500,
}

# `sdcrawl try/crawl/nightly` started in a terminal (stderr a TTY) show each site's progress in place
# (sdcrawl.progress); the command switches this on, scheduled runs (no TTY) never see it.
SDCRAWL_PROGRESS = False
EXTENSIONS["sdcrawl.progress.Progress"] = 200
# What the spiders learn (failed articles, walked listings) goes into the crawl state through this
# one owner (sdcrawl.store.crawlstate); the spiders only read the state.
EXTENSIONS["sdcrawl.store.crawlstate.CrawlStateExtension"] = 300
# How many article pages `sdcrawl record` saves.
SDCRAWL_RECORD_ARTICLES = 5

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("SDCRAWL_LOG_LEVEL", "INFO")
