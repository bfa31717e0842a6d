"""Discovery (sdcrawl.discover) and the generic spider's date fallbacks, as pure functions of
(HTML or XML, URL), on the test copies of unknown sites (tests/fixtures/sites/try/) and the recorded copies."""

import asyncio
from datetime import date
from pathlib import Path

import pytest

from sdcrawl import discover
from sdcrawl.extract.html import parse_html
from sdcrawl.sources.sitemaps import parse_sitemap
from sdcrawl.spiders.generic import date_at_end
from sdcrawl.tools.testing import RECORDED

TRY = Path(__file__).parent / "fixtures" / "sites" / "try"


def page(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- URL shapes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("url, shape", [
    ("https://stopini.lv/lv/jaunumi/socialie-pakalpojumi/ziemassvetku-pacinas-novada-berniem-1659", "/lv/jaunumi/{slug}/{slug}"),
    ("https://www.kekava.lv/?id=212&lid=7034", "/?id={n}&lid={n}"),
    ("https://www.kekava.lv/?lid=7034&id=212&utm_source=fb", "/?id={n}&lid={n}"),
    ("https://preili.lv/4731/socialie-darbinieki-piedalas-supervizijas/", "/{n}/{slug}/"),
    ("https://socd.lv/?p=6496", "/?p={n}"),
    ("https://www.lm.gov.lv/lv/jaunumi", "/lv/jaunumi"),
    ("https://iecava.lv/lv/zinas/jaunumi_iecava_lv/2636-projekta-socialais-atbalsts", "/lv/zinas/{slug}/{slug}"),
    ("https://x.lv/raksts/a1234.html", "/raksts/{id}"),
])
def test_url_shape(url, shape):
    assert discover.url_shape(url) == shape


def test_article_shapes_end_in_a_placeholder():
    assert discover.is_article_shape("/lv/jaunums/{slug}")
    assert discover.is_article_shape("/?id={n}&lid={n}")
    assert not discover.is_article_shape("/lv/jaunumi")
    assert not discover.is_article_shape("/")


def test_shape_regex_matches_its_own_urls_only():
    import re

    rx = re.compile(discover.shape_regex("/aktualitates/{slug}"))
    assert rx.search("/aktualitates/seminars-par-seniora-aprupi-majas")
    assert not rx.search("/pakalpojumi/aprupe-majas")
    assert not rx.search("/aktualitates")
    assert not rx.search("/aktualitates/a/b")


# --- feeds and sitemaps ----------------------------------------------------------------------------
def test_feed_links_from_link_rel_alternate_without_comment_feeds():
    html = ('<html><head><link rel="alternate" type="application/rss+xml" title="Jaunumi" href="/feed/">'
            '<link rel="alternate" type="application/rss+xml" title="Komentāru plūsma" href="/comments/feed/">'
            '<link rel="alternate" type="application/atom+xml" href="https://x.lv/atom.xml">'
            '<link rel="stylesheet" href="/style.css"></head><body></body></html>')
    assert discover.feed_links(html, "https://x.lv/jaunumi/") == ["https://x.lv/feed/", "https://x.lv/atom.xml"]


def test_well_known_feeds_put_the_platforms_own_first():
    assert discover.well_known_feeds("https://x.lv/a/b", "unified")[0] == "https://x.lv/lv/rss/articles"
    assert discover.well_known_feeds("https://x.lv/a/b", "wordpress")[0] == "https://x.lv/feed/"
    assert discover.well_known_feeds("https://x.lv/", "custom") == [
        "https://x.lv/feed/", "https://x.lv/lv/rss/articles", "https://x.lv/rss", "https://x.lv/?feed=rss2"]


def test_sitemap_articles_are_the_news_shaped_group_newest_first():
    kind, entries = parse_sitemap((TRY / "salaspilssd" / "sitemap.xml").read_bytes(), "https://salaspilssd.lv/sitemap.xml")
    assert kind == "urlset" and len(entries) == 18
    shape, articles = discover.sitemap_articles(entries, "https://salaspilssd.lv/")
    assert shape == "/aktualitates/{slug}"
    assert [u.rsplit("/", 1)[1] for u, _ in articles] == [
        "uzsakts-projekts-atbalsts-gimenem-ar-berniem",  # lastmod 2024-05-02: changed after publication
        "dienas-centra-darba-laiks-maija-svetkos", "specialisti-apgust-motivejosas-intervijas-metodi",
        "seminars-par-seniora-aprupi-majas", "pieredzes-apmaina-ogres-novada-socialaja-dienesta", "ziemassvetku-pacinas-senioriem"]


def test_a_sitemap_index_is_recognised_and_its_post_sitemaps_come_first():
    index = (b'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b'<sitemap><loc>https://x.lv/wp-sitemap-users-1.xml</loc></sitemap>'
             b'<sitemap><loc>https://x.lv/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>'
             b'<sitemap><loc>https://x.lv/wp-sitemap-posts-page-1.xml</loc></sitemap>'
             b'<sitemap><loc>https://x.lv/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>')
    kind, entries = parse_sitemap(index, "https://x.lv/wp-sitemap.xml")
    assert kind == "sitemapindex"
    assert discover.rank_child_sitemaps([loc for loc, _ in entries])[0] == "https://x.lv/wp-sitemap-posts-post-1.xml"


# --- listings --------------------------------------------------------------------------------------
def test_listing_is_the_dated_list_not_the_sidebar_of_the_same_shape():
    url = "https://preili.lv/jaunumi/socialais-dienests/"
    group = discover.find_listing(page(TRY / "preili" / "listing-1.html"), url, with_css=True)
    assert group.shape == "/{n}/{slug}/"
    assert [u.split("/")[3] for u in group.urls] == ["4731", "4719", "4702"]
    assert group.dates == {"https://preili.lv/4731/socialie-darbinieki-piedalas-supervizijas/": "2019-03-26",
                           "https://preili.lv/4719/socialais-dienests-aicina-pieteikties-pabalstam-skolas-piederumu-iegadei/": "2019-03-12",
                           "https://preili.lv/4702/pieredzes-apmaina-rezeknes-novada-socialaja-dienesta/": "2019-02-20"}
    assert not group.in_chrome
    assert (group.link_css, group.entry_css, group.date_css) == (".news-text h2 a", ".news-list .news-item", ".news-date")
    # the sidebar (same shape, dated) is a group of its own, in the chrome
    sidebar = [g for g in discover.link_groups(page(TRY / "preili" / "listing-1.html"), url) if "sidebar" in g.place]
    assert sidebar and sidebar[0].shape == group.shape and sidebar[0].in_chrome


def test_a_flat_list_takes_each_entrys_date_from_the_siblings_after_its_title():
    url = "https://www.kekava.lv/?id=212"
    group = discover.find_listing(page(TRY / "kekava" / "listing-1.html"), url, with_css=True)
    assert group.shape == "/?id={n}&lid={n}"
    assert [group.dates[u] for u in group.urls] == ["2021-11-09", "2021-11-02", "2021-10-21", "2021-10-08", "2021-09-24"]
    assert group.link_css == ".news_title a" and group.entry_css is None
    # the right column's "Jaunākās ziņas" (same shape, other sections) is not the listing
    assert "lid=7040" not in " ".join(group.urls)


def test_links_to_one_article_under_two_shapes_in_one_place_stay_together():
    group = discover.find_listing(page(RECORDED / "stopini" / "listing-1.html"), "https://stopini.lv/lv/jaunumi/socialie-pakalpojumi")
    assert group.urls[0] == "https://stopini.lv/public/lv/jaunumi/socialie-pakalpojumi/sociala-dienesta-darbiniekiem-supervizijas-1639"
    assert len(group.urls) == 4 and group.dated == 4
    assert not any(u.endswith(".pdf") for u in group.urls)


@pytest.mark.parametrize("path, url", [
    (TRY / "salaspilssd" / "home.html", "https://salaspilssd.lv/"),  # five undated service links
    (TRY / "ropazi" / "home.html", "https://ropazi.lv/"),            # the news block is drawn by script
    (TRY / "ropazi" / "jaunumi.html", "https://ropazi.lv/lv/jaunumi"),
])
def test_pages_without_a_list_of_articles(path, url):
    assert discover.find_listing(page(path), url) is None


# --- pagination ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, url, expected, how", [
    (TRY / "preili" / "listing-1.html", "https://preili.lv/jaunumi/socialais-dienests/",
     "https://preili.lv/jaunumi/socialais-dienests/?lapa=2", 'link "Nākamā »"'),
    (TRY / "preili" / "listing-2.html", "https://preili.lv/jaunumi/socialais-dienests/?lapa=2",
     "https://preili.lv/jaunumi/socialais-dienests/?lapa=3", 'link "Nākamā »"'),
    (TRY / "kekava" / "listing-1.html", "https://www.kekava.lv/?id=212", "https://www.kekava.lv/?id=212&pg=2", 'link "»"'),
    (RECORDED / "socd" / "listing-1.html", "https://socd.lv/?cat=5", "https://socd.lv/?cat=5&paged=2", 'link "Vecāki ieraksti"'),
    (RECORDED / "lm" / "listing-1.html", "https://www.lm.gov.lv/lv/jaunumi", "https://www.lm.gov.lv/lv/jaunumi?page=1", "rel=next"),
])
def test_next_page(path, url, expected, how):
    found = discover.next_page(page(path), url)
    assert (found.url, found.how) == (expected, how)


