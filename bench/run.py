"""sdcrawl's benchmark: how fast, how cheap, and how it grows, measured against plain Scrapy.

    .venv/bin/python bench/run.py [--n 5000] [--k 10] [--quick] [--output FILE]

Builds synthetic municipal news sites (bench/synth.py: stopini's markup in the chrome of the
recorded stopini.lv pages, Latvian text from the recorded copies), serves them from a fast loopback
server (bench/server.py) and runs the real `sdcrawl crawl` / `sdcrawl nightly` commands against
them in child processes, with SDCRAWL_LOOPBACK_HOSTS routing the sites' real host names to
127.0.0.1. Prints one Markdown table per measure:

  0. the server alone: requests per second it answers (must be far above what a crawl asks)
  1. incremental cost: requests of a nightly run after k new articles, against the minimum
  2. throughput: pages/s of a full sdcrawl crawl against a bare Scrapy spider (bench/bare.py)
  3. extraction cost per article, site selectors and generic path (bench/extract_bench.py)
  4. memory: peak RSS of a full crawl at N and 10*N articles
  5. many sites: 20 sites each answering after 200 ms against one such site

Every request goes to 127.0.0.1; every child process has a time limit and is killed past it; the
load generator is bounded in requests and seconds. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.server import BenchServer  # noqa: E402
from bench.synth import BASE_NUMBER, build_site, listing_pages_needed, site_articles  # noqa: E402

PY = sys.executable
# issue 16's targets
SITE_MEDIAN_MS = 1.5
CORPUS = REPO.parent / "shared" / "corpora" / "zyte-article-extraction-benchmark.tar.gz"
# sdcrawl's command, run through bench/peak.py (which reports the child's own peak RSS and CPU)
SDCRAWL = [PY, str(REPO / "bench" / "peak.py"), "-m", "sdcrawl.cli"]
SINCE = "1990-01-01"  # the synthetic archives go back to 1997 at 20,000 articles
PAGE_BUDGET = "100000"  # a backfill walks the whole listing
HOSTS = ["stopini.lv", "www.stopini.lv"]
LISTING_URL = "/lv/jaunumi/socialie-pakalpojumi"
# Politeness off (loopback, no real site involved). The concurrency stays sdcrawl's own, and the
# bare spider is given the same (SHARED, read from sdcrawl's settings).
# The sites here are synthetic archives of up to 200,000 articles: the per-run article budget
# (SDCRAWL_ARTICLE_BUDGET, 2,000 by default, issue 13) would cut the backfill and measure a
# partial crawl, so it is lifted; the incremental run is measured after a complete backfill.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "SDCRAWL_ARTICLE_BUDGET": "1000000"}
SHARED = ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_ITEMS", "ROBOTSTXT_OBEY", "COOKIES_ENABLED")


def sdcrawl_settings() -> dict[str, str]:
    """sdcrawl's values of the settings the bare spider shares (asked of a child process, so that
    this one never imports sdcrawl)."""
    code = ("import json, os; os.environ.setdefault('SCRAPY_SETTINGS_MODULE', 'sdcrawl.settings'); "
            "from scrapy.utils.project import get_project_settings as g; s = g(); "
            f"print(json.dumps({{k: str(s.get(k)) for k in {list(SHARED)!r}}}))")
    child = check(run_child([PY, "-c", code], timeout=60), "reading sdcrawl's settings")
    return json.loads(child.stdout.strip().splitlines()[-1])


# --- child processes ----------------------------------------------------------------------------
@dataclass
class Child:
    cmd: list[str]
    returncode: int
    wall_s: float
    maxrss_mb: float
    cpu_s: float
    stdout: str
    stderr: str
    timed_out: bool = False
    own_cpu_s: float | None = None  # the crawl process alone (bench/peak.py), without its workers
    tree_peak_mb: float = 0.0  # the highest sum of PSS over the child and all its processes (sampled)


def _session_pss_kb(sid: int) -> int:
    """Sum of the proportional set size of every process in session `sid` (the child started
    with start_new_session, its extraction workers and their fork server): shared pages counted
    once in all."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != sid:  # field 6 of stat: the session id
                continue
            with open(f"/proc/{entry.name}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


def run_child(cmd: list[str], *, env: dict | None = None, timeout: float = 900) -> Child:
    """Run a command to its end (killed after `timeout` s). CPU time from wait4() (that child and
    its children); peak RSS from bench/peak.py, when the command runs through it (else 0)."""
    full_env = {**os.environ, "SDCRAWL_CONTACT": "bench@localhost", "SDCRAWL_LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])), **(env or {})}
    peak_fd, peak_file = tempfile.mkstemp(prefix="bench-peak-")
    os.close(peak_fd)
    full_env["BENCH_PEAK_FILE"] = peak_file
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=full_env, cwd=REPO, start_new_session=True)
        killed = threading.Event()

        def kill():
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        tree_peak = [0]
        done = threading.Event()

        def sample() -> None:  # the whole process tree's memory, twice a second
            while not done.wait(0.5):
                tree_peak[0] = max(tree_peak[0], _session_pss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): the child goes too
            kill()
            os.waitpid(proc.pid, 0)
            raise
        finally:
            timer.cancel()
            done.set()
            sampler.join()
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        own_cpu = None
        try:  # VmHWM as bench/peak.py wrote it; not wait4's ru_maxrss, which Linux carries over from
            fields = (Path(peak_file).read_text() or "0").split()  # this (big) process across fork and exec
            peak_kb = int(fields[0])
            own_cpu = float(fields[1]) if len(fields) > 1 else None
        except (OSError, ValueError):
            peak_kb = 0
        finally:
            os.unlink(peak_file)
        return Child(cmd, proc.returncode, wall, peak_kb / 1024, usage.ru_utime + usage.ru_stime,
                     out.read().decode(errors="replace"), err.read().decode(errors="replace"), killed.is_set(),
                     own_cpu, tree_peak[0] / 1024)


def check(child: Child, what: str) -> Child:
    if child.timed_out or child.returncode not in (0, 1):
        tail = "\n".join((child.stderr or child.stdout).splitlines()[-15:])
        raise SystemExit(f"bench: {what} failed (exit {child.returncode}{', timed out' if child.timed_out else ''}):\n{tail}")
    return child


def settings_args(settings: dict) -> list[str]:
    return [arg for k, v in settings.items() for arg in ("-s", f"{k}={v}")]


def routes(port: int, hosts: list[str]) -> str:
    return json.dumps({h: f"127.0.0.1:{port}" for h in hosts})


def sdcrawl_crawl(port: int, data: Path, *, extra: dict | None = None, timeout: float = 900) -> tuple[Child, dict]:
    report = data.with_suffix(".report.json")
    child = run_child([*SDCRAWL, "crawl", "stopini", "--data-dir", str(data), "--since", SINCE,
                       "--page-budget", PAGE_BUDGET, "--report", str(report),
                       *settings_args({"SDCRAWL_LOOPBACK_HOSTS": routes(port, HOSTS), **FAST, **(extra or {})})], timeout=timeout)
    check(child, f"sdcrawl crawl into {data}")
    return child, json.loads(report.read_text(encoding="utf-8"))["sites"]["stopini"]


def sdcrawl_nightly(port: int, data: Path, sites: list[str], hosts: list[str], *, settings: dict, env: dict | None = None,
                    timeout: float = 900) -> tuple[Child, dict]:
    child = run_child([*SDCRAWL, "nightly", *sites, "--data-dir", str(data), "--since", SINCE,
                       "--page-budget", PAGE_BUDGET, *settings_args({"SDCRAWL_LOOPBACK_HOSTS": routes(port, hosts), **settings})],
                      env=env, timeout=timeout)
    check(child, f"sdcrawl nightly into {data}")
    reports = sorted((data / "runs").glob("*.report.json"))
    return child, json.loads(reports[-1].read_text(encoding="utf-8"))


def bare_crawl(port: int, shared: dict, timeout: float = 900) -> tuple[Child, dict]:
    child = check(run_child([PY, str(REPO / "bench" / "bare.py"), f"http://127.0.0.1:{port}{LISTING_URL}",
                             *settings_args({**shared, **FAST})], timeout=timeout), "the bare Scrapy spider")
    return child, json.loads(child.stdout.strip().splitlines()[-1])


# --- helpers ------------------------------------------------------------------------------------
def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def fmt(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}"


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


@dataclass
class Section:
    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"### {self.title}", "", "| " + " | ".join(self.header) + " |", "|" + "---|" * len(self.header)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines)


