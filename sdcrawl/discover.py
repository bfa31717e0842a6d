"""Where a site's news is: feeds, sitemaps and listing pages, found from one page.

Pure functions of (HTML or XML, URL); the generic spider (sdcrawl/spiders/generic.py) fetches
the pages and calls them, `sdcrawl new-site` turns their findings into a spider.

- **Feeds**: `<link rel="alternate" type="application/rss+xml|atom+xml">` on the page
  (`feed_links`), else the well-known paths (`well_known_feeds`); a body is a feed when it parses
  as RSS, RDF or Atom with at least one entry (`parse_feed`).
- **Sitemaps**: `Sitemap:` lines of robots.txt (`robots_sitemaps`), `/sitemap.xml`,
  `/wp-sitemap.xml`. A sitemap lists every page of a site, so only the article-shaped part is
  taken (`sitemap_articles`): the URLs are grouped by their shape and the group that looks like
  news (a news word in the path, then the most members) wins.
- **Listings** (`link_groups`, `find_listing`): the links of a page are grouped by their URL
  *shape* (`url_shape`: `/lv/jaunumi/{slug}`, `/?id={n}&lid={n}`) and by their *place* in the
  page (the tags and classes of their ancestors), so a sidebar of other news, a menu and the
  list itself are separate groups even when their links look alike. For each link its *entry* is
  the largest element around it holding no other link of the group; a date shown in the entry
  (`<time datetime>` or a short text line) is the entry's date. The listing is the group outside
  the page chrome (aside, nav, header, footer, sidebar/widget/menu classes) with the most dated
  entries, then the most members; a group without dates counts only on a page with pagination.
- **Pagination** (`next_page`): `rel=next`; a link reading `Nākamā`, `Nākošā`, `Vecāki ieraksti`,
  `Tālāk`, `›`, `»`, `>`; the number after the current page in a pager; a link to this page with
  its page parameter (`page`, `paged`, `start`, `/page/N/`) one step on.
- **Platform** (`guess_platform`): WordPress, the unified government platform (or a Drupal site),
  Joomla, else custom, with the evidence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from sdcrawl.extract.dates import UPDATED_MARKER, parse_date
from sdcrawl.extract.html import inline_text, parse_html
from sdcrawl.urls import is_tracking_param

__all__ = [
    "WELL_KNOWN_FEEDS", "WELL_KNOWN_SITEMAPS", "FeedEntry", "LinkGroup", "NextPage", "Platform",
    "feed_links", "find_listing", "group_on_page", "guess_platform", "is_article_shape", "link_groups",
    "listing_css", "news_section_links", "next_page", "parse_feed", "parse_sitemap", "robots_sitemaps",
    "same_site", "shape_regex", "site_name", "sitemap_articles", "url_shape", "well_known_feeds",
]

# Ordered: the unified platform's feed, WordPress's (pretty and plain permalinks), then the rest.
WELL_KNOWN_FEEDS = ("/feed/", "/lv/rss/articles", "/rss", "/?feed=rss2")
WELL_KNOWN_SITEMAPS = ("/sitemap.xml", "/wp-sitemap.xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
NOT_PAGES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".zip", ".rar", ".7z",
             ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp3", ".mp4", ".avi", ".ics", ".xml", ".rss", ".css", ".js")
NEWS_WORDS = re.compile(r"jaunum|jaunums|zinas|ziņas|aktualit|aktuali|news|raksti|preses|notikum|projekt", re.IGNORECASE)
MIN_LISTING = 3        # a listing shows at least this many articles
DATE_TEXT_MAX = 40     # a date in a listing entry or next to a title is a short piece of text


# --- URLs ------------------------------------------------------------------------------------
def bare_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on the same host (with or without www.)."""
    return bare_host(a) == bare_host(b) != ""


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def _segment_shape(seg: str) -> str:
    if re.fullmatch(r"\d+", seg):
        return "{n}"
    stem = re.sub(r"\.(html?|php|aspx?)$", "", seg.lower())
    if "-" in stem or "_" in stem or "%" in stem:
        return "{slug}"
    if re.search(r"\d", stem):
        return "{id}"
    return stem


