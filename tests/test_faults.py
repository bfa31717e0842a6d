"""Faults and bad input (docs/reliability.md, scenarios 1-26 of /work/shared/notes/reliability.md).

Every scenario is a site of its own in a temporary registry, served by the fault-injection server
(tests/mockserver.py, a separate process). One real `sdcrawl crawl` of all of them at once (the
`night` fixture: a night's run over many small sites, each its own crawler in one process) is
inspected test by test through its report (each site's stats), its feed and the server's request
log. Scenarios that need runs of their own (a re-run, kill -9) start them.
"""

from __future__ import annotations

import json
import re
import socket
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from faultkit import Run, Site, crawl, kill9, listing, start_crawl
from mockserver import LATVIAN_TEXT

from sdcrawl.tools.testing import read_feed

PAGE_BUDGET = 3


def title(slug: str) -> str:
    return f"Sociālā dienesta darbinieki apmeklē semināru {slug}"


def redirect_to(target: str) -> str:
    return f"/redirect/to?url={quote(target, safe='')}"


MIXED_REACHABLE = ["mixed-ok1", "mixed-ok2", "mixed-flaky", "mixed-ratelimit", "mixed-cp1257", "mixed-redirected",
                   "mixed-malformed", "mixed-2", "mixed-3"]


def night_sites(port: int) -> list[Site]:
    return [
        Site("s01_flaky", "s01.lv", [listing("s01.lv", "/flaky/s01/s01-flaky", "/article/s01-ok")]),
        Site("s02_down", "s02.lv", ["https://s02.lv/down/s02-listing"]),
        Site("s03_ratelimit", "s03.lv", [listing("s03.lv", "/ratelimit/s03a/s03-seconds?after=2",
                                                 "/ratelimit/s03b/s03-capped?after=3600",
                                                 "/ratelimit/s03c/s03-date?after=2&form=date")]),
        Site("s04_stall", "s04.lv", [listing("s04.lv", "/stall/s04-stall", "/noanswer/s04-noanswer", "/article/s04-ok")]),
        Site("s05_refused", "refused.lv", [listing("refused.lv", "/article/s05-refused")]),
        Site("s05_dns", "s05.invalid", [listing("s05.invalid", "/article/s05-dns")], routed=False),
        Site("s06_partial", "s06.lv", [listing("s06.lv", "/reset/s06-reset", "/short/s06-short", "/article/s06-ok")]),
        Site("s07_chunked", "s07.lv", [listing("s07.lv", "/badchunk/s07-badchunk", "/article/s07-ok")]),
        Site("s08_bombs", "s08.lv", [listing("s08.lv", "/gzipbomb/s08-gzipbomb", "/brbomb/s08-brbomb", "/gzip/s08-gzip")]),
        Site("s09_truncgzip", "s09.lv", [listing("s09.lv", "/truncgzip/s09-truncated", "/article/s09-ok")]),
        Site("s10_big", "s10.lv", [listing("s10.lv", "/big/s10-big", "/bigchunked/s10-bigchunked", "/article/s10-ok")]),
        Site("s11_redirects", "s11.lv", [listing("s11.lv", "/redirect/chain/8/s11-far", "/redirect/chain/3/s11-near")]),
        Site("s12_loop", "s12.lv", [listing("s12.lv", "/redirect/loop/a/s12-loop", "/article/s12-ok")]),
        Site("s13_scheme", "s13.lv", [listing("s13.lv", redirect_to("file:///etc/passwd"), redirect_to("ftp://s13.lv/s13-ftp"),
                                              "/article/s13-ok")]),
        Site("s14_private", "s14.lv", [listing("s14.lv", "/redirect/private/s14", redirect_to(f"http://localhost:{port}/secret/s14-name"),
                                               redirect_to("http://169.254.169.254/latest/meta-data/"), "/redirect/chain/1/s14-allowed")]),
        Site("s15_cp1257", "s15.lv", [listing("s15.lv", "/cp1257/s15-declared", "/cp1257-nocharset/s15-undeclared")]),
        Site("s16_bom", "s16.lv", [listing("s16.lv", "/bom/s16-bom")]),
        Site("s17_robots", "robots503.lv", [listing("robots503.lv", "/article/s17-never")]),
        Site("s18_entities", "s18.lv", [listing("s18.lv")], feeds=["https://s18.lv/feed/s18.rss"],
             sitemaps=["https://s18.lv/sitemap/s18.xml"]),
        Site("s19_endless", "s19.lv", ["https://s19.lv/endless?key=s19&page=1"]),
        Site("s20_aliases", "s20.lv", [listing("s20.lv", "/article/s20-one?utm_source=newsletter&utm_medium=email",
                                               "http://s20.lv/article/s20-one", "/?p=s20-one", "https://www.s20.lv/article/s20-one")]),
        Site("s21_rerun", "s21.lv", [listing("s21.lv", "/article/s21-a", "/article/s21-b", "/article/s21-c")]),
        Site("s23_coverage", "s23.lv", [listing("s23.lv", *[f"/nodate/s23-{i}" for i in range(4)])]),
        Site("s24_malformed", "s24.lv", [listing("s24.lv", "/malformed/s24-malformed")]),
        Site("s25_nodate", "s25.lv", [listing("s25.lv", "/nodate/s25-nodate", "/article/s25-ok")]),
        Site("s26_links", "s26.lv", [listing("s26.lv", "/files/s26-report.pdf", "mailto:info@s26.lv", "javascript:void(0)",
                                             "tel:+37100000000", "https://other.lv/article/s26-other", "/article/s26-ok")]),
        Site("mixed", "mixed.lv", [listing("mixed.lv", "/article/mixed-ok1", "/flaky/mixed/mixed-flaky",
                                           "/ratelimit/mixed/mixed-ratelimit?after=1", "/stall/mixed-stall", "/reset/mixed-reset",
                                           "/gzipbomb/mixed-bomb", "/truncgzip/mixed-truncated", "/redirect/loop/a/mixed-loop",
                                           redirect_to("file:///etc/passwd"), "/cp1257/mixed-cp1257", "/nodate/mixed-nodate",
                                           "/big/mixed-big", "/redirect/chain/2/mixed-redirected", "/malformed/mixed-malformed",
                                           "/article/mixed-ok2", next_path="/endless?key=mixed&page=2")]),
    ]


