"""The `sdcrawl` command.

  sdcrawl extract PATH_OR_URL [--url URL] [--site SITE_ID|generic]
  sdcrawl crawl [SITE_ID ...] [--data-dir DIR] [--since YYYY-MM-DD] [--page-budget N] [--replay ROOT ...]
  sdcrawl try URL [--data-dir DIR] [--page-budget N] [--articles N] [--replay ROOT ...]
  sdcrawl new-site ID --url URL --name MUNICIPALITY [--platform P] [--force]
  sdcrawl record ID [--articles N] [--force]
  sdcrawl demo [--data-dir DIR]
  sdcrawl sites

Bad input gets one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.request
from datetime import date
from pathlib import Path

from sdcrawl.errors import UsageError

REPO = Path(__file__).resolve().parent.parent
RECORDED = REPO / "recorded"



# --- extract ---------------------------------------------------------------------------------
def _read_page(source: str, url: str | None) -> tuple[bytes, str, str | None]:
    """(body, url, content-type) of a local file or a live URL."""
    if source.startswith(("http://", "https://")):
        req = urllib.request.Request(source, headers={"User-Agent": "sdcrawl (extract)"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.read(), url or resp.geturl(), resp.headers.get("Content-Type")
        except OSError as exc:
            raise UsageError(f"cannot fetch {source}: {exc}") from None
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"no such file: {source}")
    return path.read_bytes(), url or path.resolve().as_uri(), None


def _decode_html(body: bytes, content_type: str | None, source: str) -> str:
    from w3lib.encoding import html_to_unicode

    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # an HTML page (or fragment) starts with markup; a text, JSON or PDF file does not
    if not re.match(rb"<(!doctype html|html|head|body|!--|meta|title|div|p|article|main|section|h[1-6])[\s>/]", head):
        raise UsageError(f"not HTML: {source}")
    _, text = html_to_unicode(content_type, body)
    return text


def _selectors_for(site_id: str):
    """(selectors, municipality) of a registry site's spider; (None, '') for 'generic'."""
    if site_id == "generic":
        return None, ""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    from sdcrawl.registry import RegistryError, get_site

    try:
        site = get_site(site_id)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    try:
        spider_cls = SpiderLoader.from_settings(get_project_settings()).load(site_id)
    except KeyError:
        raise UsageError(f"site {site_id!r} is in the registry but has no spider") from None
    return spider_cls.selectors, site.municipality


def cmd_extract(args) -> int:
    from sdcrawl.extract import extract_article
    from sdcrawl.pipelines.normalize import normalize_item
    from sdcrawl.pipelines.validate import validation_errors

    body, url, ctype = _read_page(args.source, args.url)
    html = _decode_html(body, ctype, args.source)
    selectors, municipality = _selectors_for(args.site)
    item = normalize_item(extract_article(html, url, selectors=selectors, site=args.site, municipality=municipality))
    problems = validation_errors(item)
    if not item["classification"]["relevant"]:
        problems.append("not relevant: " + "; ".join(item["classification"]["reasons"]))
    out = {"item": item, "relevant": item["classification"]["relevant"], "in_feed": not problems, "why_not": problems}
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


