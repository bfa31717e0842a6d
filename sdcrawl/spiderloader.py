"""A spider for every site of the registry.

A site with a module in sdcrawl/spiders/ uses that spider; a registry entry without one gets its
platform's base spider (sdcrawl.spiders.platforms) under the site's id, so a new site crawls as
soon as its registry entry exists, and a module of its own is written only where the site differs
from its platform. Spiders that are not sites (e.g. `generic`)
are listed as usual.
"""

from __future__ import annotations

import sys

from scrapy.spiderloader import SpiderLoader

from sdcrawl.registry import RegistryError, load_registry


def platform_bases() -> dict:
    """The registry's platform names and their base spiders (sdcrawl.spiders.platforms)."""
    from sdcrawl.spiders.platforms import BASES

    # a `needs_try` entry ("unknown"): the plain base and generic extraction until it has a spider
    return {**BASES, "unknown": BASES["custom"]}


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
