"""Send requests for chosen hosts to a loopback server, keeping the real URLs everywhere else.

Tests and the offline demo serve recorded copies of the municipal sites on 127.0.0.1. Spiders
keep their real start URLs (https://stopini.lv/...), and so do items, ids and the feed: only the
download itself is redirected. SDCRAWL_LOOPBACK_HOSTS maps a host to "127.0.0.1:PORT"; the
request goes there over plain HTTP with the original Host header (and X-Forwarded-Proto), and the
response comes back under the original URL. With the setting empty (production) this handler is
Scrapy's HTTP/1.1 handler unchanged.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Response


class LoopbackDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.hosts: dict[str, str] = dict(crawler.settings.getdict("SDCRAWL_LOOPBACK_HOSTS"))

    async def download_request(self, request: Request) -> Response:
        parts = urlsplit(request.url)
        target = self.hosts.get(parts.hostname or "")
        if target is None:
            return await super().download_request(request)
        local = urlunsplit(("http", target, parts.path or "/", parts.query, ""))
        headers = request.headers.copy()
        headers["Host"] = parts.netloc
        headers["X-Forwarded-Proto"] = parts.scheme
        response = await super().download_request(request.replace(url=local, headers=headers))
        return response.replace(url=request.url)
