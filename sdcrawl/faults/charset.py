"""Windows-1257 behind a declared (or no) utf-8: the response is read as windows-1257
(`sdcrawl/fault/charset_fixed`). The decision is sdcrawl.extract.decode's `check_charset`, the
one `sdcrawl extract` uses too. A BOM wins over the header (Scrapy already does so); a page
declared in another charset is left as declared; a declared-utf-8 body that is neither keeps its
U+FFFD (`sdcrawl/fault/charset_invalid`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.http import TextResponse

from sdcrawl.extract.decode import check_charset
from sdcrawl.faults.outcome import record_fault

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


class CharsetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request | None, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        check = check_charset(response.body, response.headers.get(b"Content-Type", b"").decode("latin-1"))
        if check.windows_1257:
            self.crawler.stats.inc_value("sdcrawl/fault/charset_fixed")
            logger.info("%s: declared %s, but the bytes are windows-1257; decoded as such", response.url,
                        check.declared or "no charset")
            return response.replace(encoding="cp1257")
        if check.invalid:
            record_fault(self.crawler, "charset_invalid", f"{response.url}: not valid {check.declared}; bad bytes become U+FFFD")
        return response