@pytest.mark.parametrize("path, url", [
    (TRY / "preili" / "listing-3.html", "https://preili.lv/jaunumi/socialais-dienests/?lapa=3"),
    (TRY / "kekava" / "listing-2.html", "https://www.kekava.lv/?id=212&pg=2"),
])
def test_the_last_page_has_no_next(path, url):
    assert discover.next_page(page(path), url) is None


def test_next_page_by_number_and_by_parameter():
    pager = ('<div class="pages"><a href="/zinas?page=1">1</a> <span class="current">2</span> '
             '<a href="/zinas?page=3">3</a> <a href="/zinas?page=9">Pēdējā</a></div>')
    found = discover.next_page(f"<html><body>{pager}</body></html>", "https://x.lv/zinas?page=2")
    assert (found.url, found.how) == ("https://x.lv/zinas?page=3", "page number 3")
    joomla = '<html><body><ul><li><a href="/zinas?start=10">Uz priekšu</a></li></ul></body></html>'
    assert discover.next_page(joomla, "https://x.lv/zinas").url == "https://x.lv/zinas?start=10"
    # "Lasīt vairāk »" is an entry's link, not pagination
    assert discover.next_page('<html><body><a href="/raksts-1">Lasīt vairāk »</a></body></html>', "https://x.lv/zinas") is None


