"""Issue 13 item 7: one heavy site must not stall the others.

A heavy site (legal pages, but a megabyte and more of table markup that takes a worker many seconds
to read, and one body over the extraction size bound) and a calm site crawled in one real
`sdcrawl crawl` against a loopback server. Extraction runs beside the reactor (sdcrawl.extract.offload)
with a 2 s bound per page; the download timeout is 3 s, so a reactor blocked by a heavy page (as it
was: 47 s for one 8.7 MB body) would make the calm site's requests time out and be retried.
"""

from __future__ import annotations

import html
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from faultkit import Site, crawl

CALM, HEAVY = "calm.test", "heavy.test"
CALM_ARTICLES = 12
SLOW_PAGES = 4  # heavy pages under the size bound: their extraction runs past the time bound
EXTRACT_TIMEOUT = 2
EXTRACT_MAXSIZE = 2 * 1024 * 1024

_TEXT = ("Novada sociālā dienesta darbinieki piedalījās apmācībās par atbalstu ģimenēm ar bērniem. "
         "Mācību programmu finansēja Eiropas Sociālā fonda projekts, un nodarbības vadīja pieredzējusi supervizore.")


def _article(title: str, extra: str = "") -> bytes:
    return (f'<!DOCTYPE html><html lang="lv"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f"<body><main><article><h1>{html.escape(title)}</h1><p>14.03.2024</p><p>{_TEXT}</p>"
            f"<p>Sociālie darbinieki apguva jaunas metodes darbam ar klientiem.</p>{extra}</article></main>"
            "</body></html>").encode()


def _slow_table() -> str:
    """About 1.6 MB of ordinary table markup: legal HTML that takes seconds to read."""
    row = "<tr>" + "".join("<td><div>Sociālais dienests</div></td>" for _ in range(20)) + "</tr>"
    return "<table>" + row * 2000 + "</table>"


def _long_page() -> str:
    """About 2.6 MB of paragraphs: over the extraction size bound."""
    return "".join(f"<p><span><b>{_TEXT}</b></span> <a href='/p{i}'>saite</a></p>" for i in range(12000))


def _listing(links: list[str]) -> bytes:
    items = "".join(f'<div class="news-item"><h2><a href="{a}">Ziņa {i}</a></h2></div>' for i, a in enumerate(links))
    return (f'<!DOCTYPE html><html lang="lv"><head><meta charset="utf-8"><title>Jaunumi</title></head><body>'
            f'<div class="news-list">{items}</div></body></html>').encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        slow = _slow_table()
        self.pages: dict[tuple[str, str], bytes] = {}
        calm = [f"/zinas/calm-{i}" for i in range(CALM_ARTICLES)]
        heavy = [f"/zinas/slow-{i}" for i in range(SLOW_PAGES)] + ["/zinas/long", "/zinas/light"]
        self.pages[(CALM, "/list")] = _listing(calm)
        self.pages[(HEAVY, "/list")] = _listing(heavy)
        for i, path in enumerate(calm):
            self.pages[(CALM, path)] = _article(f"Sociālā dienesta darbinieku mācības {i}")
        for i in range(SLOW_PAGES):
            self.pages[(HEAVY, f"/zinas/slow-{i}")] = _article(f"Sociālā dienesta gada pārskats {i}", slow)
        self.pages[(HEAVY, "/zinas/long")] = _article("Sociālā dienesta garais pārskats", _long_page())
        self.pages[(HEAVY, "/zinas/light")] = _article("Sociālā dienesta darbinieku mācības smagajā vietnē")
        self.hits: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        path = urlsplit(self.path).path
        server: _Server = self.server  # type: ignore[assignment]
        with server.lock:
            server.hits[(host, path)] = server.hits.get((host, path), 0) + 1
        if host == CALM and path.startswith("/zinas/"):
            time.sleep(0.15)  # the calm site's crawl spans the heavy pages' extraction
        body = b"User-agent: *\nAllow: /\n" if path == "/robots.txt" else server.pages.get((host, path))
        status = 200 if body is not None else 404
        body = body if body is not None else b"not here"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if path == "/robots.txt" else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def test_a_heavy_site_does_not_make_an_innocent_site_retry(server, tmp_path):
    sites = [Site("heavy", HEAVY, [f"https://{HEAVY}/list"]), Site("calm", CALM, [f"https://{CALM}/list"])]
    settings = {
        "SDCRAWL_EXTRACT_WORKERS": "2",
        "SDCRAWL_EXTRACT_TIMEOUT": str(EXTRACT_TIMEOUT),
        "SDCRAWL_EXTRACT_MAXSIZE": str(EXTRACT_MAXSIZE),
        "DOWNLOAD_MAXSIZE": str(8 * 1024 * 1024),  # the heavy pages are legal downloads
        "DOWNLOAD_WARNSIZE": str(8 * 1024 * 1024),
    }
    started = time.monotonic()
    run = crawl(server, tmp_path, sites, settings=settings)
    took = time.monotonic() - started
    assert run.proc.returncode == 0, run.proc.stderr[-2000:]

    calm = run.stats("calm")
    assert calm["finish_reason"] == "finished"
    assert calm.get("retry/count", 0) == 0, calm  # no request of the calm site had to be retried
    assert not any(k.startswith("downloader/exception_type_count") for k in calm), calm
    assert len(run.site_items("calm")) == CALM_ARTICLES
    assert all(server.hits[(CALM, f"/zinas/calm-{i}")] == 1 for i in range(CALM_ARTICLES))

    heavy = run.stats("heavy")
    assert heavy["finish_reason"] == "finished"
    assert heavy.get("sdcrawl/skipped/extract_timeout") == SLOW_PAGES  # abandoned, workers replaced
    assert heavy.get("sdcrawl/skipped/too_large_to_extract") == 1
    assert heavy.get("retry/count", 0) == 0
    assert [i["title"] for i in run.site_items("heavy")] == ["Sociālā dienesta darbinieku mācības smagajā vietnē"]
    # four pages that each take a worker many seconds, bounded at 2 s on two workers
    assert took < 40, took
