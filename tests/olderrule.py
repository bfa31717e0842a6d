"""An older, stricter classification rule, for the reclassify tests: it did not count supervision
as training. Used in place of the crawl's classify stage through ITEM_PIPELINES."""

from sdcrawl.pipelines.classify import ClassifyPipeline, classify_item


class OlderRuleClassify(ClassifyPipeline):
    def process_item(self, item):
        item = classify_item(item)
        if "supervīz" in (item.get("title") or "").lower():
            item["classification"] = {**item["classification"], "relevant": False,
                                      "reasons": [*item["classification"]["reasons"][:-1], "not relevant: (the older rule)"]}
        return item
