"""Where a full sdcrawl crawl spends its time: py-spy samples of `sdcrawl crawl` against the
benchmark's synthetic site, grouped by what sdcrawl does (extraction layers, pipelines, URL
canonicalization, state) and what Scrapy does.

    python bench/hotspots.py [--n 2000] [--raw FILE]

Needs py-spy (`pip install py-spy`; it is not a dependency of sdcrawl). Samples at 200 Hz; a
sample is counted once, under the first group (top to bottom of GROUPS) whose frame is on its stack.
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import bench.run as bench  # noqa: E402
from bench.server import BenchServer  # noqa: E402

# (group, a frame "function (file)" on the stack, or a test of the whole stack)
GROUPS = [
    ("start-up, imports (outside the reactor)", lambda stack: not any(f.startswith(("run_forever ", "_bootstrap ")) for f in stack)),
    ("threads other than the reactor's (Scrapy's DNS pool, the extraction pool's start-up)",
     lambda stack: not any(f.startswith("run_forever ") for f in stack) and any(f.startswith("_bootstrap ") for f in stack)),
    ("extraction pool: sending pages, receiving items (sdcrawl/extract/offload.py)",
     lambda s: any("(sdcrawl/extract/offload.py)" in f for f in s) and not any("(sdcrawl/extract/__init__.py)" in f for f in s)),
    ("pipelines: classification (classify)", "classify (sdcrawl/classify/rules.py)"),
    ("extraction: embedded metadata (extract_metadata)", "extract_metadata (sdcrawl/extract/metadata.py)"),
    ("extraction: site selectors (_site_layer)", "_site_layer (sdcrawl/extract/__init__.py)"),
    ("extraction: HTML parse (parse_html)", "parse_html (sdcrawl/extract/html.py)"),
    ("extraction: periods (find_periods)", "find_periods (sdcrawl/extract/dates.py)"),
    ("extraction: URL canonicalization (canonicalize)", lambda s: "extract_article (sdcrawl/extract/__init__.py)" in s
     and any(f.startswith(("canonicalize (sdcrawl/urls.py)", "article_id (sdcrawl/urls.py)")) for f in s)),
    ("extraction: the rest of extract_article", "extract_article (sdcrawl/extract/__init__.py)"),
    ("pipelines: schema validation (jsonschema)", "field_errors (sdcrawl/pipelines/validate.py)"),
    ("pipelines: feed line write + fsync", "write (sdcrawl/store/feed.py)"),
    ("spidermon, stats and log counting per item", lambda s: any(("(spidermon/" in f or "(scrapy/statscollectors.py)" in f
                                                                   or "(sdcrawl/extensions.py)" in f or "(sdcrawl/progress.py)" in f) for f in s)),
    ("pipelines: state writes (SQLite commits)", lambda s: any(re.match(r"(record_stored|add_alias|forget_failed|record_rejected) \(sdcrawl/store/state.py\)", f) for f in s)),
    ("URL canonicalization elsewhere (url_key, url-normalize)", "canonicalize (sdcrawl/urls.py)"),
    ("state lookups (SQLite reads)", lambda s: any("(sdcrawl/store/state.py)" in f for f in s)),
    ("pipelines: the rest (normalize, dedup, relevance)", lambda s: any("(sdcrawl/pipelines/" in f for f in s)),
    ("spider: listing pages (parse)", "parse (sdcrawl/spiders/news.py)"),
    ("spider: the rest", lambda s: any("(sdcrawl/spiders/" in f for f in s)),
    ("sdcrawl downloader middlewares", lambda s: any("(sdcrawl/faults/" in f for f in s)),
    ("Scrapy: CONCURRENT_ITEMS (100) worker tasks made per response (_parallel_asyncio)",
     lambda s: any(f.startswith(("_parallel_asyncio (scrapy/utils/asyncio.py)", "worker (scrapy/utils/asyncio.py)")) for f in s)
     and not any("(sdcrawl/" in f and "(sdcrawl/cli.py)" not in f for f in s)),
    ("Scrapy, Twisted, asyncio: download, scheduling, the rest", lambda s: True),
]


def group_samples(raw: Path) -> tuple[int, collections.Counter]:
    counts: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack_text, _, n = line.rpartition(" ")
        if not stack_text or not n.isdigit():
            continue
        # "function (file)"; newer py-spy names methods "Class.function": the class is dropped
        stack = [re.sub(r"^[\w<>]+\.(?=[\w<>]+ \()", "", re.sub(r":\d+\)$", ")", f)) for f in stack_text.split(";")]
        total += int(n)
        for name, rule in GROUPS:
            if (rule(stack) if callable(rule) else rule in stack):
                counts[name] += int(n)
                break
    return total, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--raw", type=Path, help="keep py-spy's raw samples here")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy") or (str(Path(sys.executable).parent / "py-spy") if (Path(sys.executable).parent / "py-spy").exists() else None)
    if spy is None:
        parser.error("py-spy not found: pip install py-spy")
    work = Path(tempfile.mkdtemp(prefix="sdcrawl-profile-"))
    raw = args.raw or work / "samples.txt"
    try:
        with BenchServer() as srv:
            bench.serve_stopini(srv, args.n, 0, 15)
            sdcrawl = bench.SDCRAWL
            bench.SDCRAWL = [spy, "record", "-r", "200", "-f", "raw", "-o", str(raw), "--", *sdcrawl]
            child, stats = bench.sdcrawl_crawl(srv.port, work / "data", timeout=900)
    finally:
        total, counts = group_samples(raw) if raw.exists() else (0, collections.Counter())
        shutil.rmtree(work, ignore_errors=True)  # the crawl's data (and the samples, unless --raw)
    pages = stats["response_received_count"]
    print(f"sdcrawl crawl of {args.n} articles ({pages} pages) under py-spy: {total} samples at 200 Hz, "
          f"{stats['elapsed_time_seconds']:.1f} s crawling")
    print("| share | ms per page | where |\n|---:|---:|---|")
    for name, n in counts.most_common():
        print(f"| {100 * n / total:.1f}% | {n / 200 * 1000 / pages:.2f} | {name} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