def serve_stopini(srv: BenchServer, n: int, k: int, per_page: int) -> None:
    srv.clear_sites()
    srv.set_site(HOSTS[0], build_site(site_articles(n, new=k), per_page), aliases=HOSTS[1:], default=True)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')} load {load_average()}] {msg}", file=sys.stderr, flush=True)


# --- the measures -------------------------------------------------------------------------------
def measure_server(srv: BenchServer, cfg) -> Section:
    serve_stopini(srv, 100, 0, cfg.per_page)
    cpu0 = time.process_time()  # this process does nothing but serve while the load runs
    child = check(run_child([PY, str(REPO / "bench" / "server.py"), "--load", str(srv.port), "--seconds", str(cfg.load_seconds),
                             "--max-requests", "200000", "--connections", "8"], timeout=60), "the load generator")
    server_cpu = time.process_time() - cpu0
    result = json.loads(child.stdout.strip().splitlines()[-1])
    srv.reset()
    cpu_per_req = server_cpu / max(1, result["requests"])
    sec = Section("0. The loopback server alone", ["measure", "value"])
    sec.rows.append(["requests answered (a 10 kB listing page, 8 keep-alive connections)", f"{result['requests']:,} in {result['seconds']} s"])
    sec.rows.append(["capacity measured (load generator: one Python process, the other core)", f"{fmt(result['rps'], 0)} req/s"])
    sec.rows.append(["server CPU per request -> capacity of one core", f"{cpu_per_req * 1e6:.0f} µs -> {fmt(1 / cpu_per_req if cpu_per_req else 0, 0)} req/s"])
    cfg.server_rps = min(result["rps"], 1 / cpu_per_req if cpu_per_req else result["rps"])
    cfg.server_sec = sec
    return sec


