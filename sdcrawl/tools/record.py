"""`sdcrawl record ID`: a recorded copy of a registry site, saved from the live site through Scrapy.

    sdcrawl record kekava [--articles 5] [--force] [--replay ROOT]

The site's own spider crawls the site as usual (robots.txt obeyed, the polite settings, the
loopback routing of SDCRAWL_LOOPBACK_HOSTS / --replay in tests) with a page budget of two listing
pages; `ArticleLimit` lets only the first N article requests through, and `ResponseRecorder` keeps
every response. They are written to recorded/<id>/ as files with a manifest.toml of the real URLs
(redirects kept as redirects) and a NOTES.md saying when and where the copy was made; then the copy
is crawled over loopback like scripts/rerecord.py does, and its feed becomes expected.json, for
review. The newest relevant article is saved as reference.html, as every registry site has one.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request, signals

from sdcrawl.urls import url_key


class ResponseRecorder:
    """Extension: keeps (request, response) of every response the crawl received."""

    def __init__(self, crawler):
        self.responses: list[tuple[Request, object]] = []
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.sdcrawl_recorder = self

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def response_received(self, response, request, spider=None):
        self.responses.append((request, response))


def _callback(request: Request) -> str | None:
    cb = request.callback
    return getattr(cb, "__name__", None) if cb is not None and callable(cb) else None


class ArticleLimit:
    """Spider middleware: only the first SDCRAWL_RECORD_ARTICLES article requests go out."""

    def __init__(self, crawler):
        self.limit = crawler.settings.getint("SDCRAWL_RECORD_ARTICLES", 5)
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _keep(self, out) -> bool:
        if isinstance(out, Request) and _callback(out) == "parse_article":
            if self.count >= self.limit:
                return False
            self.count += 1
        return True

    def process_spider_output(self, response, result):
        for out in result:
            if self._keep(out):
                yield out

    async def process_spider_output_async(self, response, result):
        async for out in result:
            if self._keep(out):
                yield out


@dataclass
class Saved:
    url: str
    file: str | None
    kind: str             # listing, article, feed, sitemap, robots.txt, redirect
    status: int = 200
    location: str | None = None
    content_type: str | None = None


def _key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _name(url: str, taken: set[str]) -> str:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    stem = segments[-1] if segments else "page"
    stem = re.sub(r"\.(html?|php|aspx?)$", "", stem.lower())
    if parts.query:
        values = [v for _, v in re.findall(r"([^&=]+)=([^&]*)", parts.query)]
        stem = "-".join([stem if segments else "page", *values[-2:]])
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60] or "page"
    name, n = f"{stem}.html", 2
    while name in taken:
        name, n = f"{stem}-{n}.html", n + 1
    taken.add(name)
    return name


def kind_of(request: Request) -> str | None:
    if urlsplit(request.url).path == "/robots.txt":
        return "robots.txt"
    return {"parse": "listing", "parse_article": "article", "parse_feed": "feed", "parse_sitemap": "sitemap"}.get(_callback(request) or "")


def save_copy(folder: Path, hosts: tuple[str, ...], responses: list[tuple[Request, object]], header: str) -> list[Saved]:
    """Write the responses as a recorded copy (files and manifest.toml); return what was saved."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Saved] = []
    seen: set[str] = set()
    taken: set[str] = {"manifest.toml", "NOTES.md", "expected.json", "reference.html"}
    listing_pages = 0
    order = {"robots.txt": 0, "listing": 1, "feed": 2, "sitemap": 3, "article": 4}
    for request, response in sorted(responses, key=lambda rr: order.get(kind_of(rr[0]) or "", 9)):
        kind = kind_of(request)
        if kind is None or response.status != 200:
            continue
        url = response.url
        if _key(url) in seen:
            continue
        seen.add(_key(url))
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        if kind == "listing":
            listing_pages += 1
            name = f"listing-{listing_pages}.html"
            taken.add(name)
        elif kind == "robots.txt":
            name = "robots.txt"
        elif kind in ("feed", "sitemap"):
            name = f"{kind}-{sum(1 for s in saved if s.kind == kind) + 1}.xml"
        else:
            name = _name(url, taken)
        (folder / name).write_bytes(response.body)
        saved.append(Saved(url, name, kind, content_type=ctype))
        # the addresses that redirected here answer with the same redirect in the copy
        chain = [*request.meta.get("redirect_urls", []), url]
        for src, dst in zip(chain, chain[1:]):
            if _key(src) not in seen and urlsplit(src).hostname == urlsplit(dst).hostname:
                seen.add(_key(src))
                saved.append(Saved(src, None, "redirect", status=301, location=dst))
    write_manifest(folder, hosts, saved, header)
    return saved


