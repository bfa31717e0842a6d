"""Markup repairs on the bytes of an HTML page, before anything parses it (the repairs are
sdcrawl.extract.decode's, which `sdcrawl extract` applies too):

- a stray </html> or </body> halfway through a page (a CMS template that closes the page and
  goes on writing) is removed: browsers ignore it, but lxml's HTML parser (libxml2 2.14, used by
  parsel for listings and by the extraction) drops everything after it, so an article would lose
  its second half and a listing its older entries (`sdcrawl/fault/stray_end_tag`);
- a character reference to a character XML cannot hold (`&#xFFFF;`, `&#27;`) is removed: lxml
  makes the character, and trafilatura then discards the article's whole body
  (`sdcrawl/fault/invalid_reference`).
"""

from __future__ import annotations

import codecs
import logging
from typing import TYPE_CHECKING

from scrapy.http import HtmlResponse

from sdcrawl.extract.decode import remove_control_characters, remove_invalid_references, remove_stray_end_tags

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def ascii_compatible(encoding: str) -> bool:
    """Whether ASCII markup is plain ASCII bytes in `encoding` (not so in UTF-16/32)."""
    try:
        return codecs.lookup(encoding).name not in _WIDE
    except LookupError:
        return True


class MarkupRepairMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkupRepairMiddleware:
        return cls(crawler)

    def process_response(self, request: Request | None, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not ascii_compatible(response.encoding):
            return response
        body = response.body
        if (repaired := remove_stray_end_tags(body)) is not None:
            self.crawler.stats.inc_value("sdcrawl/fault/stray_end_tag")
            logger.info("%s: a </html> or </body> before the end of the page; removed", response.url)
            body = repaired
        if (repaired := remove_control_characters(body)) is not None:
            self.crawler.stats.inc_value("sdcrawl/fault/control_character")
            logger.info("%s: raw control characters (such as ESC) in the page; removed", response.url)
            body = repaired
        if (repaired := remove_invalid_references(body)) is not None:
            self.crawler.stats.inc_value("sdcrawl/fault/invalid_reference")
            logger.info("%s: a character reference to a character XML cannot hold (such as &#xFFFF;); removed", response.url)
            body = repaired
        return response if body is response.body else response.replace(body=body)
