"""Incremental listing walks and the article budget, through the real engine against a synthetic
stopini-style site on loopback (sdcrawl.tools.sitegen), seen from the feed, the replay server's
request log and the run's stats (issue 13, items 1 and 8).

A walk that was cut short — a listing page answering 503, a run killed after the first page —
must not let the next run stop at the first page it already knows: the new articles on page 2
would never be collected. And a listing of 10,000 links must not mean 10,000 article fetches in
one run."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from sdcrawl.replay import ReplayServer
from sdcrawl.tools.sitegen import HOST, LISTING, listing_html, listing_path, make_articles, write_site
from sdcrawl.tools.testing import REPO, crawl_via, read_feed

OLD = make_articles(10, newest=date(2024, 5, 1), start_number=1)      # numbers 1..10
NEW = make_articles(8, newest=date(2024, 6, 28), start_number=11)     # numbers 11..18, newer
PER_PAGE = 5  # 18 articles: page 1 holds five new ones, page 2 the other three and two old ones


def listing_hits(server, since: int = 0) -> list[str]:
    return [path for host, path in server.hits()[since:] if host == HOST and path.startswith(LISTING) and "zina-" not in path]


def article_hits(server, since: int = 0) -> list[str]:
    return [path for host, path in server.hits()[since:] if host == HOST and "/zina-" in path]


def urls(items: list[dict]) -> list[str]:
    return sorted(i["url"] for i in items)


def overlay_listing_page(root: Path, page: int, status: int, headers: dict | None = None) -> None:
    """A copy that answers one listing page with `status` (laid over the site by the server)."""
    folder = root / "stopini"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "down.html").write_text("<html><body><h1>Serviss nav pieejams</h1></body></html>", encoding="utf-8")
    extra = "".join(f'\n[page.headers]\n"{k}" = "{v}"' for k, v in (headers or {}).items())
    (folder / "manifest.toml").write_text(
        f'hosts = ["{HOST}", "www.{HOST}"]\n\n[[page]]\nurl = "{listing_path(page)}"\nfile = "down.html"\nstatus = {status}{extra}\n',
        encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    """Ten articles crawled once (a complete walk), then eight new ones across two listing pages."""
    write_site(tmp_path / "old" / "stopini", OLD, per_page=PER_PAGE)
    write_site(tmp_path / "new" / "stopini", NEW + OLD, per_page=PER_PAGE)
    data = tmp_path / "data"
    with ReplayServer([tmp_path / "old"]) as server:
        proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert urls(items) == sorted(a.url for a in OLD)
        yield server, tmp_path, data


def test_a_listing_page_that_answered_503_is_walked_past_on_the_next_run(site):
    server, tmp, data = site
    # the next run: eight new articles, and listing page 2 answers one 503 (no retry)
    overlay_listing_page(tmp / "down", 2, 503)
    server.reload([tmp / "new", tmp / "down"])
    before = len(server.hits())
    proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01", "-s", "RETRY_TIMES=0")
    assert listing_hits(server, before) == [listing_path(1), listing_path(2)]
    assert urls(items) == sorted(a.url for a in NEW[:PER_PAGE] + OLD)  # page 1's five only

    # then one clean run: it walks on past page 1 (all known now) to the old ground on page 2
    server.reload([tmp / "new"])
    before = len(server.hits())
    proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert urls(items) == sorted(a.url for a in NEW + OLD)
    assert len(items) == len(NEW) + len(OLD)  # each once
    assert sorted(article_hits(server, before)) == sorted(a.path for a in NEW[PER_PAGE:])
    # page 2's oldest link was on the first page of the last complete walk: the walk ends there
    assert listing_hits(server, before) == [listing_path(1), listing_path(2)]

    # and the walk after that ends on page 1 again, fetching nothing
    before = len(server.hits())
    proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01")
    assert proc.returncode == 0 and len(items) == len(NEW) + len(OLD)
    assert listing_hits(server, before) == [listing_path(1)] and article_hits(server, before) == []


def test_a_run_killed_after_the_first_listing_page_loses_nothing(site):
    server, tmp, data = site
    # page 2 asks the crawler to come back in a minute: the run is killed while it waits
    overlay_listing_page(tmp / "slow", 2, 503, {"Retry-After": "60"})
    server.reload([tmp / "new", tmp / "slow"])
    before = len(server.hits())
    args = ["crawl", "stopini", "--data-dir", str(data), "--since", "2000-01-01",
            "-s", f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=False"]
    child = subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", *args], cwd=REPO, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env={**os.environ, "SDCRAWL_LOG_LEVEL": "WARNING"})
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and child.poll() is None:
        if listing_path(2) in listing_hits(server, before) and len(read_feed(data / "feed.jsonl")) == len(OLD) + PER_PAGE:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the run ended before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert urls(read_feed(data / "feed.jsonl")) == sorted(a.url for a in NEW[:PER_PAGE] + OLD)

    server.reload([tmp / "new"])
    proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert urls(items) == sorted(a.url for a in NEW + OLD)
    assert len(items) == len(NEW) + len(OLD)


# --- the article budget ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """One listing page linking to 10,000 articles (the newest 100 of them are served; asking
    for any other would show in the server's log)."""
    root = tmp_path_factory.mktemp("crowded")
    articles = make_articles(10_000, newest=date(2024, 6, 28), start_number=1)
    write_site(root / "stopini", articles[:100], per_page=100)
    (root / "stopini" / "listing-1.html").write_text(listing_html(articles, 1, last=True), encoding="utf-8")
    with ReplayServer([root]) as server:
        yield server, articles


def test_a_listing_of_ten_thousand_links_fetches_only_the_article_budget(crowded, tmp_path):
    server, articles = crowded
    data, report = tmp_path / "data", tmp_path / "report.json"
    before = len(server.hits())
    proc, items = crawl_via(server, "stopini", data, "--since", "2000-01-01", "-s", "SDCRAWL_ARTICLE_BUDGET=40",
                            "--report", str(report))
    assert proc.returncode == 0, proc.stderr[-2000:]
    first = article_hits(server, before)
    assert sorted(first) == sorted(a.path for a in articles[:40])  # the newest forty, each once
    stats = json.loads(report.read_text(encoding="utf-8"))["sites"]["stopini"]
    assert stats["sdcrawl/article_budget_reached"] == 1
    assert stats["sdcrawl/skipped/article_budget"] == 10_000 - 40
    assert len(items) == len([a for a in articles[:40] if a.relevant])

    # the next run goes on where this one stopped (the walk was not complete: no boundary)
    before = len(server.hits())
    proc, _ = crawl_via(server, "stopini", data, "--since", "2000-01-01", "-s", "SDCRAWL_ARTICLE_BUDGET=40")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(article_hits(server, before)) == sorted(a.path for a in articles[40:80])


def test_the_article_budget_as_a_spider_argument_and_its_default(crowded, tmp_path):
    server, articles = crowded
    before = len(server.hits())
    env = {**os.environ, "SDCRAWL_DATA_DIR": str(tmp_path), "SDCRAWL_LOG_LEVEL": "WARNING"}
    proc = subprocess.run([sys.executable, "-m", "scrapy.cmdline", "crawl", "stopini", "-a", "article_budget=7", "-a", "since=2000-01-01",
                           "-s", f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}",
                           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(article_hits(server, before)) == sorted(a.path for a in articles[:7])
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    assert get_project_settings().getint("SDCRAWL_ARTICLE_BUDGET") == 2000
