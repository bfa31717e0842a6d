"""What discovery reads in a page's elements: where an element sits (its place, whether it is
the page's chrome), the date an element shows, and the page's links that may be articles.

Shared by listing detection, CSS synthesis and pagination.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from sdcrawl.extract.dates import UPDATED_MARKER, parse_date
from sdcrawl.extract.html import inline_text
from sdcrawl.sources.urls import is_file, same_site, site_root

__all__ = ["DATE_TEXT_MAX", "STATE_CLASSES", "base_url", "candidate_links", "date_in", "in_chrome", "norm", "place", "step"]

DATE_TEXT_MAX = 40     # a date in a listing entry or next to a title is a short piece of text
# Classes that say where an element is or what state it is in, not what it is: left out of a
# link's place so that `news odd`, `news even`, `news-item pinned` stay one group.
STATE_CLASSES = frozenset("odd even first last active current selected sticky pinned featured clearfix row "
                          "in open hidden visible show fade new hot top".split())
CHROME_TAGS = frozenset({"aside", "nav"})
CHROME_TOKEN = re.compile(r"(^|[-_])(sidebar|widget|widgets|menu|submenu|breadcrumbs?|navbar|navigation|nav|footer|banners?|share)([-_]|$)")


def norm(text: str) -> str:
    return " ".join(text.split()).strip()


def base_url(doc, url: str) -> str:
    """The URL relative links of the page are resolved against (its `<base href>`, else its own)."""
    base = doc.xpath("//base/@href")
    return urljoin(url, base[0].strip()) if base else url


def step(el) -> str:
    """One element of a link's place: tag, id and the first class that says what it is."""
    tag = el.tag if isinstance(el.tag, str) else "?"
    out = tag.lower()
    ident = (el.get("id") or "").strip()
    if ident and not re.search(r"\d", ident):
        out += "#" + ident
    for cls in (el.get("class") or "").split():
        if not re.search(r"\d", cls) and cls.lower() not in STATE_CLASSES:
            out += "." + cls
            break
    return out


def place(el) -> str:
    """Where an element is: the steps of its ancestors below <body>, outermost first."""
    chain = [e for e in [el, *el.iterancestors()] if isinstance(e.tag, str) and e.tag not in ("html", "body")]
    return " > ".join(step(e) for e in reversed(chain))


def in_chrome(el) -> bool:
    """Whether an element sits in the page's chrome: aside, nav, a page header or footer, or an
    element whose class or id names a sidebar, widget, menu or breadcrumbs."""
    in_article = any(a.tag == "article" for a in el.iterancestors())
    for anc in [el, *el.iterancestors()]:
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("body", "html"):  # `<body class="has-sidebar">` says nothing of where the link is
            break
        if tag in CHROME_TAGS or (tag in ("header", "footer") and not in_article):
            return True
        tokens = (anc.get("class") or "").lower().split() + (anc.get("id") or "").lower().split()
        if any(CHROME_TOKEN.search(t) for t in tokens):
            return True
    return False


def date_in(el) -> date | None:
    """The date an entry shows: a <time datetime>, else a short piece of text that is a date."""
    for t in el.iter("time"):
        if d := parse_date((t.get("datetime") or "").strip() or inline_text(t)):
            return d
    for text in el.itertext():
        text = " ".join(text.split())
        if 6 <= len(text) <= DATE_TEXT_MAX and not UPDATED_MARKER.search(text) and (d := parse_date(text)):
            return d
    return None


def candidate_links(doc, url: str):
    """(element, absolute URL) of the page's links that may lead to an article: on this site,
    http(s), not a file, not the page itself or the home page."""
    base = base_url(doc, url)
    here = url.split("#")[0]
    root = site_root(url)
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        target = urljoin(base, href).split("#")[0]
        if urlsplit(target).scheme not in ("http", "https") or not same_site(target, url):
            continue
        if target in (here, root) or is_file(target):
            continue
        yield a, target
