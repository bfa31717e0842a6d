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
# Host -> "127.0.0.1:PORT": requests for these hosts are sent to a loopback server instead
# (recorded copies of the sites, for tests and the offline demo). Empty in production.
SDCRAWL_LOOPBACK_HOSTS: dict[str, str] = {}

# --- politeness --------------------------------------------------------------------------
USER_AGENT = f"sdcrawl/{__version__} (+https://github.com/sdcrawl/sdcrawl)"  # contact added by sdcrawl.middlewares
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

DOWNLOAD_HANDLERS = {
    "http": "sdcrawl.loopback.LoopbackDownloadHandler",
    "https": "sdcrawl.loopback.LoopbackDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "sdcrawl.middlewares.ContactUserAgentMiddleware": 500,
}

ITEM_PIPELINES = {
    "sdcrawl.pipelines.normalize.NormalizePipeline": 100,
    "sdcrawl.pipelines.validate.ValidatePipeline": 200,
    "sdcrawl.pipelines.relevance.RelevancePipeline": 300,
    "sdcrawl.pipelines.dedup.DedupPipeline": 400,
    "sdcrawl.pipelines.feed.FeedPipeline": 500,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("SDCRAWL_LOG_LEVEL", "INFO")
