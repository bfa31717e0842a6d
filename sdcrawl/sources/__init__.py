"""Where articles are listed, read the same way by the spiders and by discovery.

- `sdcrawl.sources.urls`: the same-site rule (a host with or without `www.`), the file types
  that are never article pages (`NOT_PAGES`), a site's root.
- `sdcrawl.sources.feeds`: the entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, with their dates.
- `sdcrawl.sources.sitemaps`: the entries of a sitemap or sitemap index, and a robots.txt's
  `Sitemap:` lines.

Pure functions of (body, URL): no fetching, no state. XML is read by parsel and Scrapy's sitemap
reader, neither of which expands entities.
"""
