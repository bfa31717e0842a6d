"""A spider for every site of the registry.

A site with a module in sdcrawl/spiders/ uses that spider; a registry entry without one gets its
platform's base spider under the site's id (so a new site crawls as soon as its registry entry
exists, and its own module only says what differs). Spiders that are not sites (e.g. `generic`)
are listed as usual.
"""

from __future__ import annotations

import sys

from scrapy.spiderloader import SpiderLoader

from sdcrawl.registry import RegistryError, load_registry


def platform_bases() -> dict:
    from sdcrawl.spiders.base import JoomlaSpider, NewsSpider, UnifiedPlatformSpider, WordPressSpider

    return {"unified": UnifiedPlatformSpider, "wordpress": WordPressSpider, "joomla": JoomlaSpider, "custom": NewsSpider,
            "unknown": NewsSpider}  # a `needs_try` entry: the plain base and generic extraction until it has a spider


class RegistrySpiderLoader(SpiderLoader):
    def __init__(self, settings):
        super().__init__(settings)
        try:
            self._registry = load_registry(settings.get("SDCRAWL_SEEDS_DIR"))
        except RegistryError as exc:  # `scrapy crawl` would print a traceback: one line instead
            sys.stderr.write(f"sdcrawl: {exc}\n")
            raise SystemExit(2) from None
        bases = platform_bases()
        for site_id, site in self._registry.items():
            if site_id not in self._spiders:
                base = bases[site.platform]
                name = "".join(part.capitalize() for part in site_id.split("_")) + "Spider"
                self._spiders[site_id] = type(name, (base,), {"name": site_id, "__module__": base.__module__,
                                                               "__doc__": f"{site.name}: the {site.platform} platform as it comes."})

    def site_ids(self) -> list[str]:
        return sorted(self._registry)
