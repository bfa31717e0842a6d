"""Joomla sites (iecava.lv, the old tukums.lv)."""

from sdcrawl.extract import Selectors
from sdcrawl.spiders.news import NewsSpider


class JoomlaSpider(NewsSpider):
    """Joomla-style sites: /lv/zinas/<category>/<id>-<slug>, blog listings with ?start=N. A date
    line such as iecava's 'dd.mm.yyyy N' (N a hit counter) is read by the date parser."""

    listing_links = ".blog .items-leading > div h2 a, .blog .item h2 a, .items-row h2 a, .blog .page-header a"
    listing_entries = ".blog .items-leading > div, .blog .item, .items-row"
    listing_date = ".published, .create"
    next_page = ".pagination-next a, .pagination a[title='Nākamā'], a[rel=next]"
    selectors = Selectors(
        title=".item-page h2, .item-page h1",
        date=".item-page .published, .item-page .create",
        body=".item-page [itemprop=articleBody], .item-page .article-body",
        remove=(".social-follow", ".twitter-widget", ".pagenav", "script", "style"),
        author=".item-page .createdby",
    )
