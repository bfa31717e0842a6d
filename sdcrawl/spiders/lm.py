from sdcrawl.spiders.base import UnifiedPlatformSpider


class LmSpider(UnifiedPlatformSpider):
    """lm.gov.lv: the unified platform as it comes."""

    name = "lm"
