"""Synthetic municipal news sites for the benchmark, in stopini's markup, held in memory.

The markup the `stopini` spider reads comes from `sdcrawl.tools.sitegen` (listing entries
`.news-list .news-item h2 a` with a `.date`, `.pagination a.next`, articles `h1.news-title`,
`.news-date`, `.news-text`). Around it goes the chrome of the recorded stopini.lv pages (header,
menus, breadcrumbs, sidebar with other dated news, footer), so a page weighs what a real one does
(8-12 kB), and the article text is made of real Latvian paragraphs taken from the recorded copies
of the six registry sites, a few per article, with a unique first sentence (so that no two
articles have the same content key).

    site = build_site(5000, per_page=15)          # {path: (status, content_type, body)}
    site = build_site(5010, per_page=15)          # the same site after 10 new articles
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from pathlib import Path

from lxml import html as lxml_html

from sdcrawl.tools.sitegen import LISTING, listing_path

REPO = Path(__file__).resolve().parent.parent
RECORDED = REPO / "recorded"
HTML = "text/html; charset=utf-8"
ROBOTS = b"User-agent: *\nAllow: /\n"
NEWEST = date(2024, 6, 28)

TITLES = [
    "Sociālie darbinieki piedalās supervīzijās",
    "Sociālā dienesta darbinieki apmeklē semināru par darbu ar ģimenēm",
    "Uzsākts Eiropas Sociālā fonda Plus projekts senioru atbalstam",
    "Sociālie darbinieki pilnveido zināšanas mācību kursos",
    "Vasaras skola sociālā darba speciālistiem",
    "Pieredzes apmaiņas vizīte Lietuvas sociālajos dienestos",
    "Sociālā dienesta darba laiks svētku dienās",
    "Erasmus+ projekta partneru tikšanās",
    "Mācības par motivējošo intervēšanu",
    "Pašvaldības konference par sociālā riska ģimenēm",
]


@dataclass(frozen=True)
class BenchArticle:
    number: int
    published: date
    title: str
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"{LISTING}/zina-{self.number}"


@lru_cache(maxsize=1)
def paragraph_pool() -> tuple[str, ...]:
    """Paragraphs (over 120 characters) of the recorded article pages of every registry site."""
    seen: dict[str, None] = {}
    for page in sorted(RECORDED.glob("*/*.html")):
        if page.name.startswith("listing"):
            continue
        doc = lxml_html.fromstring(page.read_bytes())
        for p in doc.iter("p"):
            text = " ".join(p.text_content().split())
            if len(text) > 120 and not text.startswith("©"):
                seen.setdefault(text, None)
    return tuple(seen)


@lru_cache(maxsize=1)
def _chrome() -> tuple[str, str, str, str]:
    """(article prefix, article suffix, listing prefix, listing suffix) from the recorded pages."""
    article = (RECORDED / "stopini" / "reference.html").read_text(encoding="utf-8")
    listing = (RECORDED / "stopini" / "listing-1.html").read_text(encoding="utf-8")
    a_start = article.index('<div class="news-article">')
    a_end = article.index('<div id="right" class="sidebar">')
    l_start = listing.index('<div class="news-list">')
    l_end = listing.index('<div id="right"')
    return article[:a_start], "</div>\n    " + article[a_end:], listing[:l_start], "</div>\n    " + listing[l_end:]


def make_articles(count: int, start_number: int, base: int) -> list[BenchArticle]:
    """`count` articles numbered start_number.. (the highest is the newest), newest first. Article
    `base` is dated NEWEST, lower numbers two a day back from it, higher ones (added later) two a
    day after it; the text of an article depends on its number only."""
    pool = paragraph_pool()
    out = []
    for n in range(start_number + count - 1, start_number - 1, -1):
        rnd = random.Random(n)
        paras = tuple(rnd.sample(pool, rnd.randint(3, 6)))
        lead = f"Ziņa Nr. {n}. Sociālā dienesta darbinieki informē par aktualitātēm."
        published = NEWEST - timedelta(days=(base - n) // 2) if n <= base else NEWEST + timedelta(days=(n - base + 1) // 2)
        out.append(BenchArticle(n, published, f"{TITLES[n % len(TITLES)]} ({n})", (lead, *paras)))
    return out


# Article numbers of a site's archive end at its base; articles added later get higher numbers.
BASE_NUMBER = 100_000


def site_articles(count: int, new: int = 0, base: int = BASE_NUMBER) -> list[BenchArticle]:
    """A site: `count` archived articles, plus `new` ones added after them (newest first). Sites with
    different bases (at least count + new apart) share no article."""
    added = make_articles(new, base + 1, base) if new else []
    return added + make_articles(count, base - count + 1, base)


def article_page(a: BenchArticle) -> str:
    pre, post, _, _ = _chrome()
    body = "".join(f"<p>{escape(p)}</p>\n" for p in a.paragraphs)
    return (pre.replace("<title>Stopiņu novada Sociālā dienesta darbinieki pilnveido savas zināšanas, piedaloties dažādos projektos",
                        f"<title>{escape(a.title)}")
            + f'<div class="news-article">\n<h1 class="news-title">{escape(a.title)}</h1>\n'
              f'<div class="news-date">{a.published:%d/%m/%Y}</div>\n<div class="news-text">\n{body}'
              f'<div class="share"><span class="share-label">Dalīties</span> <a class="print" href="javascript:window.print();">Drukāt</a></div>\n'
              f'</div>\n<div class="back"><a href="{LISTING}">« Atpakaļ uz sarakstu</a></div>\n'
            + post)


def listing_page(entries: list[BenchArticle], page: int, last: bool) -> str:
    _, _, pre, post = _chrome()
    items = "".join(
        f'<div class="news-item">\n<h2><a href="{a.path}">{escape(a.title)}</a></h2>\n'
        f'<div class="date">{a.published:%d/%m/%Y}</div>\n'
        f'<div class="intro"><p>{escape(a.paragraphs[1][:160])}…</p></div>\n</div>\n' for a in entries)
    pager = f'<div class="pagination"><span class="current">{page}</span>'
    if page > 1:
        pager += f' <a class="prev" href="{listing_path(page - 1)}">« Iepriekšējā</a>'
    if not last:
        pager += f' <a class="next" href="{listing_path(page + 1)}">Nākamā »</a>'
    pager += "</div>\n"
    return pre + f'<div class="news-list">\n{items}</div>\n{pager}' + post


def build_site(articles: list[BenchArticle], per_page: int) -> dict[str, tuple[int, str, bytes]]:
    """path -> (status, content type, body) of every page of the site (robots.txt included)."""
    pages: dict[str, tuple[int, str, bytes]] = {"/robots.txt": (200, "text/plain", ROBOTS)}
    chunks = [articles[i : i + per_page] for i in range(0, len(articles), per_page)] or [[]]
    for number, entries in enumerate(chunks, start=1):
        pages[listing_path(number)] = (200, HTML, listing_page(entries, number, number == len(chunks)).encode())
    for a in articles:
        pages[a.path] = (200, HTML, article_page(a).encode())
    return pages


def listing_pages_needed(new: int, per_page: int) -> int:
    """Listing pages that hold the `new` newest articles (at least the first page)."""
    return max(1, -(-new // per_page))


