"""The site's platform and name, guessed from one page.

WordPress (generator, /wp-content/ assets, `?p=N` links, wp-json), the unified government
platform or another Drupal site (`/lv/jaunums/` links, generator, `views-row`, `data-drupal`),
Joomla (generator, `/component/`, `com_content`, `items-row`), else custom; each guess with what
gave it away. One weak hint is not enough.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sdcrawl.extract.html import parse_html

__all__ = ["Platform", "guess_platform", "site_name"]


@dataclass(frozen=True)
class Platform:
    name: str                       # one of sdcrawl.registry.PLATFORMS
    evidence: tuple[str, ...]


def guess_platform(html: str, url: str) -> Platform:
    """The site's platform from one page, with what gave it away."""
    doc = parse_html(html)
    generator = " ".join(doc.xpath("//meta[translate(@name,'GENRATO','genrato')='generator']/@content")).lower()
    hrefs = " ".join(doc.xpath("//a/@href | //link/@href | //script/@src | //img/@src"))
    classes = " ".join(doc.xpath("//@class"))
    found: dict[str, list[str]] = defaultdict(list)
    if "wordpress" in generator:
        found["wordpress"] += ["generator WordPress"] * 3
    if "/wp-content/" in hrefs or "/wp-includes/" in hrefs:
        found["wordpress"] += ["/wp-content/ assets"] * 2
    if re.search(r"[?&]p=\d+(&|$|\s)", hrefs):
        found["wordpress"].append("?p=N links")
    if "wp-json" in hrefs:
        found["wordpress"].append("wp-json")
    if "joomla" in generator:
        found["joomla"] += ["generator Joomla"] * 3
    if "/component/" in hrefs or "option=com_" in hrefs or "com_content" in classes:
        found["joomla"] += ["/component/ or com_content"] * 2
    if re.search(r"\bitems-(row|leading)\b", classes):
        found["joomla"].append("items-row")
    if re.search(r"/lv/(jaunums|projekts)/", hrefs):
        found["unified"] += ["/lv/jaunums/ links"] * 3
    if "drupal" in generator:
        found["unified"].append("generator Drupal")
    if re.search(r"\bviews-row\b", classes):
        found["unified"].append("views-row")
    if doc.xpath("//@*[starts-with(name(), 'data-drupal')]") or "drupal-settings-json" in html:
        found["unified"].append("data-drupal")
    if not found:
        return Platform("custom", ())
    name, evidence = max(found.items(), key=lambda kv: len(kv[1]))
    if len(evidence) < 2:  # one weak hint is not enough
        return Platform("custom", tuple(dict.fromkeys(evidence)))
    return Platform(name, tuple(dict.fromkeys(evidence)))


def site_name(html: str) -> str | None:
    """The site's own name: og:site_name, else the last part of the <title>."""
    doc = parse_html(html)
    og = doc.xpath("//meta[@property='og:site_name']/@content")
    if og and og[0].strip():
        return og[0].strip()
    titles = doc.xpath("//title/text()")
    if titles:
        parts = re.split(r"\s+[|–—-]\s+", titles[0].strip())
        if len(parts) > 1:
            return parts[-1].strip() or None
    return None
