"""A run over registry sites that writes the feed: `sdcrawl nightly` (the scheduled job) and
`sdcrawl crawl` (a run started by hand) both go through `run_sites`.

    sdcrawl nightly [--data-dir DIR] [--since D] [--page-budget N] [-s NAME=VALUE ...] [SITE_ID ...]

Every path comes from the settings (`sdcrawl.store.paths`: SDCRAWL_DATA_DIR, SDCRAWL_FEED_PATH,
SDCRAWL_STATE_PATH, SDCRAWL_RUNS_DIR). The data folder's lock is held for the whole run (a second
writer is told so in one line, exit status 3); the run's bookkeeping (`sdcrawl.store.runs`) makes
every feed line belong to exactly one run file, also across kills. The per-site summary and its
wording come from `sdcrawl.stats`. See docs/nightly.md for what downstream readers may rely on.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from typing import Any

from sdcrawl import stats as S
from sdcrawl.errors import EXIT_BUSY, EXIT_OK, EXIT_PROBLEMS, DataError
from sdcrawl.runner import crawl_settings, run_crawl
from sdcrawl.store.lock import DataDirBusy, DataLock
from sdcrawl.store.paths import DataPaths
from sdcrawl.store.runs import RunBook

__all__ = ["run_sites"]


def after_the_night(paths: DataPaths, report: dict[str, Any], out) -> None:
    """The night's outputs for people: the HTML report beside the data, and one alert message
    when something went wrong (docs/outputs.md; nothing is sent on a clean night or without
    SDCRAWL_ALERT_* settings). A failure here is reported, never fatal: the feed is written."""
    from sdcrawl.outputs.commands import send_alerts, write_report

    try:
        write_report(paths.root)
    except Exception as exc:  # noqa: BLE001 - the report page must not fail the night
        print(f"sdcrawl: the HTML report was not written: {exc}", file=sys.stderr)
    try:
        outcome = send_alerts(paths.root, run_id=report["run_id"])
    except Exception as exc:  # noqa: BLE001
        print(f"sdcrawl: the alert was not sent: {exc}", file=sys.stderr)
        return
    for error in outcome.get("errors") or []:
        print(f"sdcrawl: alert not delivered: {error}", file=sys.stderr)


def mark_unverified(sites: list[dict[str, Any]], project) -> None:
    """A site never known to work — `verified = false` in the registry and no run of it in the
    history that was ok — that could not be crawled is reported as "unverified": visible in the
    summary, but no alarm and no non-zero exit, so it does not drown the real problems. A site
    that worked before and fails now is a real failure, verified or not."""
    from sdcrawl.registry import RegistryError, get_site
    from sdcrawl.store.access import open_state

    failed = [s for s in sites if s["status"] == "failed" and s.get("site_error")]
    if not failed:
        return
    with open_state(project) as state:
        for s in failed:
            try:
                verified = get_site(s["site"], project.get("SDCRAWL_SEEDS_DIR")).verified
            except RegistryError:
                continue
            worked = any(h["status"] in ("ok", "alert") for h in state.site_history(s["site"], limit=1000))
            if not verified and not worked:
                s["status"] = "unverified"


def run_sites(site_ids: list[str], *, kind: str = "nightly", data_dir: str | None = None, since: str | None = None,
              page_budget: int | None = None, replay: list[str] | None = None,
              settings: dict | None = None, out=sys.stdout,
              queue: str | None = None) -> tuple[int, dict[str, Any] | None, dict[str, dict]]:
    """Crawl the sites into the feed as one run; print its summary; return (exit status, the run's
    report, each site's final crawl stats). With `queue` (a Redis URL) the sites go to workers
    instead (docs/scale-out.md): the coordinator does the same bookkeeping over the database."""
    if queue:
        from sdcrawl.scale.coordinator import nightly_queue

        return nightly_queue(site_ids, queue_url=queue, data_dir=data_dir, since=since, page_budget=page_budget,
                             replay=replay, settings=settings, out=out), None, {}
    project = crawl_settings(data_dir, settings)
    paths = DataPaths.from_settings(project)
    try:
        lock = DataLock(paths.lock, f"sdcrawl {kind}").__enter__()
    except DataDirBusy as exc:
        print(f"sdcrawl {kind}: {exc}; not starting", file=sys.stderr)
        return EXIT_BUSY, None, {}
    try:
        started = time.monotonic()
        book = RunBook(paths, kind)
        book.begin()
        results = run_crawl(site_ids, settings=project, since=since, page_budget=page_budget, replay=replay)
        sites = [S.site_summary(site, results[site]) if site in results else S.not_started(site) for site in site_ids]
        mark_unverified(sites, project)
        report = book.end({
            "status": "ok" if all(s["status"] in ("ok", "unverified") for s in sites) else "problems",
            "started_at": datetime.fromtimestamp(time.time() - (time.monotonic() - started), timezone.utc)
            .isoformat(timespec="seconds"),
            "duration_s": round(time.monotonic() - started, 2),
            "sites": sites,
        })
        print(S.render_summary(report), file=out)
        if kind == "nightly":
            after_the_night(paths, report, out)
        unwritable = next((r[S.DATA_ERROR] for r in results.values() if r.get(S.DATA_ERROR)), None)
        if unwritable:
            raise DataError(unwritable)
        return (EXIT_OK if report["status"] == "ok" else EXIT_PROBLEMS), report, results
    finally:
        lock.__exit__(None, None, None)
