"""robots.txt, read conservatively: a host whose robots.txt cannot be read as rules is not
crawled tonight (as Google treats a robots.txt it cannot read), instead of "allow all", which is
what Scrapy's RobotsTxtMiddleware makes of a 5xx, an unreachable host or an undecodable body.

Not readable (`robots_problem`, `robots_error_problem`): an answer other than 2xx or 4xx (5xx,
429, a redirect not followed) after the retries; no answer at all (timeout, refused, DNS); a body
refused by the fault middlewares (a gzip stream cut short, plain text labelled gzip, more than
DOWNLOAD_MAXSIZE once decompressed, a redirect blocked or looping); a body that is not text
(binary bytes, e.g. gzip sent without its Content-Encoding). Then `sdcrawl/site_error` says why
("robots.txt of X answered 503: site skipped tonight"), `sdcrawl/fault/robots_unavailable` counts
it, and every request to the host is refused (`sdcrawl/skipped/robots_unavailable`). A 4xx
robots.txt still means there are no rules (allow all), as RFC 9309 says; so does a robots.txt
redirected off the site's domains.

This is a downloader middleware of its own (it replaces Scrapy's, and overrides none of its
methods): it fetches robots.txt through the engine, once per host, and parses it with Scrapy's
ROBOTSTXT_PARSER. Requests that arrive while the fetch is under way each wait for its verdict.
(Scrapy 2.19's middleware has them all await one Deferred; Twisted's Deferred-to-Future hands
the parser to the first of them only, and the others get None, i.e. "allow all".)
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

from sdcrawl.faults.outcome import Refused, describe_exception, record_fault, set_site_error
from sdcrawl.faults.retry_after import retry_after_seconds

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# C0 control bytes other than whitespace: no robots.txt in any 8-bit charset holds them
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f]")


def robots_problem(response: Response) -> str | None:
    """Why this robots.txt answer cannot be read as rules ("answered 503", "is not text ..."), or
    None: a 2xx text is parsed, a 4xx other than 429 means no rules."""
    status = response.status
    if 200 <= status < 300:
        if _BINARY.search(response.body):
            return "is not text (binary bytes)"
        return None
    if 400 <= status < 500 and status != 429:
        return None
    wait = retry_after_seconds(response)
    return f"answered {status}" + (f" and asks to wait {wait:.0f} s (Retry-After)" if wait else "")


def robots_error_problem(exc: BaseException) -> str | None:
    """Why a robots.txt fetch that ended in `exc` leaves the rules unknown, or None when it means
    no rules (an IgnoreRequest that is no fault, such as a redirect off the site's domains)."""
    if isinstance(exc, Refused):
        return f"could not be read ({exc.words})"
    if isinstance(exc, IgnoreRequest):
        return None
    return f"not reachable ({describe_exception(exc)})"


class UnreadableRobots:
    """The rules of a host whose robots.txt could not be read: nothing may be fetched."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def allowed(self, url: Any, user_agent: Any) -> bool:
        return False


class ConservativeRobotsTxtMiddleware:
    DOWNLOAD_PRIORITY = 1000  # robots.txt before any page of its host, as Scrapy does

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or None
        self.default_user_agent = crawler.settings.get("USER_AGENT")
        self.parser_class = load_object(crawler.settings.get("ROBOTSTXT_PARSER"))
        build_from_crawler(self.parser_class, crawler, b"")  # fails now if the parser's library is missing
        self.rules: dict[str, Any] = {}  # netloc -> parser, UnreadableRobots, or None (no rules)
        self.waiting: dict[str, list[Deferred]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConservativeRobotsTxtMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt") or request.url.startswith(("data:", "file:")):
            return
        rules = await self.rules_for(request)
        if isinstance(rules, UnreadableRobots):
            self.crawler.stats.inc_value("sdcrawl/skipped/robots_unavailable")
            raise Refused("robots_unavailable", rules.reason)
        agent = self.user_agent or request.headers.get(b"User-Agent", self.default_user_agent)
        if rules is not None and not rules.allowed(request.url, agent):
            logger.debug("Forbidden by robots.txt: %s", request)
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest("Forbidden by robots.txt")

    async def rules_for(self, request: Request) -> Any:
        """The robots.txt rules of the request's host: fetched by the first request, waited for by
        the ones that come while it is fetched, kept for the rest of the crawl."""
        netloc = urlparse_cached(request).netloc
        if netloc in self.rules:
            return self.rules[netloc]
        if netloc in self.waiting:
            verdict: Deferred = Deferred()
            self.waiting[netloc].append(verdict)
            return await maybe_deferred_to_future(verdict)
        self.waiting[netloc] = []
        rules: Any = UnreadableRobots(f"robots.txt of {netloc}: the fetch was cancelled")
        try:
            rules = await self.fetch_rules(request, netloc)
        finally:
            self.rules[netloc] = rules
            for verdict in self.waiting.pop(netloc):
                verdict.callback(rules)
        return rules

    async def fetch_rules(self, request: Request, netloc: str) -> Any:
        stats = self.crawler.stats
        url = urlparse_cached(request)
        robots = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                         meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
        stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots)
        except Exception as exc:
            if not isinstance(exc, IgnoreRequest):
                stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            problem = robots_error_problem(exc)
            if problem is None:
                logger.info("robots.txt of %s not fetched (%s): no rules", netloc, exc)
                return None
            return self.refuse(netloc, problem)
        stats.inc_value("robotstxt/response_count")
        stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if problem := robots_problem(response):
            return self.refuse(netloc, problem)
        if response.status >= 400:
            return None
        rules = build_from_crawler(self.parser_class, self.crawler, response.body)
        await self.crawler.signals.send_catch_log_async(signal=signals.robots_parsed, robotparser=rules, request=request)
        return rules

    def refuse(self, netloc: str, problem: str) -> UnreadableRobots:
        reason = f"robots.txt of {netloc} {problem}: site skipped tonight"
        record_fault(self.crawler, "robots_unavailable", reason)
        set_site_error(self.crawler, reason)
        return UnreadableRobots(reason)
