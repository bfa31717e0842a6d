"""Downloader middlewares of sdcrawl: who we are, and what to do when a site misbehaves.

Each fault a site can throw at a nightly crawl ends in one clear outcome — retried, skipped with a
reason, or the site blocked for the night — and each outcome is in the crawl's stats, so the run
report (`sdcrawl crawl --report`) says what happened without the log:

- ``sdcrawl/fault/<kind>``   how many times a fault of that kind decided a request's outcome;
- ``sdcrawl/faults``         the first few of them as one-line reasons ("kind: url: what");
- ``sdcrawl/site_error``     one line, set when the site as a whole was not crawled (its robots.txt
  answered 5xx or could not be fetched, or not one of its pages could be fetched). A spider
  whose site_error is set closes with the finish reason "site_error", so the run fails.

A request refused here reaches the spider's errback as `Refused` (an IgnoreRequest with `.kind`).

The middlewares, in the order a response passes through them (Scrapy's own replaced where named):

  SafeRedirectMiddleware (600, for Scrapy's)     no redirect to a non-http(s) scheme or to a
        private/loopback/link-local address; an A→B→A loop ends; too many redirects are reported.
  BoundedHttpCompressionMiddleware (590, for Scrapy's)   a compressed body that ends before its
        stream does (truncated gzip/deflate/brotli) is refused, not read as far as it goes; a
        bomb is refused at DOWNLOAD_MAXSIZE, as Scrapy does, and now counted.
  CharsetMiddleware (585)         windows-1257 bytes behind a declared (or no) utf-8 charset.
  MarkupRepairMiddleware (584)    a stray </html> or </body> halfway through a page is removed.
  XmlDoctypeMiddleware (583)      a DOCTYPE declaring entities is removed from feeds and sitemaps.
  SafeMetaRefreshMiddleware (580, for Scrapy's)  the redirect checks for <meta refresh>.
  RetryAfterMiddleware (550, for Scrapy's)       waits as long as Retry-After asks on 429/503
        (at most SDCRAWL_RETRY_AFTER_MAX seconds) before the retry.
  FaultReportMiddleware (540)     sees what the retries could not fix: counts it, and decides at
        the end whether the site failed as a whole.
  ConservativeRobotsTxtMiddleware (100, for Scrapy's)  a robots.txt answered with 5xx/429, or not
        reachable at all, means the host is not crawled tonight (Scrapy would allow everything).
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import time
import zlib
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.asyncio import run_in_thread, sleep
from scrapy.utils.response import response_status_message
from twisted.internet.error import ConnectionDone, ConnectionLost, ConnectionRefusedError, DNSLookupError, TimeoutError
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom
from w3lib.url import safe_url_string

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

FAULT_EXAMPLES = 20  # one-line reasons kept in `sdcrawl/faults` per site
SITE_ERROR = "sdcrawl/site_error"


class Refused(IgnoreRequest):
    """A request sdcrawl refused because of a fault; `kind` is its `sdcrawl/fault/<kind>`, and the
    message is "<kind>: <one-line reason>". Spider errbacks receive it like any IgnoreRequest."""

    def __init__(self, kind: str, line: str) -> None:
        super().__init__(f"{kind}: {line}")
        self.kind = kind


def record_fault(crawler: Crawler, kind: str, line: str) -> None:
    """Count a fault of `kind` and keep its one-line reason (the first FAULT_EXAMPLES of them)."""
    stats = crawler.stats
    stats.inc_value(f"sdcrawl/fault/{kind}")
    examples = list(stats.get_value("sdcrawl/faults") or [])
    if len(examples) < FAULT_EXAMPLES:
        examples.append(f"{kind}: {line}")
        stats.set_value("sdcrawl/faults", examples)


def set_site_error(crawler: Crawler, reason: str) -> None:
    """The site failed as a whole tonight: the first reason given is kept."""
    if not crawler.stats.get_value(SITE_ERROR):
        crawler.stats.set_value(SITE_ERROR, reason)
        logger.error("%s: %s", getattr(crawler.spider, "name", "?"), reason)


def is_robots_request(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt"


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """The user agent names the project and the operator's contact address (SDCRAWL_CONTACT),
    so that a municipality's web admin can tell who is crawling and reach them."""

    @classmethod
    def from_crawler(cls, crawler):
        agent = crawler.settings.get("USER_AGENT")
        contact = crawler.settings.get("SDCRAWL_CONTACT")
        if contact:
            agent = f"{agent[:-1]}; {contact})" if agent.endswith(")") else f"{agent} ({contact})"
        else:
            logger.warning("SDCRAWL_CONTACT is not set: set it to an address where site admins can reach you")
        mw = cls(agent)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw


# --- robots.txt ----------------------------------------------------------------------------------
class _Refused:
    """The 'parser' of a robots.txt that could not be read: nothing on the host may be fetched."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def allowed(self, url: Any, user_agent: Any) -> bool:
        return False


class ConservativeRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, but a robots.txt answered with 5xx or 429 (after the
    retries), or one that cannot be fetched at all (timeout, refused, DNS), means the host is not
    crawled tonight — as Google treats a robots.txt it cannot read — instead of "allow all".
    A 4xx robots.txt still means there are no rules (allow all), as the robots.txt RFC says.

    Overrides Scrapy's `_parse_robots` and `_robots_error` (private, Scrapy 2.19); the fault tests
    catch a Scrapy upgrade that changes them."""

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._refuse(netloc, f"robots.txt of {netloc} answered {response.status}: site skipped tonight")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # e.g. robots.txt redirected off-site: no rules
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._refuse(netloc, f"robots.txt of {netloc} not reachable ({describe_exception(exc)}): site skipped tonight")

    def _refuse(self, netloc: str, reason: str) -> None:
        record_fault(self.crawler, "robots_unavailable", reason)
        set_site_error(self.crawler, reason)
        waiting = self._parsers[netloc]
        refused = _Refused(reason)
        self._parsers[netloc] = refused
        waiting.callback(refused)  # type: ignore[union-attr]

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, _Refused):
            self._stats.inc_value("sdcrawl/skipped/robots_unavailable")
            raise Refused("robots_unavailable", rp.reason)
        super().process_request_2(rp, request)


# --- what the retries could not fix --------------------------------------------------------------
_EXCEPTION_KINDS: list[tuple[tuple[type[BaseException], ...], str, str]] = [
    ((DownloadTimeoutError, TimeoutError), "timeout", "timed out"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "connection_refused", "connection refused"),
    ((CannotResolveHostError, DNSLookupError), "dns", "host name does not resolve (DNS)"),
    ((ResponseDataLossError,), "data_loss", "incomplete body (connection cut, body shorter than announced, or broken chunks)"),
    ((DownloadCancelledError,), "too_large", "body over DOWNLOAD_MAXSIZE"),
    ((DownloadFailedError,), "broken_response", "broken response (reset, bad chunked encoding, ...)"),
    ((ConnectionLost, ConnectionDone), "connection_lost", "connection lost"),
]


def exception_kind(exc: BaseException) -> tuple[str, str]:
    """(kind, plain words) of a download exception."""
    for types, kind, words in _EXCEPTION_KINDS:
        if isinstance(exc, types):
            return kind, words
    return "download_error", type(exc).__name__


def describe_exception(exc: BaseException) -> str:
    """One line: what went wrong, in plain words (with the exception's own message where the
    words alone do not say enough)."""
    kind, words = exception_kind(exc)
    detail = str(exc).splitlines()[0][:160] if str(exc) else ""
    if detail and kind in ("dns", "broken_response", "connection_lost", "download_error"):
        return f"{words}: {detail}"
    return words