def measure_incremental_and_throughput(srv: BenchServer, cfg, work: Path) -> tuple[Section, Section, dict]:
    n, k, pp = cfg.n, cfg.k, cfg.per_page
    serve_stopini(srv, n, 0, pp)
    samples = {"sdcrawl": [], "bare": []}
    shared = sdcrawl_settings()

    def sd_sample(name: str) -> tuple[Child, dict]:
        srv.reset()
        child, stats = sdcrawl_crawl(srv.port, work / name)
        samples["sdcrawl"].append((child, stats, srv.count()))
        return child, stats

    def bare_sample() -> None:
        srv.reset()
        child, stats = bare_crawl(srv.port, shared)
        samples["bare"].append((child, stats, srv.count()))

    # ABBA... : sdcrawl, bare, bare, sdcrawl (drift in the machine's load hits both alike)
    log(f"throughput: sdcrawl crawl of {n} articles (also the backfill for the incremental run)")
    sd_sample("inc")
    for i in range(cfg.repeat - 1):
        log("throughput: bare Scrapy"); bare_sample()
        log("throughput: bare Scrapy"); bare_sample()
        log("throughput: sdcrawl crawl"); sd_sample(f"thr{i}")
    if cfg.repeat == 1:
        log("throughput: bare Scrapy"); bare_sample()

    # the incremental run: k new articles at the top of the listing
    serve_stopini(srv, n, k, pp)
    srv.reset()
    log(f"incremental: nightly after {k} new articles")
    child, report = sdcrawl_nightly(srv.port, work / "inc", ["stopini"], HOSTS, settings=FAST)
    inc = {"n": n, "child": child, "report": report["sites"][0], "hits": srv.hits_by_kind(), "count": srv.count()}
    # a plain re-crawl: the same site crawled by sdcrawl without its state
    srv.reset()
    log("incremental: plain re-crawl (SDCRAWL_INCREMENTAL=False)")
    plain_child, plain_stats = sdcrawl_crawl(srv.port, work / "inc", extra={"SDCRAWL_INCREMENTAL": "False"})
    plain = srv.count()

    # --- tables
    thr = Section(f"2. Throughput: a full crawl of {n:,} articles ({-(-n // pp)} listing pages of {pp}), sdcrawl against bare Scrapy",
                  ["crawler", "runs", "pages", "pages/s (best)", "pages/s (each run)", "CPU ms/page, all processes",
                   "CPU ms/page, crawl process alone", "wall s (best)"])
    best, best_cpu = {}, {}
    for name, runs in samples.items():
        rates = [s["response_received_count"] / s["elapsed_time_seconds"] for _, s, _ in runs]
        cpu = [c.cpu_s * 1000 / s["response_received_count"] for c, s, _ in runs]
        own = [c.own_cpu_s * 1000 / s["response_received_count"] for c, s, _ in runs if c.own_cpu_s is not None]
        best[name] = max(rates)
        best_cpu[name] = min(cpu)
        label = "sdcrawl crawl (extraction, classification, dedup, SQLite state, fsynced feed)" if name == "sdcrawl" else "bare Scrapy spider (same links, stores nothing)"
        thr.rows.append([label, str(len(runs)), f"{runs[0][1]['response_received_count']:,}", fmt(max(rates)),
                         ", ".join(fmt(r) for r in rates), fmt(min(cpu), 2), fmt(min(own), 2) if own else "-",
                         fmt(min(c.wall_s for c, _, _ in runs))])
    ratio = best["sdcrawl"] / best["bare"]
    cfg.ratio = ratio
    cfg.cpu_ratio = best_cpu["sdcrawl"] / best_cpu["bare"]
    cfg.cpu_ms = (best_cpu["sdcrawl"], best_cpu["bare"])
    cfg.server_sec.notes.append(f"the fastest crawl of this run (bare Scrapy, {fmt(best['bare'])} pages/s) asked for "
                                f"{100 * best['bare'] / cfg.server_rps:.0f}% of the lower capacity figure: the server is not the bottleneck")
    thr.rows.append(["**ratio sdcrawl / bare**", "", "", f"**{ratio:.2f}**", "", f"**{cfg.cpu_ratio:.2f}**", "", ""])
    thr.notes += [
        "both: DOWNLOAD_DELAY=0, AutoThrottle off, and sdcrawl's own " + ", ".join(f"{k}={v}" for k, v in shared.items())
        + "; server latency 0 (loopback). With DOWNLOAD_DELAY=0 Scrapy 2.19 does not hold the per-domain limit (see 5.): "
        "both crawlers had up to CONCURRENT_REQUESTS requests in flight",
        "pages/s = response_received_count / elapsed_time_seconds from each crawl's own stats (process start-up excluded); "
        "CPU ms/page, all processes = user+system CPU of the crawl and every process under it (sdcrawl's extraction workers "
        "and their fork server, reaped before it exits: bench/peak.py), start-up included, / pages; crawl process alone = "
        "that process's own CPU (the reactor's core)",
        f"targets (issue 16): pages/s ≥ 1.0× one bare Scrapy process: {verdict(ratio >= 1.0)} ({ratio:.2f}×); "
        f"CPU ms/page ≤ 1.5× bare Scrapy's: {verdict(cfg.cpu_ratio <= 1.5)} ({cfg.cpu_ratio:.2f}×)",
    ]

    minimum = k + listing_pages_needed(k, pp) + 1
    inc_sec = Section(f"1. Incremental cost: a nightly run after k = {k} new articles were added ({pp} per listing page)",
                      ["archive N", "requests (server)", "of which robots / listing / article", "pages_fetched (report)",
                       "new in feed", "minimum", "ratio to minimum", "plain re-crawl", "run wall s"])
    cfg.inc_rows = [inc]
    cfg.inc_minimum = minimum
    cfg.inc_plain = {n: plain}
    cfg.inc_sec = inc_sec
    cfg.plain_child = plain_child
    return inc_sec, thr, {"plain_stats": plain_stats}


