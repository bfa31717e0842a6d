"""The third extraction layer: generic extraction for a page of any site.

The body comes from trafilatura, the title from the page's main <h1>. The publication date comes
from, in order: a short date line next to the title (how Latvian municipal sites show it:
'06/12/2012', '22.04.2013 0', 'Publicēts 26.03.2019'), htmldate restricted to the page's markup
(extensive_search=False, so it never guesses from running text), and a full date in the URL.
Dates in footers ('Lapas informācija atjaunota'), sidebars, headers and the article's own text
are never taken for the publication date.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from sdcrawl.extract.dates import UPDATED_MARKER, parse_date
from sdcrawl.extract.html import element_text, inline_text

logger = logging.getLogger(__name__)

OUTSIDE_ARTICLE = {"header", "footer", "nav", "aside"}
DATE_LINE_MAX = 60      # a date line is short ...
BODY_LINE_MIN = 120     # ... and the article has begun once a line is this long
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|$|-)")


def main_heading(doc):
    """The article's <h1>: the first one outside header/nav/aside/footer, preferring one in <article>/<main>."""
    candidates = [h for h in doc.iter("h1") if inline_text(h)]
    inside = [h for h in candidates if not any(a.tag in OUTSIDE_ARTICLE for a in h.iterancestors())]
    preferred = [h for h in inside if any(a.tag in ("article", "main") for a in h.iterancestors())]
    for group in (preferred, inside, candidates):
        if group:
            return group[0]
    return None


def _container(h1):
    """The nearest ancestor of the heading that holds the article text as well."""
    for anc in h1.iterancestors():
        if anc.tag in ("body", "html"):
            return anc
        if len(inline_text(anc)) >= 400:
            return anc
    return h1.getparent()


def date_near_title(doc) -> date | None:
    """A short date line just after the title (or just before it, within the title's own block)."""
    h1 = main_heading(doc)
    if h1 is None:
        return None
    title = inline_text(h1)
    lines = element_text(_container(h1)).split("\n")
    try:
        at = next(i for i, line in enumerate(lines) if line.strip() == title)
    except StopIteration:
        return None
    for line in lines[at + 1 : at + 8]:
        line = line.strip()
        if len(line) >= BODY_LINE_MIN:
            break
        if len(line) <= DATE_LINE_MAX and not UPDATED_MARKER.search(line) and (d := parse_date(line)):
            return d
    # a date above the title counts only inside the title's own block (never the page header)
    block_lines = element_text(h1.getparent()).split("\n")
    if title in (l.strip() for l in block_lines):
        i = [l.strip() for l in block_lines].index(title)
        for line in reversed(block_lines[max(0, i - 2) : i]):
            line = line.strip()
            if len(line) <= DATE_LINE_MAX and not UPDATED_MARKER.search(line) and (d := parse_date(line)):
                return d
    return None


PAGE_CHROME = ("//aside | //nav | //footer[not(ancestor::article)] | //header[not(ancestor::article)]"
               " | //*[contains(concat(' ', normalize-space(@class), ' '), ' sidebar ')]"
               " | //*[contains(concat(' ', normalize-space(@class), ' '), ' widget-area ')]"
               " | //*[contains(concat(' ', normalize-space(@class), ' '), ' widget ')]")


def date_from_markup(doc, url: str) -> date | None:
    """htmldate on the page's markup only (no guessing from free text), with the page's chrome
    (sidebars, widgets, navigation, page header and footer) removed first: their dates belong to
    other pages."""
    from copy import deepcopy

    from htmldate import find_date

    tree = deepcopy(doc)
    for el in tree.xpath(PAGE_CHROME):
        if el.getparent() is not None:
            el.drop_tree()
    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception as exc:  # htmldate raises on odd markup; a missing date is handled upstream
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
    return date.fromisoformat(found) if found else None


def date_from_url(url: str) -> date | None:
    m = URL_DATE.search(url)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# trafilatura's XML elements -> HTML ones, so that one converter makes the text of every layer
TRAFILATURA_TAGS = {"lb": "br", "head": "h2", "item": "li", "list": "ul", "quote": "blockquote",
                    "row": "tr", "cell": "span", "hi": "span", "ref": "span", "main": "div", "doc": "div"}


def body_text(html: str, url: str) -> str | None:
    """The article's main text by trafilatura: paragraphs separated by a blank line, its line
    breaks (<lb/>) kept as single newlines (its txt output would not tell the two apart)."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=True, include_images=False,
        include_links=False, favor_precision=True, deduplicate=False, output_format="xml",
    )
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = root.find("main")
    if main is None:
        return None
    for el in main.iter():
        if isinstance(el.tag, str):
            el.tag = TRAFILATURA_TAGS.get(el.tag, el.tag)
    return element_text(main) or None


def title_text(doc) -> str | None:
    h1 = main_heading(doc)
    if h1 is not None:
        return inline_text(h1)
    titles = doc.xpath("//title/text()")
    if titles:
        # "Article title | Site name" -> "Article title"
        return re.split(r"\s+[|–—-]\s+", titles[0].strip())[0] or None
    return None
