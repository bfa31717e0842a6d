"""What discovery found on a site, and how: the generic spider fills it in as it probes, and
`sdcrawl try` (discovery.json) and `sdcrawl new-site` read it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Discovery"]


@dataclass
class Discovery:
    """What the generic spider found, and how (JSON-ready: discovery.json, `sdcrawl new-site`)."""

    start_url: str
    final_url: str | None = None
    platform: str = "custom"
    platform_evidence: list[str] = field(default_factory=list)
    site_name: str | None = None
    feeds: list[dict] = field(default_factory=list)          # {url, entries, on_site}
    listing: dict | None = None                               # see GenericSpider._set_listing
    sitemaps: list[dict] = field(default_factory=list)       # {url, entries}
    sitemap_shape: str | None = None
    sitemap_articles: int = 0
    probes: list[list[str]] = field(default_factory=list)    # [url, what came of it]
    error: str | None = None

    @property
    def method(self) -> str:
        used = [k for k, on in (("feed", self.feeds), ("listing", self.listing), ("sitemap", self.sitemap_shape and not self.feeds and not self.listing)) if on]
        return " + ".join(used) or "nothing"

    def to_dict(self) -> dict:
        return {**asdict(self), "method": self.method}
