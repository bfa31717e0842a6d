"""Where a site's news is: feeds, sitemaps and listing pages, found from one page.

Pure functions of (HTML or XML, URL); the generic spider (sdcrawl/spiders/generic.py) fetches
the pages and calls them, `sdcrawl new-site` turns their findings into a spider. Reading feeds
and sitemaps, and the same-site and not-a-page rules, are `sdcrawl.sources`, shared with the
spiders.

- `entrances`: feeds a page announces (`feed_links`) or that answer at the usual addresses
  (`well_known_feeds`); the article-shaped part of a sitemap (`sitemap_articles`: URLs grouped
  by shape, the group whose path names news wins, then the largest); a home page's links to its
  news section (`news_section_links`).
- `listing`: a page's list of articles (`find_listing`, `link_groups`, `group_on_page`), its links
  grouped by URL shape (`shapes`) and by their place in the page (`markup`).
- `css`: CSS selectors for a spider, synthesised from what was found.
- `pagination`: the link to the next (older) page of a listing (`next_page`).
- `findings`: `Discovery`, what was found on a site and how (the generic spider fills it in).
- `platform`: WordPress, the unified government platform (or a Drupal site), Joomla, else custom,
  with the evidence (`guess_platform`), and the site's name (`site_name`).

The names below are the package's API (`from sdcrawl import discover; discover.find_listing(...)`).
"""

from sdcrawl.discover.css import css_candidates, listing_css, select
from sdcrawl.discover.entrances import (
    WELL_KNOWN_FEEDS, WELL_KNOWN_SITEMAPS, feed_links, news_section_links, rank_child_sitemaps, sitemap_articles,
    well_known_feeds,
)
from sdcrawl.discover.findings import Discovery
from sdcrawl.discover.listing import LinkGroup, find_listing, group_on_page, link_groups
from sdcrawl.discover.markup import in_chrome
from sdcrawl.discover.pagination import NextPage, next_page
from sdcrawl.discover.platform import Platform, guess_platform, site_name
from sdcrawl.discover.shapes import is_article_shape, shape_regex, url_shape

__all__ = [
    "WELL_KNOWN_FEEDS", "WELL_KNOWN_SITEMAPS", "Discovery", "LinkGroup", "NextPage", "Platform", "css_candidates", "feed_links",
    "find_listing", "group_on_page", "guess_platform", "in_chrome", "is_article_shape", "link_groups", "listing_css",
    "news_section_links", "next_page", "rank_child_sitemaps", "select", "shape_regex", "site_name", "sitemap_articles",
    "url_shape", "well_known_feeds",
]
