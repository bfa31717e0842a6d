"""Pagination: the link from one page of a listing to the next (older) one.

In order: `rel=next`; a link reading `Nākamā`, `Nākošā`, `Vecāki ieraksti`, `Tālāk`, `›`, `»`,
`>` (words before arrows: a lone » sometimes means "last page"); the number after the current
page in a pager; a link to this page with its page parameter (`page`, `paged`, `start`,
`/page/N/`) one step on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from sdcrawl.discover.css import css_path, select
from sdcrawl.discover.markup import base_url, norm
from sdcrawl.extract.html import inline_text, parse_html
from sdcrawl.sources.urls import same_site

__all__ = ["ARROWS", "NextPage", "find_next_page", "next_page"]


@dataclass(frozen=True)
class NextPage:
    url: str
    how: str          # 'rel=next', 'text "Nākamā »"', 'number 2', 'parameter page'
    css: str | None   # a CSS selector whose first match is the link (for a spider)


ARROWS = "»›>→<«‹←|"
NEXT_WORDS = re.compile(r"^(nākam[āa]|nākoš[āa]|nākamā lapa|nākošā lapa|vecāki ieraksti|vecākas ziņas|vecāki raksti|"
                        r"vecākās ziņas|iepriekšējās ziņas|tālāk|next|next page|older posts|older entries|older)$", re.IGNORECASE)
NEXT_ARROWS = ("›", "»", ">", "→", ">>")
PAGE_PARAMS = ("page", "paged", "pg", "lpage", "start", "limitstart", "offset", "lapa")  # not `p`: WordPress posts


def _page_number(url: str) -> tuple[str, int] | None:
    """(parameter, value) of a page number in the URL: `?page=3`, `&paged=2`, `/page/2/`."""
    parts = urlsplit(url)
    m = re.search(r"/page/(\d+)/?$", parts.path)
    if m:
        return "/page/", int(m.group(1))
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return key, int(value)
    return None


def _without_page(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/page/\d+/?$", "/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in PAGE_PARAMS]
    return urlunsplit((parts.scheme, parts.netloc.lower().removeprefix("www."), path.rstrip("/") or "/",
                       "&".join(f"{k}={v}" for k, v in sorted(query)), ""))


def next_page(html: str, url: str) -> NextPage | None:
    """The link to the next (older) page of a listing, or None."""
    return find_next_page(parse_html(html), url)


def find_next_page(doc, url: str) -> NextPage | None:
    """`next_page` of a parsed page."""
    base = base_url(doc, url)
    here = url.split("#")[0]

    def ok(href: str | None) -> str | None:
        if not href or href.strip().startswith(("#", "javascript:", "mailto:")):
            return None
        target = urljoin(base, href.strip()).split("#")[0]
        return target if same_site(target, url) and target != here else None

    for el in doc.xpath("//link[@href] | //a[@href]"):
        if "next" in (el.get("rel") or "").lower().split() and (target := ok(el.get("href"))):
            return NextPage(target, "rel=next", "a[rel=next]" if el.tag == "a" else "link[rel=next]")

    anchors = [(a, ok(a.get("href"))) for a in doc.iter("a")]
    anchors = [(a, t) for a, t in anchors if t]
    # words, then arrows (› before » before >): a lone » sometimes means "last page", so words win
    labelled = []
    for a, target in anchors:
        text = norm(inline_text(a) or a.get("title") or a.get("aria-label") or "")
        words = text.strip(ARROWS + " ").strip()
        if words and NEXT_WORDS.match(words):
            labelled.append((0, a, target, text))
        elif not words and text in NEXT_ARROWS:
            labelled.append((1 + NEXT_ARROWS.index(text), a, target, text))
        elif (label := norm(a.get("title") or a.get("aria-label") or "")) and NEXT_WORDS.match(label.strip(ARROWS + " ")):
            labelled.append((0, a, target, label))
    if labelled:
        _, a, target, text = min(labelled, key=lambda x: x[0])
        return NextPage(target, f'link "{text}"', _next_css(doc, a, text))

    # a pager of numbers: the link after the current page's number
    current = _page_number(here)
    numbered = [(a, t, int(norm(inline_text(a)))) for a, t in anchors if re.fullmatch(r"\d{1,4}", norm(inline_text(a)))]
    if numbered:
        cur = _current_number(numbered, current)
        for a, target, n in numbered:
            if n == cur + 1 and _without_page(target) == _without_page(here):
                return NextPage(target, f"page number {n}", _next_css(doc, a, str(n)))

    # a link to this listing with its page parameter one step on
    best = None
    for a, target in anchors:
        pn = _page_number(target)
        if pn is None or _without_page(target) != _without_page(here):
            continue
        cur = current[1] if current and current[0] == pn[0] else (0 if pn[0] in ("start", "limitstart", "offset") else 1)
        if pn[1] > cur and (best is None or pn[1] < best[0]):
            best = (pn[1], a, target, pn[0])
    if best:
        return NextPage(best[2], f"parameter {best[3].strip('/')}", None)
    return None


def _current_number(numbered, current) -> int:
    for a, _, n in numbered:
        for el in (a, a.getparent()):
            if el is not None and re.search(r"\b(active|current|selected|is-active)\b", el.get("class") or ""):
                return n
    if current:
        return current[1]
    return 1


def _next_css(doc, a, text: str) -> str | None:
    """A CSS selector whose first match is this pagination link."""
    for steps in css_path(a, 8):
        for css in (" ".join(steps), " ".join(steps) + f':contains("{text.strip(ARROWS + " ") or text}")'):
            found = select(doc, css)
            if found and found[0] is a:
                return css
    return None