class Night:
    """The night's run: the crawl of every scenario site, its working folder and the server."""

    def __init__(self, run: Run, workdir: Path, server) -> None:
        self.run, self.workdir, self.server = run, workdir, server

    def hits(self, host: str, prefix: str = "/") -> list[dict]:
        return [e for e in self.server.log(prefix) if e["host"] == host]


@pytest.fixture(scope="module")
def night(mockserver, tmp_path_factory) -> Night:
    mockserver.wait_until_ready()
    workdir = tmp_path_factory.mktemp("night")
    with socket.socket() as closed:  # bound but never listening: connections to it are refused
        closed.bind(("127.0.0.1", 0))
        refused = f"127.0.0.1:{closed.getsockname()[1]}"
        run = crawl(mockserver, workdir, night_sites(mockserver.port), "--page-budget", str(PAGE_BUDGET),
                    hosts={"refused.lv": refused, "www.s20.lv": mockserver.address, "other.lv": mockserver.address})
    assert run.report, run.proc.stderr[-3000:]
    return Night(run, workdir, mockserver)


def finished(night: Night, site: str) -> None:
    stats = night.run.stats(site)
    assert stats["finish_reason"] == "finished", (stats.get("sdcrawl/site_error"), stats.get("sdcrawl/faults"))


def gaps(entries: list[dict]) -> list[float]:
    times = sorted(e["t"] for e in entries)
    return [b - a for a, b in zip(times, times[1:])]


# --- 1-5: status codes and the connection ---------------------------------------------------------
def test_01_503_twice_then_200_gives_the_article_once_after_two_retries(night):
    finished(night, "s01_flaky")
    assert night.run.titles("s01_flaky") == [title("s01-flaky"), title("s01-ok")]
    stats = night.run.stats("s01_flaky")
    assert stats["retry/reason_count/503 Service Unavailable"] == 2
    assert stats["retry/count"] == 2
    assert len(night.hits("s01.lv", "/flaky/s01/")) == 3


