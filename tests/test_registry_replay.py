"""The whole registry on loopback: one recorded copy per platform served under every entry's own
host names (sdcrawl.replay.RegistryReplayServer), for whole-registry runs without the internet."""

import http.client
import json
from urllib.parse import urlsplit

from sdcrawl.registry import load_registry
from sdcrawl.replay import RegistryReplayServer
from sdcrawl.tools.testing import RECORDED, crawl_via

SITES = load_registry()


def fetch(server, url: str) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), headers={"Host": parts.netloc})
    response = conn.getresponse()
    return response.status, response.read()


def test_three_entries_on_three_platforms_get_their_platform_copy_under_their_own_host():
    cases = {"aizkraukle": "bauskasnovads", "aluksne": "socd", "gulbene": "iecava"}
    assert {SITES[s].platform for s in cases} == {"unified", "wordpress", "joomla"}
    with RegistryReplayServer() as server:
        for site_id, copy in cases.items():
            assert server.served[site_id] == copy
            url = SITES[site_id].start_urls[0]
            status, body = fetch(server, url)
            assert status == 200, url
            host = urlsplit(url).hostname
            listing = (RECORDED / copy / "listing-1.html").read_bytes()
            copy_hosts = {urlsplit(u).hostname for u in SITES[copy].start_urls}
            # the copy's first listing page, its absolute links moved onto the entry's host
            for copy_host in sorted(copy_hosts, key=len, reverse=True):
                listing = listing.replace(f"//{copy_host}".encode(), f"//{host}".encode())
            assert body == listing
            for copy_host in copy_hosts:
                assert f"//{copy_host}/".encode() not in body


def test_reference_sites_keep_their_own_copy_and_unknown_platforms_are_left_out():
    with RegistryReplayServer() as server:
        status, body = fetch(server, SITES["rezeknesnovads"].start_urls[0])
        assert status == 200 and body == (RECORDED / "rezeknesnovads" / "listing-1.html").read_bytes()
        unknown = sorted(s for s, site in SITES.items() if site.platform == "unknown")
        assert server.uncovered == unknown and len(unknown) > 0
        assert set(server.served) == set(SITES) - set(unknown)
        assert fetch(server, SITES[unknown[0]].start_urls[0])[0] == 404


def test_an_overlay_replaces_one_entry_listing(tmp_path):
    (tmp_path / "balvi").mkdir()
    (tmp_path / "balvi" / "new.html").write_text("<html><body><p>Jauns izskats</p></body></html>", encoding="utf-8")
    (tmp_path / "balvi" / "manifest.toml").write_text(
        'hosts = ["www.balvi.lv", "balvi.lv"]\n[[page]]\nurl = "/lv/jaunumi"\nfile = "new.html"\n', encoding="utf-8")
    with RegistryReplayServer(overlays=[tmp_path]) as server:
        assert b"Jauns izskats" in fetch(server, "https://www.balvi.lv/lv/jaunumi")[1]
        assert b"Jauns izskats" not in fetch(server, SITES["aizkraukle"].start_urls[0])[1]


def test_a_new_entry_crawls_its_platform_copy_on_its_own_host_through_the_engine(tmp_path):
    with RegistryReplayServer() as server:
        proc, items = crawl_via(server, "aizkraukle", tmp_path, "--since", "2000-01-01")
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = json.loads((RECORDED / "bauskasnovads" / "expected.json").read_text(encoding="utf-8"))
    assert items and {i["site"] for i in items} == {"aizkraukle"}
    assert {urlsplit(i["url"]).hostname for i in items} == {"www.aizkraukle.lv"}
    assert sorted(urlsplit(i["url"]).path for i in items) == sorted(urlsplit(i["url"]).path for i in expected)
    assert sorted(i["title"] for i in items) == sorted(i["title"] for i in expected)
