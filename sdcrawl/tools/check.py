"""CheckPipeline: used by `sdcrawl check` instead of the feed pipelines.

It stores nothing; it records, for the first articles a crawl extracts, which fields came out
and from which layer, so an operator sees at once when a site's own selectors stopped matching
(its fields then fall back to generic extraction, or vanish).
"""

from __future__ import annotations

from scrapy.exceptions import DropItem

FIELDS = ("title", "published", "body", "author", "category")


class CheckPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.items: list[dict] = []

    @classmethod
    def from_crawler(cls, crawler):
        pipe = cls(crawler)
        crawler.sdcrawl_check = pipe  # read back by sdcrawl.cli after the crawl
        return pipe

    def process_item(self, item):
        self.items.append({"url": item["url"], "fields": {f: item["provenance"].get(f) for f in FIELDS if item.get(f)}})
        raise DropItem("check run: nothing is stored")
