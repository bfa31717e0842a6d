"""The unified government site platform (lm.gov.lv, bauskasnovads.lv, valka.lv, ...)."""

from sdcrawl.extract import Selectors
from sdcrawl.spiders.news import NewsSpider


class UnifiedPlatformSpider(NewsSpider):
    """The unified government site platform (lm.gov.lv, bauskasnovads.lv, valka.lv, ...):
    /lv/jaunumi listings with ?page=N, articles /lv/jaunums/<slug> whose date is in the markup."""

    listing_links = ".views-row .news-title a, .view-content article h3 a"
    listing_entries = ".views-row"
    listing_date = "time"
    next_page = "li.pager__item--next a, a[rel=next]"
    selectors = Selectors(
        title="h1.page-title",
        date="article .node__meta time, .article-date time",
        body="article .field--name-body, article .text-formatted",
        remove=(".share-buttons", ".social-share", "script", "style"),
        category="article .field--name-field-tags a, .article-tags a",
    )

    def is_article_in_sitemap(self, url: str) -> bool:
        return "/jaunums/" in url or "/projekts/" in url