def test_02_503_every_time_is_tried_a_bounded_number_of_times_and_fails_the_site(night):
    stats = night.run.stats("s02_down")
    assert len(night.hits("s02.lv", "/down/")) == 3  # RETRY_TIMES=2: the first try and two retries
    assert stats["retry/max_reached"] == 1
    assert "503" in stats["sdcrawl/site_error"]
    assert stats["finish_reason"] == "site_error"
    assert any(f.startswith("server_error: https://s02.lv/down/s02-listing: 503") and "after 3 tries" in f
               for f in night.run.faults("s02_down"))
    assert night.run.site_items("s02_down") == []
    finished(night, "s01_flaky")  # other sites go on


def test_03_retry_after_is_waited_for_up_to_the_maximum(night):
    finished(night, "s03_ratelimit")
    seconds, capped, http_date = (night.hits("s03.lv", f"/ratelimit/{key}/") for key in ("s03a", "s03b", "s03c"))
    assert [len(seconds), len(capped), len(http_date)] == [2, 2, 2]
    assert gaps(seconds)[0] >= 2.0  # Retry-After: 2
    assert gaps(http_date)[0] >= 2.0  # Retry-After: <an HTTP date at least 2 s ahead>
    assert gaps(capped)[0] >= 3.0  # Retry-After: 3600, capped by SDCRAWL_RETRY_AFTER_MAX=3
    stats = night.run.stats("s03_ratelimit")
    assert stats["sdcrawl/fault/retry_after"] == 3
    assert stats["sdcrawl/fault/retry_after_max_wait"] == 3.0
    assert night.run.titles("s03_ratelimit") == sorted(title(s) for s in ("s03-seconds", "s03-capped", "s03-date"))


def test_04_a_body_that_stalls_or_never_comes_times_out_is_retried_and_fails(night):
    finished(night, "s04_stall")  # the run ended, within CLOSESPIDER_TIMEOUT and the child's timeout
    stats = night.run.stats("s04_stall")
    assert night.run.titles("s04_stall") == [title("s04-ok")]
    assert len(night.hits("s04.lv", "/stall/")) == 3 and len(night.hits("s04.lv", "/noanswer/")) == 3
    assert stats["downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError"] == 6
    assert stats["sdcrawl/fault/timeout"] == 2
    assert {f.split(": ")[1] for f in night.run.faults("s04_stall")} == {"https://s04.lv/stall/s04-stall", "https://s04.lv/noanswer/s04-noanswer"}


def test_05_a_refused_or_unresolvable_site_fails_alone_and_the_report_says_why(night):
    refused, dns = night.run.stats("s05_refused"), night.run.stats("s05_dns")
    assert refused["finish_reason"] == dns["finish_reason"] == "site_error"
    assert "connection refused" in refused["sdcrawl/site_error"]
    assert "does not resolve (DNS)" in dns["sdcrawl/site_error"]
    assert refused["sdcrawl/fault/connection_refused"] == 1 and dns["sdcrawl/fault/dns"] == 1
    assert not night.run.site_items("s05_refused") and not night.run.site_items("s05_dns")
    assert night.run.proc.returncode == 1  # failed sites fail the run ...
    for site in ("s01_flaky", "s21_rerun", "mixed"):  # ... and the others went on
        finished(night, site)


# --- 6-10: bodies -----------------------------------------------------------------------------------
def test_06_a_reset_or_short_body_gives_no_item(night):
    finished(night, "s06_partial")
    assert night.run.titles("s06_partial") == [title("s06-ok")]
    stats = night.run.stats("s06_partial")
    assert len(night.hits("s06.lv", "/reset/")) == len(night.hits("s06.lv", "/short/")) == 3
    assert stats["retry/max_reached"] == 2
    # (a reset that arrives before the client read the partial body is a broken response instead)
    assert stats.get("sdcrawl/fault/data_loss", 0) + stats.get("sdcrawl/fault/broken_response", 0) == 2
    reasons = {f.split(": ")[1] for f in night.run.faults("s06_partial")}
    assert reasons == {"https://s06.lv/reset/s06-reset", "https://s06.lv/short/s06-short"}


def test_07_broken_chunked_encoding_gives_no_item(night):
    finished(night, "s07_chunked")
    assert night.run.titles("s07_chunked") == [title("s07-ok")]
    assert night.run.stats("s07_chunked")["sdcrawl/fault/data_loss"] == 1
    assert any("s07-badchunk" in f for f in night.run.faults("s07_chunked"))


