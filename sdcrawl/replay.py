"""Serve recorded copies of sites over loopback HTTP.

A recorded copy is a folder (``recorded/<site-id>/``) with the pages as files and a
``manifest.toml`` saying which URL each file answers::

    hosts = ["stopini.lv", "www.stopini.lv"]

    [[page]]
    url = "/lv/jaunumi/socialie-pakalpojumi"      # path and query, as requested
    file = "listing-1.html"
    # optional: status = 200, content_type = "...", headers = {...}, location = "..."

One server answers for every host of every copy it was given, choosing the copy by the Host
header (sdcrawl.loopback sends the real host). A missing robots.txt is answered with "allow all";
any URL not in a manifest gets 404. Later roots override earlier ones page by page, so a test can
lay "new articles" over a recorded site (an overlay folder with its own manifest.toml).

Run it as a process (``python -m sdcrawl.replay ROOT [ROOT ...]`` prints its port on the first
line, like Scrapy's own mock server) or in a thread with ``ReplayServer(roots)``.
"""

from __future__ import annotations

import argparse
import sys
import threading
import tomllib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_ROBOTS = b"User-agent: *\nAllow: /\n"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}


@dataclass
class Page:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Copy:
    site: str
    hosts: list[str]
    pages: dict[str, Page]  # "path?query" -> page


def _key(target: str) -> str:
    parts = urlsplit(target)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def load_copy(folder: Path) -> Copy:
    manifest_path = folder / "manifest.toml"
    manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    pages: dict[str, Page] = {}
    for entry in manifest.get("page", []):
        headers = dict(entry.get("headers", {}))
        body = b""
        if "file" in entry:
            path = folder / entry["file"]
            body = path.read_bytes()
            headers.setdefault("Content-Type", entry.get("content_type") or TYPES.get(path.suffix, "application/octet-stream"))
        if "location" in entry:
            headers["Location"] = entry["location"]
        pages[_key(entry["url"])] = Page(body, entry.get("status", 200), headers)
    return Copy(folder.name, list(manifest["hosts"]), pages)


def load_roots(roots: list[Path]) -> dict[str, dict[str, Page]]:
    """host -> pages, for every copy under the given roots (a root is a copy or a folder of copies)."""
    by_host: dict[str, dict[str, Page]] = {}
    for root in roots:
        folders = [root] if (root / "manifest.toml").exists() else sorted(p for p in root.iterdir() if (p / "manifest.toml").exists())
        for folder in folders:
            copy = load_copy(folder)
            for host in copy.hosts:
                by_host.setdefault(host, {}).update(copy.pages)
    return by_host


class _Handler(BaseHTTPRequestHandler):
    server_version = "sdcrawl-replay"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the crawl's own stats say what was fetched
        pass

    def _answer(self, head_only: bool) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        pages = self.server.by_host.get(host)  # type: ignore[attr-defined]
        key = _key(self.path)
        with self.server.lock:  # type: ignore[attr-defined]
            self.server.hits.append((host, key))  # type: ignore[attr-defined]
        page = pages.get(key) if pages is not None else None
        if page is None and pages is not None and key == "/robots.txt":
            page = Page(DEFAULT_ROBOTS, 200, {"Content-Type": "text/plain"})
        if page is None:
            page = Page(b"<html><body><h1>404</h1></body></html>", 404, {"Content-Type": "text/html"})
        self.send_response(page.status)
        for name, value in page.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(page.body)

    def do_GET(self):
        self._answer(False)

    def do_HEAD(self):
        self._answer(True)


class ReplayServer:
    """A replay server in a background thread: ``with ReplayServer([root]) as srv: srv.hosts_setting``."""

    def __init__(self, roots: list[str | Path], port: int = 0):
        self.roots = [Path(r) for r in roots]
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.lock = threading.Lock()  # type: ignore[attr-defined]
        self.httpd.hits = []  # type: ignore[attr-defined]
        self.reload()
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def reload(self, roots: list[str | Path] | None = None) -> None:
        """Serve another set of roots from now on (e.g. after 'new articles' were added)."""
        if roots is not None:
            self.roots = [Path(r) for r in roots]
        self.httpd.by_host = load_roots(self.roots)  # type: ignore[attr-defined]

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def hosts_setting(self) -> dict[str, str]:
        """The SDCRAWL_LOOPBACK_HOSTS value that routes every recorded host here."""
        return {host: f"127.0.0.1:{self.port}" for host in self.httpd.by_host}  # type: ignore[attr-defined]

    def hits(self) -> list[tuple[str, str]]:
        """(host, path) of every request answered so far."""
        with self.httpd.lock:  # type: ignore[attr-defined]
            return list(self.httpd.hits)  # type: ignore[attr-defined]

    def start(self) -> "ReplayServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sdcrawl.replay", description=__doc__.split("\n")[0])
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    server = ReplayServer(args.roots, args.port)
    print(server.port, flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
