"""What every fault middleware shares: how a fault is written into the crawl's stats, the
exception a refused request ends with, and plain words for download errors.

- ``sdcrawl/fault/<kind>``   how many times a fault of that kind decided a request's outcome;
- ``sdcrawl/faults``         the first FAULT_EXAMPLES of them as one-line reasons ("kind: url: what");
- ``sdcrawl/site_error``     one line, set when the site as a whole was not crawled tonight.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet.error import ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError, TimeoutError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request

logger = logging.getLogger(__name__)

FAULT_EXAMPLES = 20  # one-line reasons kept in `sdcrawl/faults` per site
SITE_ERROR = "sdcrawl/site_error"
FAULTS = "sdcrawl/faults"
FAULT_PREFIX = "sdcrawl/fault/"


class Refused(IgnoreRequest):
    """A request sdcrawl refused because of a fault; `kind` is its `sdcrawl/fault/<kind>`, the
    message is "<kind>: <one-line reason>", and `words` says what was wrong without the URL.
    Spider errbacks receive it like any IgnoreRequest."""

    def __init__(self, kind: str, line: str, words: str | None = None) -> None:
        super().__init__(f"{kind}: {line}")
        self.kind = kind
        self.words = words or line


def record_fault(crawler: Crawler, kind: str, line: str) -> None:
    """Count a fault of `kind` and keep its one-line reason (the first FAULT_EXAMPLES of them)."""
    stats = crawler.stats
    stats.inc_value(FAULT_PREFIX + kind)
    examples = list(stats.get_value(FAULTS) or [])
    if len(examples) < FAULT_EXAMPLES:
        examples.append(f"{kind}: {line}")
        stats.set_value(FAULTS, examples)


def set_site_error(crawler: Crawler, reason: str) -> None:
    """The site failed as a whole tonight: the first reason given is kept."""
    if not crawler.stats.get_value(SITE_ERROR):
        crawler.stats.set_value(SITE_ERROR, reason)
        logger.error("%s: %s", getattr(crawler.spider, "name", "?"), reason)


def is_robots_request(request: Request) -> bool:
    """Whether `request` is the robots.txt fetch of sdcrawl.faults.robots (or of Scrapy's)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt"


_EXCEPTION_KINDS: list[tuple[tuple[type[BaseException], ...], str, str]] = [
    ((DownloadTimeoutError, TimeoutError), "timeout", "timed out"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "connection_refused", "connection refused"),
    ((CannotResolveHostError, DNSLookupError), "dns", "host name does not resolve (DNS)"),
    ((ResponseDataLossError,), "data_loss", "incomplete body (connection cut, body shorter than announced, or broken chunks)"),
    ((DownloadCancelledError,), "too_large", "body over DOWNLOAD_MAXSIZE"),
    ((DownloadFailedError,), "broken_response", "broken response (reset, bad chunked encoding, ...)"),
    ((ConnectionLost, ConnectionDone), "connection_lost", "connection lost"),
]


def exception_kind(exc: BaseException) -> tuple[str, str]:
    """(kind, plain words) of a download exception."""
    for types, kind, words in _EXCEPTION_KINDS:
        if isinstance(exc, types):
            return kind, words
    return "download_error", type(exc).__name__


def describe_exception(exc: BaseException) -> str:
    """One line: what went wrong, in plain words (with the exception's own message where the
    words alone do not say enough)."""
    kind, words = exception_kind(exc)
    detail = str(exc).splitlines()[0][:160] if str(exc) else ""
    if detail and kind in ("dns", "broken_response", "connection_lost", "download_error"):
        return f"{words}: {detail}"
    return words
