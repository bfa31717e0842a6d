"""Bytes of a page to the text extraction reads: the "is this HTML at all" check and decoding.

`sdcrawl extract` and the benchmarks call this one function, so that what counts as HTML is
decided in one place.
"""

from __future__ import annotations

import re

__all__ = ["NotHTML", "decode_html", "looks_like_html"]


class NotHTML(ValueError):
    """The bytes are not an HTML page or fragment (a text, JSON or PDF file)."""


# What may stand before a page's first element: an XML declaration, a doctype, comments
# (conditional comments such as '<!--[if !IE]> ... <![endif]-->' included) and whitespace.
_PROLOGUE = re.compile(r"(?:\s+|<\?[^>]*>|<!--.*?-->|<!doctype[^>]*>)*", re.IGNORECASE | re.DOTALL)
_DOCTYPE_HTML = re.compile(r"<!doctype\s+html", re.IGNORECASE)
_FIRST_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>/]")
# The elements an HTML page or fragment may begin with (every element of the HTML standard that
# can stand in a document, lower-cased). A PHP warning printed before the page begins with <br />
# or <b>, a page served from a cache with <script> or <style>: all of them are HTML.
HTML_ELEMENTS = frozenset(
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption "
    "center cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset "
    "figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i "
    "iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol "
    "optgroup option output p param picture pre progress q rp rt ruby s samp script search section "
    "select small source span strong style sub summary sup table tbody td template textarea tfoot th "
    "thead time title tr track u ul var video wbr".split()
)
_WINDOW = 65536  # characters looked at: a prologue longer than this is not a page's


def looks_like_html(text: str) -> bool:
    """True when the text begins like an HTML page or fragment: after an optional XML
    declaration, doctype and comments, either the doctype says html or the first element is an
    HTML one. A text, JSON, PDF or Markdown file, and an XML document whose root is not HTML
    (an RSS feed, a sitemap), are not HTML."""
    head = text[:_WINDOW].lstrip("\ufeff")
    prologue = _PROLOGUE.match(head)
    if _DOCTYPE_HTML.search(prologue.group(0)):
        return True
    first = _FIRST_TAG.match(head, prologue.end())
    return first is not None and first.group(1).lower() in HTML_ELEMENTS


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page as text, decoded as a browser would (HTTP charset, BOM, <meta charset>, then a
    guess); raises NotHTML when the bytes do not begin like HTML."""
    from w3lib.encoding import html_to_unicode

    _, text = html_to_unicode(content_type, body)
    if not looks_like_html(text):
        raise NotHTML("not HTML")
    return text
