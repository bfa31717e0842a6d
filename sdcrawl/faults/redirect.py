"""Scrapy's redirects, plus: a redirect to a non-http(s) scheme (file:, ftp:, ...) is refused with
a reason (Scrapy passes the 3xx on, and it vanishes as an HTTP error); a redirect to a private,
loopback or link-local address is refused and a redirect back to an address already in the chain
ends with a reason (Scrapy's duplicate filter drops it silently: scrapy/scrapy#1225) — both
sdcrawl.faults.addresses; more than REDIRECT_MAX_TIMES redirects are reported. Counted as
`sdcrawl/fault/redirect_blocked`, `redirect_loop`, `redirect_max`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from w3lib.url import safe_url_string

from sdcrawl.faults.addresses import HostCheck, check_redirect
from sdcrawl.faults.outcome import Refused, record_fault

if TYPE_CHECKING:
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def scheme_problem(request: Request, response: Response) -> str | None:
    """The one-line reason when `response` redirects `request` to a scheme other than http(s)
    (and the request did not ask to handle redirects itself), else None."""
    if not (300 <= response.status < 400) or b"Location" not in response.headers:
        return None
    if request.meta.get("dont_redirect") or request.meta.get("handle_httpstatus_all"):
        return None
    target = urljoin(request.url, safe_url_string(response.headers[b"Location"]))
    scheme = urlsplit(target).scheme
    if scheme in ("http", "https"):
        return None
    return f"{request.url} -> {target}: scheme {scheme or '(none)'}: is not http(s)"


class SafeRedirectMiddleware(RedirectMiddleware):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.hosts = HostCheck.from_settings(settings)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest as exc:
            if str(exc) != "max redirections reached":
                raise
            chain = [*request.meta.get("redirect_urls", []), request.url]
            line = f"more than {self.max_redirect_times} redirects: {' -> '.join(chain)} -> ..."
            record_fault(self.crawler, "redirect_max", line)
            logger.error("Redirects not followed: %s", line)
            raise Refused("redirect_max", line, f"more than {self.max_redirect_times} redirects") from None
        if isinstance(result, Request):
            return await check_redirect(self.crawler, self.hosts, result, request)
        if result is response and (line := scheme_problem(request, response)):
            record_fault(self.crawler, "redirect_blocked", line)
            logger.warning("Redirect blocked: %s", line)
            raise Refused("redirect_blocked", line, line.split(": ", 1)[1])
        return result
