"""The third extraction layer: generic extraction for a page of any site.

The body comes from trafilatura, the title from the page's main <h1>. The publication date comes
from, in order: a short date line next to the title (how Latvian municipal sites show it:
'06/12/2012', '22.04.2013 0', 'Publicēts 26.03.2019'), htmldate restricted to the page's markup
(extensive_search=False), a full date in the URL, and only when all of these found nothing,
htmldate's search of the page's text (extensive_search=True). Dates in footers ('Lapas
informācija atjaunota'), sidebars and widgets, page headers and related-post lists are never
taken for the publication date; a widget or sidebar that holds the article itself (Blogger puts
every post in `div.widget.Blog`) is not page chrome.

A publication date must be plausible: not before PUBLISHED_MIN (1995-01-01: no web page of a
Latvian municipality, nor htmldate's own default floor, is older) and not after the day of the
extraction plus FUTURE_TOLERANCE (one day, for time zones ahead of the crawler's). An impossible
calendar date ('30.02.2024', '31.04.2024', '01.01.0001') is no date: htmldate would take its month
and year for the 1st of the month, so when htmldate answers with a 1st, every impossible or
implausible numeric date is blanked out of the copy of the page it reads and it is asked again
(only then: looking for them on every page would cost more than the rest of the date search).
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta

from sdcrawl.extract.dates import UPDATED_MARKER, parse_date
from sdcrawl.extract.html import element_text, inline_text

logger = logging.getLogger(__name__)

OUTSIDE_ARTICLE = {"header", "footer", "nav", "aside"}
DATE_LINE_MAX = 60      # a date line is short ...
BODY_LINE_MIN = 120     # ... and the article has begun once a line is this long
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|$|-)")
PUBLISHED_MIN = date(1995, 1, 1)
FUTURE_TOLERANCE = timedelta(days=1)


def plausible_date(d: date | None, today: date | None = None) -> bool:
    """A publication (or change) date a page can really have: from PUBLISHED_MIN to tomorrow."""
    if d is None:
        return False
    today = today or datetime.now().date()
    return PUBLISHED_MIN <= d <= today + FUTURE_TOLERANCE


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


# Page chrome: its dates belong to other pages. One XPath finds the candidates (a class attribute
# that mentions one of the words); their class tokens are checked in Python.
PAGE_CHROME = ("//aside | //nav | //footer[not(ancestor::article)] | //header[not(ancestor::article)]"
               " | //*[contains(@class, 'sidebar') or contains(@class, 'widget') or contains(@class, 'related')]")
CHROME_CLASSES = frozenset({"sidebar", "widget-area", "widget"})
ARTICLE_MARKS = (".//h1 | .//article | .//*[contains(@class, 'hentry') or contains(@class, 'post')]")
ARTICLE_CLASSES = frozenset({"hentry", "post-body", "post"})

# Numeric dates as pages write them: day.month.year (also with / or -), year-month-day.
_DMY = re.compile(r"(?<![\d.\-/])(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?![\d\-/]|\.\d)")
_YMD = re.compile(r"(?<![\d.\-/])(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?![\d\-/]|\.\d)")


_CANDIDATE = re.compile(r"\d[./-]\d{1,2}[./-]\d|\d{4}[./-]\d")  # a cheap first look


def _bad_date(latest: date, *ymd_orders: tuple[str, str, str]) -> bool:
    """True when no reading of the numbers is a real calendar date from PUBLISHED_MIN to latest
    (day.month.year is also read as month/day/year, as American pages write it)."""
    for year, month, day in ymd_orders:
        try:
            d = date(int(year), int(month), int(day))
        except ValueError:
            continue
        return not (PUBLISHED_MIN <= d <= latest)
    return True


def _blank_bad_dates(text: str, latest: date) -> str:
    """The text with impossible, too old or future numeric dates replaced by spaces."""
    if _CANDIDATE.search(text) is None:
        return text

    def dmy(m):
        bad = _bad_date(latest, (m.group(4), m.group(3), m.group(1)), (m.group(4), m.group(1), m.group(3)))
        return " " * len(m.group(0)) if bad else m.group(0)

    def ymd(m):
        return " " * len(m.group(0)) if _bad_date(latest, (m.group(1), m.group(3), m.group(4))) else m.group(0)

    return _YMD.sub(ymd, _DMY.sub(dmy, text))


def _without_bad_dates(tree, latest: date) -> bool:
    """Blank impossible, too old and future numeric dates in the tree's text and date-bearing
    attributes (scripts and styles aside, JSON-LD included); True when any was blanked."""
    changed = False

    def blank(value: str) -> str:
        nonlocal changed
        new = _blank_bad_dates(value, latest)
        changed = changed or new != value
        return new

    for el in tree.iter():
        if el.tag in ("script", "style") and el.get("type") != "application/ld+json":
            if el.tail:
                el.tail = blank(el.tail)
            continue
        if el.text:
            el.text = blank(el.text)
        if el.tail:
            el.tail = blank(el.tail)
        if isinstance(el.tag, str):
            for attr in ("content", "datetime", "title", "value"):
                if (v := el.get(attr)) is not None:
                    el.set(attr, blank(v))
    return changed


def _article_marks(root) -> list:
    """The elements that are the article itself: its <h1>s, <article>s, a blog's post bodies."""
    return [el for el in root.xpath(ARTICLE_MARKS)
            if el.tag in ("h1", "article") or ARTICLE_CLASSES & set((el.get("class") or "").split())]