def test_08_gzip_and_brotli_bombs_are_refused_at_the_size_limit_in_bounded_memory(night):
    finished(night, "s08_bombs")
    assert night.run.titles("s08_bombs") == [title("s08-gzip")]  # compressed pages still work
    faults = night.run.faults("s08_bombs")
    assert night.run.stats("s08_bombs")["sdcrawl/fault/too_large"] == 2
    assert {f.split(": ")[1] for f in faults} == {"https://s08.lv/gzipbomb/s08-gzipbomb", "https://s08.lv/brbomb/s08-brbomb"}
    assert all("more than DOWNLOAD_MAXSIZE" in f for f in faults)
    # each bomb is 256 MiB once decompressed (Scrapy would hold it twice over while decoding);
    # the whole run of 28 sites stays far below that
    assert night.run.max_rss is not None and night.run.max_rss < 400 * 1024 * 1024, night.run.max_rss


def test_09_a_truncated_gzip_body_is_logged_and_gives_no_item(night):
    finished(night, "s09_truncgzip")
    assert night.run.titles("s09_truncgzip") == [title("s09-ok")]
    assert night.run.stats("s09_truncgzip")["sdcrawl/fault/truncated"] == 1
    assert "Refused https://s09.lv/truncgzip/s09-truncated: gzip stream cut short" in night.run.proc.stderr


def test_10_a_page_over_the_size_limit_is_skipped_with_a_warning(night):
    finished(night, "s10_big")
    assert night.run.titles("s10_big") == [title("s10-ok")]
    assert night.run.stats("s10_big")["sdcrawl/fault/too_large"] == 2  # one with its length, one chunked
    for path in ("/big/s10-big", "/bigchunked/s10-bigchunked"):
        assert f"WARNING: Not fetched: https://s10.lv{path}: body over DOWNLOAD_MAXSIZE" in night.run.proc.stderr


# --- 11-14: redirects -------------------------------------------------------------------------------
def test_11_more_redirects_than_allowed_are_reported_and_the_crawl_goes_on(night):
    finished(night, "s11_redirects")
    assert night.run.titles("s11_redirects") == [title("s11-near")]  # 3 redirects are fine
    assert night.run.stats("s11_redirects")["sdcrawl/fault/redirect_max"] == 1
    assert len(night.hits("s11.lv", "/redirect/chain/")) == 6 + 3  # REDIRECT_MAX_TIMES=5: 6 of the 8 fetched; all 3
    assert "ERROR: Redirects not followed: more than 5 redirects: https://s11.lv/redirect/chain/8/s11-far" in night.run.proc.stderr


def test_12_a_redirect_loop_ends_and_says_so(night):
    finished(night, "s12_loop")
    assert night.run.titles("s12_loop") == [title("s12-ok")]
    assert night.run.stats("s12_loop")["sdcrawl/fault/redirect_loop"] == 1
    assert night.run.faults("s12_loop") == ["redirect_loop: https://s12.lv/redirect/loop/a/s12-loop -> "
                                            "https://s12.lv/redirect/loop/b/s12-loop -> https://s12.lv/redirect/loop/a/s12-loop"]
    assert [e["path"] for e in night.hits("s12.lv", "/redirect/")] == ["/redirect/loop/a/s12-loop", "/redirect/loop/b/s12-loop"]


def test_13_a_redirect_to_a_non_http_scheme_is_not_followed(night):
    finished(night, "s13_scheme")
    assert night.run.titles("s13_scheme") == [title("s13-ok")]
    assert night.run.stats("s13_scheme")["sdcrawl/fault/redirect_blocked"] == 2
    blocked = sorted(f.split(" -> ")[1] for f in night.run.faults("s13_scheme"))
    assert blocked == ["file:///etc/passwd: scheme file: is not http(s)", "ftp://s13.lv/s13-ftp: scheme ftp: is not http(s)"]


