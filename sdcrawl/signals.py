"""What a crawl learns, sent by the spiders to the component that owns the crawl state.

Spiders navigate and never write the state; they send these signals (through
`crawler.signals.send_catch_log`), and `sdcrawl.store.crawlstate.CrawlStateExtension` records them.

    listing_walked(spider, start)          this run walked the listing that begins at `start` to its end
                                           (recorded only when the run finishes normally)
    article_failed(spider, url, reason)    an article page could not be fetched; tried again next run
"""

listing_walked = object()
article_failed = object()
