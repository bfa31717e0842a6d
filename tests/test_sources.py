"""sdcrawl.sources: feeds, sitemaps and the URL rules that the spiders and discovery share, as
pure functions of (body, URL), on the test copies of unknown sites and the recorded copies."""

from datetime import date
from pathlib import Path

import pytest

from sdcrawl.sources.feeds import FeedEntry, decode_xml, feed_date, parse_feed
from sdcrawl.sources.sitemaps import parse_sitemap, robots_sitemaps
from sdcrawl.sources.urls import NOT_PAGES, bare_host, is_file, is_page_link, on_site, same_site, site_root
from sdcrawl.tools.testing import RECORDED

TRY = Path(__file__).parent / "fixtures" / "sites" / "try"


# --- feeds -----------------------------------------------------------------------------------------
def test_parse_feed_rss_and_atom_and_not_html():
    entries = parse_feed((TRY / "ropazi" / "articles.rss").read_bytes(), "https://ropazi.lv/lv/rss/articles")
    assert len(entries) == 7
    assert entries[0].url == "https://ropazi.lv/lv/jaunums/socialaja-dienesta-darbinieki-apgust-supervizijas"
    assert entries[0].published == date(2024, 3, 14)
    assert entries[0].title == "Sociālā dienesta darbinieki turpina grupu supervīzijas"
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
            '<entry><title>A</title><link rel="alternate" href="https://x.lv/a"/><published>2024-05-02T10:00:00+03:00</published></entry></feed>')
    assert parse_feed(atom, "https://x.lv/atom.xml") == [FeedEntry("https://x.lv/a", date(2024, 5, 2), "A")]
    assert parse_feed(b"<!DOCTYPE html><html><body>RSS</body></html>", "https://x.lv/rss") is None
    assert parse_feed((RECORDED / "socd" / "feed.rss").read_text(encoding="utf-8"), "https://socd.lv/?feed=rss2")


def test_an_atom_entry_links_to_its_alternate_page_not_to_its_edit_or_self_link():
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>B</title>'
            '<link rel="edit" href="https://x.lv/wp-json/posts/7"/><link rel="alternate" href="/zinas/b"/>'
            '<updated>2024-05-03</updated></entry></feed>')
    assert parse_feed(atom, "https://x.lv/atom.xml") == [FeedEntry("https://x.lv/zinas/b", date(2024, 5, 3), "B")]


def test_rss_entries_without_a_link_fall_back_to_a_permalink_guid_or_are_left_out():
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel>'
           '<item><title>C</title><guid>https://x.lv/zinas/c</guid><pubDate>Tue, 07 May 2024 09:00:00 +0300</pubDate></item>'
           '<item><title>D</title><guid isPermaLink="false">tag:x.lv,2024:d</guid></item>'
           '<item><title>E</title><link>javascript:void(0)</link></item></channel></rss>')
    assert parse_feed(rss, "https://x.lv/rss") == [FeedEntry("https://x.lv/zinas/c", date(2024, 5, 7), "C")]


def test_a_feed_in_windows_1257_is_read_by_its_declaration():
    rss = ('<?xml version="1.0" encoding="windows-1257"?><rss version="2.0"><channel><item>'
           '<title>Sociālā dienesta mācības</title><link>https://x.lv/zinas/f</link></item></channel></rss>').encode("cp1257")
    assert parse_feed(rss, "https://x.lv/rss")[0].title == "Sociālā dienesta mācības"
    assert decode_xml(b"\xef\xbb\xbf<rss/>") == "<rss/>"


@pytest.mark.parametrize("text, day", [
    ("Wed, 15 May 2024 10:00:00 GMT", date(2024, 5, 15)),    # RSS: RFC 822
    ("2024-05-02T10:00:00+03:00", date(2024, 5, 2)),         # Atom: ISO 8601
    ("2024-05-02", date(2024, 5, 2)),                        # dc:date
    ("", None), (None, None), ("nav datuma", None),
])
def test_feed_dates(text, day):
    assert feed_date(text) == day


# --- sitemaps --------------------------------------------------------------------------------------
def test_robots_sitemaps():
    text = (TRY / "salaspilssd" / "robots.txt").read_text(encoding="utf-8")
    assert robots_sitemaps(text, "https://salaspilssd.lv/robots.txt") == ["https://salaspilssd.lv/sitemap.xml"]
    assert robots_sitemaps("User-agent: *\nDisallow: /admin/\n", "https://x.lv/robots.txt") == []
    assert robots_sitemaps("Sitemap: /a.xml\nsitemap:/a.xml\n", "https://x.lv/robots.txt") == ["https://x.lv/a.xml"]


def test_parse_sitemap_urlset_index_and_not_a_sitemap():
    kind, entries = parse_sitemap((TRY / "salaspilssd" / "sitemap.xml").read_bytes(), "https://salaspilssd.lv/sitemap.xml")
    assert kind == "urlset" and len(entries) == 18
    assert all(loc.startswith("https://salaspilssd.lv/") for loc, _ in entries)
    index = (b'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b'<sitemap><loc> https://x.lv/wp-sitemap-posts-post-1.xml </loc><lastmod>2024-05-01</lastmod></sitemap></sitemapindex>')
    assert parse_sitemap(index, "https://x.lv/wp-sitemap.xml") == ("sitemapindex", [("https://x.lv/wp-sitemap-posts-post-1.xml", date(2024, 5, 1))])
    assert parse_sitemap(b"<html><body>nav</body></html>", "https://x.lv/sitemap.xml") is None
    assert parse_sitemap(b"Disallow: /", "https://x.lv/sitemap.xml") is None


# --- URL rules ---------------------------------------------------------------------------------------
def test_the_same_site_with_or_without_www():
    assert same_site("https://www.kekava.lv/?id=212", "http://kekava.lv/x")
    assert same_site("https://IECAVA.lv/a", "https://iecava.lv/b")
    assert not same_site("https://kekava.lv/", "https://www.bauskasnovads.lv/")
    assert not same_site("mailto:x@kekava.lv", "/relative")  # no host is no site
    assert bare_host("https://www.lm.gov.lv/lv/jaunumi") == "lm.gov.lv"
    assert on_site("https://www.socd.lv/?p=1", ["socd.lv"]) and on_site("https://socd.lv/?p=1", ["www.socd.lv"])
    assert not on_site("https://socd.lv.example.com/", ["socd.lv"])


@pytest.mark.parametrize("url, page", [
    ("https://iecava.lv/lv/zinas/jaunumi/2636-projekts", True),
    ("https://iecava.lv/images/nolikums.PDF", False),
    ("https://iecava.lv/files/plans.docx", False),
    ("https://iecava.lv/uploads/foto.jpeg", False),
    ("https://iecava.lv/feed.rss", False),
    ("mailto:dienests@iecava.lv", False),
    ("javascript:void(0)", False),
    ("https://www.facebook.com/iecava", False),
    ("http://[::1", False),  # not a URL at all
])
def test_a_listing_link_is_a_page_of_the_site_and_not_a_file(url, page):
    assert is_page_link(url, ["iecava.lv"]) is page


def test_not_pages_and_site_root():
    assert ".pdf" in NOT_PAGES and is_file("https://x.lv/a/b.XLSX") and not is_file("https://x.lv/a/b.html")
    assert site_root("https://www.kekava.lv/?id=212&lid=7034#x") == "https://www.kekava.lv/"
