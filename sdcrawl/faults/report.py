"""What the retries could not fix, and whether the site failed as a whole.

Sits just below the retry middleware, so it sees each request's final outcome: an exception the
retries gave up on (`sdcrawl/fault/<kind>`), or a response (5xx after the retries:
`sdcrawl/fault/server_error`; 429: `sdcrawl/fault/rate_limited`). When the spider runs out of
work: not one of its pages (robots.txt aside) answered below 400 while some failed →
`sdcrawl/site_error`. A spider with a site_error (set here, by sdcrawl.faults.robots, or by the
spider) is closed with the finish reason "site_error", so `sdcrawl crawl` exits non-zero.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.utils.response import response_status_message

from sdcrawl.faults.outcome import SITE_ERROR, describe_exception, exception_kind, is_robots_request, record_fault, set_site_error

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


def _tries(request: Request) -> int:
    return request.meta.get("retry_times", 0) + 1


def response_fault(request: Request, response: Response) -> tuple[str | None, str] | None:
    """(kind or None, one line) for a final response of 400 or more; None for a good one. The
    kind is "server_error" (5xx) or "rate_limited" (429); other 4xx fail without a fault kind."""
    if response.status < 400:
        return None
    tries = _tries(request)
    line = f"{request.url}: {response_status_message(response.status)}" + (f" after {tries} tries" if tries > 1 else "")
    kind = "server_error" if response.status >= 500 else "rate_limited" if response.status == 429 else None
    return kind, line


def exception_fault(request: Request, exception: BaseException) -> tuple[str, str]:
    """(kind, one line) for a download exception the retries gave up on."""
    kind, _ = exception_kind(exception)
    tries = _tries(request)
    return kind, f"{request.url}: {describe_exception(exception)}" + (f" (after {tries} tries)" if tries > 1 else "")


def site_failure(reached: bool, failures: int, last_failure: str) -> str | None:
    """The site_error of a site none of whose pages could be fetched, or None."""
    if reached or not failures:
        return None
    return f"no page of the site could be fetched ({failures} failed; last: {last_failure})"


class FaultReportMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.reached = False
        self.failures = 0
        self.last_failure = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FaultReportMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        if is_robots_request(request):
            return response
        fault = response_fault(request, response)
        if fault is None:
            self.reached = True
            return response
        kind, line = fault
        if kind:
            record_fault(self.crawler, kind, line)
        self._failed(line)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):  # robots.txt, off-site, refused redirects: counted where decided
            return None
        kind, line = exception_fault(request, exception)
        record_fault(self.crawler, kind, line)
        logger.warning("Not fetched: %s", line)
        if not is_robots_request(request):
            self._failed(line)
        return None

    def _failed(self, line: str) -> None:
        self.failures += 1
        self.last_failure = line

    def spider_idle(self, spider: Any) -> None:
        if reason := site_failure(self.reached, self.failures, self.last_failure):
            set_site_error(self.crawler, reason)
        if self.crawler.stats.get_value(SITE_ERROR):
            raise CloseSpider("site_error")
