"""Drops articles that the classification found irrelevant (not about a social-service training
or project): `sdcrawl/dropped/irrelevant`, page recorded as rejected ("irrelevant")."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem

from sdcrawl.pipelines.base import StatePipeline
from sdcrawl.item import page_keys

__all__ = ["RelevancePipeline"]

logger = logging.getLogger(__name__)


class RelevancePipeline(StatePipeline):
    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        classification = item.get("classification") or {}
        if classification.get("relevant") is True:
            return item
        url = item.get("url")
        reasons = classification.get("reasons") or []
        logger.debug("Irrelevant %s: %s", url, "; ".join(reasons) or "no reasons given")
        self.crawler.stats.inc_value("sdcrawl/dropped/irrelevant")
        if self.state is not None and isinstance(item.get("site"), str):
            for key in page_keys(item):
                self.state.record_rejected(key, item["site"], "irrelevant")
        raise DropItem(f"irrelevant: {url}", log_level="DEBUG")
