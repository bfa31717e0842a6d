"""The generic path (a site that is not in the registry): dates that hold on real pages.

Issue 13 item 4 (an impossible, future or implausibly old date is no date) and issue 14's known
causes on unknown sites: no text search when the markup has no date, pages refused as "not
HTML", a UTC JSON-LD timestamp beside a local one, a blog's post container taken for a widget,
table cells run together. Every page here is written for the test; each is extracted by the real
`extract_article`, and the date cases also through the real `sdcrawl extract` command.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from sdcrawl.extract import extract_article
from sdcrawl.extract.decode import NotHTML, decode_html, looks_like_html
from sdcrawl.tools.testing import run_sdcrawl

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
URL = "https://piemers.lv/zinas/socialie-darbinieki-macas"
LEAD = ("Sociālā dienesta darbinieki šonedēļ piedalījās apmācībās par darbu ar ģimenēm, kurās aug bērni "
        "ar funkcionāliem traucējumiem. Mācības vadīja pieredzējusi supervizore. ")


def extract(html: str, url: str = URL) -> dict:
    return extract_article(html, url, scraped_at=NOW)


def dated_page(date_text: str, how: str) -> str:
    """A small article page whose only date is `date_text`, shown the way `how` names."""
    date_html = {
        # the markup htmldate reads without searching the text: an element classed as a date
        "date element": f'<div class="entry-meta"><span class="date">{date_text}</span></div>',
        # a short date line under the title, as Latvian municipal sites print it
        "line by the title": f"<div>{date_text}</div>",
        # only in the running text
        "text": "",
    }[how]
    tail = f" Publicēts {date_text}." if how == "text" else ""
    return (f"<html><head><title>Apmācības</title></head><body><article><h1>Darbinieki mācās</h1>{date_html}"
            f"<p>{LEAD * 3}{tail}</p></article></body></html>")


IMPOSSIBLE = ["30.02.2024", "29.02.2023", "31.04.2024", "01.01.0001", "15.06.2099"]
SHAPES = ["date element", "line by the title", "text"]


@pytest.mark.parametrize("how", SHAPES)
@pytest.mark.parametrize("date_text", IMPOSSIBLE)
def test_an_impossible_future_or_ancient_date_is_no_date(date_text, how):
    item = extract(dated_page(date_text, how))
    assert "published" not in item, item.get("published")
    assert "published" not in item["provenance"]


@pytest.mark.parametrize("how", SHAPES)
def test_a_real_date_in_the_same_places_is_found(how):
    assert extract(dated_page("29.02.2024", how))["published"] == "2024-02-29"


def test_a_date_of_tomorrow_is_allowed_for_time_zones_but_not_later():
    tomorrow, later = NOW.date() + timedelta(days=1), NOW.date() + timedelta(days=2)
    assert extract(dated_page(tomorrow.strftime("%d.%m.%Y"), "line by the title"))["published"] == tomorrow.isoformat()
    assert "published" not in extract(dated_page(later.strftime("%d.%m.%Y"), "line by the title"))


def test_the_floor_is_1995():
    assert extract(dated_page("31.12.1994", "date element")).get("published") is None
    assert extract(dated_page("02.01.1995", "date element"))["published"] == "1995-01-02"


def test_an_impossible_date_does_not_hide_the_real_one_in_the_url():
    item = extract(dated_page("31.04.2024", "date element"), url="https://piemers.lv/2024/04/30/darbinieki-macas")
    assert item["published"] == "2024-04-30"


@pytest.mark.parametrize("date_text", IMPOSSIBLE)
def test_sdcrawl_extract_prints_no_date_for_an_impossible_one(tmp_path, date_text):
    page = tmp_path / "lapa.html"
    page.write_text(dated_page(date_text, "date element"), encoding="utf-8")
    proc = run_sdcrawl("extract", str(page), "--url", URL)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert "published" not in out["item"]
    assert out["item"]["title"] == "Darbinieki mācās"


def test_sdcrawl_extract_prints_a_real_date(tmp_path):
    page = tmp_path / "lapa.html"
    page.write_text(dated_page("12.03.2024", "date element"), encoding="utf-8")
    proc = run_sdcrawl("extract", str(page), "--url", URL)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["item"]["published"] == "2024-03-12"


# --- "not HTML" --------------------------------------------------------------------------------
ARTICLE = f"<html><body><article><h1>Darbinieki mācās</h1><p>{LEAD * 3}</p></article></body></html>"
HTML_STARTS = {
    "conditional comment": "<!--[if !IE]> no kešatmiņas <![endif]-->\n<!DOCTYPE html>\n",
    "style block": "<style>\n  .zina { color: #333 }\n</style>\n",
    "script": '<script src="/cdn/galva.js"></script>\n',
    "xml declaration and xhtml doctype": ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC '
                                          '"-//W3C//DTD XHTML 1.0 Strict//EN" "xhtml1-strict.dtd">\n'),
    "php warning": "<br />\n<b>Warning</b>:  session_start(): failed in <b>/var/www/index.php</b><br />\n",
    "byte order mark": "\ufeff\n",
}


@pytest.mark.parametrize("start", HTML_STARTS.values(), ids=HTML_STARTS.keys())
def test_a_page_that_begins_with_a_comment_style_or_declaration_is_html(tmp_path, start):
    assert looks_like_html(start + ARTICLE)
    page = tmp_path / "lapa.html"
    page.write_bytes((start + ARTICLE).encode("utf-8"))
    proc = run_sdcrawl("extract", str(page), "--url", URL)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["item"]["title"] == "Darbinieki mācās"


@pytest.mark.parametrize("text", [
    "# Virsraksts\n\nTeksts ar <b>treknu</b> vārdu.",
    '{"zinas": []}',
    "%PDF-1.7\n%âãÏÓ",
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Ziņas</title></channel></rss>',
    '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>',
    "<!-- tikai komentārs -->",
    "",
])
def test_text_json_pdf_feeds_and_sitemaps_are_not_html(text):
    assert not looks_like_html(text)
    with pytest.raises(NotHTML):
        decode_html(text.encode("utf-8"))


def test_sdcrawl_extract_still_refuses_a_feed_as_not_html(tmp_path):
    page = tmp_path / "zinas.xml"
    page.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', encoding="utf-8")
    proc = run_sdcrawl("extract", str(page))
    assert proc.returncode == 2
    assert proc.stderr == f"sdcrawl: not HTML: {page}\n"


# --- which date ---------------------------------------------------------------------------------
def jsonld(published: str) -> str:
    return ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
            f'"headline": "Darbinieki mācās", "datePublished": "{published}"}}</script>')


def test_a_utc_jsonld_timestamp_gives_the_local_date_of_article_published_time():
    # 00:30 in Riga on 15 March is 22:30 UTC on 14 March
    html = (f'<html><head>{jsonld("2024-03-14T22:30:00Z")}'
            '<meta property="article:published_time" content="2024-03-15T00:30:00+02:00"></head>'
            f"<body><article><h1>Darbinieki mācās</h1><p>{LEAD * 3}</p></article></body></html>")
    item = extract(html)
    assert item["published"] == "2024-03-15"
    assert item["provenance"]["published"] == "metadata"


def test_a_utc_timestamp_alone_keeps_its_date():
    html = (f'<html><head>{jsonld("2024-03-14T22:30:00+00:00")}</head>'
            f"<body><article><h1>Darbinieki mācās</h1><p>{LEAD * 3}</p></article></body></html>")
    assert extract(html)["published"] == "2024-03-14"


def test_a_blogs_post_widget_is_the_article_not_chrome():
    # Blogger: every post sits inside div.widget.Blog; the archive beside it is a widget too
    html = ("<html><body><div class='sidebar'><div class='widget BlogArchive'><ul>"
            "<li><a href='/2023/'>2023</a> <span class='post-date'>11.09.2023</span></li></ul></div></div>"
            "<div class='main'><div class='widget Blog' id='Blog1'><div class='blog-posts hfeed'>"
            "<div class='date-outer'><h2 class='date-header'><span>Thursday, March 14, 2024</span></h2>"
            "<div class='post-outer'><div class='post hentry'><h3 class='post-title entry-title'>Darbinieki mācās</h3>"
            f"<div class='post-body entry-content'><p>{LEAD * 3}</p></div>"
            "<div class='post-footer'><abbr class='published' title='2024-03-14T09:15:00+02:00'>09:15</abbr></div>"
            "</div></div></div></div></div></div></body></html>")
    item = extract(html, url="https://piemers.blogspot.com/p/darbinieki.html")
    assert item["published"] == "2024-03-14"
    assert item["body"].startswith(LEAD.strip())  # the post's text is the body, not removed with the widgets


def test_a_date_in_a_related_posts_list_is_not_the_articles():
    html = ("<html><body><article><h1>Darbinieki mācās</h1>"
            f"<p>{LEAD * 3} Publicēts 05.02.2024.</p></article>"
            "<div class='related-posts'><p class='post-date'><time datetime='2019-04-11'>11.04.2019</time></p></div>"
            "</body></html>")
    assert extract(html)["published"] == "2024-02-05"


def test_the_text_is_searched_when_the_markup_has_no_date():
    html = (f"<html><body><article><h1>Darbinieki mācās</h1><p>{LEAD * 3}</p>"
            "<p>Informāciju sagatavoja Sociālais dienests, 2024. 14.03.2024</p></article></body></html>")
    item = extract(html)
    assert item["published"] == "2024-03-14"
    assert item["provenance"]["published"] == "generic"


def test_the_markup_date_wins_over_a_date_in_the_text():
    html = (f'<html><head><meta property="article:published_time" content="2024-03-18T10:00:00+02:00"></head>'
            f"<body><article><h1>Darbinieki mācās</h1><p>{LEAD * 3} Nākamās mācības 02.04.2024.</p>"
            "</article></body></html>")
    assert extract(html)["published"] == "2024-03-18"


# --- body -----------------------------------------------------------------------------------
def test_table_cells_are_not_run_together():
    html = (f"<html><body><article><h1>Mācību grafiks</h1><p>{LEAD * 3}</p>"
            "<table><tr><td><b>Datums</b></td><td><b>Vieta</b></td><td><b>Tēma</b></td></tr>"
            "<tr><td>12.03.2024</td><td>Rīga</td><td>Supervīzija</td></tr></table>"
            f"<p>{LEAD * 2}</p></article></body></html>")
    body = extract(html)["body"]
    assert "Datums | Vieta | Tēma" in body.split("\n")
    assert "12.03.2024 | Rīga | Supervīzija" in body.split("\n")
    assert "DatumsVieta" not in body and "RīgaSupervīzija" not in body
