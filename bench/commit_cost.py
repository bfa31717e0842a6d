"""What the durable writes cost per article, now (one fsynced feed line and one SQLite commit per
item) and grouped (one write + fsync of G lines, then one transaction recording the G articles).

    python bench/commit_cost.py [--items 400] [--group 50]

(a) uses sdcrawl's own FeedWriter.write and StateStore.record_stored, as the store stage does.
(b) is the proposal for the state's owner (issue 16), prototyped here without changing
    sdcrawl/store/: the same lines written with one os.write and one fsync per group, then the
    same INSERT/DELETE statements as record_stored in one BEGIN IMMEDIATE ... COMMIT per group, on
    a database StateStore created (WAL, synchronous=FULL). The order that makes a crash harmless
    is kept: a group's lines are on disk before the state records any of them.
Prints one JSON object: wall ms per item of each, and CPU ms per item (this process).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sdcrawl.item import content_key  # noqa: E402
from sdcrawl.store.feed import FeedWriter, dumps_line  # noqa: E402
from sdcrawl.store.state import StateStore  # noqa: E402
from sdcrawl.urls import url_key  # noqa: E402


def items(n: int, run: str) -> list[dict]:
    body = "Sociālā dienesta darbinieki piedalījās apmācībās par darbu ar ģimenēm. " * 60
    return [{"schema_version": 1, "id": f"bench-{run}-{i:06d}", "url": f"https://bench.invalid/{run}/zinas/{i}",
             "site": "bench", "municipality": "Bench novads", "title": f"Apmācības {i}", "body": body,
             "published": "2024-03-14", "scraped_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
            for i in range(n)]


def one_by_one(folder: Path, batch: list[dict]) -> None:
    with FeedWriter(folder / "feed.jsonl") as feed, StateStore(folder / "state.sqlite") as state:
        for item in batch:
            end = feed.write(item)
            state.record_stored(item, content_key(item), end)


def grouped(folder: Path, batch: list[dict], group: int) -> None:
    StateStore(folder / "state.sqlite").close()  # the schema, made by sdcrawl
    import sqlite3

    conn = sqlite3.connect(folder / "state.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    fd = os.open(folder / "feed.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        for start in range(0, len(batch), group):
            part = batch[start:start + group]
            lines = [dumps_line(item) for item in part]
            offset = os.fstat(fd).st_size
            os.write(fd, b"".join(lines))
            os.fsync(fd)  # the group's lines are on disk ...
            conn.execute("BEGIN IMMEDIATE")  # ... before the state records any of them
            for item, line in zip(part, lines):
                offset += len(line)
                key = url_key(item["url"])
                inserted = conn.execute(
                    "INSERT INTO articles (id, url_key, content_key, site, url, published, feed_offset_end, stored_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (item["id"], key, content_key(item), item["site"], item["url"], item.get("published"), offset,
                     item["scraped_at"])).rowcount
                if inserted:
                    conn.execute("DELETE FROM rejected WHERE url_key = ?", (key,))
                    conn.execute("DELETE FROM aliases WHERE url_key = ?", (key,))
            conn.execute("COMMIT")
    finally:
        os.close(fd)
        conn.close()


def timed(fn, *args) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - w0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--group", type=int, default=50)
    args = parser.parse_args(argv)
    out = {}
    with tempfile.TemporaryDirectory(prefix="sdcrawl-commit-", dir=os.environ.get("BENCH_DISK_DIR")) as tmp:
        a, b = Path(tmp, "a"), Path(tmp, "b")
        a.mkdir()
        b.mkdir()
        wall, cpu = timed(one_by_one, a, items(args.items, "a"))
        out["one_by_one"] = {"wall_ms_per_item": round(wall * 1000 / args.items, 3), "cpu_ms_per_item": round(cpu * 1000 / args.items, 3)}
        wall, cpu = timed(grouped, b, items(args.items, "b"), args.group)
        out[f"grouped_{args.group}"] = {"wall_ms_per_item": round(wall * 1000 / args.items, 3), "cpu_ms_per_item": round(cpu * 1000 / args.items, 3)}
    out["items"] = args.items
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
