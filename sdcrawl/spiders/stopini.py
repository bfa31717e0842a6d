from sdcrawl.extract import Selectors
from sdcrawl.spiders.news import NewsSpider


class StopiniSpider(NewsSpider):
    """stopini.lv: its own CMS; date 'dd/mm/yyyy' under the title, '?page=N' listings."""

    name = "stopini"
    listing_links = ".news-list .news-item h2 a"
    listing_entries = ".news-list .news-item"
    listing_date = ".date"
    next_page = ".pagination a.next"
    selectors = Selectors(title="h1.news-title", date=".news-date", body=".news-text", remove=(".share",))
