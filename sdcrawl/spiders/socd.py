from sdcrawl.spiders.base import WordPressSpider


class SocdSpider(WordPressSpider):
    """socd.lv: stock WordPress with plain permalinks (/?p=N); everything is the platform's."""

    name = "socd"
