"""Drops articles that the classification found irrelevant (not about a social-service training
or project): `sdcrawl/dropped/irrelevant`; the store stage records the page as rejected."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sdcrawl.pipelines.base import Rejected
from sdcrawl.stats import dropped

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["RelevancePipeline"]

logger = logging.getLogger(__name__)


class RelevancePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        classification = item.get("classification") or {}
        if classification.get("relevant") is True:
            return item
        url = item.get("url")
        reasons = classification.get("reasons") or []
        logger.debug("Irrelevant %s: %s", url, "; ".join(reasons) or "no reasons given")
        self.crawler.stats.inc_value(dropped("irrelevant"))
        raise Rejected("irrelevant", url, reasons[-1] if reasons else "")