# --- crawl -----------------------------------------------------------------------------------
def run_crawl(site_ids: list[str], *, data_dir: str | None, since: str | None, page_budget: int | None,
              replay: list[str] | None, settings: dict | None = None, on_crawler=None,
              spider_args: dict | None = None) -> dict[str, dict]:
    """Run the spiders of the given sites in one process; return each spider's final stats."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from sdcrawl.replay import ReplayServer

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    project = get_project_settings()
    if data_dir:
        project.set("SDCRAWL_DATA_DIR", data_dir, priority="cmdline")
    server = None
    if replay:
        server = ReplayServer(replay).start()
        project.set("SDCRAWL_LOOPBACK_HOSTS", server.hosts_setting, priority="cmdline")
        # recorded copies on loopback: no need to spread requests out in time
        for key, value in {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "SDCRAWL_CONTACT": "demo@localhost"}.items():
            project.set(key, value, priority="cmdline")
    for key, value in (settings or {}).items():
        project.set(key, value, priority="cmdline")
    process = CrawlerProcess(project)
    reasons: dict[str, str] = {}
    handlers = []  # Scrapy holds signal handlers by weak reference: keep ours alive
    crawlers = []
    kwargs = {k: v for k, v in {"since": since, "page_budget": page_budget, **(spider_args or {})}.items() if v}
    for site_id in site_ids:
        crawler = process.create_crawler(site_id)

        def closed(spider, reason):
            reasons[spider.name] = reason

        handlers.append(closed)
        crawler.signals.connect(closed, signal=signals.spider_closed)
        if on_crawler:
            on_crawler(crawler)
        crawlers.append((site_id, crawler))
        process.crawl(crawler, **kwargs)
    try:
        process.start()
    finally:
        if server:
            server.stop()
    # read the stats after the crawl: spidermon's checks add their alerts when a spider closes
    results: dict[str, dict] = {}
    for site_id, crawler in crawlers:
        if site_id in reasons:
            results[site_id] = {**crawler.stats.get_stats(), "finish_reason": reasons[site_id]}
    return results


def _interactive(extra: dict) -> dict:
    """A person at a terminal (stderr a TTY) sees each site's progress in place rather than a wall
    of log lines: progress on, and the log at WARNING unless SDCRAWL_LOG_LEVEL or -s LOG_LEVEL says
    otherwise. Scheduled runs (no TTY) are left as they are. SDCRAWL_PROGRESS=0 turns it off."""
    if "SDCRAWL_PROGRESS" not in extra and os.environ.get("SDCRAWL_PROGRESS", "1") != "0" and sys.stderr.isatty():
        extra["SDCRAWL_PROGRESS"] = True
        extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    return extra


def _summary(results: dict[str, dict]) -> str:
    lines = [f"{'site':<16}{'pages':>6}{'new':>5}{'dup':>5}{'irrel.':>7}{'no date':>8}{'errors':>7}  finish"]
    for site, s in sorted(results.items()):
        lines.append(
            f"{site:<16}{s.get('response_received_count', 0):>6}{s.get('sdcrawl/feed/written', 0):>5}"
            f"{s.get('sdcrawl/dropped/duplicate', 0):>5}{s.get('sdcrawl/dropped/irrelevant', 0):>7}"
            f"{s.get('sdcrawl/dropped/no_date', 0):>8}{s.get('sdcrawl/log/ERROR', 0):>7}  {s.get('finish_reason')}"
        )
    return "\n".join(lines)


def cmd_crawl(args) -> int:
    ids = _site_ids(args.sites)
    _check_since(args.since)
    extra = _interactive(dict(s.split("=", 1) for s in args.set or []))
    results = run_crawl(ids, data_dir=args.data_dir, since=args.since, page_budget=args.page_budget,
                        replay=args.replay, settings=extra)
    print(_summary(results))
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(json.dumps({"sites": results}, default=str, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    failed = [s for s, r in results.items() if r.get("finish_reason") != "finished"]
    return 1 if failed or len(results) < len(ids) else 0


# --- try: an unknown site from one URL ----------------------------------------------------------
TRY_FILES = ("feed.jsonl", "state.sqlite", "state.sqlite-wal", "state.sqlite-shm", "pages.jsonl", "discovery.json")


def _check_since(since: str | None) -> None:
    if since:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise UsageError(f"--since must be YYYY-MM-DD, not {since!r}") from None


def _try_url(raw: str) -> tuple[str, str]:
    """(URL, host) of an operator's URL ('kekava.lv' is taken as https://kekava.lv)."""
    from urllib.parse import urlsplit

    from sdcrawl.spiders.generic import normalize_url

    url = normalize_url(raw)
    host = (urlsplit(url).hostname or "").lower()
    if not host or ("." not in host and host != "localhost") or " " in raw.strip():
        raise UsageError(f"not a URL: {raw}")
    return url, host


