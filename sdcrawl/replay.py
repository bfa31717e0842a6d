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

The whole registry on loopback (``RegistryReplayServer``, or ``python -m sdcrawl.replay --registry
[OVERLAY ...]``): an entry with a recorded copy of its own is served that copy; any other entry on a
platform is served its platform's copy (``sdcrawl.registry.platform_copies``) under the entry's own
host names, with the entry's start URL answering the copy's first listing page and the copy's
absolute links rewritten to the entry's host, so the entry's spider stays on its own site. Entries
marked ``needs_try`` with platform "unknown" have no copy: they are listed in ``uncovered`` and
their hosts get 404. Overlay roots are laid over the result host by host, as with ReplayServer
(e.g. a redesigned listing for one entry).
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

RECORDED = Path(__file__).resolve().parent.parent / "recorded"

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


def _rehost(page: Page, pairs: list[tuple[bytes, bytes]]) -> Page:
    """The page with absolute links to the copy's hosts pointing at another host."""
    body = page.body
    headers = dict(page.headers)
    for old, new in pairs:
        body = body.replace(old, new)
        if "Location" in headers:
            headers["Location"] = headers["Location"].replace(old.decode(), new.decode())
    return Page(body, page.status, headers)


def registry_pages(sites: dict, recorded: Path = RECORDED) -> tuple[dict[str, dict[str, Page]], dict[str, str]]:
    """host -> pages for every registry entry that has a copy to stand for it, and entry id -> the
    id of the copy it is served (its own, or its platform's)."""
    from sdcrawl.registry import platform_copies

    copies: dict[str, Copy] = {}

    def copy_of(site_id: str) -> Copy:
        if site_id not in copies:
            copies[site_id] = load_copy(recorded / site_id)
        return copies[site_id]

    by_platform = platform_copies(sites, recorded)
    by_host: dict[str, dict[str, Page]] = {}
    served: dict[str, str] = {}
    for site in sites.values():
        if (recorded / site.id / "manifest.toml").is_file():
            source = site.id
        elif site.platform in by_platform:
            source = by_platform[site.platform]
        else:
            continue
        copy = copy_of(source)
        served[site.id] = source
        if source == site.id:
            pages = dict(copy.pages)
        else:
            target = urlsplit(site.start_urls[0]).hostname or ""
            # longest first, so "//www.x.lv" is rewritten before "//x.lv" could match inside it
            pairs = [(f"//{h}".encode(), f"//{target}".encode()) for h in sorted(copy.hosts, key=len, reverse=True)]
            pages = {key: _rehost(page, pairs) for key, page in copy.pages.items()}
            listing = pages.get(_key(sites[source].start_urls[0]))
            if listing is not None:
                for url in site.start_urls:
                    pages[_key(url)] = listing
        for host in site.domains:
            by_host.setdefault(host, {}).update(pages)
    return by_host, served


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


class RegistryReplayServer(ReplayServer):
    """Every registry entry on loopback (see the module's docstring): ``served`` maps an entry id to
    the copy it is served, ``uncovered`` lists the entries no copy stands for (sorted)."""

    def __init__(self, sites: dict | None = None, recorded: str | Path = RECORDED, overlays: list[str | Path] = (), port: int = 0):
        if sites is None:
            from sdcrawl.registry import load_registry

            sites = load_registry()
        self.sites = sites
        self.recorded = Path(recorded)
        self.served: dict[str, str] = {}
        super().__init__(list(overlays), port)

    @property
    def uncovered(self) -> list[str]:
        return sorted(set(self.sites) - set(self.served))

    def reload(self, roots: list[str | Path] | None = None) -> None:
        """Rebuild from the registry, then lay the overlay roots (or new ones) over it."""
        if roots is not None:
            self.roots = [Path(r) for r in roots]
        by_host, self.served = registry_pages(self.sites, self.recorded)
        for host, pages in load_roots(self.roots).items():
            by_host.setdefault(host, {}).update(pages)
        self.httpd.by_host = by_host  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sdcrawl.replay", description=__doc__.split("\n")[0])
    parser.add_argument("roots", nargs="*", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--registry", action="store_true",
                        help="serve every registry entry (its own copy or its platform's); ROOTs are overlays")
    parser.add_argument("--recorded", type=Path, default=RECORDED, help="the recorded copies (with --registry)")
    args = parser.parse_args(argv)
    if not args.registry and not args.roots:
        parser.error("give ROOT folders, or --registry")
    server = RegistryReplayServer(recorded=args.recorded, overlays=args.roots, port=args.port) if args.registry else ReplayServer(args.roots, args.port)
    print(server.port, flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
