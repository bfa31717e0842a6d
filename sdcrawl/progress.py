"""Progress of a crawl a person started in a terminal: one line per site, redrawn in place.

`sdcrawl try`, `crawl` and `nightly` switch it on (SDCRAWL_PROGRESS) when stderr is a terminal,
and then log at WARNING unless SDCRAWL_LOG_LEVEL or `-s LOG_LEVEL=...` says otherwise; a scheduled
run (no terminal) never sees it and logs as configured. The lines go to stderr, every half second
and when a site finishes; a log record clears them first and they are drawn again below it, so
warnings stay readable. `render` is a pure function of the sites' counters.

    site            status   pages  seen  new dropped failed errors    time
    socd            finished     9     7    4       3      0      0    1.2s
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass

from scrapy import signals
from scrapy.exceptions import NotConfigured

from sdcrawl import stats as S

INTERVAL = 0.5
CLEAR_LINE = "\x1b[2K"


@dataclass(frozen=True)
class SiteProgress:
    """A site's live counters, in the vocabulary of `sdcrawl.stats` (the same columns as the
    summaries of `crawl` and `nightly`)."""

    site: str
    pages: int = 0       # responses received (robots.txt, listings, feeds, articles)
    seen: int = 0        # article links found in listings, feeds and sitemaps
    new: int = 0         # lines written to the feed
    dropped: int = 0     # articles left out (irrelevant, no date, duplicate, ...)
    failed: int = 0      # article or listing pages that could not be fetched
    errors: int = 0      # errors logged by this site's crawl
    seconds: float = 0.0
    state: str = "running"

    @classmethod
    def from_stats(cls, site: str, stats: dict, seconds: float, state: str = "running") -> "SiteProgress":
        return cls(site, stats.get("response_received_count", 0),
                   sum(stats.get(k, 0) for k in (S.LISTING_LINKS, S.FEED_ENTRIES, S.SITEMAP_ENTRIES)),
                   stats.get(S.FEED_WRITTEN, 0), sum(stats.get(S.dropped(r), 0) for r in S.REJECTION_REASONS),
                   stats.get(S.ARTICLE_FAILED, 0) + stats.get(S.LISTING_FAILED, 0),
                   stats.get(S.LOG_ERROR, 0), seconds, state)


HEADER = S.COLUMNS


def render(rows: list[SiteProgress], width: int = 100) -> list[str]:
    """The progress lines: a header, one line per site, and a total when there are several."""
    def line(r: SiteProgress) -> str:
        return S.row(r.site, r.state, r.pages, r.seen, r.new, r.dropped, r.failed, r.errors, r.seconds)[:width]

    out = [HEADER[:width]] + [line(r) for r in rows]
    if len(rows) > 1:
        done = sum(1 for r in rows if r.state != "running")
        total = SiteProgress(f"all {done}/{len(rows)}", *(sum(getattr(r, f) for r in rows)
                             for f in ("pages", "seen", "new", "dropped", "failed", "errors")),
                             max(r.seconds for r in rows), "finished" if done == len(rows) else "running")
        out.append(line(total))
    return out


class Display:
    """The lines on the terminal, shared by every crawler of the process."""

    def __init__(self, stream):
        self.stream = stream
        self.sources: dict[str, object] = {}  # site -> Progress extension
        self.drawn = 0
        self.loop = None
        self._filter = _ClearBeforeLog(self)

    def width(self) -> int:
        import shutil

        return max(40, shutil.get_terminal_size((100, 20)).columns - 1)

    def clear(self) -> None:
        if self.drawn:
            self.stream.write(f"\x1b[{self.drawn}F\x1b[J")  # up to the first line, erase to the end
            self.stream.flush()
            self.drawn = 0

    def paint(self) -> None:
        self._watch_log()
        lines = render([src.snapshot() for src in self.sources.values()], self.width())
        text = (f"\x1b[{self.drawn}F" if self.drawn else "") + "".join(f"{CLEAR_LINE}{l}\n" for l in lines)
        self.stream.write(text)
        self.stream.flush()
        self.drawn = len(lines)

    def _watch_log(self) -> None:
        from scrapy.utils.log import get_scrapy_root_handler

        handler = get_scrapy_root_handler()
        if handler is not None and self._filter not in handler.filters:
            handler.addFilter(self._filter)

    def start(self) -> None:
        if self.loop is None:
            from twisted.internet.task import LoopingCall

            self.loop = LoopingCall(self.paint)
            self.loop.start(INTERVAL, now=True)

    def stop_if_done(self) -> None:
        if all(src.state != "running" for src in self.sources.values()):
            if self.loop is not None and self.loop.running:
                self.loop.stop()
            self.loop = None
            self.paint()


class _ClearBeforeLog(logging.Filter):
    """Erases the progress lines just before a log record is written (the next paint redraws them)."""

    def __init__(self, display: Display):
        super().__init__()
        self.display = display

    def filter(self, record: logging.LogRecord) -> bool:
        self.display.clear()
        return True


_display: Display | None = None


def display() -> Display:
    global _display
    if _display is None:
        _display = Display(sys.stderr)
    return _display


class Progress:
    """The Scrapy extension: registers its site with the display while the spider runs."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.site = "?"
        self.started = time.monotonic()
        self.ended: float | None = None
        self.state = "running"
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("SDCRAWL_PROGRESS"):
            raise NotConfigured
        return cls(crawler)

    def snapshot(self) -> SiteProgress:
        seconds = (self.ended or time.monotonic()) - self.started
        return SiteProgress.from_stats(self.site, self.crawler.stats.get_stats(), seconds, self.state)

    def spider_opened(self, spider):
        self.site = spider.name if spider.name != "generic" else f"try {getattr(spider, 'site', None) and spider.site.municipality}"
        self.started = time.monotonic()
        d = display()
        d.sources[f"{id(self)}"] = self
        d.start()

    def spider_closed(self, spider, reason):
        self.ended = time.monotonic()
        self.state = reason
        display().stop_if_done()
