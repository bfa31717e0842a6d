"""Queue mode against one process and bare Scrapy: pages per second with 1 and 2 local workers.

    .venv/bin/python bench/scale.py [--sites 8] [--articles 60] [--latency 0.05] [--quick] [--output FILE]

Synthetic sites (bench/synth.py, stopini's markup; each its own host under .invalid, every response
after `--latency` s like a server across the country) served on loopback by bench/server.py. It
starts a real redis-server and PostgreSQL (tests/scaleservers.py: as the `postgres` user when run
as root) and measures, in one run on this machine:

  bare      bench/bare.py (plain Scrapy, no pipelines) over ONE site; its pages/s is the baseline
  nightly   `sdcrawl nightly` over all the sites, one process (the default, SQLite)
  1 worker  `sdcrawl nightly --queue` with one `sdcrawl worker` (state in PostgreSQL)
  2 workers the same with two workers

pages/s = pages fetched (counted at the server) / wall time of the command (interpreter start-up
included). Politeness is off (loopback) but each site keeps sdcrawl's two requests at a time
(DOWNLOAD_DELAY=0.001, see bench/run.py measure 5). The figures depend on the machine and its load
(printed): the ratio between the rows of one run is what to read.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from bench.run import (FAST, LISTING_URL, PY, Section, bare_crawl, check, load_average, log, machine, routes,  # noqa: E402
                       run_child, sdcrawl_settings, settings_args, write_seeds)
from bench.server import BenchServer  # noqa: E402
from bench.synth import BASE_NUMBER, build_site, site_articles  # noqa: E402

PER_SITE = {**FAST, "DOWNLOAD_DELAY": "0.001", "SPIDER_MODULES": "sdcrawl.spiders,bench.benchspiders"}


def start_workers(count: int, queue: str, env: dict, logs: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(count):
        with open(logs / f"worker{i + 1}.log", "wb") as out:
            procs.append(subprocess.Popen([PY, "-m", "sdcrawl.cli", "worker", "--queue", queue, "--name", f"bench-w{i + 1}"],
                                          cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT))
    time.sleep(1.0)
    for proc in procs:
        if proc.poll() is not None:
            raise SystemExit(f"bench: a worker exited at start (status {proc.returncode}); see {logs}")
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=8, help="synthetic sites (default 8, at most 40)")
    parser.add_argument("--articles", type=int, default=60, help="articles per site (default 60)")
    parser.add_argument("--per-page", type=int, default=15)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds before each response (default 0.05)")
    parser.add_argument("--quick", action="store_true", help="4 sites of 20 articles")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    cfg = parser.parse_args(argv)
    if cfg.quick:
        cfg.sites, cfg.articles = 4, 20
    cfg.sites = max(1, min(cfg.sites, 40))
    from scaleservers import PostgresServer, RedisServer

    started = time.monotonic()
    load_before = load_average()
    work = Path(tempfile.mkdtemp(prefix="sdcrawl-bench-scale-"))
    sec = Section(f"Queue mode: {cfg.sites} sites x {cfg.articles} articles, every response after {int(cfg.latency * 1000)} ms",
                  ["crawler", "sites", "pages", "wall s", "pages/s", "ratio to bare Scrapy", "new in feed"])
    redis = postgres = None
    try:
        seeds = work / "seeds"
        sites = write_seeds(seeds, cfg.sites)
        hosts = [h for _, h in sites] + [f"www.{h}" for _, h in sites]
        ids = [s for s, _ in sites]
        with BenchServer() as srv:
            for i, (_, host) in enumerate(sites):
                arts = site_articles(cfg.articles, base=BASE_NUMBER + 10_000 * (i + 1))
                srv.set_site(host, build_site(arts, cfg.per_page), aliases=[f"www.{host}"], latency=cfg.latency, default=i == 0)
            settings = {"SDCRAWL_LOOPBACK_HOSTS": routes(srv.port, hosts), **PER_SITE}
            env = {**os.environ, "SDCRAWL_SEEDS_DIR": str(seeds), "SDCRAWL_CONTACT": "bench@localhost", "SDCRAWL_LOG_LEVEL": "WARNING",
                   "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}

            log("bare Scrapy over one site")
            srv.reset()
            child, _ = bare_crawl(srv.port, sdcrawl_settings())
            bare_pages, bare_wall = srv.count(), child.wall_s
            bare_rate = bare_pages / bare_wall
            sec.rows.append(["bare Scrapy (bench/bare.py)", "1", str(bare_pages), f"{bare_wall:.1f}", f"{bare_rate:.1f}", "1.00", "-"])

            def row(label: str, child, report: dict) -> None:
                pages = srv.count()
                rate = pages / child.wall_s
                sec.rows.append([label, str(cfg.sites), str(pages), f"{child.wall_s:.1f}", f"{rate:.1f}",
                                 f"{rate / bare_rate:.2f}", str(report_new(report))])

            log(f"sdcrawl nightly, one process, {cfg.sites} sites")
            srv.reset()
            data = work / "one-process"
            child = check(run_child([PY, "-m", "sdcrawl.cli", "nightly", *ids, "--data-dir", str(data), "--since", "1990-01-01",
                                     "--page-budget", "1000", *settings_args(settings)], env=env, timeout=900), "sdcrawl nightly")
            row("sdcrawl nightly (one process)", child, newest_report(data))

            redis, postgres = RedisServer(), PostgresServer()
            for workers in (1, 2):
                state_url = postgres.new_database()
                wenv = {**env, "SDCRAWL_STATE_URL": state_url, "SDCRAWL_LOG_LEVEL": "INFO"}
                queue = redis.url(workers)
                procs = start_workers(workers, queue, wenv, work)
                try:
                    log(f"sdcrawl nightly --queue, {workers} worker(s)")
                    srv.reset()
                    data = work / f"queue-{workers}"
                    child = check(run_child([PY, "-m", "sdcrawl.cli", "nightly", *ids, "--data-dir", str(data), "--since", "1990-01-01",
                                             "--page-budget", "1000", "--queue", queue, *settings_args(settings)],
                                            env={**wenv, "SDCRAWL_LOG_LEVEL": "WARNING"}, timeout=900), "sdcrawl nightly --queue")
                    row(f"sdcrawl nightly --queue, {workers} worker(s)", child, newest_report(data))
                    if workers == 2:
                        held = measure_held(queue, state_url, cfg.sites, data)
                finally:
                    stop_workers(procs)
    finally:
        for server in (redis, postgres):
            if server is not None:
                server.stop()
        shutil.rmtree(work, ignore_errors=True)
    sec.notes += [
        "pages = requests answered by the server during the command; wall = the whole command; bare Scrapy crawls one site, "
        "so its pages/s is what plain Scrapy gives a site crawled alone",
        "queue rows include enqueueing, a forked work horse per site and the coordinator writing the feed from PostgreSQL",
    ]
    held_sec = Section("What Redis and PostgreSQL hold after the 2-worker night",
                       ["server", "what", "count", "bytes", "bytes per site", "bytes per article"])
    held_sec.rows += held["rows"]
    held_sec.notes += held["notes"]
    head = ["## sdcrawl scale-out benchmark", "", f"- command: `{' '.join(['python', 'bench/scale.py', *(argv if argv is not None else sys.argv[1:])])}`",
            *[f"- {m}" for m in machine()],
            f"- load average (1/5/15 min): {load_before} before, {load_average()} after; run took {time.monotonic() - started:.0f} s", ""]
    text = "\n".join(head) + "\n" + sec.render() + "\n\n" + held_sec.render() + "\n"
    print(text, flush=True)
    if cfg.output:
        cfg.output.write_text(text, encoding="utf-8")
    return 0


def measure_held(queue: str, state_url: str, sites: int, data: Path) -> dict:
    """Bytes Redis holds for the night's jobs (MEMORY USAGE of every key of the queue's database)
    and PostgreSQL for the state (pg_total_relation_size: rows, indexes and TOAST of each table)."""
    import psycopg
    from redis import Redis

    rows, notes = [], []
    redis = Redis.from_url(queue)
    keys = list(redis.scan_iter(count=1000))
    redis_bytes = sum(redis.memory_usage(k) or 0 for k in keys)
    job_keys = [k for k in keys if k.startswith(b"rq:job:") or k.startswith(b"rq:results:")]
    job_bytes = sum(redis.memory_usage(k) or 0 for k in job_keys)
    redis.close()
    with psycopg.connect(state_url) as conn:
        articles = conn.execute("SELECT count(*), coalesce(avg(length(line)), 0) FROM articles").fetchone()
        sizes = {t: conn.execute("SELECT pg_total_relation_size(%s)", (t,)).fetchone()[0]
                 for t in ("articles", "aliases", "rejected", "failed", "runs", "run_sites", "meta")}
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in sizes}  # noqa: S608 (fixed names)
        database = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    n_articles = articles[0] or 1
    rows.append(["Redis", "jobs and their results (rq:job:*, rq:results:*)", str(len(job_keys)), str(job_bytes),
                 str(job_bytes // sites), "-"])
    rows.append(["Redis", "every key of the queue's database", str(len(keys)), str(redis_bytes), str(redis_bytes // sites), "-"])
    for table, size in sizes.items():
        per_article = str(size // n_articles) if table == "articles" else "-"
        rows.append(["PostgreSQL", f"table {table} (with indexes)", str(counts[table]), str(size), str(size // sites), per_article])
    rows.append(["PostgreSQL", "the whole database (catalog included)", "-", str(database), "-", "-"])
    feed = data / "feed.jsonl"
    feed_bytes = feed.stat().st_size if feed.exists() else 0
    notes.append(f"{n_articles} articles; their feed lines average {articles[1]:.0f} characters in the database "
                 f"({feed_bytes // n_articles} bytes a line in feed.jsonl); PostgreSQL's empty tables and indexes take "
                 "8-16 kB each, so per-site figures of small tables shrink as sites grow")
    return {"rows": rows, "notes": notes}


def newest_report(data: Path) -> dict:
    import json

    return json.loads(sorted((data / "runs").glob("*.report.json"))[-1].read_text(encoding="utf-8"))


def report_new(report: dict) -> int:
    return report.get("new_items", 0)


if __name__ == "__main__":
    sys.exit(main())
