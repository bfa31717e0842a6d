"""Downloader middlewares of sdcrawl: who we are, and what to do when a site misbehaves.

Each fault a site can throw at a nightly crawl ends in one clear outcome — retried, skipped with a
reason, or the site blocked for the night — and each outcome is in the crawl's stats, so the run
report says what happened without the log (sdcrawl.faults.outcome: `sdcrawl/fault/<kind>`,
`sdcrawl/faults`, `sdcrawl/site_error`). A request refused here reaches the spider's errback as
`Refused` (an IgnoreRequest with `.kind`). docs/reliability.md lists every scenario and its test.

One middleware per module, its decisions in public functions beside it; in the order a response
passes through them (Scrapy's own replaced where named; the priorities are in sdcrawl.settings):

  redirect.SafeRedirectMiddleware (600, for Scrapy's)     no redirect to a non-http(s) scheme or
        to a private/loopback/link-local address (addresses.py); an A→B→A loop ends; too many
        redirects are reported.
  compression.BoundedHttpCompressionMiddleware (590, for Scrapy's)   a compressed body cut short,
        or not the stream it claims to be, is refused; a bomb is refused at DOWNLOAD_MAXSIZE.
  charset.CharsetMiddleware (585)         windows-1257 bytes behind a declared (or no) utf-8
        (the decision is sdcrawl.extract.decode's, shared with `sdcrawl extract`).
  markup.MarkupRepairMiddleware (584)     a stray </html> or </body> halfway through a page.
  xml.XmlDoctypeMiddleware (583)          a DOCTYPE declaring entities in feeds and sitemaps.
  metarefresh.SafeMetaRefreshMiddleware (580, for Scrapy's)  the redirect checks for <meta refresh>.
  retry_after.RetryAfterMiddleware (550, for Scrapy's)       waits as long as Retry-After asks on
        429/503, within bounds.
  report.FaultReportMiddleware (540)      what the retries could not fix; whether the site failed.
  useragent.ContactUserAgentMiddleware (500, for Scrapy's)   the operator's contact address.
  robots.ConservativeRobotsTxtMiddleware (100, for Scrapy's)  a robots.txt that cannot be read
        means the host is not crawled tonight (Scrapy would allow everything).
"""

from sdcrawl.faults.outcome import SITE_ERROR, Refused, record_fault, set_site_error

__all__ = ["SITE_ERROR", "Refused", "record_fault", "set_site_error"]
