"""A DOCTYPE with an internal subset (entity declarations: billion laughs, external entities) in
a feed or sitemap is removed before anything parses the body. parsel and Scrapy's sitemap reader
already refuse to expand entities, but lxml then gives up on the whole document and the feed's
real entries are lost without a word; without the DOCTYPE the undeclared references are dropped
and the entries read (`sdcrawl/fault/xml_doctype`). Feeds and sitemaps never need a DTD; HTML
doctypes have no internal subset and are kept."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from scrapy.http import TextResponse

from sdcrawl.faults.outcome import record_fault

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE\s[^\[>]*\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\]\s*>", re.IGNORECASE | re.DOTALL)
PROLOG_LIMIT = 64 * 1024  # a DOCTYPE is looked for in the first 64 KiB


def strip_entity_doctype(body: bytes) -> bytes | None:
    """`body` without its DOCTYPE when that declares entities; None when it does not."""
    match = _DOCTYPE_SUBSET.search(body[:PROLOG_LIMIT])
    if match is None or b"<!ENTITY" not in match.group(0).upper():
        return None
    return body[: match.start()] + body[match.end():]


class XmlDoctypeMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> XmlDoctypeMiddleware:
        return cls(crawler)

    def process_response(self, request: Request | None, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        stripped = strip_entity_doctype(response.body)
        if stripped is None:
            return response
        record_fault(self.crawler, "xml_doctype", f"{response.url}: a DOCTYPE declaring entities (removed, nothing expanded)")
        logger.warning("%s: a DOCTYPE declaring entities; removed before parsing", response.url)
        return response.replace(body=stripped)
