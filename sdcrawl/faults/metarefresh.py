"""Scrapy's <meta http-equiv=refresh> redirects, with the loop and address checks of
sdcrawl.faults.addresses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import Request

from sdcrawl.faults.addresses import HostCheck, check_redirect

if TYPE_CHECKING:
    from scrapy.http import Response


class SafeMetaRefreshMiddleware(MetaRefreshMiddleware):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.hosts = HostCheck.from_settings(settings)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            return await check_redirect(self.crawler, self.hosts, result, request)
        return result
