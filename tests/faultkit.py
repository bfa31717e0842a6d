"""How a fault test crawls the mock server (tests/mockserver.py): sites in a temporary registry,
their hosts routed to the server, the real `sdcrawl crawl` in a child process, and its report."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sdcrawl.tools.testing import REPO, read_feed

# Small numbers so the fault suite stays fast; CLOSESPIDER_TIMEOUT and the child's own timeout
# bound every crawl, so a hang fails a test instead of stalling the suite.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_TIMEOUT": "3",
    "DNS_TIMEOUT": "5",
    "RETRY_TIMES": "2",
    "SDCRAWL_RETRY_AFTER_MAX": "3",
    "DOWNLOAD_MAXSIZE": str(1024 * 1024),
    "DOWNLOAD_WARNSIZE": str(512 * 1024),
    "CLOSESPIDER_TIMEOUT": "60",
    "SDCRAWL_CONTACT": "faults@localhost",
}
CHILD_TIMEOUT = 150


@dataclass
class Site:
    id: str
    host: str
    start_urls: list[str]
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    routed: bool = True  # False: the host is not sent to the mock server (e.g. a name that does not resolve)

    def toml(self) -> str:
        def arr(urls):
            return "[" + ", ".join(json.dumps(u) for u in urls) + "]"

        lines = [f'id = "{self.id}"', f'name = "Fault site {self.id}"', f'municipality = "Novads {self.id}"',
                 f'home = "https://{self.host}/"', 'platform = "custom"', f"start_urls = {arr(self.start_urls)}",
                 'kind = "local_government"', f"evidence = {arr(self.start_urls)}",  # the fault server's pages
                 # a site known to work: its failures are real ones, not an unverified entry's
                 'verified = "2026-01-01"']
        if self.feeds:
            lines.append(f"feeds = {arr(self.feeds)}")
        if self.sitemaps:
            lines.append(f"sitemaps = {arr(self.sitemaps)}")
        return "\n".join(lines) + "\n"


def listing(host: str, *paths: str, next_path: str | None = None) -> str:
    """The URL of a mock listing page on `host` linking to each path (or absolute URL)."""
    query = "&".join(f"a={quote(p, safe='')}" for p in paths)
    if next_path:
        query += f"&next={quote(next_path, safe='')}"
    return f"https://{host}/list?{query}"


@dataclass
class Run:
    proc: subprocess.CompletedProcess
    report: dict[str, dict]
    items: list[dict]
    max_rss: int | None = None  # the child's peak resident memory, bytes

    def stats(self, site_id: str) -> dict:
        return self.report[site_id]

    def site_items(self, site_id: str) -> list[dict]:
        return [i for i in self.items if i["site"] == site_id]

    def titles(self, site_id: str) -> list[str]:
        return sorted(i["title"] for i in self.site_items(site_id))

    def faults(self, site_id: str) -> list[str]:
        return self.report[site_id].get("sdcrawl/faults", [])


def write_seeds(folder: Path, sites: list[Site]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for site in sites:
        (folder / f"{site.id}.toml").write_text(site.toml(), encoding="utf-8")
    return folder


def crawl_args(server, workdir: Path, sites: list[Site], settings: dict | None = None, hosts: dict | None = None,
               extra: tuple[str, ...] = ()) -> tuple[list[str], dict]:
    """(arguments of `sdcrawl`, environment) for a crawl of `sites` against the mock server."""
    seeds = write_seeds(workdir / "seeds", sites)
    routes = {s.host: server.address for s in sites if s.routed}
    routes.update(hosts or {})
    args = ["crawl", *[s.id for s in sites], "--data-dir", str(workdir / "data"), "--report", str(workdir / "report.json"),
            "--since", "2000-01-01", "-s", f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(routes)}"]
    for key, value in {**FAST, **(settings or {})}.items():
        args += ["-s", f"{key}={value}"]
    return [*args, *extra], {"SDCRAWL_SEEDS_DIR": str(seeds)}


# `sdcrawl` in the child, followed by a line with the child's peak memory (resident set, KiB): its
# own VmHWM, since ru_maxrss would include the forking test process's memory (Linux keeps it
# across exec)
MEASURED = ("import re, sys\nfrom sdcrawl.cli import main\ntry:\n    status = main(sys.argv[1:])\nfinally:\n"
            "    hwm = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)\n"
            "    print('MAXRSS_KB', hwm, file=sys.stderr)\nsys.exit(status)")


def crawl(server, workdir: Path, sites: list[Site], *extra: str, settings: dict | None = None,
          hosts: dict | None = None) -> Run:
    """Crawl `sites` (hosts routed to the mock server, plus `hosts`) in a child `sdcrawl crawl`."""
    args, env = crawl_args(server, workdir, sites, settings, hosts, extra)
    full_env = {**os.environ, "SDCRAWL_LOG_LEVEL": "WARNING", **env}
    proc = subprocess.run([sys.executable, "-c", MEASURED, *args], cwd=REPO, env=full_env, capture_output=True,
                          text=True, timeout=CHILD_TIMEOUT)
    report_path = workdir / "report.json"
    report = json.loads(report_path.read_text(encoding="utf-8"))["sites"] if report_path.exists() else {}
    rss = re.search(r"^MAXRSS_KB (\d+)$", proc.stderr, re.MULTILINE)
    return Run(proc, report, read_feed(workdir / "data" / "feed.jsonl"), int(rss.group(1)) * 1024 if rss else None)


def start_crawl(server, workdir: Path, sites: list[Site], settings: dict | None = None) -> subprocess.Popen:
    """The same crawl, started and not waited for (to be killed)."""
    args, env = crawl_args(server, workdir, sites, settings)
    full_env = {**os.environ, "SDCRAWL_LOG_LEVEL": "WARNING", **env}
    return subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", *args], cwd=REPO, env=full_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def kill9(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
