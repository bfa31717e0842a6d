"""jsnovads without a browser: read the JSON endpoint that the site's own script reads.

The listing at /lv/jaunumi is an empty <ul> that /static/jaunumi.js fills from /api/news?page=N
("Rādīt vairāk" loads the next page). The endpoint answers

    {"page": 1, "items": [{"title": "...", "url": "/lv/jaunumi/...", "date": "2024-05-14"}, ...],
     "next": "/api/news?page=2"}

so this spider asks it directly: no Chromium, one small request per listing page, and the same
article pages, extracted as for any other site. The registry entry then needs no
`javascript = true` (docs/javascript-sites.md). In a real deployment this file would be
sdcrawl/spiders/<site id>.py.
"""

from __future__ import annotations

from urllib.parse import urljoin

import scrapy

from sdcrawl.extract.dates import parse_date
from sdcrawl.spiders.news import NewsSpider


class JsnovadsSpider(NewsSpider):
    name = "jsnovads"
    #: The endpoint the listing's script reads, relative to the site's home page.
    news_api = "/api/news?page=1"

    async def start(self):
        url = urljoin(self.site.home, self.news_api)
        yield scrapy.Request(url, callback=self.parse_api, errback=self.listing_failed, cb_kwargs={"page": 1})

    def parse_api(self, response, page: int = 1):
        """One page of the endpoint: its articles newest first, then the next page."""
        data = response.json()
        entries = data.get("items") or []
        self.crawler.stats.inc_value("sdcrawl/listing_pages")
        self.crawler.stats.inc_value("sdcrawl/listing_links", len(entries))
        dates = []
        for entry in entries:
            url = response.urljoin(entry["url"])
            published = parse_date(entry.get("date") or "")
            if published:
                dates.append(published)
            if published and self.since and published < self.since:
                continue
            if self.is_article_url(url):
                yield from self.follow_article(url)
        if not data.get("next") or (dates and self.since and all(d < self.since for d in dates)):
            return
        if page >= self.page_budget:
            self.crawler.stats.inc_value("sdcrawl/page_budget_reached")
            return
        yield scrapy.Request(response.urljoin(data["next"]), callback=self.parse_api, errback=self.listing_failed,
                             cb_kwargs={"page": page + 1})
