"""What the fixes proposed in bench/RESULTS.md would gain, measured before they are made.

NOT part of sdcrawl: a prototype, applied by monkeypatching in the benchmark's own processes only,
so that the expected gain of each proposed change to sdcrawl/ is a measured figure. Delete this
file (and `--whatif` in run.py and extract_bench.py) once the fixes are in sdcrawl itself.

    python bench/whatif.py crawl stopini ...     # `sdcrawl ...` with the fixes applied
    python bench/run.py --whatif                 # the whole benchmark with the fixes applied

The fixes (names as in RESULTS.md):
  F1 sdcrawl/urls.py          canonicalize() and url_key() memoized (functools.lru_cache): each
                              article URL is canonicalized ~9 times per page (listing, request,
                              extraction twice, normalize, dedup, feed, state), with url-normalize
                              (IDNA, percent-encoding) each time.
  F2 sdcrawl/extract/metadata.py  the <meta> tags indexed once per page instead of 3 XPath
                              searches of the whole document for each of ~6 names.
  F3 sdcrawl/extract/__init__.py  the site selectors' CSS compiled once (lxml CSSSelector,
                              cached) instead of translating CSS to XPath on every call.
  F4 sdcrawl/pipelines/feed.py    the schema validated once: FeedPipeline skips its second
                              validation when the line is the one ValidatePipeline validated.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys

APPLIED: list[str] = []


def _f1_memoize_urls() -> None:
    import sdcrawl.urls as urls

    canonicalize = functools.lru_cache(maxsize=16384)(urls.canonicalize)
    url_key = functools.lru_cache(maxsize=16384)(urls.url_key)
    urls.canonicalize, urls.url_key = canonicalize, url_key
    # modules that imported the names
    import sdcrawl.extract as extract
    import sdcrawl.pipelines.dedup as dedup
    import sdcrawl.pipelines.normalize as normalize
    import sdcrawl.store.crawlstate as crawlstate
    import sdcrawl.store.state as state

    extract.canonicalize = canonicalize
    normalize.canonicalize = canonicalize
    dedup.url_key = url_key
    crawlstate.url_key = url_key
    state.make_url_key = url_key
    APPLIED.append("F1")


def _f2_meta_index() -> None:
    import sdcrawl.extract.metadata as metadata

    original = metadata.extract_metadata
    current: list = [None, None]

    def index(doc) -> dict:
        if current[0] is not doc:
            found: dict = {}
            for el in doc.iter("meta"):
                content = el.get("content")
                if content is None:  # as '//meta[@attr="name"]/@content' skips it
                    continue
                for attr in ("property", "name", "itemprop"):
                    value = el.get(attr)
                    if value is not None:
                        found.setdefault((attr, value), content)
            current[0], current[1] = doc, found
        return current[1]

    def _meta(doc, *names):
        found = index(doc)
        for name in names:
            for attr in ("property", "name", "itemprop"):
                content = found.get((attr, name))
                if content and content.strip():
                    return content.strip()
        return None

    def extract_metadata(doc):
        try:
            return original(doc)
        finally:
            current[0] = current[1] = None

    metadata._meta = _meta
    metadata.extract_metadata = extract_metadata
    import sdcrawl.extract as extract

    extract.extract_metadata = extract_metadata
    APPLIED.append("F2")


def _f3_css_cache() -> None:
    from lxml import html as lxml_html
    from lxml.cssselect import CSSSelector

    @functools.lru_cache(maxsize=512)
    def compiled(expr: str, translator: str) -> CSSSelector:
        return CSSSelector(expr, translator=translator)

    def cssselect(self, expr, translator="html"):
        return compiled(expr, translator)(self)

    lxml_html.HtmlMixin.cssselect = cssselect
    APPLIED.append("F3")


def _f4_validate_once() -> None:
    import sdcrawl.pipelines.feed as feed
    import sdcrawl.pipelines.validate as validate
    from sdcrawl.store.feed import dumps_line
    from sdcrawl.item import public

    def digest(item) -> bytes:
        return hashlib.blake2b(dumps_line(public(item)), digest_size=16).digest()

    validate_item = validate.ValidatePipeline.process_item

    def process_item(self, item):
        item = validate_item(self, item)
        item["_validated"] = digest(item)  # private key: never in the feed
        return item

    validate.ValidatePipeline.process_item = process_item
    original_errors = feed.validation_errors
    marker: dict = {}

    feed_item = feed.FeedPipeline.process_item

    def feed_process_item(self, item):
        marker["ok"] = item.get("_validated") == digest(item)
        try:
            return feed_item(self, item)
        finally:
            marker.clear()

    def validation_errors(line):
        return [] if marker.get("ok") else original_errors(line)

    feed.validation_errors = validation_errors
    feed.FeedPipeline.process_item = feed_process_item
    APPLIED.append("F4")


FIXES = {"F1": _f1_memoize_urls, "F2": _f2_meta_index, "F3": _f3_css_cache, "F4": _f4_validate_once}


DEFAULT = ",".join(FIXES)


def apply(which: str | None = None) -> list[str]:
    """Apply the fixes named in `which` (comma-separated; default SDCRAWL_WHATIF, else all)."""
    names = (which if which is not None else os.environ.get("SDCRAWL_WHATIF") or DEFAULT).split(",")
    for name in names:
        if name.strip() and name.strip() not in APPLIED:
            FIXES[name.strip()]()
    return APPLIED


def main() -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "sdcrawl.settings")
    apply()
    from sdcrawl.cli import main as sdcrawl_main

    return sdcrawl_main(sys.argv[1:])


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