def incremental_row(inc: dict, minimum: int, plain: int | None) -> list[str]:
    hits, report = inc["hits"], inc["report"]
    return [f"{inc['n']:,}", str(inc["count"]), f"{hits.get('robots.txt', 0)} / {hits.get('listing', 0)} / {hits.get('article', 0)}",
            str(report["pages_fetched"]), str(report["new_items"]), str(minimum), f"{inc['count'] / minimum:.2f}",
            f"{plain:,}" if plain else "-", fmt(inc["child"].wall_s)]


def measure_memory(srv: BenchServer, cfg, work: Path) -> Section:
    sec = Section(f"4. Memory: peak RSS of a full crawl (sdcrawl crawl, politeness off, {cfg.per_page} per listing page)",
                  ["articles", "pages", "peak RSS MB (crawl process)", "peak MB, all processes (PSS, sampled)", "pages/s",
                   "CPU ms/page", "wall s"])
    peaks, trees = {}, {}
    for n in (cfg.mem_n, cfg.mem_n * 10):
        serve_stopini(srv, n, 0, cfg.per_page)
        srv.reset()
        log(f"memory: sdcrawl crawl of {n} articles")
        child, stats = sdcrawl_crawl(srv.port, work / f"mem{n}", timeout=1200)
        pages = stats["response_received_count"]
        peaks[n] = child.maxrss_mb
        trees[n] = child.tree_peak_mb
        sec.rows.append([f"{n:,}", f"{pages:,}", fmt(child.maxrss_mb), fmt(child.tree_peak_mb), fmt(pages / stats["elapsed_time_seconds"]),
                         fmt(child.cpu_s * 1000 / pages, 2), fmt(child.wall_s)])
        # and the incremental run on this archive: does its cost grow with N?
        serve_stopini(srv, n, cfg.k, cfg.per_page)
        srv.reset()
        log(f"memory: incremental nightly on {n} articles")
        ichild, report = sdcrawl_nightly(srv.port, work / f"mem{n}", ["stopini"], HOSTS, settings=FAST)
        cfg.inc_rows.append({"n": n, "child": ichild, "report": report["sites"][0], "hits": srv.hits_by_kind(), "count": srv.count()})
        shutil.rmtree(work / f"mem{n}", ignore_errors=True)
    small, big = peaks[cfg.mem_n], peaks[cfg.mem_n * 10]
    growth = big / small
    sec.rows.append(["**10·N / N**", "", f"**{growth:.2f}**", "", "", "", ""])
    sec.notes += [
        "peak RSS = VmHWM of the crawl process at its exit (bench/peak.py), the whole process from start to end; all processes "
        "= the highest sum of PSS (shared pages counted once) over the crawl process, its extraction workers and their fork "
        "server, sampled every 0.5 s",
        f"target ≤ 200 MB at {cfg.mem_n * 10:,} articles: {verdict(big <= 200)} ({fmt(big)} MB); "
        f"target 10·N within 1.25× of N: {verdict(growth <= 1.25)} ({growth:.2f}×)",
    ]
    cfg.mem = (small, big, growth)
    cfg.mem_tree = (trees[cfg.mem_n], trees[cfg.mem_n * 10])
    return sec


