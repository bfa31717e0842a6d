"""Bytes of a page to the text extraction reads: the "is this HTML at all" check and decoding.

`sdcrawl extract` and the benchmarks call this one function, so that what counts as HTML is
decided in one place.
"""

from __future__ import annotations

import re

__all__ = ["NotHTML", "decode_html", "looks_like_html"]


class NotHTML(ValueError):
    """The bytes are not an HTML page or fragment (a text, JSON or PDF file)."""


_HTML_START = re.compile(
    rb"<(!doctype html|html|head|body|!--|meta|title|div|p|article|main|section|h[1-6])[\s>/]"
)


def looks_like_html(body: bytes) -> bool:
    """True when the bytes begin like an HTML page or fragment."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return _HTML_START.match(head) is not None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page as text, decoded as a browser would (HTTP charset, BOM, <meta charset>, then a
    guess); raises NotHTML when the bytes do not begin like HTML."""
    from w3lib.encoding import html_to_unicode

    if not looks_like_html(body):
        raise NotHTML("not HTML")
    _, text = html_to_unicode(content_type, body)
    return text
