"""Where a site's news enters: the feeds a page announces or that answer at the usual
addresses, the article-shaped part of a sitemap, a home page's link to its news section.

Reading a feed or a sitemap is `sdcrawl.sources`; this module only decides where to look and
which part of what was found is the news.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from urllib.parse import urljoin, urlsplit

from sdcrawl.discover.markup import base_url, candidate_links, norm
from sdcrawl.discover.pagination import ARROWS
from sdcrawl.discover.shapes import is_article_shape, url_shape
from sdcrawl.discover.listing import MIN_LISTING
from sdcrawl.extract.html import inline_text, parse_html
from sdcrawl.sources.urls import is_file, same_site, site_root

__all__ = ["FEED_TYPES", "NEWS_WORDS", "WELL_KNOWN_FEEDS", "WELL_KNOWN_SITEMAPS", "feed_links", "news_section_links",
           "rank_child_sitemaps", "sitemap_articles", "well_known_feeds"]

# Ordered: the unified platform's feed, WordPress's (pretty and plain permalinks), then the rest.
WELL_KNOWN_FEEDS = ("/feed/", "/lv/rss/articles", "/rss", "/?feed=rss2")
WELL_KNOWN_SITEMAPS = ("/sitemap.xml", "/wp-sitemap.xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
NEWS_WORDS = re.compile(r"jaunum|jaunums|zinas|ziņas|aktualit|aktuali|news|raksti|preses|notikum|projekt", re.IGNORECASE)


# --- feeds -----------------------------------------------------------------------------------
def feed_links(html: str, url: str) -> list[str]:
    """Feeds the page announces (`<link rel="alternate">`), comment feeds left out."""
    doc = parse_html(html)
    out: dict[str, None] = {}
    for link in doc.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" not in rel or not any(kind.startswith(t) for t in FEED_TYPES[:3]):
            continue
        href = urljoin(base_url(doc, url), link.get("href").strip())
        title = (link.get("title") or "").lower()
        if "/comments/" in href or "comment" in title or "komentār" in title:
            continue
        out.setdefault(href, None)
    return list(out)


def well_known_feeds(url: str, platform: str = "custom") -> list[str]:
    """The usual feed addresses of the site, the platform's own first."""
    root = site_root(url).rstrip("/")
    paths = list(WELL_KNOWN_FEEDS)
    first = {"unified": "/lv/rss/articles", "wordpress": "/feed/"}.get(platform)
    if first:
        paths.remove(first)
        paths.insert(0, first)
    return [root + p for p in paths]


# --- sitemaps --------------------------------------------------------------------------------
def rank_child_sitemaps(locs: list[str]) -> list[str]:
    """Children of a sitemap index, the ones likely to hold news first; taxonomies and users last."""
    def rank(loc: str) -> int:
        low = loc.lower()
        if re.search(r"taxonom|categor|tag|user|author|image|video", low):
            return 3
        if re.search(r"post-?1?|news|jaunum|zinas|aktual|article|raksti", low) and "posts-page" not in low:
            return 0
        if "page" in low:
            return 2
        return 1
    return sorted(dict.fromkeys(locs), key=rank)


def sitemap_articles(entries: list[tuple[str, date | None]], url: str) -> tuple[str | None, list[tuple[str, date | None]]]:
    """(shape, entries newest first) of the article-shaped part of a sitemap: entries grouped
    by URL shape; a group whose path names news (`jaunumi`, `aktualitates`, `zinas`, ...) wins,
    then the largest. Section pages, the home page and files are left out."""
    pages = [(loc, d) for loc, d in entries if same_site(loc, url) and not is_file(loc)]
    groups: dict[str, list[tuple[str, date | None]]] = defaultdict(list)
    for loc, d in pages:
        shape = url_shape(loc)
        if is_article_shape(shape):
            groups[shape].append((loc, d))
    if not groups:
        return None, []

    def score(item):
        shape, members = item
        return (bool(NEWS_WORDS.search(shape)), len(members) >= MIN_LISTING, sum(1 for _, d in members if d), len(members))

    shape, members = max(groups.items(), key=score)
    members.sort(key=lambda e: e[1] or date.min, reverse=True)
    return shape, members


# --- a home page -------------------------------------------------------------------------------
NEWS_LINK_TEXT = re.compile(r"^(visi jaunumi|visas ziņas|ziņu arhīvs|visi raksti|arhīvs|jaunumi|ziņas|aktualitātes|aktuāli|"
                            r"jaunākās ziņas|aktuālā informācija|news)$", re.IGNORECASE)
NEWS_PATH = re.compile(r"/(jaunumi|zinas|aktualitates|aktuali|news|jaunakas-zinas)/?$", re.IGNORECASE)


def news_section_links(html: str, url: str) -> list[str]:
    """Links from a home page to its news section ('Visi jaunumi', 'Jaunumi', 'Aktualitātes',
    a `/jaunumi` address), the likeliest first."""
    doc = parse_html(html)
    ranked: list[tuple[int, int, str]] = []
    for i, (a, target) in enumerate(candidate_links(doc, url)):
        text = norm(inline_text(a)).strip(ARROWS + " ").lower()
        if text in ("visi jaunumi", "visas ziņas", "ziņu arhīvs", "visi raksti", "arhīvs"):
            ranked.append((0, i, target))
        elif NEWS_LINK_TEXT.match(text):
            ranked.append((1, i, target))
        elif NEWS_PATH.search(urlsplit(target).path):
            ranked.append((2, i, target))
    out: dict[str, None] = {}
    for _, _, target in sorted(ranked):
        out.setdefault(target, None)
    return list(out)

