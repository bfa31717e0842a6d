"""What `sdcrawl try URL` shows: every article page the generic spider extracted, and a summary
an operator judges at a glance.

`TryRun` belongs to the command (`sdcrawl try`, `sdcrawl new-site`), which attaches it to the
crawler before the crawl starts. It hears the crawl's signals: each extracted page
(`article_extracted`: title, date, body length, where each field came from, relevance), why a
page did not reach the feed (`item_dropped`), what discovery found (`discovery_finished`), and
keeps the HTML of the first few pages for `new-site`. The command then writes
`<data dir>/pages.jsonl` (`write_pages`) and the summary; `render_summary` and `verdict` are pure
functions of what was recorded.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import signals as scrapy_signals

from sdcrawl import signals

COVERAGE = 0.9          # of pages with a title, a date and a body, below which a spider is needed
SHORT_BODY = 300        # characters: a median body shorter than this is a teaser or cut text
SAMPLES = 5


class TryRun:
    """What one crawl of the generic spider found, for the command that started it."""

    def __init__(self, samples: int = 0) -> None:
        self.pages: list[dict[str, Any]] = []
        self._by_url: dict[str, dict] = {}
        self.discovery: dict | None = None      # Discovery.to_dict(), once the spider closed
        self.listing_html: str | None = None    # the listing page discovery chose
        self.keep_samples = samples
        self.samples: list[tuple[str, str, dict]] = []  # (url, html, item) of the first pages

    def attach(self, crawler) -> None:
        """Listen to this crawler (call before the crawl starts)."""
        crawler.signals.connect(self.article_extracted, signal=signals.article_extracted)
        crawler.signals.connect(self.item_dropped, signal=scrapy_signals.item_dropped)
        crawler.signals.connect(self.item_scraped, signal=scrapy_signals.item_scraped)
        crawler.signals.connect(self.discovery_finished, signal=signals.discovery_finished)

    def article_extracted(self, spider, item: dict, response) -> None:
        if item["url"] not in self._by_url:  # one article under two addresses: one page
            page = page_record(item)
            self.pages.append(page)
            self._by_url[item["url"]] = page
        if len(self.samples) < self.keep_samples:
            self.samples.append((response.url, response.text, dict(item)))

    def _classified(self, item: dict) -> dict | None:
        """The page of an item the pipelines had in hand, with the classification stage's verdict
        (classification is a pipeline stage: extraction alone does not decide relevance)."""
        page = self._by_url.get(item.get("url"))
        if page is not None and isinstance(item.get("classification"), dict):
            page["relevant"] = bool(item["classification"].get("relevant"))
            page["topics"] = list(item.get("topics") or [])
        return page

    def item_scraped(self, item, response=None, spider=None) -> None:
        self._classified(item)

    def item_dropped(self, item, response, exception, spider=None) -> None:
        page = self._classified(item)
        if page is not None and page["in_feed"] and "duplicate" not in str(exception):
            page["in_feed"] = False
            page["why_not"] = str(exception)

    def discovery_finished(self, spider, discovery, listing_html: str | None) -> None:
        self.discovery = discovery.to_dict()
        self.listing_html = listing_html


def write_pages(path: Path, pages: list[dict]) -> None:
    """pages.jsonl: one line per extracted page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for page in pages:
            out.write(json.dumps(page, ensure_ascii=False) + "\n")


def page_record(item: dict) -> dict:
    body = item.get("body") or ""
    classification = item.get("classification") or {}
    return {
        "url": item.get("url"),
        "title": item.get("title"),
        "published": item.get("published"),
        "body_chars": len(body),
        "provenance": dict(item.get("provenance") or {}),
        "date_from": item.get("_date_from"),
        "relevant": bool(classification.get("relevant")),
        "topics": list(item.get("topics") or []),
        "in_feed": True,
        "why_not": None,
    }


def verdict(pages: list[dict], discovery: dict) -> tuple[str, list[str]]:
    """('NEEDED' | 'ADVISED' | 'NOT NEEDED', reasons): does the site want a dedicated spider?"""
    n = len(pages)
    if not n:
        why = discovery.get("error") or ("no feed, listing or sitemap found" if discovery.get("method") == "nothing"
                                         else "the feed, listing or sitemap led to no article page")
        return "NEEDED", [f"no article was extracted: {why}"]
    needed, advised = [], []
    for field, label in (("title", "titles"), ("published", "dates"), ("body", "bodies")):
        have = sum(1 for p in pages if (p["body_chars"] if field == "body" else p.get(field)))
        if have < COVERAGE * n:
            needed.append(f"{label} missing on {n - have} of {n} pages")
    bodies = [p["body_chars"] for p in pages if p["body_chars"]]
    if bodies and statistics.median(bodies) < SHORT_BODY:
        needed.append(f"bodies are short (median {int(statistics.median(bodies))} characters): a teaser, or the text is cut")
    dates = Counter(p["published"] for p in pages if p.get("published"))
    if n >= 3 and dates and dates.most_common(1)[0][1] > n / 2:
        day, count = dates.most_common(1)[0]
        needed.append(f"{count} of {n} pages have the same date {day}: probably a date of the page's chrome "
                      "(a sidebar, a header showing today), not the articles'")
    borrowed = sum(1 for p in pages if p.get("date_from") in ("listing", "feed"))
    if borrowed:
        advised.append(f"{borrowed} date(s) come from the listing or feed, not from the article page")
    page_end = sum(1 for p in pages if p.get("date_from") == "page end")
    if page_end:
        advised.append(f"{page_end} date(s) are read from the line closing the article (a guess a selector should replace)")
    layers = {p["provenance"].get(f) for p in pages for f in ("title", "published", "body") if p["provenance"].get(f)}
    if layers and layers <= {"generic", "url"}:
        advised.append("every field comes from generic extraction: the site's own selectors make it robust")
    listing = discovery.get("listing")
    if listing and not listing.get("dated") and not discovery.get("feeds"):
        advised.append("the listing shows no dates: pagination cannot stop at `since`")
    if needed:
        return "NEEDED", needed + advised
    if advised:
        return "ADVISED", advised
    return "NOT NEEDED", ["titles, dates and bodies come from the pages' own metadata: a spider of a few lines (sdcrawl new-site) should do"]


