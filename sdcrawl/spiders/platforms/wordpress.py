"""WordPress sites (socd.lv, rezeknesnovads.lv, ...)."""

from urllib.parse import urlsplit

from sdcrawl.extract import Selectors
from sdcrawl.spiders.news import NewsSpider


class WordPressSpider(NewsSpider):
    """WordPress sites: /category/<name>/ listings with /page/N/, posts in .entry-content."""

    listing_links = "article .entry-title a, h2.entry-title a"
    listing_entries = "article"
    listing_date = "time.entry-date"
    next_page = ".nav-links a.next, .nav-previous a, a.next.page-numbers, link[rel=next]"
    selectors = Selectors(
        title="h1.entry-title",
        date="article time.entry-date",
        body=".entry-content",
        remove=(".sharedaddy", ".jp-relatedposts", ".more-link", ".wp-block-buttons", ".tts-widget", "script", "style"),
        category="article .cat-links a",
    )

    def is_article_in_sitemap(self, url: str) -> bool:
        path = urlsplit(url).path
        return "/category/" not in path and "/tag/" not in path and "/author/" not in path
