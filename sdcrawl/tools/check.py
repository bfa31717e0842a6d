"""`sdcrawl check SITE`: do a site's listing and selectors still work?

A short crawl of the site (its first listing page and the first N articles) with one pipeline,
`CheckPipeline`, instead of the feed's: it stores nothing and notes, for each article, which
fields came out and from which extraction layer, so an operator sees at once when a site's own
selectors stopped matching (its fields then fall back to generic extraction, or vanish).

The pipeline turns each article into its check record; the command collects the records from
Scrapy's `item_scraped` signal into a list it owns. `check_site` returns a `CheckResult`, `render`
prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sdcrawl import stats as S

FIELDS = ("title", "published", "body", "author", "category")
#: Fields that must come from the site's own selectors (or, for the date, embedded metadata).
REQUIRED = {"title": ("site",), "published": ("site", "metadata"), "body": ("site",)}


class CheckPipeline:
    """Makes each article its check record (nothing is stored); a scraped record counts towards
    CLOSESPIDER_ITEMCOUNT, which ends the check after N articles."""

    def process_item(self, item):
        return {"url": item["url"], "fields": {f: item["provenance"].get(f) for f in FIELDS if item.get(f)}}


class Collector:
    """Items a crawl scraped, collected from the `item_scraped` signal by the command."""

    def __init__(self):
        self.items: list[dict] = []

    def install(self, crawler) -> None:
        from scrapy import signals

        crawler.signals.connect(self.scraped, signal=signals.item_scraped)

    def scraped(self, item, response=None, spider=None) -> None:
        self.items.append(item)


@dataclass
class CheckResult:
    site: str
    stats: dict[str, Any]
    items: list[dict] = field(default_factory=list)

    @property
    def links(self) -> int:
        return self.stats.get(S.LISTING_LINKS, 0) + self.stats.get(S.FEED_ENTRIES, 0) + self.stats.get(S.SITEMAP_ENTRIES, 0)

    @property
    def reachable(self) -> bool:
        return not self.stats.get(S.SITE_ERROR) and bool(self.stats.get("response_received_count"))

    def field_counts(self, name: str) -> tuple[int, int]:
        """(articles with the field, articles where it came from the expected layer)."""
        layers = [i["fields"].get(name) for i in self.items]
        return sum(1 for l in layers if l), sum(1 for l in layers if l in REQUIRED.get(name, ("site",)))

    def field_ok(self, name: str) -> bool:
        if name not in REQUIRED:
            return True
        return bool(self.items) and self.field_counts(name)[1] == len(self.items)

    @property
    def ok(self) -> bool:
        return self.reachable and bool(self.links) and bool(self.items) and all(self.field_ok(f) for f in FIELDS)

    @property
    def verdict(self) -> str:
        if not self.reachable:
            return "UNREACHABLE"
        if not self.links:
            return "BROKEN: no article links in the listing"
        if not self.items:
            return "BROKEN: no article could be extracted"
        bad = [f for f in FIELDS if not self.field_ok(f)]
        return f"BROKEN: {', '.join(bad)} not from the site's selectors" if bad else "OK"


def check_sites(site_ids: list[str], *, articles: int, replay: list[str] | None = None,
                settings: dict | None = None) -> list[CheckResult]:
    """Check the sites in one process (each its own crawler, in parallel)."""
    from sdcrawl.runner import run_crawl

    collectors: dict[str, Collector] = {}

    def install(crawler) -> None:
        collector = collectors[crawler.spidercls.name] = Collector()
        collector.install(crawler)

    results = run_crawl(site_ids, data_dir=None, since="1990-01-01", page_budget=1, replay=replay,
                        settings={"ITEM_PIPELINES": {"sdcrawl.tools.check.CheckPipeline": 100},
                                  "SDCRAWL_INCREMENTAL": False, "SPIDERMON_ENABLED": False,
                                  "CLOSESPIDER_ITEMCOUNT": articles, "LOG_LEVEL": "ERROR", **(settings or {})},
                        on_crawler=install)
    return [CheckResult(s, results.get(s, {}), collectors[s].items[:articles] if s in collectors else [])
            for s in site_ids]


def check_site(site_id: str, *, articles: int, replay: list[str] | None = None,
               settings: dict | None = None) -> CheckResult:
    return check_sites([site_id], articles=articles, replay=replay, settings=settings)[0]


TABLE = f"{'site':<18}{'reachable':<10}{'links':>6}{'title':>7}{'date':>7}{'body':>7}  verdict"


def render_table(results: list[CheckResult]) -> list[str]:
    """One line per site: reachable, article links found, fields from the site's own layers, verdict."""
    lines = [TABLE]
    for r in results:
        fields = [f"{r.field_counts(f)[1]}/{len(r.items)}" for f in ("title", "published", "body")]
        lines.append(f"{r.site[:17]:<18}{'yes' if r.reachable else 'no':<10}{r.links:>6}{fields[0]:>7}{fields[1]:>7}"
                     f"{fields[2]:>7}  {r.verdict}")
    ok = sum(1 for r in results if r.ok)
    lines.append(f"{ok} of {len(results)} site(s) OK")
    return lines


def record_verified(results: list[CheckResult], when: str) -> list[str]:
    """Write `verified = <date>` into the registry entry of every site that passed (a check
    against the live site); returns their ids."""
    import re

    from sdcrawl.registry import get_site

    done = []
    for r in results:
        if not r.ok:
            continue
        path = get_site(r.site).path
        if path is None:
            continue
        text = path.read_text(encoding="utf-8")
        line = f"verified = {when}"
        new = re.sub(r"(?m)^verified\s*=.*$", line, text) if re.search(r"(?m)^verified\s*=", text) else text.rstrip("\n") + f"\n{line}\n"
        if new != text:
            path.write_text(new, encoding="utf-8")
            done.append(r.site)
    return done


def render(result: CheckResult) -> list[str]:
    lines = [f"{result.site}: {len(result.items)} article(s) checked"]
    if not result.reachable:
        lines.append(f"  BAD reachable  {result.stats.get(S.SITE_ERROR) or 'nothing could be fetched'}")
    mark = "ok " if result.links else "BAD"
    lines.append(f"  {mark} listing    {result.stats.get(S.LISTING_PAGES, 0)} listing page(s), "
                 f"{result.links} article link(s) found")
    for name in FIELDS:
        found, expected = result.field_counts(name)
        mark = "ok " if result.field_ok(name) else "BAD"
        lines.append(f"  {mark} {name:<10} {found}/{len(result.items)} found, {expected} by the site's selectors or metadata")
    if not result.ok:
        lines.append(f"{result.site}: CHANGED? the listing or the selectors no longer match; see the lines marked BAD")
    return lines
