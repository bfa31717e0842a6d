"""The loopback server of recorded copies: by Host, default robots.txt, 404, overlays."""

import urllib.error
import urllib.request

import pytest

from sdcrawl.replay import ReplayServer


def get(server, host, path):
    req = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.fixture
def copies(tmp_path):
    base = tmp_path / "base" / "x"
    base.mkdir(parents=True)
    (base / "a.html").write_text("<p>old A</p>", encoding="utf-8")
    (base / "manifest.toml").write_text(
        'hosts = ["x.lv", "www.x.lv"]\n[[page]]\nurl = "/a?page=2"\nfile = "a.html"\n'
        '[[page]]\nurl = "/moved"\nstatus = 301\nlocation = "https://x.lv/a?page=2"\n', encoding="utf-8")
    overlay = tmp_path / "overlay" / "x"
    overlay.mkdir(parents=True)
    (overlay / "b.html").write_text("<p>new A</p>", encoding="utf-8")
    (overlay / "manifest.toml").write_text('hosts = ["x.lv"]\n[[page]]\nurl = "/a?page=2"\nfile = "b.html"\n', encoding="utf-8")
    return tmp_path / "base", tmp_path / "overlay"


def test_serves_pages_by_host_and_query(copies):
    with ReplayServer([copies[0]]) as srv:
        assert get(srv, "x.lv", "/a?page=2") == (200, "<p>old A</p>")
        assert get(srv, "www.x.lv", "/a?page=2") == (200, "<p>old A</p>")
        assert get(srv, "x.lv", "/a")[0] == 404
        assert get(srv, "other.lv", "/a?page=2")[0] == 404
        assert get(srv, "x.lv", "/robots.txt") == (200, "User-agent: *\nAllow: /\n")
        assert srv.hosts_setting == {"x.lv": f"127.0.0.1:{srv.port}", "www.x.lv": f"127.0.0.1:{srv.port}"}
        assert ("x.lv", "/a?page=2") in srv.hits()


def test_redirect_entries_and_overlays(copies):
    with ReplayServer([copies[0]]) as srv:
        req = urllib.request.Request(f"http://127.0.0.1:{srv.port}/moved", headers={"Host": "x.lv"})
        opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a, **k: None}))
        with pytest.raises(urllib.error.HTTPError) as err:
            opener.open(req, timeout=5)
        assert err.value.code == 301 and err.value.headers["Location"] == "https://x.lv/a?page=2"
        srv.reload([copies[0], copies[1]])
        assert get(srv, "x.lv", "/a?page=2") == (200, "<p>new A</p>")
