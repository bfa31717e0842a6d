"""The crawl state's owner during a crawl (sdcrawl.store.crawlstate): spiders read the state and
send what they learn as signals; the extension writes it. Through the real engine (a failed
article page is requested again on the next run), and the extension's rules on their own."""

import ast
from datetime import date
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from sdcrawl import signals
from sdcrawl.replay import ReplayServer
from sdcrawl.store.crawlstate import CrawlStateExtension, StateReader, boundary_key
from sdcrawl.store.state import StateStore
from sdcrawl.tools.sitegen import HOST, make_articles, write_site
from sdcrawl.tools.testing import REPO, crawl_via
from sdcrawl.urls import url_key

ARTICLES = make_articles(5, newest=date(2024, 6, 28))


def test_an_article_that_failed_is_recorded_by_the_extension_and_fetched_on_the_next_run(tmp_path):
    write_site(tmp_path / "site" / "stopini", ARTICLES, per_page=10)
    broken = ARTICLES[2]
    down = tmp_path / "down" / "stopini"
    down.mkdir(parents=True)
    (down / "busy.html").write_text("<html><body>Pārslogots</body></html>", encoding="utf-8")
    (down / "manifest.toml").write_text(f'hosts = ["{HOST}"]\n\n[[page]]\nurl = "{broken.path}"\nfile = "busy.html"\nstatus = 503\n',
                                        encoding="utf-8")
    data = tmp_path / "data"
    with ReplayServer([tmp_path / "site", tmp_path / "down"]) as server:
        proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01", "-s", "RETRY_TIMES=0")
        assert sorted(i["url"] for i in items) == sorted(a.url for a in ARTICLES if a is not broken)
        with StateStore(data / "state.sqlite") as state:
            assert state.pending_failed("stopini", 5) == [broken.url]

        server.reload([tmp_path / "site"])
        before = len(server.hits())
        proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01")
        assert proc.returncode == 0, proc.stderr[-2000:]
        fetched = [p for h, p in server.hits()[before:] if h == HOST and "zina-" in p]
    assert fetched == [broken.path]  # the listing ends at its boundary; the failed page is asked for
    assert sorted(i["url"] for i in items) == sorted(a.url for a in ARTICLES)
    with StateStore(data / "state.sqlite") as state:
        assert state.pending_failed("stopini", 5) == []


def _crawler(tmp_path: Path, **settings):
    return get_crawler(settings_dict={"SDCRAWL_STATE_PATH": str(tmp_path / "state.sqlite"), **settings})


class _Spider:
    name = site_id = "stopini"


def test_the_boundary_is_recorded_only_when_the_run_finished_normally(tmp_path):
    start = "https://stopini.lv/lv/jaunumi/socialie-pakalpojumi"
    first_page = [a.url for a in ARTICLES]
    for reason, recorded in (("shutdown", False), ("closespider_timeout", False), ("finished", True)):
        crawler = _crawler(tmp_path)
        ext = CrawlStateExtension.from_crawler(crawler)
        ext.spider_opened(_Spider())
        crawler.signals.send_catch_log(signals.listing_walked, spider=_Spider(), start=start, first_page=first_page)
        ext.spider_closed(_Spider(), reason)
        reader = StateReader(StateStore(tmp_path / "state.sqlite"))
        expected = frozenset(url_key(u) for u in first_page) if recorded else frozenset()
        assert reader.listing_boundary("stopini", start) == expected, reason
        reader.close()


def test_a_boundary_from_an_older_sdcrawl_counts_as_none(tmp_path):
    with StateStore(tmp_path / "state.sqlite") as state:
        state.set_meta(boundary_key("socd", "https://socd.lv/?cat=5"), "2024-05-01")  # only the date, as before
        state.set_meta(boundary_key("socd", "https://socd.lv/?cat=6"), "{not json")
    reader = StateReader(StateStore(tmp_path / "state.sqlite"))
    assert reader.listing_boundary("socd", "https://socd.lv/?cat=5") == frozenset()
    assert reader.listing_boundary("socd", "https://socd.lv/?cat=6") == frozenset()
    reader.close()


def test_the_extension_is_off_when_the_crawl_is_not_incremental(tmp_path):
    with pytest.raises(NotConfigured):
        CrawlStateExtension.from_crawler(_crawler(tmp_path, SDCRAWL_INCREMENTAL=False))
    from sdcrawl import settings

    assert "sdcrawl.store.crawlstate.CrawlStateExtension" in settings.EXTENSIONS


WRITES = {"record_failed", "record_stored", "record_rejected", "add_alias", "forget_failed", "set_meta",
          "start_run", "finish_run", "record_run_site"}


@pytest.mark.parametrize("package", ["spiders", "discover", "sources"])
def test_spiders_discovery_and_sources_never_write_the_state(package):
    """No call of a state write method, and no import of the store itself, in these packages."""
    for path in sorted((REPO / "sdcrawl" / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in WRITES:
                pytest.fail(f"{path}:{node.lineno} calls {node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "sdcrawl.store.state":
                pytest.fail(f"{path}:{node.lineno} imports the state store")
