"""Scrapy extensions of sdcrawl."""

from __future__ import annotations

import logging

from scrapy import signals


class SiteLogCounter:
    """Counts WARNING and ERROR log records of this crawler's own spider (`sdcrawl/log/ERROR`).

    Scrapy's `log_count/*` counts every record in the process, so when the nightly run crawls
    several sites at once one site's errors show up in the others' counts. A record belongs to a
    spider when Scrapy tags it (`extra={"spider": ...}`) or it comes from the spider's logger.
    Spidermon's own report lines are not counted (they come after the checks and repeat them).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.handler = _Handler(self)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        logging.getLogger().addHandler(self.handler)
        _quiet_spidermon(self.crawler.settings)

    def engine_stopped(self):
        logging.getLogger().removeHandler(self.handler)

    def count(self, record: logging.LogRecord) -> None:
        spider = self.crawler.spider
        if spider is None:
            return
        if getattr(record, "spider", None) is spider or record.name == spider.name or record.name.startswith(f"{spider.name}."):
            if str(record.msg).startswith("[Spidermon]"):
                return
            self.crawler.stats.inc_value(f"sdcrawl/log/{record.levelname}")


class _Handler(logging.Handler):
    def __init__(self, counter: SiteLogCounter):
        super().__init__(level=logging.WARNING)
        self.counter = counter

    def emit(self, record: logging.LogRecord) -> None:
        self.counter.count(record)


class _SpidermonReport(logging.Filter):
    """Leaves spidermon's own report out of a log shown at WARNING or above: its failures are the
    run summary's "Problems" lines, worded for a person (sdcrawl.monitors.RecordAlerts)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("[Spidermon]")


_REPORT_FILTER = _SpidermonReport()


def _quiet_spidermon(settings) -> None:
    from scrapy.utils.log import get_scrapy_root_handler

    level = logging.getLevelName(str(settings.get("LOG_LEVEL", "DEBUG")).upper())
    handler = get_scrapy_root_handler()
    if handler is not None and isinstance(level, int) and level >= logging.WARNING and _REPORT_FILTER not in handler.filters:
        handler.addFilter(_REPORT_FILTER)
