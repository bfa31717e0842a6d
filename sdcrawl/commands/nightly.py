"""`scrapy nightly`: the nightly run through Scrapy's command line (same as `sdcrawl nightly`)."""

from scrapy.commands import ScrapyCommand

from sdcrawl.cli import main


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self):
        return "[options] [SITE_ID ...]"

    def short_desc(self):
        return "Run every registry site (or the given ones): only what is new, with a run report"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--data-dir", default=None, help="feed, state and runs/ (default ./data)")

    def run(self, args, opts):
        argv = ["nightly", *args] + (["--data-dir", opts.data_dir] if opts.data_dir else [])
        self.exitcode = main(argv)
