"""What the scale-out tests share: a cluster of real `sdcrawl worker` processes around a real
redis-server and PostgreSQL (tests/scaleservers.py), and the checks of a data folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sdcrawl.tools.testing import RECORDED, REPO, nightly_args


def expected_items(sites) -> list[dict]:
    out = []
    for site in sites:
        out += json.loads((RECORDED / site / "expected.json").read_text(encoding="utf-8"))
    return sorted(out, key=lambda i: i["url"])


def assert_consistent(data: Path) -> list[dict]:
    """The feed and every run file whole; every article once; every feed line in exactly one run
    file; every report readable."""
    feed_text = (data / "feed.jsonl").read_text(encoding="utf-8")
    assert feed_text.endswith("\n")
    items = [json.loads(line) for line in feed_text.splitlines()]
    ids = [i["id"] for i in items]
    assert len(set(ids)) == len(ids), f"duplicated: {sorted(i for i in ids if ids.count(i) > 1)}"
    run_lines = []
    for path in sorted((data / "runs").glob("*.jsonl")):
        text = path.read_text(encoding="utf-8")
        assert text == "" or text.endswith("\n"), f"{path} ends with a partial line"
        run_lines += text.splitlines()
    assert sorted(run_lines) == sorted(feed_text.splitlines())
    for report in (data / "runs").glob("*.report.json"):
        json.loads(report.read_text(encoding="utf-8"))
    return items


class Cluster:
    """Workers (`sdcrawl worker`, each its own process) on a fresh Redis database and a fresh
    PostgreSQL database; `coordinator_args` gives `sdcrawl nightly --queue` for them."""

    def __init__(self, redis_server, postgres_server, folder: Path) -> None:
        from redis import Redis

        self.queue = redis_server.url(0)
        self.redis = Redis.from_url(self.queue)
        self.redis.flushdb()
        self.state_url = postgres_server.new_database()
        self.folder = folder
        self.env = {**os.environ, "SDCRAWL_STATE_URL": self.state_url, "SDCRAWL_LOG_LEVEL": "INFO"}
        self.workers: dict[str, subprocess.Popen] = {}

    def start_worker(self, name: str, **env: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", "worker", "--queue", self.queue, "--heartbeat", "1",
                                 "--name", name], cwd=REPO, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.workers[name] = proc
        return proc

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def coordinator_args(self, server, data: Path, *extra: str) -> list[str]:
        return [*nightly_args(server, data, *extra), "--queue", self.queue]

    def coordinator(self, server, data: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", *self.coordinator_args(server, data, *extra)],
                                cwd=REPO, env={**self.env, "SDCRAWL_LOG_LEVEL": "WARNING", **(env or {})},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def articles_by_site(self) -> dict[str, int]:
        import psycopg

        with psycopg.connect(self.state_url) as conn:
            try:
                return dict(conn.execute("SELECT site, count(*) FROM articles GROUP BY site").fetchall())
            except psycopg.errors.UndefinedTable:  # the coordinator has not created the schema yet
                return {}

    def started_jobs(self) -> dict[str, str]:
        """site -> name of the worker running its job, for the jobs running now."""
        from rq import Queue
        from rq.job import Job
        from rq.registry import StartedJobRegistry

        from sdcrawl.scale.worker import QUEUE_NAME

        registry = StartedJobRegistry(queue=Queue(QUEUE_NAME, connection=self.redis))
        out = {}
        for job_id in registry.get_job_ids(cleanup=False):
            job = Job.fetch(job_id, connection=self.redis)
            if job.worker_name:
                out[job_id.removeprefix("site-")] = job.worker_name
        return out

    def stop(self) -> None:
        for proc in self.workers.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self.workers.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.redis.close()
