"""Retry-After on 429 and 503 is waited for (Scrapy retries at once: scrapy/scrapy#3849).

A page's retry waits as long as Retry-After asks, at most SDCRAWL_RETRY_AFTER_MAX seconds
(`sdcrawl/fault/retry_after`, the longest wait in `sdcrawl/fault/retry_after_max_wait`). The
request being retried waits; other requests of the site keep AutoThrottle's pace.

robots.txt is different: every other request of its host waits for it, so a robots.txt whose
Retry-After asks for more than SDCRAWL_ROBOTS_RETRY_AFTER_MAX seconds is not retried at all: the
429/503 goes on to sdcrawl.faults.robots, which skips the site tonight, at once
(`sdcrawl/fault/robots_retry_after`). A shorter wait is honoured as for pages.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

from sdcrawl.faults.outcome import is_robots_request

if TYPE_CHECKING:
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

RETRY_AFTER_STATUSES = (429, 503)


def retry_after_seconds(response: Response, now: float | None = None) -> float | None:
    """The wait a Retry-After header asks for (delay-seconds or an HTTP date), or None."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_wait(request: Request, response: Response, *, page_max: float, robots_max: float) -> float | None:
    """How long to wait before retrying `request` after `response`: 0 without Retry-After, the
    asked wait up to `page_max`; None when it must not be retried at all (a robots.txt asking
    for more than `robots_max`)."""
    wait = retry_after_seconds(response) if response.status in RETRY_AFTER_STATUSES else None
    if not wait:
        return 0.0
    if is_robots_request(request) and wait > robots_max:
        return None
    return min(wait, page_max)


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry middleware (exceptions are retried as Scrapy does), with `retry_wait` before
    a status retry; the retry request itself is Scrapy's public `get_retry_request`."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("SDCRAWL_RETRY_AFTER_MAX", 300.0)
        self.robots_retry_after_max = settings.getfloat("SDCRAWL_ROBOTS_RETRY_AFTER_MAX", 30.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_wait(request, response, page_max=self.retry_after_max, robots_max=self.robots_retry_after_max)
        stats = self.crawler.stats
        if wait is None:
            stats.inc_value("sdcrawl/fault/robots_retry_after")
            logger.warning("%s answered %d and asks to wait %.0f s (Retry-After): not retried", request.url,
                           response.status, retry_after_seconds(response))
            return response
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=response_status_message(response.status),
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )
        if retry is None:
            return response
        if wait:
            asked = retry_after_seconds(response) or 0.0
            if asked > wait:
                logger.warning("%s asks to wait %.0f s (Retry-After); waiting the maximum, %.0f s", request.url, asked, wait)
            stats.inc_value("sdcrawl/fault/retry_after")
            stats.max_value("sdcrawl/fault/retry_after_max_wait", round(wait, 1))
            logger.info("%s answered %d with Retry-After: retrying in %.1f s", request.url, response.status, wait)
            await sleep(wait)
        return retry