def url_shape(url: str) -> str:
    """The URL's pattern: numbers, slugs and ids replaced, words kept, tracking parameters dropped.

    >>> url_shape("https://stopini.lv/lv/jaunumi/socialie-pakalpojumi/ziemassvetku-pacinas-1659")
    '/lv/jaunumi/{slug}/{slug}'
    >>> url_shape("https://www.kekava.lv/?id=212&lid=7034")
    '/?id={n}&lid={n}'
    """
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    path = "/" + "/".join(_segment_shape(s) for s in segments)
    if segments and parts.path.endswith("/"):
        path += "/"
    query = []
    for key, value in sorted(parse_qsl(parts.query, keep_blank_values=True)):
        if is_tracking_param(key):
            continue
        if re.fullmatch(r"\d+", value):
            value = "{n}"
        elif not re.fullmatch(r"[a-z]{1,12}", value):
            value = "{s}"
        query.append(f"{key.lower()}={value}")
    return path + ("?" + "&".join(query) if query else "")


PLACEHOLDERS = ("{n}", "{slug}", "{id}", "{s}")


def is_article_shape(shape: str) -> bool:
    """Whether a shape can be an article's: its last path segment or a query value is a
    placeholder (a section page such as `/lv/jaunumi` is all words)."""
    path, _, query = shape.partition("?")
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last in PLACEHOLDERS or any(v in PLACEHOLDERS for v in re.findall(r"=([^&]*)", query))


def _shape_compatible(shape: str, main: str) -> bool:
    """A one-word article slug (`/jaunumi/supervizijas`) belongs with `/jaunumi/{slug}`."""
    if shape == main:
        return True
    a, b = shape.split("/"), main.split("/")
    return len(a) == len(b) and a[:-1] == b[:-1] and b[-1] in PLACEHOLDERS and "?" not in shape + main


def shape_regex(shape: str) -> str:
    """A regular expression for the path (and query) of URLs of this shape, for a spider."""
    path, _, query = shape.partition("?")
    out = []
    for seg in path.split("/"):
        out.append({"{n}": r"\d+", "{slug}": r"[^/?#]+", "{id}": r"[^/?#]+"}.get(seg, re.escape(seg)))
    regex = "^" + "/".join(out)
    if query:
        keys = [kv.split("=", 1)[0] for kv in query.split("&")]
        regex += "".join(rf"(?=.*[?&]{re.escape(k)}=)" for k in keys)
        return regex + r"\?"
    return regex + "$"


# --- feeds -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedEntry:
    url: str
    published: date | None
    title: str


def feed_links(html: str, url: str) -> list[str]:
    """Feeds the page announces (`<link rel="alternate">`), comment feeds left out."""
    doc = parse_html(html)
    out: dict[str, None] = {}
    for link in doc.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" not in rel or not any(kind.startswith(t) for t in FEED_TYPES[:3]):
            continue
        href = urljoin(_base(doc, url), link.get("href").strip())
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


def _feed_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        return parse_date(text.strip())  # Atom and dc:date: ISO 8601


def parse_feed(body: bytes | str, url: str) -> list[FeedEntry] | None:
    """The entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed in document order; None when the
    body is not a feed (an HTML page answered at a feed address, say)."""
    from parsel import Selector

    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    head = body.lstrip("\ufeff \t\r\n")[:500].lower()
    if not head.startswith("<?xml") and not re.match(r"<(rss|feed|rdf:rdf)[\s>]", head):
        return None
    try:
        sel = Selector(text=body, type="xml")  # parsel's XML parser never expands entities
    except Exception:
        return None
    sel.remove_namespaces()
    root = sel.xpath("/*")
    if not root or root[0].xpath("name()").get().lower() not in ("rss", "feed", "rdf"):
        return None
    entries = []
    for node in sel.xpath("//item | //entry"):
        link = (node.xpath("link/text()").get() or "").strip()
        if not link:
            hrefs = node.xpath("link[not(@rel) or @rel='alternate']/@href").getall() or node.xpath("link/@href").getall()
            link = hrefs[0].strip() if hrefs else ""
        if not link:
            link = (node.xpath("guid[not(@isPermaLink='false')]/text()").get() or "").strip()
        if not link.startswith(("http://", "https://", "/")):
            continue
        when = node.xpath("pubDate/text() | published/text() | date/text() | updated/text()").get()
        title = " ".join((node.xpath("title/text()").get() or "").split())
        entries.append(FeedEntry(urljoin(url, link), _feed_date(when), title))
    return entries


