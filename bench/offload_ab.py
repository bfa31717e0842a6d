"""Where the second core goes: extraction in a process pool beside the reactor, against extraction
on the reactor thread, against splitting a run's sites over two crawl processes (issue 16).

    python bench/offload_ab.py [--n 2000] [--sites 20] [--site-articles 60] [--rounds 1] [--set NAME=VALUE ...]

--set applies a Scrapy setting to every crawl of part A, sdcrawl's and the bare spider's alike
(e.g. --set CONCURRENT_ITEMS=100, Scrapy's default, to see what sdcrawl's 4 gains).

A. One site of N articles (bench/synth.py), a full `sdcrawl crawl`, in the order
   inline, pool, bare, pool, inline (drift in the machine's load hits each alike):
     inline  SDCRAWL_EXTRACT_WORKERS=0 (extraction on the reactor thread, as before issue 16)
     pool    the default (one worker per spare core)
     bare    bench/bare.py, the plain Scrapy spider with the same concurrency settings
B. Many sites, no latency (CPU-bound): `sdcrawl nightly` of S sites in one process (inline, then
   with the pool), and the same sites split in two halves crawled by two `sdcrawl nightly`
   processes at once (inline, each its own data folder: a feed has one writer), i.e. the sites
   of a run spread over worker processes as the scale-out workers (issue 17) do.
Prints Markdown tables: pages/s, CPU ms per page of all processes and of the crawl process alone,
peak PSS of all processes, wall time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.run as bench  # noqa: E402
from bench.server import BenchServer  # noqa: E402
from bench.synth import BASE_NUMBER, build_site, site_articles  # noqa: E402

INLINE = {"SDCRAWL_EXTRACT_WORKERS": "0"}


def one_site(srv: BenchServer, work: Path, n: int, rounds: int, extra: dict) -> str:
    bench.serve_stopini(srv, n, 0, 15)
    shared = {**bench.sdcrawl_settings(), **extra}
    rows = []
    order = (["inline", "pool", "bare", "pool", "inline"] * rounds)[: 5 if rounds == 1 else 5 * rounds]
    for i, mode in enumerate(order):
        srv.reset()
        bench.log(f"A: {mode} ({i + 1}/{len(order)})")
        if mode == "bare":
            child, stats = bench.bare_crawl(srv.port, shared)
        else:
            child, stats = bench.sdcrawl_crawl(srv.port, work / f"a{i}", extra={**extra, **(INLINE if mode == "inline" else {})})
        pages = stats["response_received_count"]
        rows.append([mode, f"{pages:,}", bench.fmt(pages / stats["elapsed_time_seconds"]), bench.fmt(child.cpu_s * 1000 / pages, 2),
                     bench.fmt(child.own_cpu_s * 1000 / pages, 2) if child.own_cpu_s is not None and mode != "bare" else "-",
                     bench.fmt(child.tree_peak_mb), bench.load_average()])
    head = ["mode", "pages", "pages/s", "CPU ms/page, all processes", "CPU ms/page, crawl process", "peak PSS MB, all", "load after"]
    settings = ", ".join(f"{k}={v}" for k, v in extra.items())
    return table(f"A. One site, {n:,} articles, full crawl{' with ' + settings if settings else ''}", head, rows)


def many_sites(srv: BenchServer, work: Path, count: int, articles: int) -> str:
    seeds = work / "seeds"
    sites = bench.write_seeds(seeds, count)
    srv.clear_sites()
    for i, (_, host) in enumerate(sites):
        srv.set_site(host, build_site(site_articles(articles, base=BASE_NUMBER + 10_000 * (i + 1)), 15), aliases=[f"www.{host}"])
    hosts = [h for _, h in sites] + [f"www.{h}" for _, h in sites]
    env = {"SDCRAWL_SEEDS_DIR": str(seeds)}
    base = {**bench.FAST, "DOWNLOAD_DELAY": "0.001", "SPIDER_MODULES": "sdcrawl.spiders,bench.benchspiders"}
    ids = [s for s, _ in sites]
    rows = []
    for label, settings in (("one process, extraction on the reactor", INLINE), ("one process, extraction pool", {})):
        srv.reset()
        bench.log(f"B: {label}")
        child, report = bench.sdcrawl_nightly(srv.port, work / f"b-{len(rows)}", ids, hosts, settings={**base, **settings}, env=env)
        pages = srv.count()
        rows.append([label, f"{pages:,}", bench.fmt(child.wall_s), bench.fmt(pages / child.wall_s), bench.fmt(child.cpu_s * 1000 / pages, 2),
                     bench.fmt(child.tree_peak_mb), str(report["new_items"])])
    srv.reset()
    bench.log("B: two processes, half the sites each")
    halves = [ids[: count // 2], ids[count // 2:]]
    results: list = [None, None]

    def crawl(k: int) -> None:
        results[k] = bench.sdcrawl_nightly(srv.port, work / f"b-half{k}", halves[k], hosts, settings={**base, **INLINE}, env=env)

    threads = [threading.Thread(target=crawl, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pages = srv.count()
    wall = max(r[0].wall_s for r in results)
    rows.append(["two processes at once, half the sites each, extraction on the reactor", f"{pages:,}", bench.fmt(wall),
                 bench.fmt(pages / wall), bench.fmt(sum(r[0].cpu_s for r in results) * 1000 / pages, 2),
                 bench.fmt(sum(r[0].tree_peak_mb for r in results)), str(sum(r[1]["new_items"] for r in results))])
    head = ["how", "requests", "wall s (commands)", "requests/s", "CPU ms/request, all processes", "peak PSS MB, all", "new in feed"]
    return table(f"B. {count} sites of {articles} articles, no latency, 1 ms delay (≤ 2 requests per site)", head, rows)


def table(title: str, head: list[str], rows: list[list[str]]) -> str:
    lines = [f"### {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--site-articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a setting for every crawl of part A")
    parser.add_argument("--only-a", action="store_true", help="part A only")
    args = parser.parse_args(argv)
    extra = {}
    for pair in args.set:
        name, eq, value = pair.partition("=")
        if not eq:
            parser.error(f"--set {pair!r}: expected NAME=VALUE")
        extra[name] = value
    work = Path(tempfile.mkdtemp(prefix="sdcrawl-offload-"))
    before = bench.load_average()
    try:
        with BenchServer() as srv:
            a = one_site(srv, work, args.n, args.rounds, extra)
            b = "" if args.only_a else many_sites(srv, work, args.sites, args.site_articles)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"- code: {bench.commit()}; load average {before} before, {bench.load_average()} after\n\n{a}\n\n{b}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
