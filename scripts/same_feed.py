"""Is the feed of every recorded site the same at two commits? Byte for byte, line by line.

    python scripts/same_feed.py BASE [OTHER]      (OTHER defaults to the work tree)

Each side is exported (`git archive`, or the work tree as it is), crawls the six sites that have a
recorded copy of their own (the copies of the side being run) over loopback into a feed of its
own, and the two feeds are compared: the same ids, and each id's line the same bytes once the
one volatile field (`scraped_at`, the time of the fetch) is set aside. Lines are compared in id
order (sites crawl in parallel, so the order of lines in a feed is not fixed). Exit status 0 when
identical; otherwise the differing ids and fields are printed and the status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITES = ["bauskasnovads", "iecava", "lm", "rezeknesnovads", "socd", "stopini"]
VOLATILE = "scraped_at"


def export(rev: str | None, into: Path) -> Path:
    """The tree at `rev` (None: the work tree itself)."""
    if rev is None:
        return REPO
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev], capture_output=True, check=True)
    tar = into / "tree.tar"
    tar.write_bytes(archive.stdout)
    with tarfile.open(tar) as t:
        t.extractall(into, filter="data")
    tar.unlink()
    return into


def crawl(tree: Path, data: Path) -> dict[str, bytes]:
    """id -> the line's bytes without the volatile field, from a crawl of the recorded copies."""
    env = {**os.environ, "PYTHONPATH": str(tree), "SDCRAWL_LOG_LEVEL": "ERROR", "SDCRAWL_SEEDS_DIR": str(tree / "seeds")}
    proc = subprocess.run([sys.executable, "-m", "sdcrawl.cli", "crawl", *SITES, "--replay", str(tree / "recorded"),
                           "--data-dir", str(data), "--since", "2000-01-01"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        sys.exit(f"the crawl in {tree} failed ({proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
    out = {}
    for raw in (data / "feed.jsonl").read_bytes().splitlines():
        item = json.loads(raw)
        item.pop(VOLATILE, None)
        # the feed's own serialisation: sorted keys, non-ASCII kept
        out[item["id"]] = json.dumps(item, ensure_ascii=False, sort_keys=True).encode()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base")
    parser.add_argument("other", nargs="?")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        a = crawl(export(args.base, root / "a"), root / "feed-a")
        b = crawl(export(args.other, root / "b"), root / "feed-b")
    label = args.other or "the work tree"
    if a == b:
        print(f"identical: {len(a)} articles, the same ids and the same lines at {args.base} and {label}")
        return 0
    for article_id in sorted(set(a) ^ set(b)):
        print(f"only at {args.base if article_id in a else label}: {article_id}")
    for article_id in sorted(set(a) & set(b)):
        if a[article_id] != b[article_id]:
            x, y = json.loads(a[article_id]), json.loads(b[article_id])
            fields = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            detail = [f"{f}.{k}" for f in fields if isinstance(x.get(f), dict) and isinstance(y.get(f), dict)
                      for k in sorted(set(x[f]) | set(y[f])) if x[f].get(k) != y[f].get(k)]
            print(f"differs: {article_id}: {', '.join(detail or fields)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
