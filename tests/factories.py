"""Test data: `make_item(**overrides)` builds a valid feed item (a plain dict).

    make_item()                                   # valid, relevant
    make_item(title="Cits", url="https://...")    # overrides; `id` follows `url` and `site`
    make_item(published=None)                     # None removes a field
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler

import sdcrawl.settings as project_settings
from sdcrawl.urls import article_id

_BASE: dict[str, Any] = {
    "schema_version": "1.0",
    "site": "ogre",
    "url": "https://www.ogre.lv/lv/jaunumi/socialo-darbinieku-apmacibas",
    "municipality": "Ogres novads",
    "title": "Sociālo darbinieku apmācības",
    "published": "2024-03-15",
    "body": "Ogres novada Sociālais dienests aicina uz apmācībām.\n\nApmācības notiks 2024. gada aprīlī.",
    "topics": ["training"],
    "programmes": ["ESF+"],
    "project_ids": [],
    "language": "lv",
    "scraped_at": "2024-03-16T08:00:00+00:00",
    "provenance": {"title": "site", "published": "metadata", "body": "generic"},
    "classification": {
        "relevant": True,
        "social": True,
        "reasons": ["training: 'apmācībām' (body)"],
        "evidence": {"training": ["apmācībām"], "social": ["Sociālais dienests"]},
    },
}


def make_item(**overrides: Any) -> dict[str, Any]:
    """A valid item with `overrides` applied; an override of None removes the field. Unless `id`
    is given, it is computed from the final `site` and `url`."""
    item = copy.deepcopy(_BASE)
    item.update(copy.deepcopy(overrides))
    for key in [k for k, v in item.items() if v is None]:
        del item[key]
    if "id" not in overrides and isinstance(item.get("site"), str) and isinstance(item.get("url"), str):
        item["id"] = article_id(item["site"], item["url"])
    return item


class PipelineRun:
    """One "run" of the project's ITEM_PIPELINES without a crawl: a real Crawler (data dir
    `data_dir`), the pipelines built and driven by Scrapy's own ItemPipelineManager.

        with PipelineRun(tmp_path) as run:
            run.process(make_item())      # the item, or None when a pipeline dropped it
        run.stats["sdcrawl/feed/written"]
    """

    def __init__(self, data_dir: Any, **settings: Any) -> None:
        self.crawler = get_crawler(
            settings_dict={
                "ITEM_PIPELINES": project_settings.ITEM_PIPELINES,
                "SDCRAWL_DATA_DIR": str(data_dir),
                **settings,
            }
        )
        self.manager = ItemPipelineManager.from_crawler(self.crawler)
        self.dropped: list[str] = []  # DropItem messages, in order

    def __enter__(self) -> PipelineRun:
        self.open()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def open(self) -> None:
        asyncio.run(self.manager.open_spider_async())

    def close(self) -> None:
        asyncio.run(self.manager.close_spider_async())

    def process(self, item: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return asyncio.run(self.manager.process_item_async(item))
        except DropItem as exc:
            self.dropped.append(str(exc))
            # as Scrapy's scraper does: every component hears of the drop
            self.crawler.signals.send_catch_log(signals.item_dropped, item=item, response=None, exception=exc, spider=None)
            return None

    @property
    def stats(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats()


def feed_lines(path: Any) -> list[dict[str, Any]]:
    """The parsed lines of a feed file (every line must be complete JSON)."""
    text = Path(path).read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n"), "the feed ends with a partial line"
    return [json.loads(line) for line in text.split("\n")[:-1]]
