"""Listing detection: a page's list of articles, found without knowing the site.

The links of a page are grouped by their URL *shape* (`url_shape`: `/lv/jaunumi/{slug}`,
`/?id={n}&lid={n}`) and by their *place* in the page (the tags and classes of their ancestors),
so a sidebar of other news, a menu and the list itself are separate groups even when their links
look alike. For each link its *entry* is the largest element around it holding no other link of
the group; a date shown in the entry (`<time datetime>` or a short text line) is the entry's
date. The listing is the group outside the page chrome (aside, nav, header, footer,
sidebar/widget/menu classes) with the most dated entries, then the most members; a group without
dates counts only on a page with pagination.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from sdcrawl.discover.css import date_css, listing_css
from sdcrawl.discover.markup import candidate_links, date_in, in_chrome, step
from sdcrawl.discover.pagination import find_next_page
from sdcrawl.discover.shapes import is_article_shape, shape_compatible, url_shape
from sdcrawl.extract.html import inline_text, parse_html

__all__ = ["MIN_LISTING", "LinkGroup", "find_listing", "group_on_page", "link_groups"]

MIN_LISTING = 3        # a listing shows at least this many articles


@dataclass
class LinkGroup:
    """Links of one shape in one place of a page, in page order."""

    shape: str
    place: str                      # the tags and classes of the links' ancestors
    urls: list[str]
    dates: dict[str, str] = field(default_factory=dict)   # url -> ISO date shown in its entry
    texts: dict[str, str] = field(default_factory=dict)   # url -> the link's text
    in_chrome: bool = False
    link_css: str | None = None     # a CSS selector for these links (for a spider)
    entry_css: str | None = None    # a CSS selector for their entries (None for a flat list)
    date_css: str | None = None     # inside an entry, the element showing its date

    @property
    def key(self) -> tuple[str, str]:
        return self.place, self.shape

    @property
    def dated(self) -> int:
        return sum(1 for u in self.urls if u in self.dates)

    def date_of(self, url: str) -> date | None:
        d = self.dates.get(url)
        return date.fromisoformat(d) if d else None

    def to_dict(self) -> dict:
        return asdict(self)


def link_groups(html: str, url: str, *, with_css: bool = False) -> list[LinkGroup]:
    """The page's links grouped by place and shape, the likeliest listing first (see the module
    docstring). `with_css` also works out CSS selectors for each group's links and entries."""
    doc = parse_html(html)
    return _groups(doc, url, with_css=with_css)


def _groups(doc, url: str, *, with_css: bool = False) -> list[LinkGroup]:
    by_place: dict[str, list[tuple[object, str, str]]] = defaultdict(list)
    body = doc.body if doc.body is not None else doc
    for a, target in candidate_links(doc, url):
        chain = [a, *a.iterancestors()]
        chain = [e for e in chain if e is not body and e.tag != "html"]
        place = " > ".join(step(e) for e in reversed(chain))
        by_place[place].append((a, target, url_shape(target)))
    groups = []
    for place, links in by_place.items():
        main = Counter(shape for _, _, shape in links).most_common(1)[0][0]
        # the place decides; of its links, those of the main shape and (when that is an article's)
        # any other article-shaped ones: a pinned entry may link `/public/lv/...` among `/lv/...`
        main_is_article = is_article_shape(main)
        members = [(a, t) for a, t, shape in links
                   if shape_compatible(shape, main) or (main_is_article and is_article_shape(shape))]
        urls = list(dict.fromkeys(t for _, t in members))
        group = LinkGroup(shape=main, place=place, urls=urls, in_chrome=any(in_chrome(a) for a, _ in members))
        for a, t in members:
            text = inline_text(a)
            if len(text) > len(group.texts.get(t, "")):
                group.texts[t] = text
        entries = _entries(members) if len(urls) > 1 else {}
        for t, entry in entries.items():
            if t not in group.dates and (d := date_in(entry)):
                group.dates[t] = d.isoformat()
        flat = bool(entries) and not group.dates
        if flat:
            for t, d in _flat_dates(entries).items():
                group.dates[t] = d.isoformat()
        if with_css and len(urls) >= 2:
            group.link_css, group.entry_css = listing_css(doc, [a for a, _ in members], list(entries.values()))
            if flat:
                group.entry_css = None  # an entry is only its title: the spider cannot read dates from it
            elif group.entry_css and group.dates:
                group.date_css = date_css(entries, group.dates)
        groups.append(group)
    groups.sort(key=_score, reverse=True)
    return groups