# --- sitemaps --------------------------------------------------------------------------------
def robots_sitemaps(text: str, url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt."""
    out = []
    for line in text.splitlines():
        m = re.match(r"\s*sitemap\s*:\s*(\S+)", line, re.IGNORECASE)
        if m:
            out.append(urljoin(url, m.group(1)))
    return list(dict.fromkeys(out))


def parse_sitemap(body: bytes, url: str) -> tuple[str, list[tuple[str, date | None]]] | None:
    """('urlset' or 'sitemapindex', [(loc, lastmod)]) of a sitemap; None when it is not one."""
    from scrapy.utils.sitemap import Sitemap

    if isinstance(body, str):
        body = body.encode("utf-8")
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml gives up on a body that is not XML at all
        return None
    if sitemap.type not in ("urlset", "sitemapindex"):
        return None
    entries = []
    for entry in sitemap:
        loc = (entry.get("loc") or "").strip()
        if loc:
            entries.append((urljoin(url, loc), parse_date(entry.get("lastmod", "").strip()) if entry.get("lastmod") else None))
    return sitemap.type, entries


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
    pages = [(loc, d) for loc, d in entries if same_site(loc, url) and not urlsplit(loc).path.lower().endswith(NOT_PAGES)]
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


# --- listings ----------------------------------------------------------------------------------
# Classes that say where an element is or what state it is in, not what it is: left out of a
# link's place so that `news odd`, `news even`, `news-item pinned` stay one group.
STATE_CLASSES = frozenset("odd even first last active current selected sticky pinned featured clearfix row "
                          "in open hidden visible show fade new hot top".split())
CHROME_TAGS = frozenset({"aside", "nav"})
CHROME_TOKEN = re.compile(r"(^|[-_])(sidebar|widget|widgets|menu|submenu|breadcrumbs?|navbar|navigation|nav|footer|banners?|share)([-_]|$)")


def _base(doc, url: str) -> str:
    base = doc.xpath("//base/@href")
    return urljoin(url, base[0].strip()) if base else url


def _step(el) -> str:
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


def in_chrome(el) -> bool:
    """Whether an element sits in the page's chrome: aside, nav, a page header or footer, or an
    element whose class or id names a sidebar, widget, menu or breadcrumbs."""
    return _chrome(el)


def _chrome(el) -> bool:
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


def _date_in(el) -> date | None:
    """The date an entry shows: a <time datetime>, else a short piece of text that is a date."""
    for t in el.iter("time"):
        if d := parse_date((t.get("datetime") or "").strip() or inline_text(t)):
            return d
    for text in el.itertext():
        text = " ".join(text.split())
        if 6 <= len(text) <= DATE_TEXT_MAX and not UPDATED_MARKER.search(text) and (d := parse_date(text)):
            return d
    return None


def _date_css(entries: dict[str, object], dates: dict[str, str]) -> str | None:
    """A CSS selector, inside each entry, of the element showing the entry's date."""
    first = next((entries[u] for u in dates if u in entries), None)
    if first is None:
        return None
    holder = None
    for el in first.iter():
        if not isinstance(el.tag, str):
            continue
        text = inline_text(el)
        if (el.tag == "time" and parse_date(el.get("datetime") or text)) or (len(text) <= DATE_TEXT_MAX and parse_date(text)):
            holder = el
            break
    if holder is None:
        return None
    css = _css_step(holder) or holder.tag
    for url, iso in dates.items():
        entry = entries.get(url)
        found = _select(entry, css) if entry is not None else []
        if not found:
            return None
        text = found[0].get("datetime") or inline_text(found[0])
        if (d := parse_date(text)) is None or d.isoformat() != iso:
            return None
    return css


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


def _candidate_links(doc, url: str):
    base = _base(doc, url)
    here = url.split("#")[0]
    root = site_root(url)
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        target = urljoin(base, href).split("#")[0]
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not same_site(target, url):
            continue
        if target in (here, root) or parts.path.lower().endswith(NOT_PAGES):
            continue
        yield a, target


def link_groups(html: str, url: str, *, with_css: bool = False) -> list[LinkGroup]:
    """The page's links grouped by place and shape, the likeliest listing first (see the module
    docstring). `with_css` also works out CSS selectors for each group's links and entries."""
    doc = parse_html(html)
    return _groups(doc, url, with_css=with_css)


def _groups(doc, url: str, *, with_css: bool = False) -> list[LinkGroup]:
    by_place: dict[str, list[tuple[object, str, str]]] = defaultdict(list)
    body = doc.body if doc.body is not None else doc
    for a, target in _candidate_links(doc, url):
        chain = [a, *a.iterancestors()]
        chain = [e for e in chain if e is not body and e.tag != "html"]
        place = " > ".join(_step(e) for e in reversed(chain))
        by_place[place].append((a, target, url_shape(target)))
    groups = []
    for place, links in by_place.items():
        main = Counter(shape for _, _, shape in links).most_common(1)[0][0]
        # the place decides; of its links, those of the main shape and (when that is an article's)
        # any other article-shaped ones: a pinned entry may link `/public/lv/...` among `/lv/...`
        main_is_article = is_article_shape(main)
        members = [(a, t) for a, t, shape in links
                   if _shape_compatible(shape, main) or (main_is_article and is_article_shape(shape))]
        urls = list(dict.fromkeys(t for _, t in members))
        group = LinkGroup(shape=main, place=place, urls=urls, in_chrome=any(_chrome(a) for a, _ in members))
        for a, t in members:
            text = inline_text(a)
            if len(text) > len(group.texts.get(t, "")):
                group.texts[t] = text
        entries = _entries(members) if len(urls) > 1 else {}
        for t, entry in entries.items():
            if t not in group.dates and (d := _date_in(entry)):
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
                group.date_css = _date_css(entries, group.dates)
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
    before = any(_date_in(c) for c in children[: order[0][0]] if isinstance(c.tag, str))
    out = {}
    for k, (i, t) in enumerate(order):
        if before:
            lo = order[k - 1][0] + 1 if k else 0
            segment = children[lo:i]
        else:
            hi = order[k + 1][0] if k + 1 < len(order) else len(children)
            segment = children[i + 1 : hi]
        for c in segment:
            if isinstance(c.tag, str) and (d := _date_in(c)):
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
    paginated = _next_page(doc, url) is not None
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


# --- CSS for a spider --------------------------------------------------------------------------
def _css_step(el) -> str | None:
    classes = [c for c in (el.get("class") or "").split() if not re.search(r"\d", c) and c.lower() not in STATE_CLASSES]
    ident = el.get("id") or ""
    if classes:
        return f"{el.tag}.{classes[0]}" if el.tag not in ("div", "span", "li") else f".{classes[0]}"
    if ident and not re.search(r"\d", ident):
        return f"#{ident}"
    return None


def _css_path(el, stop_depth: int) -> list[list[str]]:
    """Candidate selectors for `el`, from short to long: its tag under 1..n classed ancestors."""
    chain = [el, *el.iterancestors()]
    chain = [e for e in chain if isinstance(e.tag, str) and e.tag not in ("html", "body")][: stop_depth]
    tail = [el.tag] if _css_step(el) is None else [_css_step(el)]
    # the tags between the element and its nearest classed ancestor keep the selector precise
    between = []
    for anc in chain[1:]:
        if _css_step(anc) is not None:
            break
        between.insert(0, anc.tag)
    classed = [_css_step(a) for a in chain[1:] if _css_step(a) is not None]
    out = []
    for n in [*range(1, len(classed) + 1), 0]:  # one classed ancestor at least, where there is one
        steps = list(reversed(classed[:n])) + (between[-1:] if between else []) + tail
        out.append(steps)
    return out


def css_candidates(el, depth: int = 12) -> list[str]:
    """CSS selectors for an element, from short to long (the caller checks which one picks it)."""
    return list(dict.fromkeys(" ".join(steps) for steps in _css_path(el, depth)))


def _select(doc, css: str):
    try:
        return doc.cssselect(css)
    except Exception:
        return []


def _place(el) -> str:
    chain = [e for e in [el, *el.iterancestors()] if isinstance(e.tag, str) and e.tag not in ("html", "body")]
    return " > ".join(_step(e) for e in reversed(chain))


def listing_css(doc, links: list, entries: list) -> tuple[str | None, str | None]:
    """CSS selectors that pick these links (and any other link in the same place of the page:
    the spider's URL checks leave out files and other sites) and exactly these entries."""
    link_css = None
    wanted = set(map(id, links))
    place = _place(links[0])
    for steps in _css_path(links[0], 12):
        css = " ".join(steps)
        found = _select(doc, css)
        if found and wanted <= set(map(id, found)) and all(_place(f) == place for f in found):
            link_css = css
            break
    entry_css = None
    if entries and len({e.tag for e in entries}) == 1:
        wanted_entries = set(map(id, entries))
        place = _place(entries[0])
        for steps in _css_path(entries[0], 12):
            css = " ".join(steps)
            found = _select(doc, css)
            if found and wanted_entries <= set(map(id, found)) and all(_place(f) == place for f in found):
                entry_css = css
                break
    return link_css, entry_css


# --- pagination --------------------------------------------------------------------------------
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


def _norm(text: str) -> str:
    return " ".join(text.split()).strip()


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
    return _next_page(parse_html(html), url)


def _next_page(doc, url: str) -> NextPage | None:
    base = _base(doc, url)
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
        text = _norm(inline_text(a) or a.get("title") or a.get("aria-label") or "")
        words = text.strip(ARROWS + " ").strip()
        if words and NEXT_WORDS.match(words):
            labelled.append((0, a, target, text))
        elif not words and text in NEXT_ARROWS:
            labelled.append((1 + NEXT_ARROWS.index(text), a, target, text))
        elif (label := _norm(a.get("title") or a.get("aria-label") or "")) and NEXT_WORDS.match(label.strip(ARROWS + " ")):
            labelled.append((0, a, target, label))
    if labelled:
        _, a, target, text = min(labelled, key=lambda x: x[0])
        return NextPage(target, f'link "{text}"', _next_css(doc, a, text))

    # a pager of numbers: the link after the current page's number
    current = _page_number(here)
    numbered = [(a, t, int(_norm(inline_text(a)))) for a, t in anchors if re.fullmatch(r"\d{1,4}", _norm(inline_text(a)))]
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
    for steps in _css_path(a, 8):
        for css in (" ".join(steps), " ".join(steps) + f':contains("{text.strip(ARROWS + " ") or text}")'):
            found = _select(doc, css)
            if found and found[0] is a:
                return css
    return None


# --- a home page -------------------------------------------------------------------------------
NEWS_LINK_TEXT = re.compile(r"^(visi jaunumi|visas ziņas|ziņu arhīvs|visi raksti|arhīvs|jaunumi|ziņas|aktualitātes|aktuāli|"
                            r"jaunākās ziņas|aktuālā informācija|news)$", re.IGNORECASE)
NEWS_PATH = re.compile(r"/(jaunumi|zinas|aktualitates|aktuali|news|jaunakas-zinas)/?$", re.IGNORECASE)


def news_section_links(html: str, url: str) -> list[str]:
    """Links from a home page to its news section ('Visi jaunumi', 'Jaunumi', 'Aktualitātes',
    a `/jaunumi` address), the likeliest first."""
    doc = parse_html(html)
    ranked: list[tuple[int, int, str]] = []
    for i, (a, target) in enumerate(_candidate_links(doc, url)):
        text = _norm(inline_text(a)).strip(ARROWS + " ").lower()
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


@dataclass(frozen=True)
class Platform:
    name: str                       # one of sdcrawl.registry.PLATFORMS
    evidence: tuple[str, ...]


def guess_platform(html: str, url: str) -> Platform:
    """The site's platform from one page, with what gave it away."""
    doc = parse_html(html)
    generator = " ".join(doc.xpath("//meta[translate(@name,'GENRATO','genrato')='generator']/@content")).lower()
    hrefs = " ".join(doc.xpath("//a/@href | //link/@href | //script/@src | //img/@src"))
    classes = " ".join(doc.xpath("//@class"))
    found: dict[str, list[str]] = defaultdict(list)
    if "wordpress" in generator:
        found["wordpress"] += ["generator WordPress"] * 3
    if "/wp-content/" in hrefs or "/wp-includes/" in hrefs:
        found["wordpress"] += ["/wp-content/ assets"] * 2
    if re.search(r"[?&]p=\d+(&|$|\s)", hrefs):
        found["wordpress"].append("?p=N links")
    if "wp-json" in hrefs:
        found["wordpress"].append("wp-json")
    if "joomla" in generator:
        found["joomla"] += ["generator Joomla"] * 3
    if "/component/" in hrefs or "option=com_" in hrefs or "com_content" in classes:
        found["joomla"] += ["/component/ or com_content"] * 2
    if re.search(r"\bitems-(row|leading)\b", classes):
        found["joomla"].append("items-row")
    if re.search(r"/lv/(jaunums|projekts)/", hrefs):
        found["unified"] += ["/lv/jaunums/ links"] * 3
    if "drupal" in generator:
        found["unified"].append("generator Drupal")
    if re.search(r"\bviews-row\b", classes):
        found["unified"].append("views-row")
    if doc.xpath("//@*[starts-with(name(), 'data-drupal')]") or "drupal-settings-json" in html:
        found["unified"].append("data-drupal")
    if not found:
        return Platform("custom", ())
    name, evidence = max(found.items(), key=lambda kv: len(kv[1]))
    if len(evidence) < 2:  # one weak hint is not enough
        return Platform("custom", tuple(dict.fromkeys(evidence)))
    return Platform(name, tuple(dict.fromkeys(evidence)))


def site_name(html: str) -> str | None:
    """The site's own name: og:site_name, else the last part of the <title>."""
    doc = parse_html(html)
    og = doc.xpath("//meta[@property='og:site_name']/@content")
    if og and og[0].strip():
        return og[0].strip()
    titles = doc.xpath("//title/text()")
    if titles:
        parts = re.split(r"\s+[|–—-]\s+", titles[0].strip())
        if len(parts) > 1:
            return parts[-1].strip() or None
    return None