# --- home pages and platforms ------------------------------------------------------------------------
def test_news_section_links_from_a_home_page():
    assert discover.news_section_links(page(TRY / "ropazi" / "home.html"), "https://ropazi.lv/")[0] == "https://ropazi.lv/lv/jaunumi"
    assert discover.news_section_links(page(TRY / "salaspilssd" / "home.html"), "https://salaspilssd.lv/")[0] == "https://salaspilssd.lv/aktualitates"


@pytest.mark.parametrize("site, platform", [
    ("socd", "wordpress"), ("rezeknesnovads", "wordpress"), ("iecava", "joomla"), ("lm", "unified"),
    ("bauskasnovads", "unified"), ("stopini", "custom"),
])
def test_guess_platform_on_the_registry_sites(site, platform):
    url = {"socd": "https://socd.lv/?cat=5"}.get(site, f"https://{site}.lv/")
    guess = discover.guess_platform(page(RECORDED / site / "listing-1.html"), url)
    assert guess.name == platform
    assert bool(guess.evidence) == (platform != "custom")


# --- dates the generic spider adds ---------------------------------------------------------------------
def test_date_at_the_end_before_drukat():
    assert date_at_end(parse_html(page(TRY / "kekava" / "supervizijas.html"))) == date(2021, 11, 9)
    # a date under the title, a footer's last-changed date and sidebars are not "the end"
    assert date_at_end(parse_html(page(TRY / "preili" / "supervizijas.html"))) is None
    assert date_at_end(parse_html(page(TRY / "salaspilssd" / "darba-laiks.html"))) is None


def _extracted(url: str, html: str, hints: dict) -> dict:
    """The generic spider's item of a page, with the dates its listing or feed showed."""
    from scrapy.http import HtmlResponse, Request

    from sdcrawl.spiders.generic import GenericSpider

    spider = GenericSpider(url="https://" + url.split("/")[2] + "/")
    for link, (shown, where) in hints.items():
        spider._hint(link, shown, where)
    response = HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=Request(url))
    return spider.post_process_item(asyncio.run(spider.extract(response)), response)  # the spider's hook is async


def test_the_listings_date_replaces_a_markup_guess():
    url = "https://www.kekava.lv/?id=212&lid=7034"
    html = page(TRY / "kekava" / "supervizijas.html").replace('<p align="right"><i>09.11.2021.</i></p>', "")
    from sdcrawl.extract import extract_article

    assert extract_article(html, url)["published"] == "2021-11-10"  # htmldate: the right column's newest date
    item = _extracted(url, html, {url: (date(2021, 11, 9), "listing")})
    assert (item["published"], item["_date_from"], item["provenance"]["published"]) == ("2021-11-09", "listing", "generic")
    # the listing's link may be another form of the address fetched (http, www.)
    item = _extracted(url, html, {url.replace("https://www.", "http://"): (date(2021, 11, 9), "listing")})
    assert (item["published"], item["_date_from"]) == ("2021-11-09", "listing")


def test_the_date_closing_the_article_comes_before_the_listings():
    url = "https://www.kekava.lv/?id=212&lid=7034"
    item = _extracted(url, page(TRY / "kekava" / "supervizijas.html"), {url: (date(2021, 11, 8), "listing")})
    assert (item["published"], item["_date_from"], item["provenance"]["published"]) == ("2021-11-09", "page end", "generic")
    assert not item["body"].endswith("09.11.2021.")  # the closing date line is furniture, not text


def test_the_pages_own_date_is_kept_whatever_the_feed_says():
    url = "https://ropazi.lv/lv/jaunums/socialie-darbinieki-pieredzes-apmainas-brauciena-lietuva"
    item = _extracted(url, page(TRY / "ropazi" / "pieredzes-apmaina.html"), {url: (date(2024, 2, 13), "feed")})
    assert (item["published"], item["_date_from"], item["provenance"]["published"]) == ("2024-02-12", "page", "metadata")
