"""A stray </html> or </body> halfway through a page (a CMS template that closes the page and goes
on writing): browsers ignore it, but lxml's HTML parser (libxml2 2.14, used by parsel for listings
and by sdcrawl's extraction) drops everything after it, so an article would lose its second half
and a listing its older entries. Such end tags before the end of the page are removed
(`sdcrawl/fault/stray_end_tag`)."""

from __future__ import annotations

import codecs
import logging
import re
from typing import TYPE_CHECKING

from scrapy.http import HtmlResponse

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

_STRAY_END = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)
_TRAILING = re.compile(rb"(?:\s|<!--.*?-->|</(?:html|body)\s*>)*\Z", re.IGNORECASE | re.DOTALL)  # only the end follows
_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def remove_stray_end_tags(body: bytes) -> bytes | None:
    """`body` without its </html> and </body> tags when one of them comes before the end of the
    page; None when there is none (the page is left as it is). For ASCII-compatible encodings."""
    for match in _STRAY_END.finditer(body):
        if not _TRAILING.match(body, match.end()):
            return _STRAY_END.sub(b"", body)
    return None


def _ascii_compatible(encoding: str) -> bool:
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
        if not isinstance(response, HtmlResponse) or not _ascii_compatible(response.encoding):
            return response
        repaired = remove_stray_end_tags(response.body)
        if repaired is None:
            return response
        self.crawler.stats.inc_value("sdcrawl/fault/stray_end_tag")
        logger.info("%s: a </html> or </body> before the end of the page; removed", response.url)
        return response.replace(body=repaired)
