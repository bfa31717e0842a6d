from sdcrawl.spiders.base import UnifiedPlatformSpider


class BauskasnovadsSpider(UnifiedPlatformSpider):
    """bauskasnovads.lv: the unified platform; Iecava's news since 2021."""

    name = "bauskasnovads"
