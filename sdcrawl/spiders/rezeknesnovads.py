from dataclasses import replace

from sdcrawl.spiders.platforms import WordPressSpider


class RezeknesnovadsSpider(WordPressSpider):
    """rezeknesnovads.lv: a WordPress theme that prints the date and category under the title."""

    name = "rezeknesnovads"
    listing_date = ".post-date"  # WordPress also puts "single-post" on <body>: hence div.single-post below
    selectors = replace(WordPressSpider.selectors, date="div.single-post .post-date", category="div.single-post .post-category")
