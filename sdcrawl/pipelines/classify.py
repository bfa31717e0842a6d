"""Classification, a stage of its own: topics, programmes, project numbers and relevance of an
article, decided by `sdcrawl.classify` from its (normalised) title and body.

    normalize -> classify -> validate -> relevance -> dedup -> store

`classify_item(item)` is the pure function the stage applies; `sdcrawl extract` and `sdcrawl try`
call the same function, so what they show is what the crawl decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdcrawl.classify import classify

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["ClassifyPipeline", "classify_item"]


def classify_item(item: dict[str, Any]) -> dict[str, Any]:
    """A copy of `item` with `topics`, `programmes`, `project_ids` and `classification` set."""
    verdict = classify(item.get("title") or "", item.get("body") or "")
    return {
        **item,
        "topics": list(verdict.topics),
        "programmes": list(verdict.programmes),
        "project_ids": list(verdict.project_ids),
        "classification": {
            "relevant": verdict.relevant,
            "social": verdict.social,
            "reasons": list(verdict.reasons),
            "evidence": {k: list(v) for k, v in verdict.evidence.items()},
        },
    }


class ClassifyPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClassifyPipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        return classify_item(item)
