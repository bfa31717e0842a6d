"""Queue mode through the real commands: `sdcrawl worker` processes and `sdcrawl nightly --queue`
around a real redis-server and PostgreSQL, crawling the recorded sites on loopback.

- two workers give the feed a one-process run gives, each article once, and two sites that share
  a host are never crawled at the same time (a loopback server that times every request says so);
- a worker SIGKILLed in the middle of a site: its job comes back (RQ's Retry and abandoned-job
  handling), nothing lost, nothing twice, every file whole;
- the same with the coordinator SIGKILLed and started again.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from scalekit import Cluster, assert_consistent, expected_items

from sdcrawl.registry import load_registry
from sdcrawl.replay import ReplayServer, _Handler
from sdcrawl.tools.sitegen import Article, article_html
from sdcrawl.tools.testing import RECORDED, comparable, read_feed, read_report, run_sdcrawl
from sdcrawl.urls import article_id

pytestmark = pytest.mark.timeout(240)

# the sites with a recorded copy of their own (the other entries have no loopback copy here)
SITES = sorted(s for s in load_registry() if (RECORDED / s / "manifest.toml").exists())


@pytest.fixture
def cluster(redis_server, postgres_server, tmp_path):
    c = Cluster(redis_server, postgres_server, tmp_path)
    yield c
    c.stop()


class TimingHandler(_Handler):
    """The replay server's handler, noting (host, user agent, start, end) of every request. It is
    slow on stopini.lv (0.4 s a request), the host two sites share, so that their two crawls would
    overlap by seconds if nothing kept them apart."""

    def _answer(self, head_only: bool) -> None:
        start = time.monotonic()
        host = (self.headers.get("Host") or "").split(":")[0].lower().removeprefix("www.")
        time.sleep(0.4 if host == "stopini.lv" else 0.01)
        super()._answer(head_only)
        with self.server.lock:
            self.server.timeline.append((host, self.headers.get("User-Agent", ""), start, time.monotonic()))


def timed_server(roots) -> ReplayServer:
    server = ReplayServer(roots)
    server.httpd.RequestHandlerClass = TimingHandler
    server.httpd.timeline = []
    return server


SHARED = [Article(2101, date(2013, 3, 5), "Sociālie darbinieki apgūst gadījuma vadīšanu",
                  "Stopiņu novada Sociālā dienesta sociālie darbinieki mācās gadījuma vadīšanu.\n\n"
                  "Mācības sociālajiem darbiniekiem finansē ESF projekts, tās notiks trīs dienas."),
          Article(2102, date(2013, 3, 1), "Sociālā dienesta speciālisti supervīzijā",
                  "Sociālā dienesta speciālisti piedalījās grupas supervīzijā par darbu ar ģimenēm.\n\n"
                  "Supervīzijas sociālajiem darbiniekiem turpināsies aprīlī.")]
SHARED_LISTING = "/lv/jaunumi/projekti"


def shared_host_site(tmp_path: Path) -> tuple[Path, Path]:
    """A registry with a seventh site, `stopini_projekti`, on stopini.lv like `stopini` (another
    section of the same server), and the copy of its pages: (seeds folder, overlay root)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for site in load_registry().values():
        (seeds / site.path.name).write_bytes(site.path.read_bytes())
    (seeds / "stopini_projekti.toml").write_text(
        'id = "stopini_projekti"\nname = "Stopiņu novada projekti"\nmunicipality = "Stopiņu novads"\n'
        'home = "https://stopini.lv/"\nplatform = "custom"\nkind = "archive"\nsuccessor = "ropazi"\n'
        f'evidence = ["https://stopini.lv{SHARED_LISTING}"]\n'
        f'start_urls = ["https://stopini.lv{SHARED_LISTING}"]\n', encoding="utf-8")
    copy = tmp_path / "overlay" / "stopini_projekti"
    copy.mkdir(parents=True)
    entries = "".join(f'<div class="news-item"><h2><a href="{SHARED_LISTING}/zina-{a.number}">{a.title}</a></h2>'
                      f'<div class="date">{a.published:%d/%m/%Y}</div></div>' for a in SHARED)
    (copy / "listing.html").write_text(f"<html><body><h1>Projekti</h1><div class='news-list'>{entries}</div></body></html>",
                                       encoding="utf-8")
    manifest = ['hosts = ["stopini.lv", "www.stopini.lv"]', f'[[page]]\nurl = "{SHARED_LISTING}"\nfile = "listing.html"']
    for a in SHARED:
        (copy / f"zina-{a.number}.html").write_text(article_html(a), encoding="utf-8")
        manifest.append(f'[[page]]\nurl = "{SHARED_LISTING}/zina-{a.number}"\nfile = "zina-{a.number}.html"')
    (copy / "manifest.toml").write_text("\n\n".join(manifest) + "\n", encoding="utf-8")
    return seeds, tmp_path / "overlay"


