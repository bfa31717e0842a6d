"""`scrapy crawl SITE`: Scrapy's own command, with an exit status that says whether the site was
crawled (1 when it failed: not reachable, robots.txt unreadable, listing gone, ended early), as
`sdcrawl crawl` says it."""

from scrapy.commands.crawl import Command as ScrapyCrawl

from sdcrawl import stats as S


class Command(ScrapyCrawl):
    def _create_crawler(self, spname):
        crawler = super()._create_crawler(spname)
        self._sdcrawl_crawler = crawler  # the process forgets its crawlers when they finish
        return crawler

    def run(self, args, opts):
        super().run(args, opts)
        crawler = getattr(self, "_sdcrawl_crawler", None)
        if crawler is not None and crawler.stats is not None and S.site_status(crawler.stats.get_stats()) == "failed":
            self.exitcode = 1
