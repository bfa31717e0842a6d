"""The crawl's counters by name, and the one per-site summary every view is built from.

Stat keys are named here once; spiders, pipelines, the monitors, the progress view, `crawl` and
`nightly` use these names. `site_summary(site, stats)` turns one site's final stats into the
summary the run report stores, and `render_table` prints summaries (or live progress rows) with
one vocabulary:

    site          status    pages   seen    new  dropped  failed  errors     time
    socd          ok           12      9      4        3       0       0     1.2s

pages    responses received (robots.txt, listings, feeds, sitemaps, articles)
seen     article links found in listings, feeds and sitemaps
new      lines this run added to the feed
dropped  articles left out (irrelevant, no date, no title, invalid, duplicate)
failed   article and listing pages that could not be fetched
errors   errors logged by this site's crawl
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# --- stat keys ----------------------------------------------------------------------------------
PREFIX = "sdcrawl/"
LISTING_PAGES = "sdcrawl/listing_pages"
LISTING_LINKS = "sdcrawl/listing_links"
LISTING_FAILED = "sdcrawl/listing_failed"
FEED_ENTRIES = "sdcrawl/feed_entries"
FEED_FAILED = "sdcrawl/feed_failed"
SITEMAP_ENTRIES = "sdcrawl/sitemap_entries"
SKIPPED_KNOWN = "sdcrawl/skipped/known"
EXTRACTED = "sdcrawl/extracted"
ARTICLE_FAILED = "sdcrawl/article_failed"
RETRIED_FROM_LAST_RUN = "sdcrawl/retried_from_last_run"
PAGE_BUDGET_REACHED = "sdcrawl/page_budget_reached"
ARTICLE_BUDGET_REACHED = "sdcrawl/article_budget_reached"
LISTING_BOUNDARY_REACHED = "sdcrawl/listing_boundary_reached"
SITE_ERROR = "sdcrawl/site_error"
DATA_ERROR = "sdcrawl/data_error"  # the feed or state could not be written (full or read-only disk)
ALERTS = "sdcrawl/alerts"
LOG_ERROR = "sdcrawl/log/ERROR"
FEED_WRITTEN = "sdcrawl/feed/written"
FEED_RECONCILED = "sdcrawl/feed/reconciled"
FEED_INVALID = "sdcrawl/feed/invalid"
FEED_REPAIRED_BYTES = "sdcrawl/feed/repaired_bytes"
KEPT_REJECTED = "sdcrawl/kept_rejected"
SKIPPED_TOO_LARGE = "sdcrawl/skipped/too_large_to_extract"  # a page over SDCRAWL_EXTRACT_MAXSIZE
SKIPPED_TIMEOUT = "sdcrawl/skipped/extract_timeout"  # extraction past SDCRAWL_EXTRACT_TIMEOUT
SKIPPED_CRASHED = "sdcrawl/skipped/extract_crashed"  # the extraction worker died
OFFLOADED = "sdcrawl/extract/offloaded"  # pages extracted in a worker process
DROPPED = "sdcrawl/dropped/"  # + reason
FAULT = "sdcrawl/fault/"  # + kind

#: Why an article is left out of the feed, in the order the pipelines decide it.
REJECTION_REASONS = ("no_title", "no_date", "invalid", "irrelevant", "duplicate")
#: Fields whose share of extracted pages the monitors watch.
COVERED_FIELDS = ("title", "published", "body")


def dropped(reason: str) -> str:
    return f"{DROPPED}{reason}"


def extracted_field(field: str) -> str:
    return f"{EXTRACTED}/{field}"


# --- the per-site summary -------------------------------------------------------------------------
def site_status(stats: Mapping[str, Any]) -> str:
    """'failed' (not crawled, or ended early), 'alert' (a check fired) or 'ok'."""
    if stats.get(SITE_ERROR) or stats.get("finish_reason") != "finished":
        return "failed"
    return "alert" if stats.get(ALERTS) else "ok"


def site_summary(site: str, stats: Mapping[str, Any]) -> dict[str, Any]:
    """One site's part of a run report, from its final crawl stats (see docs/nightly.md)."""
    rejected = {k: stats[dropped(k)] for k in REJECTION_REASONS if stats.get(dropped(k))}
    faults = {k.removeprefix(FAULT): v for k, v in stats.items() if k.startswith(FAULT)}
    budgets = [name for name, key in (("page budget", PAGE_BUDGET_REACHED), ("article budget", ARTICLE_BUDGET_REACHED))
               if stats.get(key)]
    return {
        "site": site,
        "status": site_status(stats),
        "site_error": stats.get(SITE_ERROR),
        "alerts": list(stats.get(ALERTS) or []),
        "finish_reason": stats.get("finish_reason"),
        "pages_fetched": stats.get("response_received_count", 0),
        "articles_seen": sum(stats.get(k, 0) for k in (LISTING_LINKS, FEED_ENTRIES, SITEMAP_ENTRIES)),
        "skipped_known": stats.get(SKIPPED_KNOWN, 0),
        "new_items": stats.get(FEED_WRITTEN, 0),
        "rejected": rejected,
        "failed_articles": stats.get(ARTICLE_FAILED, 0),
        "failed_listings": stats.get(LISTING_FAILED, 0),
        "errors": stats.get(LOG_ERROR, 0),
        "retries": stats.get("retry/count", 0),
        "faults": faults,
        "budgets_reached": budgets,
        "duration_s": round(float(stats.get("elapsed_time_seconds") or 0), 2),
    }