class FaultReportMiddleware:
    """Sits just below the retry middleware, so it sees each request's final outcome: an exception
    the retries gave up on (counted as `sdcrawl/fault/<kind>`), or a response (5xx after the
    retries: `sdcrawl/fault/server_error`; 429: `sdcrawl/fault/rate_limited`).

    When the spider runs out of work it decides whether the site failed as a whole: not one of
    its pages (robots.txt aside) answered below 400 while some failed → `sdcrawl/site_error`. A
    spider with a site_error (set here, by the robots.txt middleware, or by the spider) is closed
    with the finish reason "site_error", so `sdcrawl crawl` exits non-zero."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.reached = False
        self.failures = 0
        self.last_failure = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FaultReportMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        return mw

    def process_response(self, request: Request, response: Response) -> Response | Request:
        if is_robots_request(request):
            return response
        if response.status < 400:
            self.reached = True
            return response
        tries = request.meta.get("retry_times", 0) + 1
        line = f"{request.url}: {response_status_message(response.status)}" + (f" after {tries} tries" if tries > 1 else "")
        if response.status >= 500:
            record_fault(self.crawler, "server_error", line)
        elif response.status == 429:
            record_fault(self.crawler, "rate_limited", line)
        self._failed(line)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):  # robots.txt, off-site, refused redirects: counted where decided
            return None
        kind, _ = exception_kind(exception)
        tries = request.meta.get("retry_times", 0) + 1
        line = f"{request.url}: {describe_exception(exception)}" + (f" (after {tries} tries)" if tries > 1 else "")
        record_fault(self.crawler, kind, line)
        logger.warning("Not fetched: %s", line)
        if not is_robots_request(request):
            self._failed(line)
        return None

    def _failed(self, line: str) -> None:
        self.failures += 1
        self.last_failure = line

    def spider_idle(self, spider: Any) -> None:
        stats = self.crawler.stats
        if not stats.get_value(SITE_ERROR) and not self.reached and self.failures:
            set_site_error(self.crawler, f"no page of the site could be fetched ({self.failures} failed; last: {self.last_failure})")
        if stats.get_value(SITE_ERROR):
            raise CloseSpider("site_error")


# --- Retry-After ----------------------------------------------------------------------------------
def retry_after_seconds(response: Response, now: float | None = None) -> float | None:
    """The wait a Retry-After header asks for (delay-seconds or an HTTP date), or None."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, but a 429 or 503 with Retry-After is retried only after that
    wait (Scrapy retries at once: scrapy/scrapy#3849), bounded by SDCRAWL_RETRY_AFTER_MAX seconds.
    The request being retried waits; other requests of the site keep AutoThrottle's pace."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("SDCRAWL_RETRY_AFTER_MAX", 300.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response) if response.status in (429, 503) else None
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if wait:
            if wait > self.retry_after_max:
                logger.warning("%s asks to wait %.0f s (Retry-After); waiting the maximum, %.0f s",
                               request.url, wait, self.retry_after_max)
                wait = self.retry_after_max
            self.crawler.stats.inc_value("sdcrawl/fault/retry_after")
            self.crawler.stats.max_value("sdcrawl/fault/retry_after_max_wait", round(wait, 1))
            logger.info("%s answered %d with Retry-After: retrying in %.1f s", request.url, response.status, wait)
            await sleep(wait)
        return retry


# --- charsets -------------------------------------------------------------------------------------
BALTIC_LETTERS = re.compile("[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽąęėįųĄĘĖĮŲ]")
_WORD = re.compile(r"[^\W\d_]{3,}")


def looks_baltic(text: str) -> bool:
    """Whether text decoded as windows-1257 reads as Latvian (or Lithuanian): Baltic letters
    inside otherwise Latin words. Cyrillic or Greek bytes decoded as windows-1257 also give
    Baltic letters, but as whole words of them."""
    accented = [w for w in _WORD.findall(text) if not w.isascii()]
    if not accented or not any(BALTIC_LETTERS.search(w) for w in accented):
        return False
    whole = sum(1 for w in accented if not any(c.isascii() for c in w))
    return whole <= 0.3 * len(accented)


def _is_utf8(name: str | None) -> bool:
    try:
        return name is not None and codecs.lookup(name).name == "utf-8"
    except LookupError:
        return False


class CharsetMiddleware:
    """Windows-1257 behind a declared utf-8 (or no declared charset): Latvian sites send it, and
    Scrapy then decodes ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž as U+FFFD (or charset guessing takes
    windows-1250 for it). A body that is not valid utf-8 but is valid windows-1257 and reads as
    Baltic text is decoded as windows-1257 (`sdcrawl/fault/charset_fixed`). A BOM wins over the
    header (Scrapy already does so); a page declared in another charset is left as declared.
    A declared-utf-8 body that is neither keeps its U+FFFD (`sdcrawl/fault/charset_invalid`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        body = response.body
        if read_bom(body)[0]:
            return response
        header = http_content_type_encoding(response.headers.get(b"Content-Type", b"").decode("latin-1"))
        declared = header or html_body_declared_encoding(body)
        if declared is not None and not _is_utf8(declared):
            return response
        try:
            body.decode("utf-8")
            return response
        except UnicodeDecodeError:
            pass
        try:
            text = body.decode("cp1257")
        except UnicodeDecodeError:
            text = None
        if text is not None and looks_baltic(text):
            self.crawler.stats.inc_value("sdcrawl/fault/charset_fixed")
            logger.info("%s: declared %s, but the bytes are windows-1257; decoded as such", response.url, declared or "no charset")
            return response.replace(encoding="cp1257")
        if declared is not None:
            record_fault(self.crawler, "charset_invalid", f"{response.url}: not valid {declared}; bad bytes become U+FFFD")
        return response


# --- markup ---------------------------------------------------------------------------------------
_STRAY_END = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)
_TRAILING = re.compile(rb"(?:\s|<!--.*?-->|</(?:html|body)\s*>)*\Z", re.IGNORECASE | re.DOTALL)  # only the end follows


class MarkupRepairMiddleware:
    """A stray </html> or </body> halfway through a page (a CMS template that closes the page
    and goes on writing): browsers ignore it, but lxml's HTML parser (libxml2 2.14, used by
    parsel for listings and by sdcrawl's extraction) drops everything after it, so an article
    would lose its second half and a listing its older entries. Such end tags before the end of
    the page are removed (`sdcrawl/fault/stray_end_tag`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MarkupRepairMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, HtmlResponse) or not _ascii_compatible(response):
            return response
        body = response.body
        for match in _STRAY_END.finditer(body):
            if not _TRAILING.match(body, match.end()):
                self.crawler.stats.inc_value("sdcrawl/fault/stray_end_tag")
                logger.info("%s: a </html> or </body> before the end of the page; removed", response.url)
                return response.replace(body=_STRAY_END.sub(b"", body))
        return response


def _ascii_compatible(response: TextResponse) -> bool:
    try:
        return codecs.lookup(response.encoding).name not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
    except LookupError:
        return True


# --- XML --------------------------------------------------------------------------------------------
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE\s[^\[>]*\[(?:[^\]\"']|\"[^\"]*\"|'[^']*')*\]\s*>", re.IGNORECASE | re.DOTALL)
_PROLOG_LIMIT = 64 * 1024


class XmlDoctypeMiddleware:
    """A DOCTYPE with an internal subset (entity declarations: billion laughs, external
    entities) in a feed or sitemap is removed before anything parses the body. parsel and
    Scrapy's sitemap reader already refuse to expand entities, but lxml then gives up on the
    whole document and the feed's real entries are lost without a word; without the DOCTYPE the
    undeclared references are dropped and the entries read (`sdcrawl/fault/xml_doctype`).
    Feeds and sitemaps never need a DTD; HTML doctypes have no internal subset and are kept."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> XmlDoctypeMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        head = response.body[:_PROLOG_LIMIT]
        match = _DOCTYPE_SUBSET.search(head)
        if match is None or b"<!ENTITY" not in match.group(0).upper():
            return response
        record_fault(self.crawler, "xml_doctype", f"{response.url}: a DOCTYPE declaring entities (removed, nothing expanded)")
        logger.warning("%s: a DOCTYPE declaring entities; removed before parsing", response.url)
        return response.replace(body=response.body[: match.start()] + response.body[match.end():])


# --- compressed bodies ----------------------------------------------------------------------------
_CHUNK = 64 * 1024


class _StreamProblem(Exception):
    def __init__(self, kind: str, words: str) -> None:
        super().__init__(words)
        self.kind = kind


def check_compressed(body: bytes, encoding: bytes, max_size: int) -> None:
    """Decompress `body` in chunks, keeping nothing, and raise _StreamProblem: "too_large" past
    max_size, "truncated" when the stream ends before its end marker (Scrapy's decoders return
    what they could read of such a body, which would become a partial page), "bad_encoding" when
    it is not such a stream at all."""
    size = 0

    def grow(n: int) -> None:
        nonlocal size
        size += n
        if max_size and size > max_size:
            raise _StreamProblem("too_large", f"more than DOWNLOAD_MAXSIZE ({max_size} B) once decompressed")

    if encoding in (b"gzip", b"x-gzip", b"deflate"):
        data = body
        wbits = 31 if encoding != b"deflate" else 15
        while data:
            d = zlib.decompressobj(wbits)
            try:
                grow(len(d.decompress(data, _CHUNK)))
                while d.unconsumed_tail and not d.eof:
                    grow(len(d.decompress(d.unconsumed_tail, _CHUNK)))
                if not d.eof:
                    grow(len(d.flush()))
            except zlib.error as exc:
                if encoding == b"deflate" and wbits == 15 and data is body:
                    wbits = -15  # raw deflate, as some servers send (Scrapy accepts it too)
                    continue
                raise _StreamProblem("bad_encoding", f"not a valid {encoding.decode()} stream ({exc})") from None
            if not d.eof:
                raise _StreamProblem("truncated", f"{encoding.decode()} stream cut short after {size} B")
            data = d.unused_data if d.unused_data[:2] == b"\x1f\x8b" else b""  # another gzip member
    elif encoding == b"br":
        try:
            import brotli
        except ImportError:  # pragma: no cover - brotli is a dependency of Scrapy
            import brotlicffi as brotli
        d = brotli.Decompressor()
        try:
            grow(len(d.process(body, output_buffer_limit=_CHUNK)))
            while not d.is_finished():
                chunk = d.process(b"", output_buffer_limit=_CHUNK)
                if not chunk:
                    break
                grow(len(chunk))
        except brotli.error as exc:
            raise _StreamProblem("bad_encoding", f"not a valid br stream ({exc})") from None
        if not d.is_finished():
            raise _StreamProblem("truncated", f"br stream cut short after {size} B")


class BoundedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, plus: a gzip/deflate/brotli body whose stream is cut short is
    refused (`sdcrawl/fault/truncated`) instead of becoming a partial page, as is one that is not
    such a stream at all (`sdcrawl/fault/bad_encoding`), and a body refused at
    DOWNLOAD_MAXSIZE during decompression is counted (`sdcrawl/fault/too_large`). zstd bodies are
    left to Scrapy, which keeps what it can read of a truncated one."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if request.method != "HEAD" and response.body:
            codings = [c.strip().lower() for h in response.headers.getlist("Content-Encoding") for c in h.split(b",")]
            codings = [c for c in codings if c and c != b"identity"]
            if len(codings) == 1:
                max_size = request.meta.get("download_maxsize", self._max_size)
                try:
                    check_compressed(response.body, codings[0], max_size)
                except _StreamProblem as problem:
                    line = f"{response.url}: {problem} ({len(response.body)} B received)"
                    record_fault(self.crawler, problem.kind, line)
                    (logger.warning if problem.kind == "too_large" else logger.error)("Refused %s", line)
                    raise Refused(problem.kind, line) from None
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            record_fault(self.crawler, "too_large", f"{response.url}: more than DOWNLOAD_MAXSIZE once decompressed")
            raise

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedHttpCompressionMiddleware:
        mw = super().from_crawler(crawler)
        mw.crawler = crawler
        return mw


# --- redirects ------------------------------------------------------------------------------------
def address_kind(address: str) -> str | None:
    """'loopback', 'link-local', 'private', ... for an address a crawler must not be sent to; None
    for a public one. Raises ValueError for a host name."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    for flag in ("is_loopback", "is_link_local", "is_unspecified", "is_multicast", "is_private", "is_reserved"):
        if getattr(ip, flag):
            return flag.removeprefix("is_").replace("_", "-")
    return None


class _RedirectChecks:
    """The checks both redirect middlewares apply to the request a redirect leads to."""

    crawler: Crawler

    def _setup_checks(self, settings: Any) -> None:
        self._open_hosts = {h.lower() for h in settings.getdict("SDCRAWL_LOOPBACK_HOSTS")}
        self._open_hosts.update(h.lower() for h in settings.getlist("SDCRAWL_ALLOW_PRIVATE_HOSTS"))
        self._host_problems: dict[str, str | None] = {}

    async def _host_problem(self, url: str) -> str | None:
        """Why a redirect to `url` must not be followed because of where its host is, or None."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host or host in self._open_hosts:
            return None
        if host not in self._host_problems:
            try:
                kind = address_kind(host)
                problem = f"{host} is a {kind} address" if kind else None
            except ValueError:  # a name: what does it resolve to?
                try:
                    infos = await run_in_thread(socket.getaddrinfo, host, parts.port or 80, 0, socket.SOCK_STREAM)
                except (OSError, UnicodeError):
                    problem = None  # does not resolve: the download itself fails and says so
                else:
                    kinds = [(info[4][0], address_kind(info[4][0])) for info in infos]
                    problem = next((f"{host} resolves to {a}, a {k} address" for a, k in kinds if k), None)
            self._host_problems[host] = problem
        return self._host_problems[host]

    async def _check(self, redirected: Request, request: Request) -> Request:
        chain = [*redirected.meta.get("redirect_urls", []), redirected.url]
        if redirected.url.split("#")[0] in {u.split("#")[0] for u in chain[:-1]}:
            line = " -> ".join(chain)
            record_fault(self.crawler, "redirect_loop", line)
            logger.error("Redirect loop, not followed: %s", line)
            raise Refused("redirect_loop", line)
        if problem := await self._host_problem(redirected.url):
            line = f"{request.url} -> {redirected.url}: {problem}"
            record_fault(self.crawler, "redirect_blocked", line)
            logger.warning("Redirect blocked: %s", line)
            raise Refused("redirect_blocked", line)
        return redirected


class SafeRedirectMiddleware(_RedirectChecks, RedirectMiddleware):
    """Scrapy's redirects, plus: a redirect to a non-http(s) scheme (file:, ftp:, ...) is refused
    with a reason (Scrapy passes the 3xx on, and it vanishes as an HTTP error); a redirect to a
    private, loopback or link-local address is refused (hosts of SDCRAWL_LOOPBACK_HOSTS and
    SDCRAWL_ALLOW_PRIVATE_HOSTS excepted); a redirect back to an address already in the chain is
    a loop and ends with a reason (Scrapy's duplicate filter drops it silently: scrapy/scrapy#1225);
    more than REDIRECT_MAX_TIMES redirects are reported. Counted as `sdcrawl/fault/redirect_blocked`,
    `redirect_loop`, `redirect_max`.

    The address check resolves the name when the redirect is followed; a DNS answer that changes
    between the check and the download (DNS rebinding) is not caught."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self._setup_checks(settings)

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
            raise Refused("redirect_max", line) from None
        if isinstance(result, Request):
            return await self._check(result, request)
        if result is response and 300 <= response.status < 400 and b"Location" in response.headers:
            target = urljoin(request.url, safe_url_string(response.headers[b"Location"]))
            scheme = urlsplit(target).scheme
            if scheme not in ("http", "https") and not request.meta.get("dont_redirect") and not request.meta.get("handle_httpstatus_all"):
                line = f"{request.url} -> {target}: scheme {scheme or '(none)'}: is not http(s)"
                record_fault(self.crawler, "redirect_blocked", line)
                logger.warning("Redirect blocked: %s", line)
                raise Refused("redirect_blocked", line)
        return result


class SafeMetaRefreshMiddleware(_RedirectChecks, MetaRefreshMiddleware):
    """Scrapy's <meta http-equiv=refresh> redirects, with the same loop and address checks."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self._setup_checks(settings)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            return await self._check(result, request)
        return result
