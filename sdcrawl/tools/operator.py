"""The operator's commands for a new municipality: `try` (a first look from one URL), `new-site`
(its registry entry, spider and test) and `record` (a recorded copy and its expected feed). The
CLI parses their arguments and calls these; the crawl never imports them."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

from sdcrawl.errors import UsageError
from sdcrawl.runner import run_crawl
from sdcrawl.tools.args import check_since as _check_since
from sdcrawl.tools.args import display as _display
from sdcrawl.tools.args import interactive as _interactive
from sdcrawl.tools.args import scratch_folder

__all__ = ["NoNews", "cmd_new_site", "cmd_record", "cmd_try", "run_generic", "try_url"]


TRY_FILES = ("feed.jsonl", "rejected.jsonl", "state.sqlite", "state.sqlite-wal", "state.sqlite-shm", "pages.jsonl",
             "discovery.json")


def try_url(raw: str) -> tuple[str, str]:
    """(URL, host) of an operator's URL ('kekava.lv' is taken as https://kekava.lv)."""
    from urllib.parse import urlsplit

    from sdcrawl.sources.urls import with_scheme

    url = with_scheme(raw)
    host = (urlsplit(url).hostname or "").lower()
    if not host or ("." not in host and host != "localhost") or " " in raw.strip():
        raise UsageError(f"not a URL: {raw}")
    return url, host


def run_generic(url: str, *, data_dir: str | None, since: str | None = None, page_budget: int | None = None,
                articles: int | None = None, replay: list[str] | None = None, settings: dict | None = None,
                discover_only: bool = False, samples: int | None = None):
    """Run the generic spider on one URL; return (its final stats, its discovery as a dict, the pages
    it extracted, the TryRun that gathered them)."""
    from sdcrawl.tools.tryout import TryRun

    run = TryRun(samples=samples or 0)
    results = run_crawl(["generic"], data_dir=data_dir, since=since, page_budget=page_budget, replay=replay,
                        settings=settings, on_crawler=run.attach,
                        spider_args={"url": url, "articles": articles, "discover_only": "1" if discover_only else None})
    discovery = run.discovery or {"start_url": url, "method": "nothing", "error": "the crawl did not start"}
    return results.get("generic", {}), discovery, run.pages, run


def cmd_try(args) -> int:
    """A first look at an unknown site: the generic spider, its own data folder, a summary."""
    from sdcrawl.tools.tryout import render_summary, write_discovery, write_pages

    url, host = try_url(args.url)
    _check_since(args.since)
    data_dir = Path(args.data_dir) if args.data_dir else Path(os.environ.get("SDCRAWL_DATA_DIR") or "data") / "try" / host.removeprefix("www.")
    scratch_folder(data_dir, ".sdcrawl-try", "try", TRY_FILES)  # each try starts afresh in a folder of its own
    extra = _interactive(dict(s.split("=", 1) for s in args.set or []))
    extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    stats, discovery, pages, _ = run_generic(url, data_dir=str(data_dir), since=args.since, page_budget=args.page_budget,
                                          articles=args.articles, replay=args.replay, settings=extra)
    write_discovery(data_dir / "discovery.json", discovery)
    write_pages(data_dir / "pages.jsonl", pages)
    print(render_summary(discovery, pages, stats, str(data_dir)))
    return 0 if pages else 1


# --- new-site and record ---------------------------------------------------------------------------
def _spider_names(settings) -> list[str]:
    from sdcrawl.registry import RegistryError
    from sdcrawl.spiderloader import RegistrySpiderLoader

    try:
        return RegistrySpiderLoader.from_settings(settings).list()
    except RegistryError as exc:
        raise UsageError(str(exc)) from None


class NoNews(UsageError):
    """`new-site` found nothing to crawl: one line, exit status 1, no file written."""


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
    url, _ = try_url(args.url)
    extra = dict(s.split("=", 1) for s in args.set or [])
    extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    with tempfile.TemporaryDirectory() as tmp:
        _, discovery, _, run = run_generic(url, data_dir=tmp, page_budget=1, articles=scaffold.SAMPLES,
                                           samples=scaffold.SAMPLES, replay=args.replay, settings=extra)
    if discovery.get("method") == "nothing":
        # no entry without news: it would make every later nightly report a problem until removed
        raise NoNews(f"found no news at {url} ({discovery.get('error') or 'no feed, listing or sitemap'}); "
                     "nothing was written: try `sdcrawl try URL` with the site's news page, or docs/adding-a-site.md")
    platform = args.platform or discovery.get("platform") or "custom"
    samples = run.samples
    plan = scaffold.plan_spider(platform, discovery, run.listing_html, samples)
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
    from sdcrawl.spiderloader import RegistrySpiderLoader

    try:
        spider_cls = RegistrySpiderLoader.from_settings(settings).load(args.id)
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
