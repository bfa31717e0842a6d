"""Per-site checks run by spidermon when each site's crawl closes.

A failed check becomes an alert: one line in the stats (`sdcrawl/alerts`), which the nightly
run report prints per site and which makes `sdcrawl nightly` exit non-zero.

- the crawl finished normally (spidermon's FinishReasonMonitor, SPIDERMON_EXPECTED_FINISH_REASONS)
- no errors were logged by this site's crawl (SPIDERMON_MAX_ERRORS; counted per site by
  sdcrawl.extensions.SiteLogCounter, since Scrapy's log_count/ERROR counts the whole process)
- the site could be crawled at all (no `sdcrawl/site_error`: robots.txt 5xx, listing unreachable, ...)
- the listing (or feed, or sitemap) led to articles: a site whose listing yields no article link
  has probably changed its listing markup; the alert says how many new articles the site gave in
  its recent runs (history from the crawl state)
- field coverage: of the article pages extracted in this run, enough have a title, a date and a
  body (SDCRAWL_MIN_FIELD_COVERAGE, over at least SDCRAWL_COVERAGE_MIN_PAGES pages): a template
  change that empties a field shows here
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import BaseStatMonitor, FinishReasonMonitor
from spidermon.core.actions import Action

from sdcrawl.stats import ALERTS, COVERED_FIELDS, EXTRACTED, LOG_ERROR, SITE_ERROR, extracted_field
from sdcrawl.store.paths import state_path
from sdcrawl.store.access import open_state

# spidermon 1.27 logs through the deprecated Spider.log(); its messages are fine, the warning is noise
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", category=ScrapyDeprecationWarning)


@monitors.name("sdcrawl site checks")
class SiteMonitor(Monitor):
    @property
    def stats(self) -> dict:
        return self.data.stats

    @monitors.name("the site could be crawled")
    def test_no_site_error(self):
        error = self.stats.get(SITE_ERROR)
        if error:
            self.fail(f"site not crawled: {error}")

    @monitors.name("the listing leads to articles")
    def test_articles_found(self):
        if self.stats.get(SITE_ERROR):
            self.skipTest("the site was not crawled")
        seen = sum(self.stats.get(k, 0) for k in ("sdcrawl/listing_links", "sdcrawl/feed_entries", "sdcrawl/sitemap_entries"))
        if seen:
            return
        history = self._history()
        recent = sum(h["new_items"] for h in history)
        context = (f"it gave {recent} new article(s) in its last {len(history)} run(s)" if history
                   else "no earlier runs to compare with")
        self.fail(f"found no article links at all: the listing or its markup probably changed ({context})")

    @monitors.name("title, date and body come out")
    def test_field_coverage(self):
        settings = self.data.crawler.settings
        pages = self.stats.get(EXTRACTED, 0)
        if pages < settings.getint("SDCRAWL_COVERAGE_MIN_PAGES", 3):
            self.skipTest(f"only {pages} article page(s) extracted")
        minimum = settings.getfloat("SDCRAWL_MIN_FIELD_COVERAGE", 0.75)
        low = []
        for field in COVERED_FIELDS:
            share = self.stats.get(extracted_field(field), 0) / pages
            if share < minimum:
                low.append(f"{field} {share:.0%}")
        self.assertFalse(low, msg=f"field coverage below {minimum:.0%} over {pages} pages: {', '.join(low)} (the article template probably changed)")

    def _history(self) -> list[dict]:
        settings = self.data.crawler.settings
        if not settings.get("SDCRAWL_STATE_URL") and not state_path(settings).exists():
            return []
        store = open_state(settings)  # the same state the crawl used: SQLite, or PostgreSQL in queue mode
        try:
            return store.site_history(self.data.spider.name, limit=5)
        finally:
            store.close()


@monitors.name("errors logged")
class SiteErrorCountMonitor(BaseStatMonitor):
    """No errors were logged by this site's crawl."""

    stat_name = "sdcrawl/log/ERROR"
    threshold_setting = "SPIDERMON_MAX_ERRORS"
    assert_type = "<="
    fail_if_stat_missing = False


ENDINGS = {
    "closespider_timeout": "it took longer than the time a site may take (CLOSESPIDER_TIMEOUT)",
    "shutdown": "the run was stopped (a signal, or the process was told to end)",
    "cancelled": "the crawl was cancelled",
}


def ended_early(reason: str | None) -> str:
    """A person's sentence for a crawl that did not finish normally."""
    if not reason:
        return "the crawl ended early"
    return f"the crawl ended early: {ENDINGS.get(reason, reason.replace('_', ' '))}"


class RecordAlerts(Action):
    """Puts one line per failed check into the stats (`sdcrawl/alerts`) for the run report."""

    def run_action(self):
        alerts = []
        stats = self.data.crawler.stats
        for result in self.result.monitors_failed_results:
            if isinstance(result.monitor, SiteErrorCountMonitor):
                alerts.append(f"{stats.get_value(LOG_ERROR, 0)} error(s) logged by this site's crawl")
                continue
            if isinstance(result.monitor, FinishReasonMonitor):
                if stats.get_value(SITE_ERROR):
                    continue  # the site error says why, in its own words
                reason = stats.get_value("finish_reason")
                alerts.append(ended_early(reason))
                continue
            reason = (result.reason or result.error or "").strip().splitlines()
            alerts.append(reason[-1] if reason else f"{result.monitor.monitor_name} failed")
        self.data.crawler.stats.set_value(ALERTS, alerts)


class SiteMonitorSuite(MonitorSuite):
    monitors = [FinishReasonMonitor, SiteErrorCountMonitor, SiteMonitor]
    monitors_failed_actions = [RecordAlerts]
