"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: their entries, each with its link, date and title.

    entries = parse_feed(body, "https://ropazi.lv/lv/rss/articles")   # None: not a feed

An entry's link is the text of its `<link>` (RSS), else the `href` of its `<link>` without a
`rel` or with `rel="alternate"` (Atom), else any `<link href>`, else a `<guid>` that is a
permalink; entries whose link is neither absolute http(s) nor a path are left out. Its date is
`pubDate` (RFC 822) or `published` / `updated` / `dc:date` (ISO 8601), whichever comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from sdcrawl.extract.dates import parse_date

__all__ = ["FeedEntry", "decode_xml", "feed_date", "parse_feed"]

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True)
class FeedEntry:
    url: str
    published: date | None
    title: str


def decode_xml(body: bytes | str) -> str:
    """An XML body as text: the encoding its declaration names, else UTF-8 (bad bytes replaced)."""
    if isinstance(body, str):
        return body
    body = body.removeprefix(b"\xef\xbb\xbf")
    m = _DECLARED.match(body[:200])
    if m:
        try:
            return body.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:  # an encoding Python does not know
            pass
    return body.decode("utf-8", errors="replace")


def feed_date(text: str | None) -> date | None:
    """An entry's date: RFC 822 (RSS `pubDate`), else ISO 8601 (Atom, `dc:date`)."""
    if not text:
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError):
        return parse_date(text.strip())


def parse_feed(body: bytes | str, url: str) -> list[FeedEntry] | None:
    """The entries of a feed in document order; None when the body is not a feed (an HTML page
    answered at a feed address, say)."""
    from parsel import Selector

    text = decode_xml(body)
    head = text.lstrip("\ufeff \t\r\n")[:500].lower()
    if not head.startswith("<?xml") and not re.match(r"<(rss|feed|rdf:rdf)[\s>]", head):
        return None
    try:
        sel = Selector(text=text, type="xml")  # parsel's XML parser never expands entities
    except Exception:
        return None
    sel.remove_namespaces()
    root = sel.xpath("/*")
    if not root or root[0].xpath("name()").get().lower() not in ("rss", "feed", "rdf"):
        return None
    entries = []
    for node in sel.xpath("//item | //entry"):
        link = (node.xpath("link/text()").get() or "").strip()
        if not link:
            hrefs = node.xpath("link[not(@rel) or @rel='alternate']/@href").getall() or node.xpath("link/@href").getall()
            link = hrefs[0].strip() if hrefs else ""
        if not link:
            link = (node.xpath("guid[not(@isPermaLink='false')]/text()").get() or "").strip()
        if not link.startswith(("http://", "https://", "/")):
            continue
        when = node.xpath("pubDate/text() | published/text() | date/text() | updated/text()").get()
        title = " ".join((node.xpath("title/text()").get() or "").split())
        entries.append(FeedEntry(urljoin(url, link), feed_date(when), title))
    return entries
