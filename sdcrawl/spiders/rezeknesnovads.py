from dataclasses import replace

from sdcrawl.spiders.base import WordPressSpider


class RezeknesnovadsSpider(WordPressSpider):
    """rezeknesnovads.lv: a WordPress theme that prints the date and category under the title."""

    name = "rezeknesnovads"
    listing_date = ".post-date"
    selectors = replace(WordPressSpider.selectors, date=".single-post .post-date", category=".single-post .post-category")
