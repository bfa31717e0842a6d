"""Reading what a crawl wrote: the JSON Lines feed, the run reports, the run history.

Only the documented formats are read (docs/feed.md, docs/nightly.md); nothing here imports the
crawler. Writes go through `write_atomic`: a file is whole or absent.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


class InputError(ValueError):
    """Input that cannot be read; its message is one line fit for stderr."""


def iter_feed(path: str | Path) -> Iterator[dict[str, Any]]:
    """The articles of a JSON Lines feed in feed order. A last line without its newline is a line
    still being written (docs/feed.md) and is skipped; any other bad line is an InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such feed file")
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.endswith(b"\n"):
                return
            if not raw.strip():
                continue
            try:
                item = json.loads(raw)
            except ValueError:
                continue  # a damaged line: readers skip it (docs/feed.md); the run reported it once
            if not isinstance(item, dict) or "id" not in item:
                raise InputError(f"{path}:{number}: not an article (no id)")
            yield item


def read_feed(path: str | Path) -> list[dict[str, Any]]:
    return list(iter_feed(path))


def load_reports(runs_dir: str | Path) -> list[dict[str, Any]]:
    """Every `<run-id>.report.json` in runs_dir, oldest run first (run ids sort in time order).
    Reports of killed runs (status `killed`, no sites) are included."""
    runs_dir = Path(runs_dir)
    if not runs_dir.is_dir():
        return []
    reports = []
    for path in sorted(runs_dir.glob("*.report.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise InputError(f"{path}: not a JSON run report ({exc})") from None
        if not isinstance(report, dict) or "run_id" not in report:
            raise InputError(f"{path}: not a run report (no run_id)")
        reports.append(report)
    return reports


def run_date(run_id: str) -> str:
    """`YYYY-MM-DD` of a run id (`YYYYMMDDTHHMMSSffffffZ`, the run's UTC start)."""
    if len(run_id) < 8 or not run_id[:8].isdigit():
        raise InputError(f"{run_id!r} is not a run id (YYYYMMDDTHHMMSS...Z)")
    return f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}"


def history_from_reports(reports: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per site, its nights oldest first: {"run_id", "date", "status", "new_items", "errors",
    "alerts", "site_error"} from each finished run's report (killed runs have no per-site part)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for report in reports:
        for s in report.get("sites") or ():
            out.setdefault(s["site"], []).append({
                "run_id": report["run_id"],
                "date": run_date(report["run_id"]),
                "status": s.get("status"),
                "new_items": int(s.get("new_items") or 0),
                "errors": int(s.get("errors") or 0),
                "alerts": list(s.get("alerts") or ()),
                "site_error": s.get("site_error"),
            })
    for nights in out.values():
        nights.sort(key=lambda n: n["run_id"])
    return out


def history_from_state(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """The same shape as history_from_reports, from the `runs` and `run_sites` tables of the
    state (opened read-only), for a data folder whose run reports were removed."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such state file")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT s.run_id, s.site, s.status, s.new_items, s.errors, s.alerts FROM run_sites s"
            " JOIN runs r ON r.run_id = s.run_id WHERE r.status != 'running' ORDER BY s.run_id"
        ).fetchall()
    except sqlite3.Error as exc:
        raise InputError(f"{path}: no run history in this state ({exc})") from None
    finally:
        conn.close()
    out: dict[str, list[dict[str, Any]]] = {}
    for run_id, site, status, new_items, errors, alerts in rows:
        out.setdefault(site, []).append({
            "run_id": run_id, "date": run_date(run_id), "status": status, "new_items": new_items,
            "errors": errors, "alerts": json.loads(alerts or "[]"), "site_error": None,
        })
    return out


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, fsync, rename: the file is whole or absent."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path
