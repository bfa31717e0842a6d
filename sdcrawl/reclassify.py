"""`sdcrawl reclassify`: decide again, with the current classifier, the articles an earlier rule
found irrelevant, and add the ones now relevant to the feed — once each, fetching nothing.

The store stage keeps every article it drops as irrelevant in `rejected.jsonl` beside the feed
(the whole extracted item). Reclassifying reads that file, classifies each item again
(`sdcrawl.pipelines.classify.classify_item`, the crawl's own stage), validates it, and stores
what is relevant now exactly as the crawl's store stage does (`store_line`: feed first, then
state). It is a run like `crawl` and `nightly`: the data folder's lock, its own run file and
report (`"kind": "reclassify"`). A kill part way loses and duplicates nothing: an article whose
line reached the feed is reconciled into the state when the next run opens it, and is then known.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from typing import Any

from sdcrawl.errors import EXIT_BUSY, EXIT_OK
from sdcrawl.item import content_key, page_keys, public
from sdcrawl.pipelines.classify import classify_item
from sdcrawl.pipelines.store import reconcile, store_line
from sdcrawl.pipelines.validate import validation_errors
from sdcrawl.runner import crawl_settings
from sdcrawl.store.feed import FeedWriter, iter_lines
from sdcrawl.store.lock import DataDirBusy, DataLock
from sdcrawl.store.paths import DataPaths
from sdcrawl.store.runs import RunBook
from sdcrawl.store.state import StateStore
from sdcrawl.urls import url_key

__all__ = ["reclassify"]


def latest_rejected(paths: DataPaths) -> dict[str, dict[str, Any]]:
    """The kept items by id (the last kept copy of each)."""
    items: dict[str, dict[str, Any]] = {}
    for value, _ in iter_lines(paths.rejected):
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            items[value["id"]] = value
    return items


def reclassify(*, data_dir: str | None = None, settings: dict | None = None, out=sys.stdout) -> tuple[int, dict]:
    """Re-decide the kept items; returns (exit status, counts)."""
    paths = DataPaths.from_settings(crawl_settings(data_dir, settings))
    counts = {"kept": 0, "still_irrelevant": 0, "already_known": 0, "invalid": 0, "added": 0}
    try:
        lock = DataLock(paths.lock, "sdcrawl reclassify").__enter__()
    except DataDirBusy as exc:
        print(f"sdcrawl reclassify: {exc}; not starting", file=sys.stderr)
        return EXIT_BUSY, counts
    try:
        started = time.monotonic()
        book = RunBook(paths, "reclassify")
        book.begin()
        kept = latest_rejected(paths)
        counts["kept"] = len(kept)
        with FeedWriter(paths.feed) as feed, StateStore(paths.state) as state:
            reconcile(feed, state)  # a line a killed reclassify wrote is known before it is decided again
            for item in kept.values():
                fresh = classify_item(item)
                if not fresh["classification"]["relevant"]:
                    counts["still_irrelevant"] += 1
                    continue
                line = public(fresh)
                if (state.known_article(id=line["id"]) or state.known_article(content_key=content_key(line))
                        or state.known_article(url_key=url_key(line["url"]))):
                    counts["already_known"] += 1
                    continue
                if validation_errors(line):
                    counts["invalid"] += 1
                    continue
                store_line(feed, state, line, page_keys(fresh))
                counts["added"] += 1
        report = book.end({
            "status": "ok",
            "started_at": datetime.fromtimestamp(time.time() - (time.monotonic() - started), timezone.utc)
            .isoformat(timespec="seconds"),
            "duration_s": round(time.monotonic() - started, 2),
            "sites": [],
            "reclassified": counts,
        })
        print(f"sdcrawl reclassify: {counts['kept']} kept irrelevant article(s) decided again: {counts['added']} now "
              f"relevant and added to the feed ({report['run_file']}), {counts['still_irrelevant']} still irrelevant, "
              f"{counts['already_known']} already in the feed", file=out)
        return EXIT_OK, counts
    finally:
        lock.__exit__(None, None, None)