def _entries(members) -> dict[str, object]:
    """url -> its entry: the largest element around its link holding no other link of the group."""
    # element -> urls of group links inside it (the elements are the keys, which keeps lxml's
    # proxies alive: an id() of a temporary proxy could be reused by another element)
    holders: dict[object, set[str]] = defaultdict(set)
    for a, t in members:
        for anc in [a, *a.iterancestors()]:
            holders[anc].add(t)
    out: dict[str, object] = {}
    for a, t in members:
        entry = a
        for anc in a.iterancestors():
            if holders[anc] != {t} or anc.tag in ("body", "html"):
                break
            entry = anc
        # several links to one article (picture, title, "more"): the first one's entry
        out.setdefault(t, entry)
    return out


def _flat_dates(entries: dict[str, object]) -> dict[str, date]:
    """Dates of a flat list, where an entry's date is a sibling of its title rather than inside a
    wrapper (`<h3><a>…</a></h3><p class="date">…</p><p>…</p>` repeated): the siblings between
    one title and the next belong to the title before them, or (when the list begins with a date)
    to the title after them."""
    parents = {id(e.getparent()) for e in entries.values()}
    if len(parents) != 1:
        return {}
    first = next(iter(entries.values()))
    children = list(first.getparent())
    at = {id(c): i for i, c in enumerate(children)}
    order = sorted((at[id(e)], t) for t, e in entries.items() if id(e) in at)
    if not order:
        return {}
    before = any(date_in(c) for c in children[: order[0][0]] if isinstance(c.tag, str))
    out = {}
    for k, (i, t) in enumerate(order):
        if before:
            lo = order[k - 1][0] + 1 if k else 0
            segment = children[lo:i]
        else:
            hi = order[k + 1][0] if k + 1 < len(order) else len(children)
            segment = children[i + 1 : hi]
        for c in segment:
            if isinstance(c.tag, str) and (d := date_in(c)):
                out[t] = d
                break
    return out


def _score(g: LinkGroup) -> tuple:
    mean_text = sum(len(g.texts.get(u, "")) for u in g.urls) / max(1, len(g.urls))
    return (len(g.urls) >= MIN_LISTING, not g.in_chrome, g.dated, len(g.urls), mean_text)


def _qualifies(g: LinkGroup, paginated: bool) -> bool:
    if not is_article_shape(g.shape):
        return False
    if paginated and not g.in_chrome and len(g.urls) >= 2 and g.dated == len(g.urls):
        return True  # a short page of a paginated listing (the rest may sit in a "featured" block)
    if len(g.urls) < MIN_LISTING:
        return False
    if g.dated >= max(2, (len(g.urls) + 1) // 2):
        return not g.in_chrome or g.dated >= MIN_LISTING
    # undated links are a listing only on a page with pagination, and never in the chrome
    return paginated and not g.in_chrome and len(g.urls) >= 4


def find_listing(html: str, url: str, *, with_css: bool = False) -> LinkGroup | None:
    """The page's list of articles, or None when the page shows none."""
    doc = parse_html(html)
    paginated = find_next_page(doc, url) is not None
    groups = _groups(doc, url, with_css=with_css)
    ok = [g for g in groups if _qualifies(g, paginated)]
    if not ok:
        return None
    best = ok[0]
    if best.in_chrome and any(not g.in_chrome for g in ok):
        best = next(g for g in ok if not g.in_chrome)
    return best


def group_on_page(html: str, url: str, key: tuple[str, str]) -> LinkGroup | None:
    """The group in the same place with the same shape on another page of the listing."""
    place, shape = key
    for g in link_groups(html, url):
        if g.place == place and g.shape == shape:
            return g
    return None