def run_generic(url: str, *, data_dir: str | None, since: str | None = None, page_budget: int | None = None,
                articles: int | None = None, replay: list[str] | None = None, settings: dict | None = None,
                discover_only: bool = False, samples: int | None = None):
    """Run the generic spider on one URL; return (its final stats, its discovery as a dict, the pages
    it extracted, the spider)."""
    holder: dict = {}
    results = run_crawl(["generic"], data_dir=data_dir, since=since, page_budget=page_budget, replay=replay,
                        settings=settings, on_crawler=lambda c: holder.setdefault("crawler", c),
                        spider_args={"url": url, "articles": articles, "discover_only": "1" if discover_only else None,
                                     "samples": samples})
    crawler = holder.get("crawler")
    spider = getattr(crawler, "spider", None)
    discovery = spider.discovery.to_dict() if spider is not None else {"start_url": url, "method": "nothing", "error": "the crawl did not start"}
    recorder = getattr(crawler, "sdcrawl_try", None)
    return results.get("generic", {}), discovery, (recorder.pages if recorder else []), spider


def cmd_try(args) -> int:
    """A first look at an unknown site: the generic spider, its own data folder, a summary."""
    from sdcrawl.tools.tryout import render_summary, write_discovery

    url, host = _try_url(args.url)
    _check_since(args.since)
    data_dir = Path(args.data_dir) if args.data_dir else Path(os.environ.get("SDCRAWL_DATA_DIR") or "data") / "try" / host.removeprefix("www.")
    for name in TRY_FILES:  # each try starts afresh in its folder
        (data_dir / name).unlink(missing_ok=True)
    extra = _interactive(dict(s.split("=", 1) for s in args.set or []))
    extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    stats, discovery, pages, _ = run_generic(url, data_dir=str(data_dir), since=args.since, page_budget=args.page_budget,
                                          articles=args.articles, replay=args.replay, settings=extra)
    write_discovery(data_dir / "discovery.json", discovery)
    print(render_summary(discovery, pages, stats, str(data_dir)))
    return 0 if pages else 1


# --- new-site and record ---------------------------------------------------------------------------
def _spider_names(settings) -> list[str]:
    from scrapy.spiderloader import SpiderLoader

    from sdcrawl.registry import RegistryError

    try:
        return SpiderLoader.from_settings(settings).list()
    except RegistryError as exc:
        raise UsageError(str(exc)) from None


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def cmd_new_site(args) -> int:
    """A registry entry, a spider and a test for a new site, from its URL."""
    import tempfile

    from scrapy.utils.project import get_project_settings

    from sdcrawl.tools import scaffold

    settings = get_project_settings()
    try:
        where = scaffold.project(settings)
        scaffold.check_id(args.id)
        scaffold.check_new_site(args.id, where, _spider_names(settings), args.force)
    except scaffold.ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    url, _ = _try_url(args.url)
    extra = dict(s.split("=", 1) for s in args.set or [])
    extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    with tempfile.TemporaryDirectory() as tmp:
        _, discovery, _, spider = run_generic(url, data_dir=tmp, page_budget=1, articles=scaffold.SAMPLES,
                                              samples=scaffold.SAMPLES, replay=args.replay, settings=extra)
    platform = args.platform or discovery.get("platform") or "custom"
    listing_response = getattr(spider, "_listing_response", None)
    samples = list(getattr(spider, "samples", []))
    plan = scaffold.plan_spider(platform, discovery, listing_response.text if listing_response is not None else None, samples)
    today = date.today().isoformat()
    publisher = args.publisher or discovery.get("site_name") or args.name
    written = scaffold.write_files(
        where, args.id,
        scaffold.render_entry(args.id, url, publisher, args.name, platform, discovery, today),
        scaffold.render_spider(args.id, url, discovery, plan, today),
        scaffold.render_test(args.id, today))
    evidence = ", ".join(discovery.get("platform_evidence") or [])
    guessed = "given" if args.platform else (f"guessed from: {evidence}" if evidence else "no platform markers found")
    print(f"new site {args.id}: platform {platform} ({guessed}); news found by {discovery.get('method')}")
    for path in written:
        print(f"  wrote {_display(path)}")
    said = [name for name, _, _ in plan.attributes] + (["is_article_in_sitemap"] if plan.sitemap_regex else [])
    print(f"  the spider: {plan.base}" + (f" with {', '.join(said)}" if said else ", nothing to add") +
          f" ({len(samples)} sample article(s) checked)")
    for note in plan.notes or []:
        print(f"  TODO: {note}")
    if discovery.get("method") == "nothing":
        print(f"sdcrawl: found no news at {url}: the files are a skeleton to complete by hand (docs/adding-a-site.md)")
        return 1
    print(f"next: review the three files, then  sdcrawl record {args.id}")
    return 0


