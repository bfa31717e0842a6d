"""HTML to plain text with paragraphs kept: the shared helper of every extraction layer."""

from __future__ import annotations

import re

from lxml import html as lxml_html

BLOCK = frozenset(
    "p div section article header footer main aside nav h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table "
    "thead tbody tfoot tr blockquote pre figure figcaption address hr form fieldset details summary".split()
)
SKIP = frozenset("script style noscript template iframe svg button select option input textarea head".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_PARAGRAPHS = re.compile(r"\n[ \t\u00a0]*\n\s*")


# libxml2 (2.14) drops everything after a stray </html> or </body> halfway through a page
_STRAY_END = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)


def parse_html(html: str | bytes):
    """A forgiving lxml tree: unclosed tags and nested forms are tolerated, and end tags of
    <html>/<body> are removed first, so a stray one halfway through loses no text."""
    if isinstance(html, str):
        # lxml refuses str input with an encoding declaration
        html = html.encode("utf-8")
        parser = lxml_html.HTMLParser(encoding="utf-8")
    else:
        parser = None
    return lxml_html.document_fromstring(_STRAY_END.sub(b"", html), parser=parser)


def _flow(text: str, pre: bool) -> str:
    # a newline in the HTML source is a space to a reader; only <br> and blocks break lines
    return text if pre else text.replace("\n", " ")


def _walk(el, parts: list[str], depth: int, pre: bool = False) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else None
    if tag is None or tag in SKIP:  # comments, processing instructions, scripts
        if el.tail:
            parts.append(_flow(el.tail, pre))
        return
    inner_pre = pre or tag == "pre"
    if tag == "br":
        parts.append("\n")
    elif tag in BLOCK:
        parts.append("\n\n")
    if el.text:
        parts.append(_flow(el.text, inner_pre))
    if depth > 400:  # pathological nesting: flatten instead of recursing further
        parts.append(" ".join(el.itertext()))
    else:
        for child in el:
            _walk(child, parts, depth + 1, inner_pre)
    if tag in BLOCK:
        parts.append("\n\n")
    if el.tail:
        parts.append(_flow(el.tail, pre))


def clean_text(text: str) -> str:
    """Collapse spaces within lines, strip lines, one blank line between paragraphs."""
    paragraphs = []
    for block in _PARAGRAPHS.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def element_text(el) -> str:
    """The visible text of an element: paragraphs separated by a blank line, <br> as a newline."""
    parts: list[str] = []
    tail = el.tail
    el.tail = None
    try:
        _walk(el, parts, 0)
    finally:
        el.tail = tail
    return clean_text("".join(parts))


def inline_text(el) -> str:
    """The text of an element as one line."""
    return " ".join("".join(el.itertext()).split())
