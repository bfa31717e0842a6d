"""Sites whose news lists are drawn by JavaScript (sdcrawl.browser, docs/javascript-sites.md).

The crawls run the real `sdcrawl crawl` in a child process with Debian's Chromium through
scrapy-playwright, against the test copy tests/fixtures/sites/jsnovads/ served on loopback: a listing whose
HTML has an empty list, filled by a script from /api/news?page=N, with a "Rādīt vairāk" button.
These tests are never skipped: without Chromium they fail (CI installs it in .ci/run).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from sdcrawl import browser
from sdcrawl.registry import RegistryError, load_registry
from sdcrawl.replay import ReplayServer
from sdcrawl.tools.testing import RECORDED, REPO, comparable, read_feed, run_sdcrawl

SITES = REPO / "tests" / "fixtures" / "sites"
SEEDS = SITES / "seeds"
COPY = SITES / "jsnovads"
HOST = "jsnovads.example"
THIRD_PARTY = "cdn.skaititajs.example"
EXPECTED = json.loads((COPY / "expected.json").read_text(encoding="utf-8"))
PAGE_1 = [e["url"] for e in json.loads((COPY / "api-news-1.json").read_text(encoding="utf-8"))["items"]]
FEED = [  # what the crawl of the copy must give, newest first (the Easter opening hours are not relevant)
    ("2024-05-14", "Sociālā dienesta darbinieki apgūst motivējošo intervēšanu"),
    ("2024-04-02", "Sākas ESF+ projekts “Atbalsts ģimenēm ar bērniem”"),
    ("2024-03-11", "Supervīzijas sociālajiem darbiniekiem un aprūpētājiem"),
    ("2024-02-19", "Pieredzes apmaiņa Lietuvā: Latvijas–Lietuvas pārrobežu sadarbības projekts"),
]
LATVIAN = set("āčēģīķļņšūž")


def require_chromium() -> str:
    found = browser.find_chromium()
    assert found, "Chromium is not installed: apt-get install -y chromium (.ci/run installs it before `make test`)"
    return found


def seeds_with(tmp: Path, *entries: tuple[str, str]) -> Path:
    """A registry folder: the test-only entries, changed as given ((file, text to append or 'drop:KEY'))."""
    folder = tmp / "seeds"
    folder.mkdir(parents=True, exist_ok=True)
    for src in SEEDS.glob("*.toml"):
        shutil.copy(src, folder / src.name)
    for name, change in entries:
        path = folder / name
        text = path.read_text(encoding="utf-8") if path.exists() else (SEEDS / "jsnovads.toml").read_text(encoding="utf-8")
        if change.startswith("drop:"):
            text = re.sub(rf"(?m)^{change[5:]} = .*\n", "", text)
        else:
            text += change
        if path.stem != "jsnovads":
            text = text.replace('id = "jsnovads"', f'id = "{path.stem}"')
        path.write_text(text, encoding="utf-8")
    return folder


def crawl(tmp: Path, server: ReplayServer, *sites: str, seeds: Path = SEEDS, args: tuple = (), env: dict | None = None) -> SimpleNamespace:
    data, report = tmp / "data", tmp / "report.json"
    proc = run_sdcrawl("crawl", *sites, "--data-dir", str(data), "--since", "2000-01-01", "--report", str(report),
                       "-s", f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}",
                       "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *args,
                       env={"SDCRAWL_SEEDS_DIR": str(seeds), **(env or {})}, timeout=120)
    stats = json.loads(report.read_text(encoding="utf-8"))["sites"] if report.exists() else {}
    return SimpleNamespace(proc=proc, stats=stats, items=read_feed(data / "feed.jsonl"), hits=server.hits())


def paths(run, host: str = HOST) -> list[str]:
    return [p for h, p in run.hits if h == host]


# --- the crawls (each runs once per module) --------------------------------------------------------
@pytest.fixture(scope="module")
def js_run(tmp_path_factory):
    """jsnovads (`javascript = true`) crawled with Chromium."""
    require_chromium()
    with ReplayServer([COPY]) as server:
        return crawl(tmp_path_factory.mktemp("js"), server, "jsnovads")


@pytest.fixture(scope="module")
def budget_run(tmp_path_factory):
    """jsnovads with `javascript_articles = true` too, and a page budget of one listing page."""
    require_chromium()
    tmp = tmp_path_factory.mktemp("budget")
    seeds = seeds_with(tmp, ("jsnovads.toml", "javascript_articles = true\n"))
    with ReplayServer([COPY]) as server:
        return crawl(tmp, server, "jsnovads", seeds=seeds, args=("--page-budget", "1"))


@pytest.fixture(scope="module")
def no_chromium_run(tmp_path_factory):
    """One run, no Chromium anywhere: jsnovads (needs it), stopini (a normal site) and
    jsnovads_plain (the same JS site without `javascript = true`: the plain spider)."""
    tmp = tmp_path_factory.mktemp("nochromium")
    seeds = seeds_with(tmp, ("jsnovads_plain.toml", "drop:javascript"))
    shutil.copy(REPO / "seeds" / "stopini.toml", seeds / "stopini.toml")
    empty_bin = tmp / "bin"
    empty_bin.mkdir()
    with ReplayServer([RECORDED / "stopini", COPY]) as server:
        return crawl(tmp, server, "stopini", "jsnovads", "jsnovads_plain", seeds=seeds,
                     env={"SDCRAWL_CHROMIUM_PATH": "/nonexistent", "PATH": str(empty_bin)})


@pytest.fixture(scope="module")
def json_api_run(tmp_path_factory):
    """jsnovads read from its JSON endpoint by the example spider, without `javascript = true`."""
    tmp = tmp_path_factory.mktemp("jsonapi")
    seeds = seeds_with(tmp, ("jsnovads.toml", "drop:javascript"))
    with ReplayServer([COPY]) as server:
        return crawl(tmp, server, "jsnovads", seeds=seeds, args=("-s", "SPIDER_MODULES=sdcrawl.spiders,example_spiders"),
                     env={"PYTHONPATH": str(SITES)})


# --- with Chromium -----------------------------------------------------------------------------------
def test_chromium_is_installed():
    path = require_chromium()
    assert Path(path).is_file()


def test_script_drawn_listing_gives_the_exact_feed(js_run):
    assert js_run.proc.returncode == 0, js_run.proc.stderr[-3000:]
    assert js_run.stats["jsnovads"]["finish_reason"] == "finished"
    items = sorted(js_run.items, key=lambda i: i["published"], reverse=True)
    assert [(i["published"], i["title"]) for i in items] == FEED
    assert comparable(js_run.items) == EXPECTED
    text = " ".join(i["title"] + " " + i["body"] for i in items).lower()
    assert LATVIAN <= set(text), LATVIAN - set(text)
    assert "Rādīt vairāk" not in text and "\ufffd" not in text


def test_only_the_listing_goes_through_the_browser(js_run):
    stats = js_run.stats["jsnovads"]
    assert stats["playwright/browser_count"] == 1
    assert stats["playwright/page_count"] == 1  # the listing; articles, robots.txt: the loopback handler
    assert stats["playwright/page_count/closed"] == 1
    assert stats["playwright/request_count/navigation"] == 1
    assert stats["sdcrawl/browser/load_more_clicks"] == 1  # page 2 came from "Rādīt vairāk"
    assert stats["sdcrawl/listing_links"] == 5
    requested = paths(js_run)
    assert "/api/news?page=1" in requested and "/api/news?page=2" in requested  # the browser's script
    assert "/robots.txt" in requested and "/lv/jaunumi/supervizijas-2024" in requested


def test_images_fonts_and_third_party_requests_are_blocked(js_run):
    stats = js_run.stats["jsnovads"]
    seen = {k.removeprefix("playwright/request_count/"): v for k, v in stats.items() if k.startswith("playwright/request_count/")}
    # the page asks for the logo (<img>, CSS background), a web font and a third-party counter
    # script: the browser aborts all of them, and only them
    assert seen.get("resource_type/image", 0) >= 1 and seen.get("resource_type/font", 0) >= 1, seen
    assert seen.get("aborted", 0) == seen["resource_type/image"] + seen["resource_type/font"] + 1, seen
    requested = paths(js_run)
    assert "/static/gerbonis.png" not in requested and "/static/fonts/sans.woff2" not in requested, requested
    assert paths(js_run, THIRD_PARTY) == []
    assert "/static/site.css" in requested and "/static/jaunumi.js" in requested, requested  # first-party: fetched


def test_page_budget_bounds_the_load_more_clicks_and_articles_can_go_through_the_browser(budget_run):
    assert budget_run.proc.returncode == 0, budget_run.proc.stderr[-3000:]
    stats = budget_run.stats["jsnovads"]
    assert "/api/news?page=2" not in paths(budget_run)
    assert "sdcrawl/browser/load_more_clicks" not in stats
    assert stats["sdcrawl/page_budget_reached"] == 1
    assert comparable(budget_run.items) == [e for e in EXPECTED if e["url"].removeprefix(f"http://{HOST}") in PAGE_1]
    assert len(budget_run.items) == 2
    # javascript_articles: the listing and its three articles, each page closed after reading
    assert stats["playwright/page_count"] == 4
    assert stats["playwright/page_count/closed"] == 4
    assert stats["playwright/page_count/max_concurrent"] <= 2  # PLAYWRIGHT_MAX_PAGES_PER_CONTEXT
    assert stats["playwright/context_count"] == 1  # PLAYWRIGHT_MAX_CONTEXTS


# --- without Chromium ------------------------------------------------------------------------------
def test_missing_chromium_fails_only_that_site_with_one_clear_line(no_chromium_run):
    run = no_chromium_run
    message = ("chromium not found: apt-get install chromium, or set SDCRAWL_CHROMIUM_PATH"
               " (SDCRAWL_CHROMIUM_PATH=/nonexistent: no such executable)")
    js = run.stats["jsnovads"]
    assert js["finish_reason"] == "site_error"
    assert js["sdcrawl/site_error"] == message
    lines = [line for line in run.proc.stderr.splitlines() if "ERROR: jsnovads: chromium not found" in line]
    assert lines == [lines[0]] and lines[0].endswith(f"[sdcrawl.browser] ERROR: jsnovads: {message}")
    assert run.proc.returncode == 1  # a site failed
    assert not [k for s in run.stats.values() for k in s if k.startswith("playwright/")]
    # the normal site of the same run crawled fully
    stopini = run.stats["stopini"]
    assert stopini["finish_reason"] == "finished" and "sdcrawl/site_error" not in stopini
    expected = json.loads((RECORDED / "stopini" / "expected.json").read_text(encoding="utf-8"))
    assert comparable([i for i in run.items if i["site"] == "stopini"]) == expected


def test_without_the_browser_the_listing_shows_no_articles(no_chromium_run):
    """The same listing read as plain HTML (the JS site without `javascript = true`): its list
    is drawn by the script, so there is nothing to follow."""
    plain = no_chromium_run.stats["jsnovads_plain"]
    assert plain["finish_reason"] == "finished"
    assert plain["sdcrawl/listing_pages"] == 1
    assert plain.get("sdcrawl/listing_links", 0) == 0
    assert [i for i in no_chromium_run.items if i["site"].startswith("jsnovads")] == []
    requested = paths(no_chromium_run)
    assert "/lv/jaunumi" in requested
    assert not [p for p in requested if p.startswith("/api/") or p.startswith("/lv/jaunumi/")]


# --- the JSON endpoint instead of the browser ---------------------------------------------------------
def test_json_endpoint_spider_gets_the_same_articles_without_a_browser(json_api_run):
    assert json_api_run.proc.returncode == 0, json_api_run.proc.stderr[-3000:]
    stats = json_api_run.stats["jsnovads"]
    assert not [k for k in stats if k.startswith("playwright/")]
    assert comparable(json_api_run.items) == EXPECTED
    requested = paths(json_api_run)
    assert "/api/news?page=1" in requested and "/api/news?page=2" in requested
    assert "/lv/jaunumi" not in requested


# --- the parts -------------------------------------------------------------------------------------
def test_find_chromium_order(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "chromium"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    assert browser.find_chromium(str(fake)) == str(fake)
    assert browser.find_chromium("/nonexistent") is None  # a configured path is the only one tried
    assert browser.find_chromium() == browser.DEFAULT_CHROMIUM == "/usr/bin/chromium"
    monkeypatch.setattr(browser, "DEFAULT_CHROMIUM", str(tmp_path / "none"))
    monkeypatch.setenv("PATH", str(fake.parent))
    assert browser.find_chromium() == str(fake)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser.find_chromium() is None


def test_abort_request_blocks_media_and_other_sites():
    hosts = frozenset({"jsnovads.example"})

    def req(url, kind="script"):
        return SimpleNamespace(url=url, resource_type=kind)

    assert not browser.abort_request(req("http://jsnovads.example/static/jaunumi.js"), hosts)
    assert not browser.abort_request(req("https://www.jsnovads.example/api/news?page=2", "fetch"), hosts)
    assert not browser.abort_request(req("data:text/css,body{}", "stylesheet"), hosts)
    for kind in ("image", "font", "media"):
        assert browser.abort_request(req("http://jsnovads.example/x", kind), hosts)
    assert browser.abort_request(req("https://cdn.skaititajs.example/s.js"), hosts)
    assert browser.abort_request(req("https://jsnovads.example.evil.lv/s.js"), hosts)


def test_launch_options_for_a_closed_network():
    settings = Settings({"SDCRAWL_LOOPBACK_HOSTS": {"a.lv": "127.0.0.1:8001", "b.lv": "127.0.0.1:8002"},
                         "PLAYWRIGHT_LAUNCH_OPTIONS": {"args": ["--lang=lv"], "timeout": 20000}})
    options = browser.launch_options("/usr/bin/chromium", settings)
    assert options["executable_path"] == "/usr/bin/chromium" and options["headless"] is True
    assert options["timeout"] == 20000
    for switch in ("--no-sandbox", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run", "--disable-quic", "--lang=lv"):
        assert switch in options["args"]
    assert "--host-resolver-rules=MAP a.lv 127.0.0.1:8001, MAP b.lv 127.0.0.1:8002" in options["args"]
    assert not [a for a in browser.launch_options("/c", Settings())["args"] if a.startswith("--host-resolver")]


def test_handler_composition_order():
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    from sdcrawl.loopback import LoopbackDownloadHandler

    mro = browser.BrowserDownloadHandler.__mro__
    # scrapy-playwright's fallback, super().download_request(), is the loopback handler's
    assert mro.index(ScrapyPlaywrightDownloadHandler) < mro.index(LoopbackDownloadHandler)


def test_registry_javascript_options(tmp_path):
    entry = (SEEDS / "jsnovads.toml").read_text(encoding="utf-8")
    site = load_registry(SEEDS)["jsnovads"]
    assert site.javascript is True and site.javascript_articles is False
    (tmp_path / "jsnovads.toml").write_text(entry + "javascript_articles = true\n", encoding="utf-8")
    assert load_registry(tmp_path)["jsnovads"].javascript_articles is True
    (tmp_path / "jsnovads.toml").write_text(entry + 'javascript_articles = "yes"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="javascript_articles: 'yes' is not of type 'boolean'"):
        load_registry(tmp_path)