def test_two_workers_give_the_one_process_feed_and_never_share_a_host(cluster, tmp_path):
    seeds, overlay = shared_host_site(tmp_path)
    env = {"SDCRAWL_SEEDS_DIR": str(seeds)}
    cluster.start_worker("w1", SDCRAWL_CONTACT="w1@localhost", **env)
    cluster.start_worker("w2", SDCRAWL_CONTACT="w2@localhost", **env)
    data = tmp_path / "data"
    # the two sites on one host first: both workers take one of them at the same moment
    order = ["stopini", "stopini_projekti", *[s for s in SITES if s != "stopini"]]
    with timed_server([RECORDED, overlay]) as server:
        proc = run_sdcrawl(*cluster.coordinator_args(server, data, *order),
                           env={**cluster.env, **env, "SDCRAWL_LOG_LEVEL": "WARNING"})
        timeline = list(server.httpd.timeline)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    items = assert_consistent(data)
    # the recorded sites: exactly what the one-process run gives (recorded/*/expected.json,
    # which tests/test_nightly.py holds the one-process nightly to); the shared-host site: its two
    recorded = [i for i in items if i["site"] != "stopini_projekti"]
    assert comparable(recorded) == expected_items(SITES)
    assert sorted(i["id"] for i in items if i["site"] == "stopini_projekti") == sorted(
        article_id("stopini_projekti", f"https://stopini.lv{SHARED_LISTING}/zina-{a.number}") for a in SHARED)
    report = read_report(data)
    by_site = {s["site"]: s for s in report["sites"]}
    assert report["status"] == "ok" and report["mode"] == "queue"
    assert {s["worker"] for s in report["sites"]} == {"w1", "w2"}, "the sites were not spread over both workers"
    assert report["new_items"] == len(items)

    # politeness across machines: no host had requests from two workers at the same time
    agents = {"w1@localhost": "w1", "w2@localhost": "w2"}
    by_host: dict[str, list[tuple[str, float, float]]] = {}
    for host, agent, start, end in timeline:
        worker = next(name for contact, name in agents.items() if contact in agent)
        by_host.setdefault(host, []).append((worker, start, end))
    for host, requests in by_host.items():
        for worker, start, end in requests:
            overlapping = [w for w, s, e in requests if w != worker and s < end and start < e]
            assert not overlapping, f"{host} served {worker} and {overlapping[0]} at the same time"
    # and it was a real contest: the two stopini.lv sites were taken at once, one waited for the other
    assert {by_site["stopini"]["worker"], by_site["stopini_projekti"]["worker"]} == {"w1", "w2"}
    assert max(by_site["stopini"]["lock_wait_s"], by_site["stopini_projekti"]["lock_wait_s"]) > 0
    assert {w for w, _, _ in by_host["stopini.lv"]} == {"w1", "w2"}


SUBSET = ["lm", "socd", "stopini"]


def test_a_worker_killed_in_the_middle_of_a_site_loses_and_duplicates_nothing(cluster, tmp_path):
    workers = {"w1": cluster.start_worker("w1"), "w2": cluster.start_worker("w2")}
    expected_per_site = {s: len(expected_items([s])) for s in SUBSET}
    data = tmp_path / "data"
    with ReplayServer([RECORDED]) as server:
        coordinator = cluster.coordinator(server, data, "-s", "DOWNLOAD_DELAY=0.3", *SUBSET)
        victim = None
        deadline = time.monotonic() + 90
        while victim is None and time.monotonic() < deadline and coordinator.poll() is None:
            stored = cluster.articles_by_site()
            for site, worker in cluster.started_jobs().items():
                if 1 <= stored.get(site, 0) < expected_per_site[site]:
                    victim = (site, worker, stored[site])
                    os.kill(workers[worker].pid, signal.SIGKILL)  # the worker; its crawl dies with it
                    break
            time.sleep(0.05)
        assert victim is not None, "no site was caught half stored"
        workers[victim[1]].wait()
        out, err = coordinator.communicate(timeout=150)
    assert coordinator.returncode == 0, out + err
    items = assert_consistent(data)
    assert comparable(items) == expected_items(SUBSET)
    site, dead, _ = victim
    report = read_report(data)
    by_site = {s["site"]: s for s in report["sites"]}
    # the killed site was finished by the other worker, after RQ took its job back
    assert by_site[site]["worker"] != dead
    from rq.job import Job

    assert Job.fetch(f"site-{site}", connection=cluster.redis).retries_left < 3
    assert report["new_items"] == len(items)


def test_a_coordinator_killed_and_started_again_loses_and_duplicates_nothing(cluster, tmp_path):
    # one worker: the sites run one after another, so when the coordinator is killed some job is
    # still queued or running for the new coordinator to take over
    cluster.start_worker("w1")
    data = tmp_path / "data"
    feed = data / "feed.jsonl"
    with ReplayServer([RECORDED]) as server:
        first = cluster.coordinator(server, data, "-s", "DOWNLOAD_DELAY=0.2", *SUBSET)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and first.poll() is None:
            if feed.exists() and feed.read_bytes().count(b"\n") >= 2:
                break
            time.sleep(0.02)
        assert first.poll() is None, "the run ended before it could be killed"
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_lines = feed.read_bytes().count(b"\n")
        total = len(expected_items(SUBSET))
        assert killed_lines < total

        again = run_sdcrawl(*cluster.coordinator_args(server, data, *SUBSET), env={**cluster.env, "SDCRAWL_LOG_LEVEL": "WARNING"})
    assert again.returncode == 0, again.stdout + again.stderr
    # the jobs the killed coordinator had started or queued were taken over, not enqueued twice
    assert "adopted the still running job(s) of " in again.stderr
    items = assert_consistent(data)
    assert comparable(items) == expected_items(SUBSET)
    report = read_report(data)
    assert len(report["recovered_runs"]) == 1
    assert report["recovered_runs"][0]["lines"] == killed_lines
    assert report["new_items"] == total - killed_lines
