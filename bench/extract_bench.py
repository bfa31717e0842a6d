"""Extraction cost per article: `sdcrawl.extract.extract_article` timed page by page.

    python bench/extract_bench.py [--synthetic 100] [--repeat 5] [--corpus FILE.tar.gz]

Two paths: the site's selectors (each recorded site's spider's `selectors`; stopini's for the
synthetic pages) and the generic path (selectors=None: metadata, trafilatura, htmldate). Pages:
every recorded article page of the six registry sites (recorded/*/*.html but the listings) and
synthetic stopini pages (bench/synth.py). Each page is extracted once to warm up, then `repeat`
times, each call timed alone (time.perf_counter_ns). Prints one JSON object: per row, the number
of calls, median, 95th percentile and max in milliseconds.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import RECORDED, article_page, site_articles  # noqa: E402


def recorded_pages() -> list[tuple[str, str, str]]:
    """(site id, url, html) of every recorded article page."""
    out = []
    for folder in sorted(p for p in RECORDED.iterdir() if (p / "manifest.toml").exists()):
        manifest = tomllib.loads((folder / "manifest.toml").read_text(encoding="utf-8"))
        host = manifest["hosts"][0]
        by_file: dict[str, str] = {}
        for page in manifest.get("page", []):
            by_file.setdefault(page.get("file", ""), page["url"])
        for path in sorted(folder.glob("*.html")):
            if path.name.startswith("listing") or path.name not in by_file:
                continue
            out.append((folder.name, f"https://{host}{by_file[path.name]}", path.read_text(encoding="utf-8")))
    return out


def site_selectors() -> dict:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    from scrapy.utils.project import get_project_settings

    from sdcrawl.spiderloader import RegistrySpiderLoader

    loader = RegistrySpiderLoader.from_settings(get_project_settings())
    return {site: loader.load(site).selectors for site in loader.site_ids()}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def time_pages(pages, selectors_for, repeat: int) -> list[float]:
    from sdcrawl.extract import extract_article

    timings = []
    for site, url, html in pages:
        sel = selectors_for(site)
        extract_article(html, url, selectors=sel, site=site)  # warm-up (imports, caches)
    for _ in range(repeat):
        for site, url, html in pages:
            sel = selectors_for(site)
            t0 = time.perf_counter_ns()
            extract_article(html, url, selectors=sel, site=site)
            timings.append((time.perf_counter_ns() - t0) / 1e6)
    return timings


def corpus_pages(archive: Path) -> list[tuple[str, str]]:
    """(url, html) of every page of the public article-extraction benchmark (a .tar.gz holding
    html/<sha>.html.gz and ground-truth.json), read in memory; nothing is written."""
    import gzip
    import tarfile

    pages, urls = {}, {}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            name = Path(member.name)
            data = tar.extractfile(member).read()
            if name.name == "ground-truth.json":
                urls = {k: v.get("url", "") for k, v in json.loads(data).items()}
            elif name.name.endswith(".html.gz"):
                raw = gzip.decompress(data)
                pages[name.name.removesuffix(".html.gz")] = raw.decode("utf-8", errors="replace")
    return [(urls.get(key) or f"https://example.invalid/{key}", html) for key, html in sorted(pages.items())]


def time_corpus(pages: list[tuple[str, str]], repeat: int) -> dict:
    """sdcrawl's generic path against bare trafilatura (`trafilatura.extract(html, url=url)`, its
    defaults) on the same pages, in this one process, the two calls of a page timed one after the
    other; per-page medians."""
    import trafilatura

    from sdcrawl.extract import extract_article

    ours, bare = [], []
    for url, html in pages:  # warm-up
        extract_article(html, url, selectors=None, site="corpus")
        trafilatura.extract(html, url=url)
    for _ in range(repeat):
        for url, html in pages:
            t0 = time.perf_counter_ns()
            extract_article(html, url, selectors=None, site="corpus")
            t1 = time.perf_counter_ns()
            trafilatura.extract(html, url=url)
            t2 = time.perf_counter_ns()
            ours.append((t1 - t0) / 1e6)
            bare.append((t2 - t1) / 1e6)
    return {"pages": len(pages), "sdcrawl": summary(ours), "trafilatura": summary(bare),
            "ratio_median": round(statistics.median(ours) / statistics.median(bare), 3)}


def summary(timings: list[float]) -> dict:
    return {"calls": len(timings), "median_ms": round(statistics.median(timings), 3),
            "p95_ms": round(percentile(timings, 0.95), 3), "max_ms": round(max(timings), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=100, help="synthetic stopini article pages")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, help="also time the generic path against bare trafilatura on the "
                        "article pages of this public benchmark (../shared/corpora/zyte-article-extraction-benchmark.tar.gz)")
    parser.add_argument("--corpus-pages", type=int, default=0, help="only the first N corpus pages (0: all)")
    args = parser.parse_args(argv)
    selectors = site_selectors()
    recorded = recorded_pages()
    synthetic = [("stopini", f"https://stopini.lv{a.path}", article_page(a)) for a in site_articles(args.synthetic)]
    gc.collect()
    rows = {}
    for path, pick in (("site", lambda s: selectors[s]), ("generic", lambda s: None)):
        for label, pages in (("recorded", recorded), ("synthetic", synthetic)):
            rows[f"{path}/{label}"] = {"pages": len(pages), **summary(time_pages(pages, pick, args.repeat))}
    if args.corpus:
        pages = corpus_pages(args.corpus)
        rows["corpus"] = time_corpus(pages[: args.corpus_pages or None], max(1, args.repeat // 2))
    print(json.dumps(rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
