"""`scrapy crawl SITE`: Scrapy's own command, with an exit status that says whether the site was
crawled (1 when it failed: not reachable, robots.txt unreadable, listing gone, ended early), as
`sdcrawl crawl` says it."""

from scrapy.commands.crawl import Command as ScrapyCrawl

from sdcrawl import stats as S


class Command(ScrapyCrawl):
    def run(self, args, opts):
        super().run(args, opts)
        crawlers = list(getattr(self.crawler_process, "crawlers", ()))
        for crawler in crawlers:
            final = crawler.stats.get_stats() if crawler.stats else {}
            if S.site_status(final) == "failed":
                self.exitcode = 1
