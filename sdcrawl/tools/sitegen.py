"""Synthetic municipal news sites in stopini's markup, for behaviour tests and benchmarks.

`write_site(folder, articles, per_page)` writes a recorded copy (manifest.toml + pages) that the
replay server serves and the `stopini` spider crawls: listing pages newest first with
`?page=N` pagination, and one page per article with realistic Latvian text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

HOST = "stopini.lv"
LISTING = "/lv/jaunumi/socialie-pakalpojumi"

TOPICS = [
    ("Sociālie darbinieki piedalās supervīzijās", "Sociālā dienesta sociālie darbinieki piedalās grupu supervīzijās, ko finansē ESF projekts Nr. 9.2.1.1/15/I/001."),
    ("Sociālā dienesta darbinieki apmeklē semināru", "Sociālā dienesta darbinieki piedalījās seminārā par darbu ar ģimenēm ar bērniem krīzes situācijās."),
    ("Uzsākts projekts senioru atbalstam", "Sociālais dienests uzsāk Eiropas Sociālā fonda Plus projektu senioru aprūpei mājās."),
]


@dataclass(frozen=True)
class Article:
    number: int
    published: date
    title: str
    text: str
    relevant: bool = True

    @property
    def path(self) -> str:
        return f"{LISTING}/zina-{self.number}"

    @property
    def url(self) -> str:
        return f"https://{HOST}{self.path}"


def make_articles(count: int, newest: date = date(2024, 6, 28), start_number: int = 1, irrelevant_every: int = 0) -> list[Article]:
    """`count` articles, one every 3 days back from `newest`, newest first."""
    out = []
    for i in range(count):
        n = start_number + count - 1 - i
        title, lead = TOPICS[n % len(TOPICS)]
        relevant = not (irrelevant_every and n % irrelevant_every == 0)
        if not relevant:
            title, lead = "Sociālā dienesta darba laiks svētku dienās", "Svētku dienās sociālais dienests apmeklētājus nepieņems."
        text = (f"{lead}\n\nŠī ir ziņa numur {n}. Sociālie darbinieki mācību laikā apguva jaunas metodes darbam ar klientiem, "
                f"un mācības turpināsies arī nākamajā mēnesī.\n\nInformāciju sagatavoja: Līga Kalniņa")
        if not relevant:
            text = f"{lead}\n\nPaziņojums numur {n}. Lūdzam ņemt vērā darba laiku."
        out.append(Article(n, newest - timedelta(days=3 * i), f"{title} ({n})", text, relevant))
    return out


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="lv"><head><meta charset="utf-8"><title>{escape(title)} | Stopiņu novads</title></head>'
            f'<body><header><a href="/">Stopiņu novads</a><nav><a href="{LISTING}">Sociālie pakalpojumi</a></nav></header>'
            f'<main>{body}</main><aside><h3>Citas ziņas</h3><p><span class="date">01/01/2011</span> Vecā ziņa</p></aside>'
            f'<footer>Stopiņu novada dome</footer></body></html>')


def article_html(a: Article) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in a.text.split("\n\n"))
    return _page(a.title, f'<h1 class="news-title">{escape(a.title)}</h1><div class="news-date">{a.published:%d/%m/%Y}</div>'
                          f'<div class="news-text">{paragraphs}</div>')


def listing_html(entries: list[Article], page: int, last: bool) -> str:
    items = "".join(f'<div class="news-item"><h2><a href="{a.path}">{escape(a.title)}</a></h2>'
                    f'<span class="date">{a.published:%d/%m/%Y}</span></div>' for a in entries)
    nxt = "" if last else f'<div class="pagination"><a class="next" href="{LISTING}?page={page + 1}">Nākamā »</a></div>'
    return _page("Sociālie pakalpojumi", f'<h1>Sociālie pakalpojumi</h1><div class="news-list">{items}</div>{nxt}')


def listing_path(page: int) -> str:
    return LISTING if page == 1 else f"{LISTING}?page={page}"


def write_site(folder: Path, articles: list[Article], per_page: int = 10) -> list[str]:
    """Write the copy; return the listing paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = [f'hosts = ["{HOST}", "www.{HOST}"]\n']
    pages = [articles[i : i + per_page] for i in range(0, len(articles), per_page)] or [[]]
    listing_paths = []
    for number, entries in enumerate(pages, start=1):
        name = f"listing-{number}.html"
        (folder / name).write_text(listing_html(entries, number, number == len(pages)), encoding="utf-8")
        manifest.append(f'[[page]]\nurl = "{listing_path(number)}"\nfile = "{name}"\n')
        listing_paths.append(listing_path(number))
    for a in articles:
        name = f"zina-{a.number}.html"
        (folder / name).write_text(article_html(a), encoding="utf-8")
        manifest.append(f'[[page]]\nurl = "{a.path}"\nfile = "{name}"\n')
    (folder / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    return listing_paths