def not_started(site: str, why: str = "the crawl did not start") -> dict[str, Any]:
    return {**site_summary(site, {}), "status": "failed", "site_error": why}


def problems(summary: Mapping[str, Any]) -> list[str]:
    """The site's problems as a person should read them, one line each."""
    out = [f"not crawled: {summary['site_error']}"] if summary.get("site_error") else []
    out.extend(summary.get("alerts") or [])
    if summary.get("budgets_reached"):
        out.append(f"stopped at its {' and '.join(summary['budgets_reached'])}: older news was not walked tonight")
    return out


COLUMNS = f"{'site':<16}{'status':<9}{'pages':>6}{'seen':>6}{'new':>5}{'dropped':>8}{'failed':>7}{'errors':>7}{'time':>8}"


def row(site: str, status: str, pages: int, seen: int, new: int, dropped_: int, failed: int, errors: int,
        seconds: float) -> str:
    return (f"{site[:15]:<16}{status[:8]:<9}{pages:>6}{seen:>6}{new:>5}{dropped_:>8}{failed:>7}{errors:>7}"
            f"{seconds:>7.1f}s")


def summary_row(s: Mapping[str, Any]) -> str:
    return row(s["site"], s["status"], s["pages_fetched"], s["articles_seen"], s["new_items"],
               sum(s["rejected"].values()), s["failed_articles"] + s.get("failed_listings", 0), s["errors"],
               s["duration_s"])


def render_table(summaries: Iterable[Mapping[str, Any]]) -> list[str]:
    """The header and one line per site summary."""
    return [COLUMNS, *(summary_row(s) for s in summaries)]


def render_problems(summaries: Iterable[Mapping[str, Any]]) -> list[str]:
    lines = [f"  {s['site']}: {p}" for s in summaries for p in problems(s)]
    return ["Problems:", *lines] if lines else []


def render_summary(report: dict[str, Any]) -> str:
    kind = report.get("kind", "nightly")
    lines = [f"sdcrawl {kind} run {report['run_id']}: {report['status'].upper()} "
             f"({report['new_items']} new article(s) in {report['duration_s']} s)"]
    lines.extend(render_table(report["sites"]))
    lines.extend(render_problems([s for s in report["sites"] if s["status"] != "unverified"]))
    unverified = [s["site"] for s in report["sites"] if s["status"] == "unverified"]
    if unverified:
        lines.append(f"Unverified site(s) unreachable ({len(unverified)}; never checked against the live site, "
                     f"see `sdcrawl check --all`): {', '.join(unverified)}")
    for note in ("state_set_aside", "feed_damage"):
        if report.get(note):
            lines.append(f"Note: {report[note]}")
    for killed in report.get("recovered_runs", []):
        lines.append(f"Recovered run {killed['run_id']} (killed): {killed['lines']} line(s) -> {killed['file']}")
    return "\n".join(lines)
