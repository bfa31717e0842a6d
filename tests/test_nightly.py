"""The nightly job over the recorded sites on loopback: backfill, nothing new, something new;
a kill at any moment; the lock; a site down and another changed in the same run."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from sdcrawl.errors import EXIT_BUSY
from sdcrawl.store.lock import DataLock
from sdcrawl.replay import ReplayServer
from sdcrawl.tools.sitegen import Article, article_html
from sdcrawl.tools.testing import RECORDED, REPO, comparable, nightly_args, read_feed, read_report, run_sdcrawl
from sdcrawl.registry import load_registry

# the sites with a recorded copy of their own (the registry's other entries are served their
# platform's copy by sdcrawl.replay.RegistryReplayServer, tested in test_registry_replay.py)
SITES = sorted(s for s in load_registry() if (RECORDED / s / "manifest.toml").exists())


def expected_items() -> list[dict]:
    out = []
    for site in SITES:
        out += json.loads((RECORDED / site / "expected.json").read_text(encoding="utf-8"))
    return sorted(out, key=lambda i: i["url"])


def entry_paths() -> set[tuple[str, str]]:
    """(host, path) of what an incremental run must fetch when nothing is new: each site's
    robots.txt, first listing page and feeds."""
    from urllib.parse import urlsplit

    out = set()
    for site in load_registry().values():
        if site.id not in SITES:
            continue
        for url in (*site.start_urls, *site.feeds, *site.sitemaps):
            parts = urlsplit(url)
            out.add((parts.hostname, parts.path + (f"?{parts.query}" if parts.query else "")))
            out.add((parts.hostname, "/robots.txt"))
    return out


def run_files_lines(data: Path) -> list[str]:
    lines = []
    for path in sorted((data / "runs").glob("*.jsonl")):
        text = path.read_text(encoding="utf-8")
        assert text == "" or text.endswith("\n"), f"{path} ends with a partial line"
        lines += text.splitlines()
    return lines


def assert_consistent(data: Path) -> list[dict]:
    """Every file valid; every article once; every feed line in exactly one run file."""
    feed_text = (data / "feed.jsonl").read_text(encoding="utf-8")
    assert feed_text.endswith("\n")
    items = [json.loads(line) for line in feed_text.splitlines()]
    assert len({i["id"] for i in items}) == len(items)
    assert sorted(run_files_lines(data)) == sorted(feed_text.splitlines())
    for report in (data / "runs").glob("*.report.json"):
        json.loads(report.read_text(encoding="utf-8"))
    return items


def new_articles_overlay(root: Path) -> list[Article]:
    """Two new articles at the top of stopini's first listing page."""
    folder = root / "stopini"
    folder.mkdir(parents=True)
    new = [Article(1702, date(2013, 2, 20), "Sociālie darbinieki apgūst supervīzijas metodes",
                   "Stopiņu novada Sociālā dienesta sociālie darbinieki piedalās supervīzijās.\n\n"
                   "Supervīzijas sociālajiem darbiniekiem notiks reizi mēnesī, tās finansē ESF projekts."),
           Article(1701, date(2013, 2, 12), "Sociālā dienesta darbinieki mācību seminārā",
                   "Sociālā dienesta darbinieki piedalījās mācību seminārā par darbu ar senioriem.\n\n"
                   "Seminārs sociālajiem darbiniekiem notika Rīgā, mācības turpināsies martā.")]
    listing = (RECORDED / "stopini" / "listing-1.html").read_text(encoding="utf-8")
    entries = "".join(f'<div class="news-item"><h2><a href="{a.path}">{a.title}</a></h2><div class="date">{a.published:%d/%m/%Y}</div></div>'
                      for a in new)
    marker = '<div class="news-item">'
    i = listing.index(marker, listing.index('class="news-item pinned"') + 1)
    (folder / "listing-1.html").write_text(listing[:i] + entries + listing[i:], encoding="utf-8")
    manifest = ['hosts = ["stopini.lv", "www.stopini.lv"]', '[[page]]\nurl = "/lv/jaunumi/socialie-pakalpojumi"\nfile = "listing-1.html"']
    for a in new:
        (folder / f"new-{a.number}.html").write_text(article_html(a), encoding="utf-8")
        manifest.append(f'[[page]]\nurl = "{a.path}"\nfile = "new-{a.number}.html"')
    (folder / "manifest.toml").write_text("\n\n".join(manifest) + "\n", encoding="utf-8")
    return new