def measure_extraction(cfg) -> Section:
    log("extraction: timing extract_article")
    corpus = ["--corpus", str(CORPUS), *(["--corpus-pages", "15"] if cfg.quick else [])] if CORPUS.exists() else []
    child = check(run_child([PY, str(REPO / "bench" / "extract_bench.py"), "--synthetic", str(cfg.extract_pages),
                             "--repeat", str(cfg.extract_repeat), *corpus], timeout=900),
                  "the extraction benchmark")
    rows = json.loads(child.stdout.strip().splitlines()[-1])
    cfg.corpus = rows.pop("corpus", None)
    sec = Section("3. Extraction cost per article (extract_article, one call timed at a time)",
                  ["path", "pages", "pages x repeats", "median ms", "p95 ms", "max ms", "target (median)"])
    ok = {}
    for key, r in rows.items():
        path, source = key.split("/")
        target = SITE_MEDIAN_MS if path == "site" else 30.0
        ok[path] = max(ok.get(path, 0.0), r["median_ms"])
        label = ("site selectors" if path == "site" else "generic (selectors=None)") + \
                (" — recorded pages of the 6 sites" if source == "recorded" else " — synthetic stopini pages")
        sec.rows.append([label, str(r["pages"]), str(r["calls"]), f"{r['median_ms']:.2f}", f"{r['p95_ms']:.2f}", f"{r['max_ms']:.2f}",
                         f"≤ {target:g} ms: {verdict(r['median_ms'] <= target)}"])
    if cfg.corpus:
        c = cfg.corpus
        for label, r in (("generic (selectors=None) — public corpus pages", c["sdcrawl"]),
                         ("bare trafilatura.extract(html, url=url) — the same pages, same process", c["trafilatura"])):
            sec.rows.append([label, str(c["pages"]), str(r["calls"]), f"{r['median_ms']:.2f}", f"{r['p95_ms']:.2f}",
                             f"{r['max_ms']:.2f}", f"ratio {c['ratio_median']:.2f}: ≤ 1.0× {verdict(c['ratio_median'] <= 1.0)}"
                             if label.startswith("generic") else ""])
    sec.notes.append("recorded pages use their own site's spider selectors, synthetic pages stopini's; "
                     "each call = parse, the three layers and periods (the whole of extract_article; classification is a "
                     "pipeline stage since issue 11)")
    if cfg.corpus:
        sec.notes.append(f"public corpus: the {cfg.corpus['pages']} pages of {CORPUS.name} (read from ../shared/corpora, "
                         "never copied into the repository); each page's two calls timed one after the other")
    else:
        sec.notes.append(f"public corpus not found at {CORPUS}: the generic-vs-trafilatura target is not measured")
    cfg.extract_ok = ok
    return sec


