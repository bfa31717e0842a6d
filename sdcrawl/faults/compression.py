"""Scrapy's decompression, plus: a gzip/deflate/brotli body whose stream is cut short is refused
(`sdcrawl/fault/truncated`) instead of becoming a partial page, as is one that is not such a
stream at all (`sdcrawl/fault/bad_encoding`), and a body refused at DOWNLOAD_MAXSIZE during
decompression is counted (`sdcrawl/fault/too_large`). zstd bodies are left to Scrapy, which keeps
what it can read of a truncated one.

Scrapy's own decoders return what they could read of a cut stream, and have no public check for
it, so `check_compressed` walks the stream first (in 64 KiB steps, keeping nothing, so a bomb
costs no memory); Scrapy then decompresses the bodies that pass.
"""

from __future__ import annotations

import logging
import zlib
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest

from sdcrawl.faults.outcome import Refused, record_fault

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024


class StreamProblem(Exception):
    """What `check_compressed` found wrong; `kind` is "too_large", "truncated" or "bad_encoding"."""

    def __init__(self, kind: str, words: str) -> None:
        super().__init__(words)
        self.kind = kind


def check_compressed(body: bytes, encoding: bytes, max_size: int) -> None:
    """Decompress `body` in chunks, keeping nothing, and raise StreamProblem: "too_large" past
    max_size, "truncated" when the stream ends before its end marker, "bad_encoding" when it is
    not such a stream at all. Encodings other than gzip, x-gzip, deflate and br pass."""
    size = 0

    def grow(n: int) -> None:
        nonlocal size
        size += n
        if max_size and size > max_size:
            raise StreamProblem("too_large", f"more than DOWNLOAD_MAXSIZE ({max_size} B) once decompressed")

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
                raise StreamProblem("bad_encoding", f"not a valid {encoding.decode()} stream ({exc})") from None
            if not d.eof:
                raise StreamProblem("truncated", f"{encoding.decode()} stream cut short after {size} B")
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
            raise StreamProblem("bad_encoding", f"not a valid br stream ({exc})") from None
        if not d.is_finished():
            raise StreamProblem("truncated", f"br stream cut short after {size} B")


def content_codings(response: Response) -> list[bytes]:
    """The response's Content-Encoding values, lowercased, without "identity"."""
    codings = [c.strip().lower() for h in response.headers.getlist("Content-Encoding") for c in h.split(b",")]
    return [c for c in codings if c and c != b"identity"]


class BoundedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """`check_compressed` on a body with one content coding, then Scrapy's decompression."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoundedHttpCompressionMiddleware:
        mw = super().from_crawler(crawler)
        mw.crawler = crawler
        return mw

    def max_size(self, request: Request) -> int:
        """DOWNLOAD_MAXSIZE, or the request's own `download_maxsize`."""
        return request.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def process_response(self, request: Request, response: Response, spider: object = None) -> Request | Response:
        if request.method != "HEAD" and response.body:
            codings = content_codings(response)
            if len(codings) == 1:
                try:
                    check_compressed(response.body, codings[0], self.max_size(request))
                except StreamProblem as problem:
                    line = f"{response.url}: {problem} ({len(response.body)} B received)"
                    record_fault(self.crawler, problem.kind, line)
                    (logger.warning if problem.kind == "too_large" else logger.error)("Refused %s", line)
                    raise Refused(problem.kind, line, str(problem)) from None
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            record_fault(self.crawler, "too_large", f"{response.url}: more than DOWNLOAD_MAXSIZE once decompressed")
            raise Refused("too_large", f"{response.url}: more than DOWNLOAD_MAXSIZE once decompressed",
                          "more than DOWNLOAD_MAXSIZE once decompressed") from None