def test_backfill_then_nothing_new_then_only_the_new_articles(tmp_path):
    data = tmp_path / "data"
    with ReplayServer([RECORDED]) as server:
        # 1. backfill
        proc = run_sdcrawl(*nightly_args(server, data, *SITES))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert comparable(read_feed(data / "feed.jsonl")) == expected_items()
        first = read_report(data)
        assert first["status"] == "ok" and first["new_items"] == len(expected_items())
        assert {s["site"] for s in first["sites"]} == set(SITES)

        # 2. nothing new: no feed line, no article page fetched
        before = len(server.hits())
        proc = run_sdcrawl(*nightly_args(server, data, *SITES))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        second_hits = server.hits()[before:]
        assert set(second_hits) == entry_paths()
        assert len(second_hits) == len(entry_paths())
        assert len(read_feed(data / "feed.jsonl")) == len(expected_items())
        second = read_report(data)
        assert second["new_items"] == 0 and second["status"] == "ok"
        assert (data / "runs" / f"{second['run_id']}.jsonl").read_text(encoding="utf-8") == ""

        # 3. two new articles on stopini: only they and the listing page that leads to them
        new = new_articles_overlay(tmp_path / "overlay")
        server.reload([RECORDED, tmp_path / "overlay"])
        before = len(server.hits())
        proc = run_sdcrawl(*nightly_args(server, data, *SITES))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        third_hits = server.hits()[before:]
        assert set(third_hits) == entry_paths() | {("stopini.lv", a.path) for a in new}
        assert len(third_hits) == len(entry_paths()) + len(new)
        third = read_report(data)
        assert third["new_items"] == 2
        run_lines = (data / "runs" / f"{third['run_id']}.jsonl").read_text(encoding="utf-8").splitlines()
        assert sorted(json.loads(l)["url"] for l in run_lines) == sorted(a.url for a in new)
    assert len(assert_consistent(data)) == len(expected_items()) + 2


@pytest.mark.parametrize("kill_after_lines", [1, 6, 14])
def test_a_run_killed_at_any_moment_loses_and_duplicates_nothing(tmp_path, kill_after_lines):
    data = tmp_path / "data"
    with ReplayServer([RECORDED]) as server:
        # slow enough to be caught part way
        args = nightly_args(server, data, "-s", "DOWNLOAD_DELAY=0.15", *SITES)
        child = subprocess.Popen([sys.executable, "-m", "sdcrawl.cli", *args], cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        feed = data / "feed.jsonl"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if feed.exists() and feed.read_bytes().count(b"\n") >= kill_after_lines:
                break
            if child.poll() is not None:
                break
            time.sleep(0.02)
        assert child.poll() is None, "the run ended before it could be killed"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        killed_lines = feed.read_bytes().count(b"\n")
        assert killed_lines < len(expected_items())

        proc = run_sdcrawl(*nightly_args(server, data, *SITES))
        assert proc.returncode == 0, proc.stdout + proc.stderr
    items = assert_consistent(data)
    assert comparable(items) == expected_items()
    report = read_report(data)
    assert len(report["recovered_runs"]) == 1
    assert report["recovered_runs"][0]["lines"] == killed_lines
    assert report["new_items"] == len(expected_items()) - killed_lines


def test_two_runs_never_overlap_and_a_stale_lock_does_not_block(tmp_path):
    data = tmp_path / "data"
    with DataLock(data / "sdcrawl.lock", "a test"):
        proc = run_sdcrawl("nightly", "stopini", "--data-dir", str(data))
    assert proc.returncode == EXIT_BUSY
    assert proc.stderr == f"sdcrawl nightly: {data} is in use by a test (pid {os.getpid()}); try again when it has finished; not starting\n"
    assert not (data / "feed.jsonl").exists()

    # a process that took the lock and was killed leaves the file, not the lock
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; from sdcrawl.store.lock import DataLock; "
                               f"DataLock(Path({str(data / 'sdcrawl.lock')!r})).__enter__(); print('locked', flush=True); time.sleep(60)"],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert (data / "sdcrawl.lock").exists()
    with ReplayServer([RECORDED / "stopini"]) as server:
        proc = run_sdcrawl(*nightly_args(server, data), "stopini")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(read_feed(data / "feed.jsonl")) == 3


def test_a_site_down_and_a_changed_listing_are_named_and_fail_the_run(tmp_path):
    import shutil

    changed = tmp_path / "copies" / "stopini"
    shutil.copytree(RECORDED / "stopini", changed)
    for page in changed.glob("listing-*.html"):
        page.write_text(page.read_text(encoding="utf-8").replace("news-item", "zinas-ieraksts"), encoding="utf-8")
    shutil.copytree(RECORDED / "socd", tmp_path / "copies" / "socd")
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    data = tmp_path / "data"
    # lm worked before (a site never known to work that is unreachable is only "unverified")
    with ReplayServer([RECORDED / "lm"]) as server:
        assert run_sdcrawl(*nightly_args(server, data), "lm").returncode == 0
    with ReplayServer([tmp_path / "copies"]) as server:
        routes = {**server.hosts_setting, "www.lm.gov.lv": f"127.0.0.1:{closed_port}", "lm.gov.lv": f"127.0.0.1:{closed_port}"}
        args = nightly_args(server, data, "-s", "RETRY_TIMES=1", "stopini", "socd", "lm")
        args[args.index(f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}")] = f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(routes)}"
        proc = run_sdcrawl(*args)
    assert proc.returncode == 1
    report = read_report(data)
    by_site = {s["site"]: s for s in report["sites"]}
    assert report["status"] == "problems"
    assert by_site["socd"]["status"] == "ok" and by_site["socd"]["new_items"] == 4
    assert by_site["lm"]["status"] == "failed"
    assert "connection refused" in by_site["lm"]["site_error"].lower()
    assert by_site["stopini"]["status"] == "alert"
    assert any("found no article links at all" in a for a in by_site["stopini"]["alerts"])
    # the human summary names both problems too
    assert "lm: " in proc.stdout and "refused" in proc.stdout.lower()
    assert "stopini: " in proc.stdout and "found no article links" in proc.stdout
