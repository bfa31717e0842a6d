"""Helpers for crawling recorded copies in tests and scripts (not used by the crawler itself)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RECORDED = REPO / "recorded"
# Fields that change from run to run and are left out of expected JSON.
VOLATILE = ("scraped_at",)
RECORDED_SINCE = "2000-01-01"


def run_sdcrawl(*args: str, cwd: Path | None = None, timeout: float = 240, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `sdcrawl` command in a child process (a fresh reactor per crawl)."""
    full_env = {**os.environ, "SDCRAWL_LOG_LEVEL": "WARNING", **(env or {})}
    return subprocess.run([sys.executable, "-m", "sdcrawl.cli", *args], cwd=cwd or REPO, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def read_feed(path: Path) -> list[dict]:
    """Every line of a JSON Lines feed, parsed (raises on a line that is not JSON)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def comparable(items: list[dict]) -> list[dict]:
    """Items without volatile fields, in a stable order."""
    out = [{k: v for k, v in item.items() if k not in VOLATILE} for item in items]
    return sorted(out, key=lambda i: i["url"])


def crawl_recorded(site_id: str, data_dir: Path, *extra: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Crawl one site's recorded copy over loopback into data_dir; return the process and the feed."""
    # a fixed `since`: the default horizon counts back from today, and the copies hold old articles
    proc = run_sdcrawl("crawl", site_id, "--replay", str(RECORDED / site_id), "--data-dir", str(data_dir),
                       "--since", RECORDED_SINCE, *extra)
    return proc, read_feed(data_dir / "feed.jsonl")


def expected_path(site_id: str) -> Path:
    return RECORDED / site_id / "expected.json"


def crawl_via(server, site_id: str, data_dir: Path, *extra: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """Crawl a site through a ReplayServer running in this process (so a test can read its hits)."""
    routes = json.dumps(server.hosts_setting)
    proc = run_sdcrawl("crawl", site_id, "--data-dir", str(data_dir), "-s", f"SDCRAWL_LOOPBACK_HOSTS={routes}",
                       "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *extra, env=env)
    return proc, read_feed(data_dir / "feed.jsonl")


def nightly_args(server, data_dir: Path, *extra: str) -> list[str]:
    """Arguments of `sdcrawl nightly` against a ReplayServer running in this process."""
    return ["nightly", "--data-dir", str(data_dir), "--since", RECORDED_SINCE,
            "-s", f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *extra]


def read_report(data_dir: Path, run_id: str | None = None) -> dict:
    """The newest run report in data_dir/runs (or the named one)."""
    runs = data_dir / "runs"
    if run_id:
        return json.loads((runs / f"{run_id}.report.json").read_text(encoding="utf-8"))
    reports = sorted(runs.glob("*.report.json"))
    return json.loads(reports[-1].read_text(encoding="utf-8"))