def write_seeds(folder: Path, count: int) -> list[tuple[str, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(1, count + 1):
        site, host = f"bench_s{i:02d}", f"s{i:02d}.bench.invalid"
        (folder / f"{site}.toml").write_text(
            f'id = "{site}"\nname = "Bench site {i}"\nmunicipality = "Bench novads {i}"\nhome = "https://{host}/"\n'
            f'platform = "custom"\nstart_urls = ["https://{host}{LISTING_URL}"]\nkind = "local_government"\n'
            f'evidence = ["https://{host}{LISTING_URL}"]\n', encoding="utf-8")
        out.append((site, host))
    return out


def measure_many_sites(srv: BenchServer, cfg, work: Path) -> Section:
    seeds = work / "seeds"
    sites = write_seeds(seeds, cfg.sites)
    srv.clear_sites()
    for i, (_, host) in enumerate(sites):
        arts = site_articles(cfg.site_articles, base=BASE_NUMBER + 10_000 * (i + 1))  # no article shared between sites
        srv.set_site(host, build_site(arts, cfg.per_page), aliases=[f"www.{host}"], latency=cfg.latency)
    hosts = [h for _, h in sites] + [f"www.{h}" for _, h in sites]
    env = {"SDCRAWL_SEEDS_DIR": str(seeds)}
    spiders = {"SPIDER_MODULES": "sdcrawl.spiders,bench.benchspiders"}
    # Scrapy 2.19 keeps CONCURRENT_REQUESTS_PER_DOMAIN only when the download delay is above 0: with
    # DOWNLOAD_DELAY=0, Downloader._process_queue starts every queued request of a site at once (up to
    # CONCURRENT_REQUESTS), since a request counts as transferring only once its coroutine runs. A
    # 1 ms delay keeps the per-site limit and costs nothing measurable.
    modes = [("no delays, ≤ 2 per site (DOWNLOAD_DELAY=0.001)", {**FAST, "DOWNLOAD_DELAY": "0.001"})]
    if not cfg.quick:
        modes += [("DOWNLOAD_DELAY=0 (Scrapy then allows up to 16 per site)", FAST),
                  ("production politeness (AutoThrottle, 1 s delay)", {})]
    sec = Section(f"5. Many sites: each site {cfg.site_articles} articles, every response after {int(cfg.latency * 1000)} ms; "
                  "one sdcrawl nightly process", ["politeness", "sites", "requests", "wall s (command)", "crawl s (slowest site)",
                                                  "new in feed", "ratio (wall)", "ratio (crawl)"])
    results = []
    for label, settings in modes:
        base = None
        for count in (1, cfg.sites):
            ids = [s for s, _ in sites[:count]]
            srv.reset()
            log(f"many sites: {count} site(s), {label}")
            child, report = sdcrawl_nightly(srv.port, work / f"many-{count}-{len(results)}", ids, hosts,
                                            settings={**settings, **spiders}, env=env, timeout=900)
            crawl = max(s["duration_s"] for s in report["sites"])
            row = (child.wall_s, crawl)
            if base is None:
                base = row
            results.append((label, count, row, base))
            sec.rows.append([label, str(count), str(srv.count()), fmt(child.wall_s), fmt(crawl), str(report["new_items"]),
                             f"{row[0] / base[0]:.2f}" if count > 1 else "1", f"{row[1] / base[1]:.2f}" if count > 1 else "1"])
    first = [r for r in results if r[1] == cfg.sites][0]
    cfg.many_ratio = first[2][0] / first[3][0]
    sec.notes += [
        "wall = the whole `sdcrawl nightly` command (interpreter start-up included); crawl = the slowest site's own duration "
        "in the run report",
        f"{cfg.sites} sites crawled in parallel in one process; sdcrawl's CONCURRENT_REQUESTS_PER_DOMAIN=2 holds only with a "
        "download delay above 0 (Scrapy 2.19: with DOWNLOAD_DELAY=0 a site's queued requests all start at once, up to "
        "CONCURRENT_REQUESTS=16; seen at the server), hence the 1 ms delay of the first rows",
        f"target ≤ 2× (no delays, ≤ 2 per site, command wall time): {verdict(cfg.many_ratio <= 2.0)} ({cfg.many_ratio:.2f}×)",
    ]
    return sec


def commit() -> str:
    """The commit measured, and whether the work tree differed from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return f"commit {head or '?'}" + (" plus uncommitted changes" if dirty else "")


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import scrapy

    return [f"nproc {os.cpu_count()}, memory {mem}, CPU {cpu}",
            f"Python {platform.python_version()}, Scrapy {scrapy.__version__}, {platform.platform()}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, help="articles of the site for measures 1 and 2 (default 5000; --quick 300)")
    parser.add_argument("--k", type=int, default=10, help="new articles for the incremental run (default 10)")
    parser.add_argument("--per-page", type=int, default=15, help="articles per listing page, 10-20 (default 15)")
    parser.add_argument("--mem-n", type=int, help="N of the memory measure, also run at 10*N (default 2000; --quick 100)")
    parser.add_argument("--sites", type=int, default=20, help="sites of measure 5 (default 20, at most 40)")
    parser.add_argument("--repeat", type=int, help="runs of each crawler in measure 2 (default 2; --quick 1)")
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute (the CI smoke run)")
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    parser.add_argument("--keep", action="store_true", help="keep the data folders (printed) instead of removing them")
    cfg = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the running child is killed too
    q = cfg.quick
    cfg.n = cfg.n or (300 if q else 5000)
    cfg.mem_n = cfg.mem_n or (100 if q else 2000)
    cfg.repeat = cfg.repeat or (1 if q else 2)
    cfg.site_articles = 10 if q else 30
    cfg.latency = 0.2
    cfg.load_seconds = 1.0 if q else 3.0
    cfg.extract_pages = 20 if q else 100
    cfg.extract_repeat = 2 if q else 5
    cfg.sites = max(2, min(cfg.sites, 40))
    if not 1 <= cfg.per_page <= 100:
        parser.error("--per-page must be between 1 and 100")

    started = time.monotonic()
    load_before = load_average()
    work = Path(tempfile.mkdtemp(prefix="sdcrawl-bench-"))
    log(f"data folders in {work}")
    sections: list[Section] = []
    try:
        with BenchServer() as srv:
            sections.append(measure_server(srv, cfg))
            inc_sec, thr_sec, _ = measure_incremental_and_throughput(srv, cfg, work)
            sections.append(inc_sec)
            sections.append(thr_sec)
            sections.append(measure_extraction(cfg))
            sections.append(measure_memory(srv, cfg, work))
            sections.append(measure_many_sites(srv, cfg, work))
    finally:
        if not cfg.keep:
            shutil.rmtree(work, ignore_errors=True)

    # the incremental table, now that the memory runs added their rows
    for inc in sorted(cfg.inc_rows, key=lambda r: r["n"]):
        inc_sec.rows.append(incremental_row(inc, cfg.inc_minimum, cfg.inc_plain.get(inc["n"])))
    main_row = [r for r in cfg.inc_rows if r["n"] == cfg.n][0]
    inc_ratio = main_row["count"] / cfg.inc_minimum
    inc_sec.notes += [
        f"minimum = k articles + the listing pages that hold them ({listing_pages_needed(cfg.k, cfg.per_page)}) + robots.txt = {cfg.inc_minimum}",
        "requests counted at the server; pages_fetched and new from the nightly run report; plain re-crawl = `sdcrawl crawl` "
        "of the same site with SDCRAWL_INCREMENTAL=False (every listing page and article fetched again)",
        f"target ≤ 1.2× the minimum at N = {cfg.n:,}, k = {cfg.k}: {verdict(inc_ratio <= 1.2)} ({inc_ratio:.2f}×)",
    ]

    elapsed = time.monotonic() - started
    head = [f"## sdcrawl benchmark ({'quick' if q else 'full'} run)", "",
            f"- command: `{' '.join([Path(PY).name, 'bench/run.py', *(argv if argv is not None else sys.argv[1:])])}`",
            f"- code: {commit()}",
            *[f"- {m}" for m in machine()],
            f"- load average (1/5/15 min): {load_before} before, {load_average()} after; run took {elapsed:.0f} s", ""]
    summary = Section("Summary: the targets of issue 16 (and issue 8's that still stand)", ["measure", "target", "result", "verdict"])
    small, big, growth = cfg.mem
    tree_small, tree_big = cfg.mem_tree
    sd_cpu, bare_cpu = cfg.cpu_ms
    corpus = cfg.corpus
    summary.rows += [
        ["2. CPU ms per page of a full crawl / bare Scrapy's (same run; all processes)", "≤ 1.5×",
         f"{cfg.cpu_ratio:.2f}× ({sd_cpu:.2f} / {bare_cpu:.2f} ms)", verdict(cfg.cpu_ratio <= 1.5)],
        ["2. pages/s / one bare Scrapy process (same run)", "≥ 1.0×", f"{cfg.ratio:.2f}×", verdict(cfg.ratio >= 1.0)],
        ["3. extraction median, site selectors (worst row)", f"≤ {SITE_MEDIAN_MS} ms", f"{cfg.extract_ok['site']:.2f} ms",
         verdict(cfg.extract_ok["site"] <= SITE_MEDIAN_MS)],
        ["3. generic extraction median / bare trafilatura (public corpus, one process)", "≤ 1.0×",
         f"{corpus['ratio_median']:.2f}× ({corpus['sdcrawl']['median_ms']:.1f} / {corpus['trafilatura']['median_ms']:.1f} ms)"
         if corpus else "not measured", verdict(corpus["ratio_median"] <= 1.0) if corpus else "-"],
        ["1. incremental requests / minimum", "1.00×", f"{inc_ratio:.2f}×", verdict(inc_ratio <= 1.0)],
        [f"4. peak RSS at {cfg.mem_n * 10:,} articles (crawl process)", "≤ 200 MB", f"{fmt(big)} MB", verdict(big <= 200)],
        ["4. peak RSS 10·N / N (crawl process)", "≤ 1.25×", f"{growth:.2f}×", verdict(growth <= 1.25)],
        [f"4. the same, all processes (PSS, with the extraction workers)", "≤ 200 MB, ≤ 1.25×",
         f"{fmt(tree_big)} MB, {tree_big / tree_small if tree_small else 0:.2f}×",
         verdict(tree_big <= 200 and tree_small and tree_big / tree_small <= 1.25)],
        ["3. extraction median, generic (worst row; issue 8)", "≤ 30 ms", f"{cfg.extract_ok['generic']:.2f} ms", verdict(cfg.extract_ok["generic"] <= 30)],
        [f"5. {cfg.sites} slow sites / 1 slow site (issue 8)", "≤ 2×", f"{cfg.many_ratio:.2f}×", verdict(cfg.many_ratio <= 2.0)],
    ]
    text = "\n".join(head) + "\n" + "\n\n".join(s.render() for s in [*sections, summary]) + "\n"
    print(text, flush=True)
    if cfg.output:
        cfg.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
