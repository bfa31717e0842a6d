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
from sdcrawl.tools.args import check_since as _check_since
from sdcrawl.tools.args import interactive as _interactive
from sdcrawl.tools.args import positive as _positive
from sdcrawl.tools.args import settings_of as _settings
from sdcrawl.tools.args import site_ids as _site_ids
from sdcrawl.tools.demo import cmd_demo
from sdcrawl.tools.operator import NoNews, cmd_new_site, cmd_record, cmd_try




# --- extract ---------------------------------------------------------------------------------
def cmd_extract(args) -> int:
    from sdcrawl.tools.extract import extract_report

    json.dump(extract_report(args.source, url=args.url, site=args.site), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


# --- crawl -----------------------------------------------------------------------------------
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


def cmd_nightly(args) -> int:
    from sdcrawl.nightly import run_sites

    ids = _site_ids(args.sites)
    _check_since(args.since)
    extra = _interactive(_settings(args))
    extra.setdefault("LOG_LEVEL", os.environ.get("SDCRAWL_LOG_LEVEL", "WARNING"))
    status, _, _ = run_sites(ids, kind="nightly", data_dir=args.data_dir, since=args.since,
                             page_budget=args.page_budget, replay=args.replay, settings=extra, queue=args.queue)
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


EXPORT_FORMATS = ("atom", "parquet", "schema-org")  # sdcrawl.outputs.commands.EXPORT_FORMATS, without importing pyarrow


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

    p = sub.add_parser("export", help="the feed as an Atom feed, Parquet, or schema.org JSON Lines (docs/outputs.md)")
    p.add_argument("format", choices=EXPORT_FORMATS)  # checked in sdcrawl.outputs.commands too
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
