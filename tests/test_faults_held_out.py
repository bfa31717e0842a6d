"""Faults a held-out campaign found (issue 13), through the real engine against tests/mockserver.py:
a robots.txt that cannot be decoded (item 3), a robots.txt asking to wait a year (item 8), and a
title holding control characters or noncharacters (item 8).

One `sdcrawl crawl` of every site below (the `held_out` fixture), inspected through its report, its
feed and the server's request log. The robots.txt sites each forbid everything once read, so any
request of theirs besides /robots.txt is a disallowed page fetched; `scrapy_alone` crawls the same
sites with Scrapy's own RobotsTxtMiddleware in place of sdcrawl's, to show that these robots.txt
files do make a crawler fetch disallowed pages.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime

import pytest
from faultkit import Run, Site, crawl, listing

import sdcrawl.settings as project_settings

BROKEN_ROBOTS = {  # site id -> (host, the site_error that says why)
    "r_gzcut": ("robotsgzcut.lv", "robots.txt of robotsgzcut.lv could not be read (gzip stream cut short after "),
    "r_gzfake": ("robotsgzfake.lv", "robots.txt of robotsgzfake.lv could not be read (not a valid gzip stream "),
    "r_gzbig": ("robotsgzbig.lv", "robots.txt of robotsgzbig.lv could not be read (more than DOWNLOAD_MAXSIZE (1048576 B) once decompressed)"),
    "r_binary": ("robotsbinary.lv", "robots.txt of robotsbinary.lv is not text (binary bytes)"),
    "r_retry": ("robotsretry.lv", "robots.txt of robotsretry.lv answered 503 and asks to wait 31536000 s (Retry-After)"),
}
SKIPPED = ": site skipped tonight"
WAITERS_HOST = "robots503.waiters.lv"  # robots.txt answers 503 (3 tries)


def title(slug: str) -> str:
    return f"Sociālā dienesta darbinieki apmeklē semināru {slug}"


def held_out_sites() -> list[Site]:
    sites = [Site(site_id, host, [listing(host, f"/article/{site_id}-a", f"/article/{site_id}-b")])
             for site_id, (host, _) in BROKEN_ROBOTS.items()]
    return [
        *sites,
        # five requests (three listings, a feed, a sitemap) wait together for one broken robots.txt
        Site("r_waiters", WAITERS_HOST, [listing(WAITERS_HOST, f"/article/w{n}") for n in range(3)],
             feeds=[f"https://{WAITERS_HOST}/feed/waiters.rss"], sitemaps=[f"https://{WAITERS_HOST}/sitemap/waiters.xml"]),
        Site("r_busy", "robotsbusy.lv", [listing("robotsbusy.lv", "/article/r-busy")]),
        Site("t_oddtitle", "oddtitle.lv", [listing("oddtitle.lv", "/oddtitle/esc/t-esc", "/oddtitle/ffff/t-ffff")]),
    ]


@dataclass
class Crawled:
    """A crawl of some of the sites above and the requests the server received during it."""

    run: Run
    log: list[dict]

    def paths(self, host: str) -> list[str]:
        return [e["path"] for e in self.log if e["host"] == host]


def crawl_and_log(server, workdir, sites: list[Site], **kwargs) -> Crawled:
    start = time.time()
    run = crawl(server, workdir, sites, **kwargs)
    assert run.report, run.proc.stderr[-3000:]
    return Crawled(run, [e for e in server.log("/") if e["t"] >= start])


@pytest.fixture(scope="module")
def held_out(mockserver, tmp_path_factory) -> Crawled:
    mockserver.wait_until_ready()
    return crawl_and_log(mockserver, tmp_path_factory.mktemp("held_out"), held_out_sites())


@pytest.fixture(scope="module")
def scrapy_alone(mockserver, held_out, tmp_path_factory) -> Crawled:
    """The broken-robots sites again, with Scrapy's RobotsTxtMiddleware reading robots.txt
    (sdcrawl's other fault middlewares unchanged)."""
    middlewares = dict(project_settings.DOWNLOADER_MIDDLEWARES)
    middlewares["sdcrawl.faults.robots.ConservativeRobotsTxtMiddleware"] = None
    middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = 100
    sites = [s for s in held_out_sites() if s.id in BROKEN_ROBOTS or s.id == "r_waiters"]
    return crawl_and_log(mockserver, tmp_path_factory.mktemp("scrapy_alone"), sites,
                         settings={"DOWNLOADER_MIDDLEWARES": json.dumps(middlewares)})


# --- item 3: a robots.txt that cannot be decoded ----------------------------------------------------
@pytest.mark.parametrize("site_id", ["r_gzcut", "r_gzfake", "r_gzbig", "r_binary"])
def test_a_robots_txt_that_cannot_be_decoded_skips_the_site_and_nothing_disallowed_is_fetched(held_out, site_id):
    host, reason = BROKEN_ROBOTS[site_id]
    stats = held_out.run.stats(site_id)
    assert held_out.paths(host) == ["/robots.txt"]  # counted at the server: no page, no retry
    assert stats["sdcrawl/site_error"].startswith(reason) and stats["sdcrawl/site_error"].endswith(SKIPPED)
    assert stats["finish_reason"] == "site_error"
    assert stats["sdcrawl/fault/robots_unavailable"] == 1
    assert held_out.run.site_items(site_id) == []


@pytest.mark.parametrize("site_id", ["r_gzcut", "r_gzfake", "r_gzbig", "r_binary", "r_retry", "r_waiters"])
def test_scrapy_alone_fetches_the_disallowed_pages_of_the_same_sites(scrapy_alone, site_id):
    """The scenarios are real: read by Scrapy's RobotsTxtMiddleware, each of these robots.txt files
    (a readable one says `Disallow: /`) lets the crawler fetch the site's listing."""
    host = BROKEN_ROBOTS[site_id][0] if site_id in BROKEN_ROBOTS else WAITERS_HOST
    assert any(path.startswith("/list") for path in scrapy_alone.paths(host)), scrapy_alone.paths(host)


def test_every_request_waiting_for_a_broken_robots_txt_is_refused(held_out):
    """Three listings, a feed and a sitemap ask for the host at once and all wait for its robots.txt;
    each is refused. (Scrapy 2.19's middleware hands the verdict to the first waiter only, and the
    others fetch: so did sdcrawl's while it was a subclass of it.)"""
    stats = held_out.run.stats("r_waiters")
    assert held_out.paths(WAITERS_HOST) == ["/robots.txt"] * 3
    assert stats["sdcrawl/skipped/robots_unavailable"] == 5
    assert stats["finish_reason"] == "site_error"


# --- item 8: Retry-After on robots.txt -----------------------------------------------------------------
def crawl_seconds(stats: dict) -> float:
    return (datetime.fromisoformat(stats["finish_time"]) - datetime.fromisoformat(stats["start_time"])).total_seconds()


def test_a_robots_txt_asking_to_wait_a_year_skips_the_site_at_once(held_out):
    stats = held_out.run.stats("r_retry")
    host, reason = BROKEN_ROBOTS["r_retry"]
    assert held_out.paths(host) == ["/robots.txt"]  # not retried, not waited for
    assert stats["sdcrawl/site_error"] == reason + SKIPPED
    assert stats["sdcrawl/fault/robots_retry_after"] == 1
    assert crawl_seconds(stats) < 3.0  # SDCRAWL_RETRY_AFTER_MAX is 3 s in these crawls; nothing waited
    assert held_out.run.site_items("r_retry") == []


def test_a_short_retry_after_on_robots_txt_is_still_waited_for(held_out):
    stats = held_out.run.stats("r_busy")
    robots = [e for e in held_out.log if e["host"] == "robotsbusy.lv" and e["path"] == "/robots.txt"]
    assert len(robots) == 2 and robots[1]["t"] - robots[0]["t"] >= 1.0  # 503 with Retry-After: 1, then 200
    assert stats["finish_reason"] == "finished"
    assert held_out.run.titles("r_busy") == [title("r-busy")]


# --- item 8: control characters and noncharacters in a title -------------------------------------------
def test_a_title_with_esc_or_a_noncharacter_is_cleaned_and_reaches_the_feed(held_out):
    stats = held_out.run.stats("t_oddtitle")
    assert stats["finish_reason"] == "finished"
    assert held_out.run.titles("t_oddtitle") == [title("t-esc"), title("t-ffff")]
    assert "sdcrawl/dropped/invalid" not in stats
    assert stats["sdcrawl/fault/invalid_reference"] == 1  # &#xFFFF; removed before trafilatura reads the page
    for item in held_out.run.site_items("t_oddtitle"):
        assert "mācības vadīja supervizore" in item["body"]
        text = json.dumps(item, ensure_ascii=False)
        assert "\x1b" not in text and "\uffff" not in text and "\\u001b" not in text


def test_no_other_site_was_held_up(held_out):
    """Robots.txt of every broken site decided, the run ends in seconds, not Retry-After's year."""
    for site_id in (*BROKEN_ROBOTS, "r_waiters"):
        assert crawl_seconds(held_out.run.stats(site_id)) < 3.0, site_id
    assert held_out.run.proc.returncode == 1  # the skipped sites fail the run, as a 5xx robots.txt does
