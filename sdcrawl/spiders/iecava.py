from sdcrawl.spiders.base import JoomlaSpider


class IecavaSpider(JoomlaSpider):
    """iecava.lv: Joomla; the date line is 'dd.mm.yyyy N' (N a hit counter), read by the date parser."""

    name = "iecava"
