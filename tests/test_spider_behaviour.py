"""What the base spider does, observed from outside: which URLs it requests (the replay
server's log) and what reaches the feed, through the real engine and pipelines."""

import shutil
from datetime import date

import pytest

from sdcrawl.replay import ReplayServer
from sdcrawl.tools.sitegen import HOST, make_articles, write_site
from sdcrawl.tools.testing import RECORDED, REPO, comparable, crawl_via
import json


@pytest.fixture
def site(tmp_path):
    """A stopini-style site: 25 articles, 5 per listing page, every 5th one irrelevant."""
    articles = make_articles(25, newest=date(2024, 6, 28), irrelevant_every=5)
    listings = write_site(tmp_path / "copy" / "stopini", articles, per_page=5)
    with ReplayServer([tmp_path / "copy"]) as server:
        yield server, articles, listings


def requested(server) -> list[str]:
    return [path for host, path in server.hits() if host == HOST and path != "/robots.txt"]


def test_full_crawl_walks_every_listing_page_newest_first(site, tmp_path):
    server, articles, listings = site
    proc, items = crawl_via(server, "stopini", tmp_path / "data", "--since", "2000-01-01")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [p for p in requested(server) if "zina-" not in p] == listings
    assert sorted(i["url"] for i in items) == sorted(a.url for a in articles if a.relevant)
    assert {i["published"] for i in items} == {a.published.isoformat() for a in articles if a.relevant}


def test_page_budget_bounds_the_listing_walk(site, tmp_path):
    server, articles, listings = site
    proc, items = crawl_via(server, "stopini", tmp_path / "data", "--since", "2000-01-01", "--page-budget", "2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [p for p in requested(server) if "zina-" not in p] == listings[:2]
    assert sorted(i["url"] for i in items) == sorted(a.url for a in articles[:10] if a.relevant)


def test_since_ends_pagination_at_the_first_page_all_older(site, tmp_path):
    server, articles, listings = site
    since = articles[7].published  # on listing page 2; page 3 is all older
    proc, items = crawl_via(server, "stopini", tmp_path / "data", "--since", since.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [p for p in requested(server) if "zina-" not in p] == listings[:3]
    assert sorted(i["url"] for i in items) == sorted(a.url for a in articles if a.relevant and a.published >= since)
    assert all(date.fromisoformat(i["published"]) >= since for i in items)


def test_listing_links_to_pdfs_mail_and_other_sites_are_not_fetched(tmp_path):
    """The reference copies' listings link to PDFs, mailto: and other sites."""
    with ReplayServer([RECORDED]) as server:
        proc, _ = crawl_via(server, "iecava", tmp_path / "data", "--since", "2000-01-01")
        assert proc.returncode == 0, proc.stderr[-2000:]
        hosts = {h for h, _ in server.hits()}
        paths = [p for _, p in server.hits()]
    assert hosts == {"iecava.lv"}
    assert not [p for p in paths if p.lower().endswith(".pdf")]


def test_a_sitemap_leads_to_the_same_articles(tmp_path, monkeypatch):
    """socd with a WordPress sitemap instead of its RSS feed gives the same feed."""
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    entry = (seeds / "socd.toml").read_text(encoding="utf-8")
    (seeds / "socd.toml").write_text(entry.replace('feeds = ["https://socd.lv/?feed=rss2"]',
                                                   'sitemaps = ["https://socd.lv/wp-sitemap.xml"]'), encoding="utf-8")
    copy = tmp_path / "copy" / "socd"
    shutil.copytree(RECORDED / "socd", copy)
    expected = json.loads((RECORDED / "socd" / "expected.json").read_text(encoding="utf-8"))
    urls = "".join(f"<url><loc>{e['url']}</loc><lastmod>{e['published']}</lastmod></url>" for e in expected)
    (copy / "sitemap-posts.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>', encoding="utf-8")
    (copy / "sitemap-index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        '<sitemap><loc>https://socd.lv/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>', encoding="utf-8")
    with open(copy / "manifest.toml", "a", encoding="utf-8") as manifest:
        manifest.write('\n[[page]]\nurl = "/wp-sitemap.xml"\nfile = "sitemap-index.xml"\n'
                       '\n[[page]]\nurl = "/wp-sitemap-posts-post-1.xml"\nfile = "sitemap-posts.xml"\n')
    # the listing is broken, so every article must come through the sitemap
    for page in copy.glob("listing-*.html"):
        page.write_text("<html><body><p>Lapa pārbūvē</p></body></html>", encoding="utf-8")
    with ReplayServer([tmp_path / "copy"]) as server:
        proc, items = crawl_via(server, "socd", tmp_path / "data", "--since", "2000-01-01", env={"SDCRAWL_SEEDS_DIR": str(seeds)})
        paths = [p for _, p in server.hits()]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "/wp-sitemap-posts-post-1.xml" in paths and "/?feed=rss2" not in paths
    assert comparable(items) == expected