def _found_lines(d: dict) -> list[str]:
    lines = []
    for feed in d.get("feeds") or []:
        lines.append(f"  feed     {feed['url']}  ({feed['entries']} entries, {feed['on_site']} on this site)")
    listing = d.get("listing")
    if listing:
        pages = len(listing.get("pages") or []) or 1
        how = listing.get("next_how") or "none found"
        lines.append(f"  listing  {listing['url']}")
        lines.append(f"           {listing['links']} article links like {listing['shape']} on the first page, "
                     f"{listing['dated']} showing a date; {pages} page(s) walked; pagination: {how}")
    if d.get("sitemap_shape") and not d.get("feeds") and not listing:
        for sm in d.get("sitemaps") or []:
            lines.append(f"  sitemap  {sm['url']}  ({sm['entries']} entries)")
        lines.append(f"           {d.get('sitemap_articles', 0)} article pages like {d['sitemap_shape']}")
    if not lines:
        lines.append(f"  nothing: {d.get('error') or 'no feed, no list of articles, no sitemap'}")
    return lines


def render_summary(discovery: dict, pages: list[dict], stats: dict, data_dir: str) -> str:
    """The end of `sdcrawl try`: how the news was found, what came out, and whether to write a spider."""
    d = discovery
    out = [f"sdcrawl try {d['start_url']}"]
    out.append(f"Found the news by: {d.get('method', 'nothing')}")
    out.extend(_found_lines(d))
    evidence = ", ".join(d.get("platform_evidence") or []) or "no markers"
    out.append(f"  platform: {d.get('platform', 'custom')} ({evidence})")
    n = len(pages)
    has = {f: sum(1 for p in pages if p.get(f)) for f in ("title", "published")}
    has["body"] = sum(1 for p in pages if p["body_chars"])
    bodies = sorted(p["body_chars"] for p in pages if p["body_chars"])
    median = f" (median {int(statistics.median(bodies))} characters)" if bodies else ""
    relevant = sum(1 for p in pages if p["relevant"])
    written = stats.get("sdcrawl/feed/written", 0)
    out.append(f"Articles: {n} extracted")
    if n:
        out.append(f"  with a title {has['title']}/{n}, a date {has['published']}/{n}, a body {has['body']}/{n}{median}")
        out.append(f"  relevant (social-service trainings or projects): {relevant}/{n}; written to the feed: {written}")
        sources = {}
        for p in pages:
            for f in ("title", "published", "body"):
                layer = p["provenance"].get(f)
                if layer:
                    key = f"{f} {layer}" + (f" ({p['date_from']})" if f == "published" and p.get("date_from") not in (None, "page") else "")
                    sources[key] = sources.get(key, 0) + 1
        out.append("  fields from: " + ", ".join(f"{k} {v}" for k, v in sorted(sources.items())))
        out.append("Newest:")
        newest = sorted(pages, key=lambda p: p.get("published") or "", reverse=True)[:SAMPLES]
        for p in newest:
            mark = "relevant" if p["relevant"] else "not relevant"
            out.append(f"  {p.get('published') or '(no date)':<10}  {(p.get('title') or '(no title)')[:78]}  [{mark}]")
    level, reasons = verdict(pages, d)
    out.append(f"Dedicated spider: {level}")
    out.extend(f"  - {r}" for r in reasons)
    if d.get("feeds") and not d.get("listing"):
        out.append("  note: a feed holds only its newest entries; for the archive the spider needs a listing")
    out.append(f"Feed, pages.jsonl (every page extracted) and discovery.json: {data_dir}/")
    if n:
        start = (d.get("listing") or {}).get("url") or d.get("final_url") or d["start_url"]
        out.append(f'Next: sdcrawl new-site {suggest_id(start)} --url "{start}" --name "<municipality>"')
    return "\n".join(out)


def suggest_id(url: str) -> str:
    """A registry id from a site's host: www.kekava.lv -> kekava, socialais.kuldigasnovads.lv ->
    socialais_kuldigasnovads."""
    import re
    from urllib.parse import urlsplit

    labels = [l for l in (urlsplit(url).hostname or "").lower().split(".") if l != "www"][:-1] or ["site"]
    ident = re.sub(r"[^a-z0-9]+", "_", "_".join(labels)).strip("_") or "site"
    return ident if ident[0].isalpha() else "site_" + ident


def write_discovery(path: Path, discovery: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(discovery, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
