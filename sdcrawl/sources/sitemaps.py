"""Sitemaps and sitemap indexes, and the `Sitemap:` lines of a robots.txt.

    kind, entries = parse_sitemap(body, url)   # ('urlset' | 'sitemapindex', [(loc, lastmod)]), or None

Scrapy's sitemap reader does the XML (it never resolves entities); locations are stripped and
made absolute, and `lastmod` becomes a date (None when absent or unreadable).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin

from sdcrawl.extract.dates import parse_date

__all__ = ["parse_sitemap", "robots_sitemaps"]


def parse_sitemap(body: bytes | str, url: str) -> tuple[str, list[tuple[str, date | None]]] | None:
    """('urlset' or 'sitemapindex', [(loc, lastmod)]) of a sitemap; None when it is not one."""
    from scrapy.utils.sitemap import Sitemap

    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml gives up on a body that is not XML at all
        return None
    if sitemap.type not in ("urlset", "sitemapindex"):
        return None
    entries = []
    for entry in sitemap:
        loc = (entry.get("loc") or "").strip()
        if loc:
            lastmod = (entry.get("lastmod") or "").strip()
            entries.append((urljoin(url, loc), parse_date(lastmod) if lastmod else None))
    return sitemap.type, entries


def robots_sitemaps(text: str, url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt, absolute, without repeats."""
    out = []
    for line in text.splitlines():
        m = re.match(r"\s*sitemap\s*:\s*(\S+)", line, re.IGNORECASE)
        if m:
            out.append(urljoin(url, m.group(1)))
    return list(dict.fromkeys(out))
