"""The whole registry against loopback copies (one copy per platform, served under every entry's
own host name): the nightly run finishes, crawls every entry and reports in a few lines; `sdcrawl
check --all` prints one table, and a redesigned listing shows as broken in it (issue 15)."""

import json
import shutil

from sdcrawl.registry import load_registry
from sdcrawl.replay import RegistryReplayServer
from sdcrawl.tools.testing import RECORDED, read_feed, read_report, run_sdcrawl

SITES = load_registry()
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def test_a_nightly_run_over_the_whole_registry(tmp_path):
    data = tmp_path / "data"
    with RegistryReplayServer() as server:
        proc = run_sdcrawl("nightly", "--data-dir", str(data), "--since", "2000-01-01",
                           "-s", f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}", *FAST, timeout=600)
        served, uncovered = dict(server.served), server.uncovered
    report = read_report(data)
    assert sorted(s["site"] for s in report["sites"]) == sorted(SITES)  # every entry was crawled
    by_site = {s["site"]: s for s in report["sites"]}
    for site in served:
        assert by_site[site]["status"] == "ok", (site, by_site[site])
        assert by_site[site]["articles_seen"] >= 1
        # one platform copy stands for many sites: the same articles are duplicates after the first
        assert by_site[site]["new_items"] + by_site[site]["rejected"].get("duplicate", 0) >= 1
    for site in uncovered:  # no copy stands for them: unreachable, and never verified
        assert by_site[site]["status"] == "unverified", by_site[site]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # a report a person reads in ten seconds: a title, the table, one line for the unverified
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 + 1 + len(SITES) + 1
    assert lines[-1].startswith(f"Unverified site(s) unreachable ({len(uncovered)}; ")
    assert "Problems:" not in proc.stdout
    ids = [i["id"] for i in read_feed(data / "feed.jsonl")]
    assert len(ids) == len(set(ids))
    assert {i.rsplit("-", 1)[0] for i in ids} <= set(served)
    titles = {(i["title"], i["published"]) for i in read_feed(data / "feed.jsonl")}
    assert len(titles) == len(ids) >= 20  # each story of the copies once, whichever host gave it first


def test_check_all_prints_one_table_and_names_a_redesigned_listing(tmp_path):
    overlay = tmp_path / "overlay" / "aizkraukle"
    overlay.mkdir(parents=True)
    listing = (RECORDED / "bauskasnovads" / "listing-1.html").read_text(encoding="utf-8")
    redesigned = (listing.replace("views-row", "zinu-rinda").replace("news-title", "zinas-virsraksts")
                  .replace("view-content", "zinu-saraksts"))
    assert redesigned != listing
    (overlay / "listing.html").write_text(redesigned.replace("bauskasnovads.lv", "aizkraukle.lv"), encoding="utf-8")
    path = SITES["aizkraukle"].start_urls[0].split("aizkraukle.lv", 1)[1]
    (overlay / "manifest.toml").write_text(f'hosts = ["aizkraukle.lv", "www.aizkraukle.lv"]\n\n[[page]]\nurl = "{path}"\n'
                                           f'file = "listing.html"\n', encoding="utf-8")
    with RegistryReplayServer(overlays=[tmp_path / "overlay"]) as server:
        proc = run_sdcrawl("check", "--all", "--articles", "1", "-s",
                           f"SDCRAWL_LOOPBACK_HOSTS={json.dumps(server.hosts_setting)}", *FAST, timeout=600)
        served, uncovered = dict(server.served), server.uncovered
    lines = proc.stdout.strip().splitlines()
    assert lines[0].split() == ["site", "reachable", "links", "title", "date", "body", "verdict"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert sorted(rows) == sorted(SITES)
    assert "BROKEN: no article links in the listing" in rows["aizkraukle"]
    for site in served:
        if site != "aizkraukle":
            assert rows[site].endswith("OK"), rows[site]
    for site in uncovered:
        assert "UNREACHABLE" in rows[site]
    assert lines[-1] == f"{len(served) - 1} of {len(SITES)} site(s) OK"
    assert proc.returncode == 1
    assert all(not SITES[s].verified for s in SITES), "a check against loopback copies verifies nothing"
