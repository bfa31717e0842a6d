"""The baseline: a bare Scrapy spider that follows the same links as sdcrawl's stopini spider
(the listing's article links, then the next listing page) and stores nothing.

    python bench/bare.py http://127.0.0.1:PORT/lv/jaunumi/socialie-pakalpojumi [-s NAME=VALUE ...]

Plain Scrapy: no sdcrawl code, no item pipelines, no extraction. It prints the crawl's final
stats as one JSON line on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

# Scrapy's defaults but for these; bench/run.py passes sdcrawl's own concurrency, robots.txt and
# cookie settings (-s), and politeness off, so that both crawlers run alike.
SETTINGS = {
    "ROBOTSTXT_OBEY": True,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    "CLOSESPIDER_TIMEOUT": 900,  # bounded: the crawl stops by itself
}


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.allowed_domains = [urlsplit(start).hostname]

    def parse(self, response):
        for href in response.css(".news-list .news-item h2 a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article)
        next_page = response.css(".pagination a.next::attr(href)").get()
        if next_page:
            yield response.follow(next_page, callback=self.parse)

    def parse_article(self, response):
        return None  # stores nothing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("start")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    if urlsplit(args.start).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the benchmark crawls loopback only")
    settings = {**SETTINGS, **dict(s.split("=", 1) for s in args.set)}
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start=args.start)
    process.start()
    print(json.dumps(crawler.stats.get_stats(), default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
