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
import errno
import sqlite3
import json
import os
import sys
from datetime import date
from pathlib import Path

from sdcrawl.errors import DATA_HINTS, EXIT_DATA, EXIT_USAGE, DataError, UsageError, cannot_write
from sdcrawl.registry import RegistryError
from sdcrawl.runner import run_crawl

REPO = Path(__file__).resolve().parent.parent
RECORDED = REPO / "recorded"



# --- extract ---------------------------------------------------------------------------------
def cmd_extract(args) -> int:
    from sdcrawl.tools.extract import extract_report

    json.dump(extract_report(args.source, url=args.url, site=args.site), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


# --- crawl -----------------------------------------------------------------------------------
def _interactive(extra: dict) -> dict:
    """A person at a terminal (stderr a TTY) sees each site's progress in place rather than a wall
    of log lines: progress on, and the log at WARNING unless SDCRAWL_LOG_LEVEL or -s LOG_LEVEL says
    otherwise. Scheduled runs (no TTY) are left as they are. SDCRAWL_PROGRESS=0 turns it off."""
    if "SDCRAWL_PROGRESS" not in extra and os.environ.get("SDCRAWL_PROGRESS", "1") != "0" and sys.stderr.isatty():
        extra["SDCRAWL_PROGRESS"] = True
        extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    return extra


def cmd_crawl(args) -> int:
    """A run started by hand: the given sites (default: all) into the feed, as one run with its
    run file and report, like the nightly run but without its schedule."""
    from sdcrawl.nightly import run_sites

    ids = _site_ids(args.sites)
    _check_since(args.since)
    extra = _interactive(_settings(args))
    status, _, results = run_sites(ids, kind="crawl", data_dir=args.data_dir, since=args.since,
                                   page_budget=args.page_budget, replay=args.replay, settings=extra)
    if args.report and results:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(json.dumps({"sites": results}, default=str, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    return status


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


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
    url, _ = _try_url(args.url)
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


def cmd_check(args) -> int:
    """Fetch a site's listing and a few articles and say whether each field still comes out;
    with --all, every registry entry in one table (and, against the live sites, the entries that
    passed get `verified = <today>` in the registry)."""
    from sdcrawl.registry import get_site, load_registry
    from sdcrawl.tools.check import check_site, check_sites, record_verified, render, render_table

    if args.all == bool(args.site):
        raise UsageError("check takes a SITE_ID or --all")
    if args.site:
        get_site(args.site)
        result = check_site(args.site, articles=args.articles, replay=args.replay, settings=_settings(args))
        print("\n".join(render(result)))
        return 0 if result.ok else 1
    results = check_sites(sorted(load_registry()), articles=args.articles, replay=args.replay, settings=_settings(args))
    print("\n".join(render_table(results)))
    live = not args.replay and not any(s.startswith("SDCRAWL_LOOPBACK_HOSTS") for s in args.set or [])
    if live:
        verified = record_verified(results, date.today().isoformat())
        if verified:
            print(f"verified today (written to the registry): {', '.join(verified)}")
    return 0 if all(r.ok for r in results) else 1


def _settings(args) -> dict:
    """The `-s NAME=VALUE` settings of a command."""
    out = {}
    for item in getattr(args, "set", None) or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s takes NAME=VALUE, not {item!r}")
        out[name.strip()] = value
    return out


def _positive(text: str) -> int:
    """argparse type of a budget: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


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
    from sdcrawl.nightly import run_sites

    ids = _site_ids(args.sites)
    _check_since(args.since)
    extra = _interactive(_settings(args))
    extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    status, _, _ = run_sites(ids, kind="nightly", data_dir=args.data_dir, since=args.since,
                             page_budget=args.page_budget, replay=args.replay, settings=extra, queue=args.queue)
    return status


DEMO_MARK = ".sdcrawl-demo"
DEMO_FILES = ("feed.jsonl", "rejected.jsonl", "state.sqlite", "state.sqlite-wal", "state.sqlite-shm", "sdcrawl.lock",
              "report.html")


def _demo_folder(folder: Path, keep: bool) -> None:
    """Make `folder` ready for the demo, removing only what an earlier demo wrote there."""
    if (folder / DEMO_MARK).exists():
        if not keep:
            for name in DEMO_FILES:
                (folder / name).unlink(missing_ok=True)
            runs = folder / "runs"
            if runs.is_dir():
                for path in runs.iterdir():
                    if path.name.endswith((".jsonl", ".report.json", ".alerts.json")):
                        path.unlink()
                if not any(runs.iterdir()):
                    runs.rmdir()
        return
    if any((folder / name).exists() for name in ("feed.jsonl", "state.sqlite", "runs")):
        raise UsageError(f"{folder} holds a feed or state that the demo did not write; "
                         "give the demo an empty or new --data-dir")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARK).write_text("written by `sdcrawl demo`, which may remove its own files here\n", encoding="utf-8")


def _child(argv: list[str]) -> int:
    """Run a child command that dies with this process (also when this one is SIGKILLed)."""
    import signal
    import subprocess

    def die_with_parent() -> None:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass

    proc = subprocess.Popen(argv, preexec_fn=die_with_parent)
    previous = signal.signal(signal.SIGTERM, lambda *_: (proc.terminate(), sys.exit(143)))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_demo(args) -> int:
    """The whole job offline: the nightly run twice over every site with a recorded copy of its own."""
    from sdcrawl.registry import load_registry

    data_dir = Path(args.data_dir)
    _demo_folder(data_dir, args.keep)
    print(f"sdcrawl demo: serving the recorded copies in {RECORDED} on 127.0.0.1 and running the nightly job into {data_dir}/")
    own = [s for s in load_registry() if (RECORDED / s / "manifest.toml").exists()]  # the sites with a copy of their own
    # the copies hold articles from 2012 on: a fixed `since` instead of the horizon back from today
    base = [sys.executable, "-m", "sdcrawl.cli", "nightly", *own, "--data-dir", str(data_dir), "--replay", str(RECORDED),
            "--since", "2000-01-01"]
    status = 0
    for title in ("First run: backfill of every site", "Second run: incremental (nothing new on the sites)"):
        print(f"\n== {title}", flush=True)
        status = max(status, _child(base))
    feed = data_dir / "feed.jsonl"
    lines = feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []
    print(f"\n{feed}: {len(lines)} articles in all; runs/ holds each run's own lines and report. The newest:")
    items = sorted((json.loads(l) for l in lines), key=lambda i: i["published"], reverse=True)
    for item in items[:5]:
        print(f"  {item['published']}  {item['site']:<15} {item['title'][:70]}  [{', '.join(item['topics'])}]")
    return status


def cmd_reclassify(args) -> int:
    """Decide again the articles an earlier rule found irrelevant; add those now relevant."""
    from sdcrawl.reclassify import reclassify

    status, _ = reclassify(data_dir=args.data_dir, settings=_settings(args))
    return status


def _data_root(args) -> Path:
    from sdcrawl.runner import crawl_settings
    from sdcrawl.store.paths import DataPaths

    return DataPaths.from_settings(crawl_settings(args.data_dir, _settings(args))).root


def cmd_report(args) -> int:
    """The static HTML page of the last run and the history (no server needed)."""
    from sdcrawl.outputs.commands import cli_report

    return cli_report(_data_root(args), args.out)


def cmd_export(args) -> int:
    """The feed in another format: an Atom feed, Parquet, or schema.org JSON Lines."""
    from sdcrawl.outputs.commands import cli_export

    return cli_export(_data_root(args), args.format, args.out)


def cmd_sites(args) -> int:
    from sdcrawl.registry import load_registry

    for site in load_registry().values():  # kind, platform (+ "?" when it needs `sdcrawl try`), verified, evidence count
        verified = site.verified.isoformat() if site.verified else "unverified"
        print(f"{site.id:<16}{site.kind:<17}{site.platform + '?' * site.needs_try:<11}{verified:<11}{len(site.evidence):>2} evidence  "
              f"{site.municipality:<46}{site.start_urls[0]}")
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
    p.add_argument("--page-budget", type=_positive, help="listing pages walked per start URL")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="serve recorded copies from these folders on loopback and crawl them")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    p.add_argument("--report", metavar="PATH", help="write each site's final stats as JSON to PATH")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("try", help="a first look at an unknown site from one URL, no code: where its news is, what comes out, "
                                   "whether it needs a spider")
    p.add_argument("url", metavar="URL", help="the site's home page, its news section, or a feed")
    p.add_argument("--data-dir", help="where its feed, pages.jsonl and discovery.json go (default ./data/try/<host>; emptied first)")
    p.add_argument("--since", help="YYYY-MM-DD: collect nothing published before")
    p.add_argument("--page-budget", type=_positive, help="listing pages walked (default 3)")
    p.add_argument("--articles", type=_positive, default=30, help="article pages fetched at most (default 30)")
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
    p.add_argument("--articles", type=_positive, default=5, help="article pages saved (default 5)")
    p.add_argument("--since", help="YYYY-MM-DD: record nothing published before")
    p.add_argument("--force", action="store_true", help="replace an earlier recording")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="record from a copy on loopback (tests)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("check", help="fetch a site's listing and a few articles: do its selectors still work?")
    p.add_argument("site", metavar="SITE_ID", nargs="?")
    p.add_argument("--all", action="store_true", help="every registry entry, one table")
    p.add_argument("--articles", type=_positive, default=3, help="how many articles to check (default 3)")
    p.add_argument("--replay", nargs="+", metavar="ROOT", help="check a recorded copy on loopback instead of the live site")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting (e.g. SDCRAWL_LOOPBACK_HOSTS)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("nightly", help="the scheduled job: every registry site, only what is new, a run report")
    p.add_argument("sites", nargs="*", metavar="SITE_ID", help="default: every site in the registry")
    p.add_argument("--data-dir", default=os.environ.get("SDCRAWL_DATA_DIR", "data"), help="feed, state, runs/ (default ./data)")
    p.add_argument("--since", help="YYYY-MM-DD: collect nothing published before (default: SDCRAWL_HORIZON_DAYS back)")
    p.add_argument("--page-budget", type=_positive, help="listing pages walked per start URL")
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

    p = sub.add_parser("reclassify", help="decide again, with the current classifier, the articles found irrelevant "
                                          "before, and add those now relevant to the feed (nothing is fetched)")
    p.add_argument("--data-dir", help="feed, state, rejected.jsonl (default ./data)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a setting, e.g. SDCRAWL_FEED_PATH")
    p.set_defaults(func=cmd_reclassify)

    p = sub.add_parser("report", help="write a static HTML page of the last run and the history (docs/outputs.md)")
    p.add_argument("--data-dir", help="the data folder (default ./data)")
    p.add_argument("--out", help="where to write it (default <data dir>/report.html)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a setting")
    p.set_defaults(func=cmd_report)

    from sdcrawl.outputs.commands import EXPORT_FORMATS

    p = sub.add_parser("export", help="the feed as an Atom feed, Parquet, or schema.org JSON Lines (docs/outputs.md)")
    p.add_argument("format", choices=EXPORT_FORMATS)
    p.add_argument("out", metavar="PATH")
    p.add_argument("--data-dir", help="the data folder (default ./data)")
    p.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a setting")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("sites", help="list the site registry")
    p.set_defaults(func=cmd_sites)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except NoNews as exc:
        print(f"sdcrawl: {exc}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"sdcrawl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RegistryError as exc:
        print(f"sdcrawl: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataError as exc:
        print(f"sdcrawl: {exc}", file=sys.stderr)
        return EXIT_DATA
    except sqlite3.OperationalError as exc:
        code = {"database or disk is full": errno.ENOSPC, "attempt to write a readonly database": errno.EROFS}.get(str(exc))
        if code is None:
            raise
        print(f"sdcrawl: {cannot_write('the crawl state', str(exc), code)}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        if exc.errno not in DATA_HINTS:
            raise
        print(f"sdcrawl: {cannot_write(exc.filename or 'the data folder', exc.strerror, exc.errno)}", file=sys.stderr)
        return EXIT_DATA
    except BrokenPipeError:  # `sdcrawl extract ... | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
