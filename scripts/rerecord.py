#!/usr/bin/env python3
"""Re-record the expected feed of recorded site copies, for review after a deliberate change.

    python scripts/rerecord.py [SITE_ID ...]     (default: every site with a recorded copy)

Crawls each recorded copy over loopback with the real engine and pipelines, and writes
recorded/<id>/expected.json. Review the diff (git diff recorded/) before committing it: the
tests compare every crawl with these files.
"""

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sdcrawl.tools.testing import RECORDED, comparable, crawl_recorded, expected_path  # noqa: E402


def main(ids: list[str]) -> int:
    ids = ids or sorted(p.name for p in RECORDED.iterdir() if (p / "manifest.toml").exists())
    status = 0
    for site_id in ids:
        with tempfile.TemporaryDirectory() as tmp:
            proc, items = crawl_recorded(site_id, Path(tmp))
        if proc.returncode != 0:
            print(f"{site_id}: crawl failed ({proc.returncode}):\n{proc.stderr[-2000:]}", file=sys.stderr)
            status = 1
            continue
        path = expected_path(site_id)
        path.write_text(json.dumps(comparable(items), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{site_id}: {len(items)} items -> {path.relative_to(RECORDED.parent)}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
