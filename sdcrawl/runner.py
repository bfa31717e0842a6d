"""Runs crawls in this process and returns their results; the commands (`crawl`, `nightly`, the
operator's tools) call it, and it imports none of them.

    settings = crawl_settings(data_dir="data", overrides={"LOG_LEVEL": "WARNING"})
    results = run_crawl(["socd", "lm"], settings=settings, since="2024-01-01")
    results["socd"]["finish_reason"], results["socd"]["sdcrawl/feed/written"]

Twisted's reactor cannot be restarted: one `run_crawl` per process. Commands that crawl more
than once (demo, the scale-out worker) start a child process for each crawl.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["crawl_settings", "run_crawl"]

#: Settings for crawling recorded copies on loopback: no real site is involved, so no delays.
REPLAY_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "SDCRAWL_CONTACT": "demo@localhost"}


def crawl_settings(data_dir: str | None = None, overrides: Mapping[str, Any] | None = None):
    """The project's Scrapy settings with a data folder and command-line overrides applied."""
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    settings = get_project_settings()
    if data_dir:
        settings.set("SDCRAWL_DATA_DIR", data_dir, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(site_ids: list[str], *, settings=None, data_dir: str | None = None, since: str | None = None,
              page_budget: int | None = None, replay: list[str] | None = None,
              on_crawler: Callable[[Any], None] | None = None,
              spider_args: Mapping[str, Any] | None = None) -> dict[str, dict]:
    """Run the spiders of the given sites in one process; return each site's final stats (with
    its `finish_reason`). A site whose crawl did not start is missing from the result."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from sdcrawl.replay import ReplayServer

    from scrapy.settings import BaseSettings

    if isinstance(settings, BaseSettings):  # complete settings (a Settings is a Mapping too)
        project = settings.copy()
    else:  # overrides of the project's settings
        project = crawl_settings(data_dir, settings)
    if data_dir:
        project.set("SDCRAWL_DATA_DIR", data_dir, priority="cmdline")
    server = None
    if replay:
        server = ReplayServer(replay).start()
        project.set("SDCRAWL_LOOPBACK_HOSTS", server.hosts_setting, priority="cmdline")
        for key, value in REPLAY_SETTINGS.items():
            if project.getpriority(key) is None or project.getpriority(key) < 40:  # an explicit -s wins
                project.set(key, value, priority="cmdline")
    process = CrawlerProcess(project)
    reasons: dict[str, str] = {}
    handlers = []  # Scrapy holds signal handlers by weak reference: keep ours alive
    crawlers = []
    kwargs = {k: v for k, v in {"since": since, "page_budget": page_budget, **(spider_args or {})}.items()
              if v is not None}
    for site_id in site_ids:
        crawler = process.create_crawler(site_id)

        def closed(spider, reason):
            reasons[spider.name] = reason

        handlers.append(closed)
        crawler.signals.connect(closed, signal=signals.spider_closed)
        if on_crawler:
            on_crawler(crawler)
        crawlers.append((site_id, crawler))
        process.crawl(crawler, **kwargs)
    try:
        process.start()
    finally:
        if server:
            server.stop()
    # read the stats after the crawl: spidermon's checks add their alerts when a spider closes
    results: dict[str, dict] = {}
    for site_id, crawler in crawlers:
        if site_id in reasons:
            results[site_id] = {**crawler.stats.get_stats(), "finish_reason": reasons[site_id]}
    return results
