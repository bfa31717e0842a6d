"""What a crawl learns, sent by the spiders to the components that own what it changes.

Spiders navigate and never write the state; they send these signals (through
`crawler.signals.send_catch_log(signal, spider=spider, ...)`), and the owners record them.

    listing_walked(spider, start, first_page)
        this run walked the listing that begins at `start` from its first page to its end;
        `first_page` holds the article URLs of that first page, newest first.
        `sdcrawl.store.crawlstate.CrawlStateExtension` records them as the listing's boundary,
        only when the run finishes normally.
    article_failed(spider, url, reason)
        an article page could not be fetched; `CrawlStateExtension` records it, and the next
        runs request it again.
    article_extracted(spider, item, response)
        an article page was extracted, just before its item goes to the pipelines (for tools
        such as `sdcrawl try`, which note every page, also those the pipelines drop).
    discovery_finished(spider, discovery, listing_html)
        the generic spider (`sdcrawl.spiders.generic`) closes: what it found (a
        `Discovery`), and the HTML of the listing page it chose (None when there was none).
"""

listing_walked = object()
article_failed = object()
article_extracted = object()
discovery_finished = object()
