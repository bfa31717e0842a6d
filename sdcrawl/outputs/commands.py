"""The functions behind `sdcrawl report`, `sdcrawl export` and the nightly alert: plain arguments,
no argparse, an InputError (one line for stderr) on bad input.

    write_report(data_dir, out=None)           -> the HTML page (default <data dir>/report.html)
    export(feed_path, fmt, out)                -> fmt: atom | parquet | schema-org
    send_alerts(data_dir, env=os.environ)      -> the night's one message, at most once per run
    cli_report, cli_export                     -> the same for the CLI: exit status 0, or 2 and one line
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sdcrawl.outputs import report_html  # atom and tabular (pyarrow) are imported by `export` only
from sdcrawl.outputs.alerts import AlertSettings, send_night_alerts
from sdcrawl.outputs.inputs import InputError, history_from_reports, iter_feed, load_reports, write_atomic

EXPORT_FORMATS = ("atom", "parquet", "schema-org")


def _data_dir(data_dir: str | Path) -> Path:
    path = Path(data_dir)
    if not path.is_dir():
        raise InputError(f"{path}: no such data folder")
    return path


def newest_per_site(articles: Iterable[Mapping[str, Any]], keep: int = 4 * report_html.NEWEST_PER_SITE
                    ) -> tuple[list[Mapping[str, Any]], dict[str, int]]:
    """The newest `keep` articles of each site and each site's count, read as a stream: the page
    shows a few stories per site, and holding the whole feed (or indexing it for stories) would
    grow with the archive on every night."""
    import heapq

    newest: dict[str, list] = {}
    counts: dict[str, int] = {}
    for n, item in enumerate(articles):
        site = str(item.get("site"))
        counts[site] = counts.get(site, 0) + 1
        entry = (str(item.get("published") or ""), n, item)
        heap = newest.setdefault(site, [])
        if len(heap) < keep:
            heapq.heappush(heap, entry)
        elif entry[:2] > heap[0][:2]:
            heapq.heapreplace(heap, entry)
    kept = sorted((e for heap in newest.values() for e in heap), key=lambda e: e[1])  # in feed order
    return [e[2] for e in kept], counts


def write_report(data_dir: str | Path, out: str | Path | None = None) -> Path:
    """Write the HTML report of the data folder's runs and feed; return its path."""
    data = _data_dir(data_dir)
    feed = data / "feed.jsonl"
    articles, counts = newest_per_site(iter_feed(feed)) if feed.exists() else ([], {})
    page = report_html.render_report(load_reports(data / "runs"), articles, counts=counts)
    return write_atomic(Path(out) if out else data / "report.html", page.encode("utf-8"))


def export(feed_path: str | Path, fmt: str, out: str | Path) -> Path:
    """Write the feed in another format: `atom`, `parquet` or `schema-org` (JSON Lines)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r} (one of: {', '.join(EXPORT_FORMATS)})")
    if fmt == "atom":
        from sdcrawl.outputs import atom

        return atom.write_atom(feed_path, out)
    from sdcrawl.outputs import tabular

    return tabular.write_export(feed_path, fmt, out)


def send_alerts(data_dir: str | Path, env: Mapping[str, Any] | None = None, *, run_id: str | None = None,
                today: date | None = None) -> dict[str, Any]:
    """Send the night's alert for the last finished run (or `run_id`), once: the outcome is kept
    in runs/<run-id>.alerts.json and a second call for the same run sends nothing (it returns the
    kept outcome with "already": true)."""
    data = _data_dir(data_dir)
    settings = AlertSettings.from_mapping(os.environ if env is None else env)
    reports = [r for r in load_reports(data / "runs") if r.get("sites") is not None]
    if run_id:
        reports = [r for r in reports if r["run_id"] <= run_id]
        if not reports or reports[-1]["run_id"] != run_id:
            raise InputError(f"no finished run {run_id} in {data / 'runs'}")
    if not reports:
        raise InputError(f"no finished run in {data / 'runs'}")
    report = reports[-1]
    marker = data / "runs" / f"{report['run_id']}.alerts.json"
    if marker.exists():
        return {**json.loads(marker.read_text(encoding="utf-8")), "already": True}
    result = send_night_alerts(report, history_from_reports(reports), settings, today=today)
    write_atomic(marker, json.dumps(result, ensure_ascii=False, indent=2).encode())
    return result


# --- for the CLI: print what was written, or one line on stderr and exit status 2 ------------
def _cli(call, *args) -> int:
    try:
        print(call(*args))
    except (InputError, ValueError) as exc:
        print(f"sdcrawl: {exc}", file=sys.stderr)
        return 2
    return 0


def cli_report(data_dir: str | Path, out: str | Path | None = None) -> int:
    return _cli(write_report, data_dir, out)


def cli_export(data_dir: str | Path, fmt: str, out: str | Path) -> int:
    return _cli(export, Path(data_dir) / "feed.jsonl", fmt, out)