def cmd_record(args) -> int:
    """Save a live listing page (two), a few articles, a manifest and notes as recorded/<id>/, and
    write the copy's expected feed for review."""
    import tempfile

    from scrapy.utils.project import get_project_settings

    from sdcrawl.tools import record, scaffold
    from sdcrawl.registry import RegistryError, get_site

    settings = get_project_settings()
    try:
        scaffold.check_id(args.id)
        where = scaffold.project(settings)
        site = get_site(args.id, where.seeds)
    except scaffold.ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    except RegistryError as exc:
        raise UsageError(f"{exc} (add it first: sdcrawl new-site {args.id} --url ...)") from None
    _check_since(args.since)
    from scrapy.spiderloader import SpiderLoader

    try:
        spider_cls = SpiderLoader.from_settings(settings).load(args.id)
    except KeyError:
        raise UsageError(f"site {args.id!r} has no spider") from None
    folder = where.recorded / args.id
    if (folder / "manifest.toml").exists() and not args.force:
        raise UsageError(f"{folder} holds a recorded copy; --force records it again")
    extensions = {**settings.getdict("EXTENSIONS"), "sdcrawl.tools.record.ResponseRecorder": 900}
    middlewares = {**settings.getdict("SPIDER_MIDDLEWARES"), "sdcrawl.tools.record.ArticleLimit": 950}
    extra = {"EXTENSIONS": extensions, "SPIDER_MIDDLEWARES": middlewares, "ITEM_PIPELINES": {}, "SDCRAWL_INCREMENTAL": False,
             "SPIDERMON_ENABLED": False, "SDCRAWL_RECORD_ARTICLES": args.articles,
             "LOG_LEVEL": os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"), **dict(s.split("=", 1) for s in args.set or [])}
    holder: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        results = run_crawl([args.id], data_dir=tmp, since=args.since, page_budget=2, replay=args.replay, settings=extra,
                            on_crawler=lambda c: holder.setdefault("crawler", c))
    recorder = getattr(holder.get("crawler"), "sdcrawl_recorder", None)
    stats = results.get(args.id, {})
    if recorder is None or not recorder.responses or stats.get("sdcrawl/site_error"):
        raise UsageError(f"could not record {args.id}: {stats.get('sdcrawl/site_error') or 'nothing was fetched'}")
    if args.force:
        record.clear_copy(folder)
    header = (f"{site.id}: recorded by `sdcrawl record {site.id}` on {date.today().isoformat()} from {site.home} "
              f"(see NOTES.md)")
    saved = record.save_copy(folder, site.domains, recorder.responses, header)
    status, expected, stderr = record.expected_feed(args.id, folder)
    if status != 0:
        print(stderr[-2000:], file=sys.stderr)
        raise UsageError(f"the crawl of the new copy failed ({status}); the copy is in {folder}")
    reference = record.choose_reference(folder, saved, expected, site.domains, header)
    record.write_notes(folder, site, spider_cls, saved, settings, args.articles, reference)
    (folder / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    kinds = {k: sum(1 for s in saved if s.kind == k) for k in ("listing", "article", "feed", "sitemap", "redirect")}
    print(f"recorded {args.id} into {_display(folder)}/: " + ", ".join(f"{n} {k}(s)" for k, n in kinds.items() if n))
    print(f"  expected.json: {len(expected)} article(s) in the feed of the copy")
    for item in sorted(expected, key=lambda i: i["published"], reverse=True):
        print(f"    {item['published']}  {item['title'][:90]}")
    test = where.test(args.id)
    print(f"next: review {_display(folder / 'expected.json')} and NOTES.md, then  pytest {_display(test) if test.exists() else 'tests/test_site_crawls.py -k ' + args.id}")
    return 0


def cmd_check(args) -> int:
    """Fetch a site's listing and a few articles and say whether each field still comes out."""
    from sdcrawl.tools.check import FIELDS
    from sdcrawl.registry import RegistryError, get_site

    try:
        get_site(args.site)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    holder: dict = {}
    results = run_crawl([args.site], data_dir=None, since="1990-01-01", page_budget=1, replay=args.replay,
                        settings={"ITEM_PIPELINES": {"sdcrawl.tools.check.CheckPipeline": 100}, "SDCRAWL_INCREMENTAL": False,
                                  "CLOSESPIDER_ITEMCOUNT": args.articles, "LOG_LEVEL": "ERROR"},
                        on_crawler=lambda c: holder.setdefault("crawler", c))
    stats = results.get(args.site, {})
    checked = getattr(holder.get("crawler"), "sdcrawl_check", None)
    items = checked.items if checked else []
    links = stats.get("sdcrawl/listing_links", 0) + stats.get("sdcrawl/feed_entries", 0)
    mark = "ok " if links else "BAD"
    print(f"{args.site}: {len(items)} article(s) checked")
    print(f"  {mark} listing    {stats.get('sdcrawl/listing_pages', 0)} listing page(s), {links} article link(s) found")
    problems = 0 if links and items else 1
    expected_layer = {"published": ("site", "metadata")}
    for field in FIELDS:
        layers = [i["fields"].get(field) for i in items]
        found = sum(1 for l in layers if l)
        from_site = sum(1 for l in layers if l in expected_layer.get(field, ("site",)))
        if field in ("title", "published", "body"):
            ok = items and from_site == len(items)
        else:
            ok = True
        problems += 0 if ok else 1
        mark = "ok " if ok else "BAD"
        print(f"  {mark} {field:<10} {found}/{len(items)} found, {from_site} by the site's selectors or metadata")
    if problems:
        print(f"{args.site}: CHANGED? the listing or the selectors no longer match; see the lines marked BAD")
    return 1 if problems else 0


def _site_ids(requested: list[str]) -> list[str]:
    from sdcrawl.registry import RegistryError, load_registry

    try:
        known = load_registry()
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    unknown = [s for s in requested if s not in known]
    if unknown:
        raise UsageError(f"unknown site(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return requested or sorted(known)


def cmd_nightly(args) -> int:
    from sdcrawl.nightly import nightly

    ids = _site_ids(args.sites)
    _check_since(args.since)
    extra = _interactive(dict(s.split("=", 1) for s in args.set or []))
    extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    return nightly(ids, data_dir=args.data_dir, since=args.since, page_budget=args.page_budget,
                   replay=args.replay, settings=extra, queue=args.queue)


def cmd_demo(args) -> int:
    """The whole job offline: the nightly run twice over every registry site's recorded copy."""
    import subprocess

    data_dir = args.data_dir
    if Path(data_dir).exists() and not args.keep:
        import shutil

        shutil.rmtree(data_dir)
    print(f"sdcrawl demo: serving the recorded copies in {RECORDED} on 127.0.0.1 and running the nightly job into {data_dir}/")
    # the copies hold articles from 2012 on: a fixed `since` instead of the horizon back from today
    base = [sys.executable, "-m", "sdcrawl.cli", "nightly", "--data-dir", data_dir, "--replay", str(RECORDED), "--since", "2000-01-01"]
    status = 0
    for title in ("First run: backfill of every site", "Second run: incremental (nothing new on the sites)"):
        print(f"\n== {title}")
        status = max(status, subprocess.run(base).returncode)
    feed = Path(data_dir) / "feed.jsonl"
    lines = feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []
    print(f"\n{feed}: {len(lines)} articles in all; runs/ holds each run's own lines and report. The newest:")
    items = sorted((json.loads(l) for l in lines), key=lambda i: i["published"], reverse=True)
    for item in items[:5]:
        print(f"  {item['published']}  {item['site']:<15} {item['title'][:70]}  [{', '.join(item['topics'])}]")
    return status


def cmd_sites(args) -> int:
    from sdcrawl.registry import load_registry

    for site in load_registry().values():
        print(f"{site.id:<16}{site.platform:<11}{site.municipality:<32}{site.start_urls[0]}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdcrawl", description="Collects the news of Latvian municipal social services about trainings and projects.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="print the item sdcrawl makes of one page, and whether it would reach the feed")
    p.add_argument("source", metavar="PATH_OR_URL")
    p.add_argument("--url", help="the page's address (for a local file)")
    p.add_argument("--site", default="generic", help="a registry site id (its selectors are used) or 'generic'")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("crawl", help="crawl sites of the registry into the feed")
    p.add_argument("sites", nargs="*", metavar="SITE_ID", help="default: every site in the registry")
    p.add_argument("--data-dir", help="where the feed and state live (default ./data)")
    p.add_argument("--since", help="YYYY-MM-DD: collect nothing published before")
    p.add_argument("--page-budget", type=int, help="listing pages walked per start URL")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="serve recorded copies from these folders on loopback and crawl them")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    p.add_argument("--report", metavar="PATH", help="write each site's final stats as JSON to PATH")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("try", help="a first look at an unknown site from one URL, no code: where its news is, what comes out, "
                                   "whether it needs a spider")
    p.add_argument("url", metavar="URL", help="the site's home page, its news section, or a feed")
    p.add_argument("--data-dir", help="where its feed, pages.jsonl and discovery.json go (default ./data/try/<host>; emptied first)")
    p.add_argument("--since", help="YYYY-MM-DD: collect nothing published before")
    p.add_argument("--page-budget", type=int, help="listing pages walked (default 3)")
    p.add_argument("--articles", type=int, default=30, help="article pages fetched at most (default 30)")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="serve recorded copies from these folders on loopback and crawl them")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    p.set_defaults(func=cmd_try)

    p = sub.add_parser("new-site", help="add a site: its registry entry, a spider on its platform's base and a test, from its URL")
    p.add_argument("id", metavar="ID", help="the site id: lowercase [a-z][a-z0-9_]*, new to the registry")
    p.add_argument("--url", required=True, help="the site's news section (or home page)")
    p.add_argument("--name", required=True, metavar="MUNICIPALITY", help='the municipality, e.g. "Ķekavas novads"')
    p.add_argument("--publisher", help="who publishes the site (the entry's name; default: the site's own name)")
    p.add_argument("--platform", choices=["unified", "wordpress", "joomla", "custom"], help="default: guessed from the pages")
    p.add_argument("--force", action="store_true", help="overwrite the entry, spider and test if they exist")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="read a copy on loopback instead of the live site")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    p.set_defaults(func=cmd_new_site)

    p = sub.add_parser("record", help="save a live listing and a few articles of a registry site as recorded/<id>/, with its expected feed")
    p.add_argument("id", metavar="ID")
    p.add_argument("--articles", type=int, default=5, help="article pages saved (default 5)")
    p.add_argument("--since", help="YYYY-MM-DD: record nothing published before")
    p.add_argument("--force", action="store_true", help="replace an earlier recording")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="record from a copy on loopback (tests)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("check", help="fetch a site's listing and a few articles: do its selectors still work?")
    p.add_argument("site", metavar="SITE_ID")
    p.add_argument("--articles", type=int, default=3, help="how many articles to check (default 3)")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="check a recorded copy on loopback instead of the live site")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("nightly", help="the scheduled job: every registry site, only what is new, a run report")
    p.add_argument("sites", nargs="*", metavar="SITE_ID", help="default: every site in the registry")
    p.add_argument("--data-dir", default=os.environ.get("SDCRAWL_DATA_DIR", "data"), help="feed, state, runs/ (default ./data)")
    p.add_argument("--since", help="YYYY-MM-DD: collect nothing published before (default: SDCRAWL_HORIZON_DAYS back)")
    p.add_argument("--page-budget", type=int, help="listing pages walked per start URL")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="serve recorded copies from these folders on loopback and crawl them")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    p.add_argument("--queue", metavar="URL", help="spread the sites over `sdcrawl worker`s on this Redis queue (docs/scale-out.md)")  # scale-out hook
    p.set_defaults(func=cmd_nightly)

    from sdcrawl.scale.worker import add_worker_parser  # scale-out hook: `sdcrawl worker`
    add_worker_parser(sub)

    p = sub.add_parser("demo", help="the nightly job twice over every site's recorded copy on loopback (no network needed)")
    p.add_argument("--data-dir", default="data/demo")
    p.add_argument("--keep", action="store_true", help="keep the demo's data folder from an earlier demo")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("sites", help="list the site registry")
    p.set_defaults(func=cmd_sites)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"sdcrawl: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `sdcrawl extract ... | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
