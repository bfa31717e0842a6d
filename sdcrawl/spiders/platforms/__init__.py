"""Platform base spiders: what every site on one platform shares (listing and article selectors,
which sitemap entries are articles). A registry entry names its platform; the spider loader
(sdcrawl.spiderloader) gives an entry without a module of its own its platform's base.

    platform     base                                       module
    wordpress    WordPressSpider                            sdcrawl.spiders.platforms.wordpress
    unified      UnifiedPlatformSpider                      sdcrawl.spiders.platforms.unified
    joomla       JoomlaSpider                               sdcrawl.spiders.platforms.joomla
    custom       NewsSpider (the site module says it all)   sdcrawl.spiders.news
"""

from sdcrawl.spiders.news import NewsSpider
from sdcrawl.spiders.platforms.joomla import JoomlaSpider
from sdcrawl.spiders.platforms.unified import UnifiedPlatformSpider
from sdcrawl.spiders.platforms.wordpress import WordPressSpider

__all__ = ["BASES", "JoomlaSpider", "NewsSpider", "UnifiedPlatformSpider", "WordPressSpider"]

#: The registry's platform names and their base spiders.
BASES = {"unified": UnifiedPlatformSpider, "wordpress": WordPressSpider, "joomla": JoomlaSpider, "custom": NewsSpider}