def test_14_a_redirect_to_a_private_or_loopback_address_is_blocked(night):
    finished(night, "s14_private")
    assert night.server.log("/secret/") == []  # never fetched, under any name
    assert night.run.stats("s14_private")["sdcrawl/fault/redirect_blocked"] == 3
    reasons = sorted(f.split(": ", 2)[2] for f in night.run.faults("s14_private"))
    assert reasons[:2] == ["127.0.0.1 is a loopback address", "169.254.169.254 is a link-local address"]
    assert re.fullmatch(r"localhost resolves to (127\.0\.0\.1|::1), a loopback address", reasons[2]), reasons[2]
    # a redirect within a site served on loopback (SDCRAWL_LOOPBACK_HOSTS) is followed
    assert night.run.titles("s14_private") == [title("s14-allowed")]


# --- 15-16: charsets --------------------------------------------------------------------------------
def test_15_windows_1257_bytes_behind_utf8_or_no_charset_keep_their_latvian_letters(night):
    finished(night, "s15_cp1257")
    items = night.run.site_items("s15_cp1257")
    assert sorted(i["title"] for i in items) == [title("s15-declared"), title("s15-undeclared")]
    for item in items:
        assert LATVIAN_TEXT in item["body"] and "\ufffd" not in item["body"] + item["title"]
    assert night.run.stats("s15_cp1257")["sdcrawl/fault/charset_fixed"] == 2


def test_16_a_bom_wins_over_the_header(night):
    finished(night, "s16_bom")
    [item] = night.run.site_items("s16_bom")  # utf-8 BOM and bytes, header says windows-1257
    assert item["title"] == title("s16-bom") and LATVIAN_TEXT in item["body"]
    assert "sdcrawl/fault/charset_fixed" not in night.run.stats("s16_bom")


# --- 17-19: robots.txt, XML, traps --------------------------------------------------------------------
def test_17_robots_txt_answering_503_means_the_site_is_not_crawled_tonight(night):
    stats = night.run.stats("s17_robots")
    assert stats["sdcrawl/site_error"] == "robots.txt of robots503.lv answered 503: site skipped tonight"
    assert stats["finish_reason"] == "site_error"
    assert {e["path"] for e in night.hits("robots503.lv")} == {"/robots.txt"}  # tried 3 times, nothing else fetched
    assert len(night.hits("robots503.lv")) == 3
    assert night.run.site_items("s17_robots") == []


def test_18_entity_payloads_in_a_feed_and_a_sitemap_are_not_expanded(night):
    finished(night, "s18_entities")
    assert night.server.log("/xxe/") == []  # the external entity was never fetched
    assert night.run.titles("s18_entities") == [title("s18-feed-ok"), title("s18-sitemap-ok")]
    assert {e["path"] for e in night.hits("s18.lv")} == {"/robots.txt", "/feed/s18.rss", "/sitemap/s18.xml", "/list",
                                                         "/article/s18-feed-ok", "/article/s18-sitemap-ok"}
    stats = night.run.stats("s18_entities")
    assert stats["sdcrawl/fault/xml_doctype"] == 2
    text = json.dumps(night.run.site_items("s18_entities"), ensure_ascii=False)
    assert "lollol" not in text and "root:" not in text


def test_19_endless_pagination_is_bounded_by_the_page_budget(night):
    finished(night, "s19_endless")
    assert [e["path"] for e in night.hits("s19.lv", "/endless")] == [f"/endless?key=s19&page={n}" for n in (1, 2, 3)]
    assert night.run.stats("s19_endless")["sdcrawl/page_budget_reached"] == 1
    assert night.run.titles("s19_endless") == [title(f"s19-{n}") for n in (1, 2, 3)]


# --- 20-23: the feed --------------------------------------------------------------------------------
def test_20_one_article_under_several_addresses_is_one_item(night):
    finished(night, "s20_aliases")
    assert night.run.titles("s20_aliases") == [title("s20-one")]
    fetched = [e for e in night.server.log("/") if e["host"] in ("s20.lv", "www.s20.lv") and e["path"].startswith(("/article/", "/?p="))]
    assert len(fetched) == 4
    assert night.run.stats("s20_aliases")["sdcrawl/dropped/duplicate"] == 3


def test_21_a_rerun_against_an_unchanged_site_adds_no_line(night):
    finished(night, "s21_rerun")
    feed = night.workdir / "data" / "feed.jsonl"
    before = feed.read_bytes()
    assert night.run.titles("s21_rerun") == [title(s) for s in ("s21-a", "s21-b", "s21-c")]
    again = crawl(night.server, night.workdir, [s for s in night_sites(night.server.port) if s.id == "s21_rerun"])
    assert again.proc.returncode == 0, again.proc.stderr[-2000:]
    assert feed.read_bytes() == before
    assert again.report["s21_rerun"].get("sdcrawl/feed/written", 0) == 0