def write_manifest(folder: Path, hosts: tuple[str, ...], saved: list[Saved], header: str) -> None:
    lines = [f"# {header}", "hosts = [" + ", ".join(json.dumps(h) for h in hosts) + "]", ""]
    for s in saved:
        lines.append(f"# {s.kind}")
        lines.append("[[page]]")
        lines.append(f"url = {json.dumps(_key(s.url), ensure_ascii=False)}")
        if s.file:
            lines.append(f"file = {json.dumps(s.file)}")
        if s.content_type:
            lines.append(f"content_type = {json.dumps(s.content_type)}")
        if s.status != 200:
            lines.append(f"status = {s.status}")
        if s.location:
            lines.append(f"location = {json.dumps(s.location, ensure_ascii=False)}")
        lines.append("")
    (folder / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")


def clear_copy(folder: Path) -> None:
    """Remove an earlier recording (the files its manifest names, and the files record writes)."""
    import tomllib

    manifest = folder / "manifest.toml"
    if manifest.exists():
        for entry in tomllib.loads(manifest.read_text(encoding="utf-8")).get("page", []):
            if "file" in entry and "/" not in entry["file"]:
                (folder / entry["file"]).unlink(missing_ok=True)
    for name in ("manifest.toml", "NOTES.md", "expected.json", "reference.html"):
        (folder / name).unlink(missing_ok=True)


def expected_feed(site_id: str, folder: Path) -> tuple[int, list[dict], str]:
    """Crawl the copy over loopback (a child process, as scripts/rerecord.py does) and return
    (exit status, comparable items, stderr)."""
    from sdcrawl.tools.testing import RECORDED_SINCE, comparable, read_feed, run_sdcrawl

    with tempfile.TemporaryDirectory() as tmp:
        proc = run_sdcrawl("crawl", site_id, "--replay", str(folder), "--data-dir", tmp, "--since", RECORDED_SINCE)
        items = read_feed(Path(tmp) / "feed.jsonl")
    return proc.returncode, comparable(items), proc.stderr


def choose_reference(folder: Path, saved: list[Saved], expected: list[dict], hosts: tuple[str, ...], header: str) -> str | None:
    """Rename the newest article of the expected feed to reference.html; return its URL."""
    if not expected:
        return None
    newest = max(expected, key=lambda i: (i.get("published") or "", i["url"]))
    want = url_key(newest["url"])
    for s in saved:
        if s.kind == "article" and s.file and url_key(s.url) == want:
            (folder / s.file).rename(folder / "reference.html")
            for other in saved:
                if other.file == s.file:
                    other.file = "reference.html"
            write_manifest(folder, hosts, saved, header)
            return s.url
    return None


def write_notes(folder: Path, site, spider_cls, saved: list[Saved], settings, articles_limit: int, reference: str | None) -> None:
    from sdcrawl import __version__
    from sdcrawl.tools.scaffold import template

    what = {"listing": "listing page", "article": "article", "feed": "feed", "sitemap": "sitemap",
            "robots.txt": "robots.txt", "redirect": "a redirect"}
    rows = []
    for s in saved:
        label = what.get(s.kind, s.kind)
        if s.url == reference:
            label = "article: **the reference article** (the newest relevant one)"
        elif s.kind == "redirect":
            label = f"redirect to `{s.location}`"
        rows.append(f"| `{s.url}` | {('`' + s.file + '`') if s.file else '—'} | {label} |")
    user_agent = settings.get("USER_AGENT")
    contact = settings.get("SDCRAWL_CONTACT")
    text = template("NOTES.md.tmpl").substitute(
        host=urlsplit(site.home).hostname, municipality=site.municipality, id=site.id, version=__version__,
        when=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"), spider_class=spider_cls.__name__,
        user_agent=f"{user_agent} ({contact})" if contact else user_agent,
        listing_pages=sum(1 for s in saved if s.kind == "listing"), start_url=site.start_urls[0],
        articles=sum(1 for s in saved if s.kind == "article"), articles_limit=articles_limit, rows="\n".join(rows))
    (folder / "NOTES.md").write_text(text, encoding="utf-8")
