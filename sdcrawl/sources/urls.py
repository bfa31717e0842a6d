"""URL rules shared by the spiders and discovery: one copy of each.

- `bare_host(url)`: the host, lowercased, without a leading `www.`.
- `same_site(a, b)`: two URLs on the same host, with or without `www.`.
- `on_site(url, domains)`: a URL on one of a site's domains (with or without `www.`).
- `NOT_PAGES` / `is_file(url)`: addresses of documents, images, media, calendars, feeds and
  assets, which are never article pages.
- `is_page_link(url, domains)`: an http(s) link to a page of the site that is not such a file.
- `with_scheme(url)`: an address as an operator types it (`kekava.lv/?id=212`), with `https://`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

__all__ = ["NOT_PAGES", "bare_host", "is_file", "is_page_link", "on_site", "same_site", "site_root", "with_scheme"]

# Path endings of files that are not article pages (compared lowercased).
NOT_PAGES = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".zip", ".rar", ".7z",
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp3", ".mp4", ".avi", ".ics",
    ".xml", ".rss", ".css", ".js",
)


def bare_host(url: str) -> str:
    """The URL's host, lowercased, without a leading `www.` ('' when it has none)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # an unparseable netloc, e.g. a bad IPv6 literal
        return ""
    return host.lower().removeprefix("www.")


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on the same host (with or without www.)."""
    return bare_host(a) == bare_host(b) != ""


def on_site(url: str, domains: Iterable[str]) -> bool:
    """Whether the URL's host is one of the domains (each with or without www.)."""
    host = bare_host(url)
    return host != "" and host in {d.lower().removeprefix("www.") for d in domains}


def is_file(url: str) -> bool:
    """Whether the URL's path ends like a document, image, media, feed or asset file."""
    return urlsplit(url).path.lower().endswith(NOT_PAGES)


def is_page_link(url: str, domains: Iterable[str]) -> bool:
    """An http(s) URL on the site that is not a file: what a listing's article link may be
    (mailto:, javascript:, tel:, other sites, PDFs and images are not)."""
    try:
        if urlsplit(url).scheme not in ("http", "https"):
            return False
        return on_site(url, domains) and not is_file(url)
    except ValueError:  # not a URL at all
        return False


def site_root(url: str) -> str:
    """The site's home: scheme and host of the URL, path `/`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def with_scheme(url: str) -> str:
    """The address with `https://` in front when it names no http(s) scheme, spaces stripped."""
    url = url.strip()
    return url if re.match(r"^https?://", url, re.IGNORECASE) else "https://" + url