def test_22_kill_9_at_any_moment_then_the_next_run_leaves_every_article_once(mockserver, tmp_path):
    slugs = [f"s22-{n}" for n in range(12)]
    site = Site("s22_kill", "s22.lv", [listing("s22.lv", *[f"/slow/{s}?ms=500" for s in slugs])])
    feed = tmp_path / "data" / "feed.jsonl"
    for kill_after in (3, 7):  # article requests served (over all runs) when the crawl is killed
        child = start_crawl(mockserver, tmp_path, [site])
        deadline = time.monotonic() + 90
        while len(mockserver.log("/slow/s22-")) < kill_after and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        kill9(child)
        assert child.returncode == -9  # killed mid-crawl (two articles a second at most remain to fetch)
        assert len(read_feed(feed)) < len(slugs)  # every line is whole JSON (read_feed raises otherwise)
    run = crawl(mockserver, tmp_path, [site])
    assert run.proc.returncode == 0, run.proc.stderr[-2000:]
    assert sorted(i["title"] for i in run.items) == sorted(title(s) for s in slugs)
    assert len({i["id"] for i in run.items}) == len(slugs)


def test_23_a_template_change_that_empties_a_field_raises_an_alert(night):
    """The site's new template no longer shows the date (e.g. a script fills it in): every page
    lacks it, and the report says so (sdcrawl.monitors' field coverage)."""
    stats = night.run.stats("s23_coverage")
    assert stats["sdcrawl/extracted"] == 4 and stats.get("sdcrawl/extracted/published", 0) == 0
    assert stats["sdcrawl/dropped/no_date"] == 4
    assert any("field coverage below" in a and "published 0%" in a for a in stats["sdcrawl/alerts"]), stats.get("sdcrawl/alerts")


# --- 24-26: pages -----------------------------------------------------------------------------------
def test_24_malformed_html_is_still_extracted(night):
    finished(night, "s24_malformed")
    [item] = night.run.site_items("s24_malformed")
    assert item["title"] == title("s24-malformed") and item["published"] == "2024-05-15"
    assert LATVIAN_TEXT in item["body"]
    assert "Teksts pēc turpinās" in item["body"]  # after the stray </html> and </body>
    assert "Informāciju sagatavoja: Līga Kalniņa" in item["body"]
    assert night.run.stats("s24_malformed")["sdcrawl/fault/stray_end_tag"] == 1


def test_25_a_page_without_a_date_is_not_in_the_feed_and_is_counted(night):
    finished(night, "s25_nodate")
    assert night.run.titles("s25_nodate") == [title("s25-ok")]
    assert night.run.stats("s25_nodate")["sdcrawl/dropped/no_date"] == 1


def test_26_links_to_files_mail_scripts_and_other_sites_are_not_fetched(night):
    finished(night, "s26_links")
    assert night.run.titles("s26_links") == [title("s26-ok")]
    assert [e["host"] for e in night.server.log("/") if e["host"] == "other.lv"] == []
    [start] = next(s for s in night_sites(0) if s.id == "s26_links").start_urls
    assert {e["path"] for e in night.hits("s26.lv")} == {"/robots.txt", start.removeprefix("https://s26.lv"), "/article/s26-ok"}


# --- all at once --------------------------------------------------------------------------------------
def test_a_site_mixing_faults_finishes_with_every_reachable_article_once(night):
    finished(night, "mixed")  # not cut by CLOSESPIDER_TIMEOUT
    items = night.run.site_items("mixed")
    assert sorted(i["title"] for i in items) == sorted(title(s) for s in MIXED_REACHABLE)
    assert len({i["id"] for i in items}) == len(items)
    stats = night.run.stats("mixed")
    for kind in ("timeout", "too_large", "truncated", "redirect_loop", "redirect_blocked", "retry_after", "charset_fixed"):
        assert stats[f"sdcrawl/fault/{kind}"] >= 1, kind
    assert stats.get("sdcrawl/fault/data_loss", 0) + stats.get("sdcrawl/fault/broken_response", 0) == 1  # the reset