def holds_article(el) -> bool:
    """True when the element contains the article itself (its <h1>, an <article>, or a blog's
    post body), so that it is not page chrome even when its class names a widget."""
    return bool(_article_marks(el))


def _chrome(tree) -> list:
    """The page-chrome elements of the tree that do not hold the article."""
    article_ancestors = {anc for mark in _article_marks(tree) for anc in mark.iterancestors()}
    out = []
    for el in tree.xpath(PAGE_CHROME):
        if el.tag not in ("aside", "nav", "footer", "header"):
            classes = el.get("class") or ""
            if not (CHROME_CLASSES & set(classes.split()) or "related" in classes):
                continue
        if el not in article_ancestors:
            out.append(el)
    return out


def dating_tree(doc, today: date | None = None):
    """A copy of the page for date search: page chrome removed (sidebars, widgets, navigation,
    page header and footer, related-post lists: their dates belong to other pages), unless it
    holds the article."""
    from copy import deepcopy

    tree = deepcopy(doc)
    for el in _chrome(tree):
        if el.getparent() is not None:
            el.drop_tree()
    return tree


def _htmldate(tree, url: str, today: date | None, extensive: bool) -> date | None:
    from htmldate import find_date

    latest = (today or datetime.now().date()) + FUTURE_TOLERANCE
    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=extensive, outputformat="%Y-%m-%d",
                          min_date=datetime.combine(PUBLISHED_MIN, datetime.min.time()),
                          max_date=datetime.combine(latest, datetime.min.time()))
    except Exception as exc:  # htmldate raises on odd markup; a missing date is handled upstream
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
    d = date.fromisoformat(found) if found else None
    # htmldate reads '30.02.2024' as February 2024 and dates it the 1st ('01.01.0001' as 2001-01-01):
    # a 1st is checked, and found again with every impossible or implausible date blanked out
    if d is not None and d.day == 1 and _without_bad_dates(tree, latest):
        return _htmldate(tree, url, today, extensive)
    return d if plausible_date(d, today) else None


def date_from_markup(doc, url: str, *, today: date | None = None, tree=None) -> date | None:
    """htmldate on the page's markup only (no guessing from free text), on dating_tree(doc)."""
    return _htmldate(dating_tree(doc, today) if tree is None else tree, url, today, extensive=False)


def date_from_text(doc, url: str, *, today: date | None = None, tree=None) -> date | None:
    """htmldate's search of the page's text as well (extensive_search=True), on dating_tree(doc):
    the last resort, for pages whose markup carries no date."""
    return _htmldate(dating_tree(doc, today) if tree is None else tree, url, today, extensive=True)


def date_layers(doc, url: str, today: date | None = None):
    """The generic layer's publication-date finders, in order, as (provenance, function) pairs:
    the date line by the title, htmldate on the markup, the URL, htmldate's text search. The
    copy of the page htmldate reads is made once, when first needed."""
    cache: list = []

    def tree():
        if not cache:
            cache.append(dating_tree(doc, today))
        return cache[0]

    return (
        ("generic", lambda: date_near_title(doc)),
        ("generic", lambda: date_from_markup(doc, url, today=today, tree=tree())),
        ("url", lambda: date_from_url(url)),
        ("generic", lambda: date_from_text(doc, url, today=today, tree=tree())),
    )


def local_date_from_url(published: date, url: str) -> date | None:
    """The URL's full date when it is the day before or after a metadata date: the same moment,
    written in UTC in the metadata and in the publisher's own time in the address."""
    d = date_from_url(url)
    return d if d is not None and abs((d - published).days) == 1 else None


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


def body_text(html: str, url: str, doc=None) -> str | None:
    """The article's main text by trafilatura: paragraphs separated by a blank line, its line
    breaks (<lb/>) kept as single newlines (its txt output would not tell the two apart), a table
    row as one line with its cells separated by ' | '."""
    from copy import deepcopy

    import trafilatura
    from lxml import etree

    # given the page already parsed, trafilatura works on a copy of that tree (it changes the tree
    # it is given) instead of parsing the page a second time: a copy costs a fraction of a parse
    xml = trafilatura.extract(
        html if doc is None else deepcopy(doc), url=url, include_comments=False, include_tables=True, include_images=False,
        include_links=False, favor_precision=True, deduplicate=False, output_format="xml",
    )
    if not xml:
        return None
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = root.find("main")
    if main is None:
        return None
    for el in main.iter("cell"):
        # cells of a row as one line, 'Datums | Vieta', never run together as 'DatumsVieta'
        nxt = el.getnext()
        if nxt is not None and nxt.tag == "cell" and "".join(el.itertext()).strip() and "".join(nxt.itertext()).strip():
            el.tail = " | "
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
