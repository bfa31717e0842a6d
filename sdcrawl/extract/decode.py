"""Bytes of a page to text: one decision, used by the crawl (sdcrawl.faults.charset and
sdcrawl.faults.markup apply it to each response) and by `sdcrawl extract` (sdcrawl.tools.extract,
through `decode_page`), so both read a page alike.

The order is Scrapy's — a BOM, then the HTTP header's charset, then <meta>, then a guess — with
one rule added: windows-1257 behind a declared (or no) utf-8. Latvian sites send it, and the
declared utf-8 would turn ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž into U+FFFD (and the guess takes
windows-1250 for it). A body that is not valid utf-8 but is valid windows-1257 and reads as
Baltic text is read as windows-1257. A page declared in another charset is read as declared.

Two repairs follow, on the bytes in the crawl and on the text in `decode_page` (the same
patterns): a stray </html> or </body> halfway through the page is removed (lxml's HTML parser,
libxml2 2.14, drops everything after it), and so is a character reference to a character XML
cannot hold (`&#xFFFF;`, `&#27;`: lxml makes the character, and trafilatura then discards the
article's whole body).

Whether bytes are an HTML page at all is decided here too (`looks_like_html` on the decoded text,
`decode_html` = decode, then that check): `sdcrawl extract` and bench/corpora.py use it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import AnyStr

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

__all__ = ["CharsetCheck", "NotHTML", "check_charset", "decode_html", "decode_page", "looks_baltic", "looks_like_html",
           "remove_control_characters", "remove_invalid_references", "remove_stray_end_tags"]

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


@dataclass(frozen=True)
class CharsetCheck:
    """What `check_charset` found: `declared` is the charset the header (else <meta>) names;
    `windows_1257` that the bytes are windows-1257 behind a declared utf-8 or none; `invalid`
    that they are not valid in the declared utf-8 and not windows-1257 either (bad bytes then
    become U+FFFD)."""

    declared: str | None = None
    windows_1257: bool = False
    invalid: bool = False


def check_charset(body: bytes, content_type: str | None) -> CharsetCheck:
    """The windows-1257-behind-utf-8 check (see the module docstring); a page with a BOM, or
    declared in a charset other than utf-8, is left as it is."""
    if not body or read_bom(body)[0]:
        return CharsetCheck()
    declared = http_content_type_encoding(content_type or "") or html_body_declared_encoding(body)
    if declared is not None and not _is_utf8(declared):
        return CharsetCheck(declared)
    try:
        body.decode("utf-8")
        return CharsetCheck(declared)
    except UnicodeDecodeError:
        pass
    try:
        text = body.decode("cp1257")
    except UnicodeDecodeError:
        text = None
    if text is not None and looks_baltic(text):
        return CharsetCheck(declared, windows_1257=True)
    return CharsetCheck(declared, invalid=declared is not None)


def _patterns(pattern: str, flags: int = 0) -> dict[type, re.Pattern]:
    """One pattern, compiled for bytes (the crawl's bodies) and for text (`decode_page`)."""
    return {bytes: re.compile(pattern.encode("ascii"), flags), str: re.compile(pattern, flags)}


_STRAY_END = _patterns(r"</(?:html|body)\s*>", re.IGNORECASE)
_TRAILING = _patterns(r"(?:\s|<!--.*?-->|</(?:html|body)\s*>)*\Z", re.IGNORECASE | re.DOTALL)  # only the end follows
_CHAR_REF = _patterns(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def remove_stray_end_tags(page: AnyStr) -> AnyStr | None:
    """`page` without its </html> and </body> tags when one of them comes before the end of the
    page; None when there is none. Bytes only in an ASCII-compatible encoding."""
    stray, trailing = _STRAY_END[type(page)], _TRAILING[type(page)]
    for match in stray.finditer(page):
        if not trailing.match(page, match.end()):
            return stray.sub(page[:0], page)
    return None


def _xml_invalid(code: int) -> bool:
    """C0 controls other than tab, newline and carriage return, and U+FFFE, U+FFFF: characters
    XML 1.0 cannot hold and lxml still makes of a reference (other bad ones become U+FFFD)."""
    return (code < 0x20 and code not in (0x9, 0xA, 0xD)) or code in (0xFFFE, 0xFFFF)


_RAW_CONTROL = _patterns("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def remove_control_characters(page: AnyStr) -> AnyStr | None:
    """`page` without raw C0 control characters other than tab and line ends (an ESC byte in a
    title: lxml keeps it, and trafilatura, reading the parsed page, then drops the article's whole
    body); None when it has none. Bytes only in an ASCII-compatible encoding."""
    raw = _RAW_CONTROL[type(page)]
    return raw.sub(page[:0], page) if raw.search(page) else None


def remove_invalid_references(page: AnyStr) -> AnyStr | None:
    """`page` without its character references to XML-invalid characters; None when it has none.
    Bytes only in an ASCII-compatible encoding."""
    found = False

    def drop(match: re.Match) -> AnyStr:
        nonlocal found
        hexa, decimal = match.group(1), match.group(2)
        if _xml_invalid(int(hexa, 16) if hexa else int(decimal)):
            found = True
            return match.group(0)[:0]
        return match.group(0)

    repaired = _CHAR_REF[type(page)].sub(drop, page)
    return repaired if found else None


def decode_page(body: bytes, content_type: str | None = None) -> str:
    """The page's text, as the crawl reads it: windows-1257 where `check_charset` finds it, else
    what Scrapy's HtmlResponse makes of the bytes (a BOM, the header's charset, <meta>, or its
    guess; undecodable bytes become U+FFFD); then the two repairs of the module docstring."""
    from scrapy.http import HtmlResponse

    encoding = "cp1257" if check_charset(body, content_type).windows_1257 else None
    headers = {"Content-Type": content_type} if content_type else None
    text = HtmlResponse("http://localhost/page", body=body, headers=headers, encoding=encoding).text
    text = remove_stray_end_tags(text) or text
    text = remove_control_characters(text) or text
    return remove_invalid_references(text) or text


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
    """The page as text, decoded as the crawl decodes it (`decode_page`); raises NotHTML when
    the text does not begin like HTML."""
    text = decode_page(body, content_type)
    if not looks_like_html(text):
        raise NotHTML("not HTML")
    return text
