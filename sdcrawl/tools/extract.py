"""`sdcrawl extract PATH_OR_URL`: the item sdcrawl makes of one page, and whether it would reach
the feed.

The page is read as the crawl reads it: at most DOWNLOAD_MAXSIZE bytes (a larger page is refused
at once, as the crawl cancels it, without reading it), and decoded by
sdcrawl.extract.decode.decode_page, the decision the crawl's charset and markup middlewares
apply. Only regular files are read: a directory, a FIFO or a device (/dev/zero) is named as such,
and a FIFO is never opened for a blocking read. Bad input raises UsageError (one line, exit 2).
"""

from __future__ import annotations

import importlib
import os
import stat
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdcrawl.errors import UsageError

DEFAULT_MAX_SIZE = 10 * 1024 * 1024
_KINDS = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]


@dataclass
class Page:
    body: bytes
    url: str
    content_type: str | None


def page_size_limit() -> int:
    """DOWNLOAD_MAXSIZE of the project's settings module. Read from the module itself, not through
    Scrapy's settings loader, which takes about a second to import: a refusal is meant to be quick."""
    module = importlib.import_module(os.environ.get("SCRAPY_SETTINGS_MODULE") or "sdcrawl.settings")
    return int(getattr(module, "DOWNLOAD_MAXSIZE", DEFAULT_MAX_SIZE))


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MiB" if n >= 1024 * 1024 else f"{n} B"


def _too_large(source: str, limit: int, size: int | None) -> UsageError:
    has = f"has {_size(size)}" if size is not None else "is larger"
    return UsageError(f"page over the size limit ({_size(limit)}, DOWNLOAD_MAXSIZE): {source} {has}")


def file_kind(mode: int) -> str:
    """'a directory', 'a FIFO (named pipe)', ... for a file mode that is not a regular file's."""
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def read_file(source: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or UsageError."""
    try:
        info = os.stat(source)
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(f"no such file: {source}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"not a regular file: {source} is {file_kind(info.st_mode)}")
    if info.st_size > limit:
        raise _too_large(source, limit, info.st_size)
    try:  # O_NONBLOCK: should the path have become a FIFO since, opening it does not wait for a writer
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    with open(fd, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise UsageError(f"not a regular file: {source} is {file_kind(mode)}")
        body = f.read(limit + 1)
    if len(body) > limit:
        raise _too_large(source, limit, None)
    return body


def read_url(source: str, limit: int) -> tuple[bytes, str, str | None]:
    """(body, final URL, Content-Type) of a live page of at most `limit` bytes, or UsageError."""
    req = urllib.request.Request(source, headers={"User-Agent": "sdcrawl (extract)"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.strip().isdigit() and int(length) > limit:
                raise _too_large(source, limit, int(length))
            body = resp.read(limit + 1)
            if len(body) > limit:
                raise _too_large(source, limit, None)
            return body, resp.geturl(), resp.headers.get("Content-Type")
    except OSError as exc:
        raise UsageError(f"cannot fetch {source}: {exc}") from None


def read_page(source: str, url: str | None = None, limit: int | None = None) -> Page:
    """A local file or a live URL, at most `limit` bytes (default: DOWNLOAD_MAXSIZE)."""
    limit = page_size_limit() if limit is None else limit
    if source.startswith(("http://", "https://")):
        body, final_url, content_type = read_url(source, limit)
        return Page(body, url or final_url, content_type)
    return Page(read_file(source, limit), url or Path(source).resolve().as_uri(), None)


def selectors_for(site_id: str) -> tuple[Any, str]:
    """(selectors, municipality) of a registry site's spider; (None, '') for 'generic'."""
    if site_id == "generic":
        return None, ""
    from sdcrawl.spiderloader import RegistrySpiderLoader
    from scrapy.utils.project import get_project_settings

    from sdcrawl.registry import RegistryError, get_site

    try:
        site = get_site(site_id)
    except RegistryError as exc:
        raise UsageError(str(exc)) from None
    try:
        spider_cls = RegistrySpiderLoader.from_settings(get_project_settings()).load(site_id)
    except KeyError:
        raise UsageError(f"site {site_id!r} is in the registry but has no spider") from None
    return spider_cls.selectors, site.municipality


def extract_report(source: str, *, url: str | None = None, site: str = "generic") -> dict[str, Any]:
    """What `sdcrawl extract` prints: the item, whether it is relevant, whether it would reach the
    feed, and why not."""
    page = read_page(source, url)
    from sdcrawl.extract.decode import NotHTML, decode_html

    try:
        html = decode_html(page.body, page.content_type)
    except NotHTML:
        raise UsageError(f"not HTML: {source}") from None
    selectors, municipality = selectors_for(site)

    from sdcrawl.extract import extract_article
    from sdcrawl.pipelines.classify import classify_item
    from sdcrawl.pipelines.normalize import normalize_item
    from sdcrawl.pipelines.validate import validation_errors

    # the crawl's own stages, in its order: extract -> normalize -> classify -> validate
    item = classify_item(normalize_item(extract_article(html, page.url, selectors=selectors, site=site,
                                                        municipality=municipality)))
    problems = validation_errors(item)
    if not item["classification"]["relevant"]:
        problems.append("not relevant: " + "; ".join(item["classification"]["reasons"]))
    return {"item": item, "relevant": item["classification"]["relevant"], "in_feed": not problems, "why_not": problems}
