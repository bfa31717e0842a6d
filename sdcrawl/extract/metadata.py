"""The second extraction layer: metadata the page embeds for machines.

JSON-LD (Article, NewsArticle, BlogPosting, WebPage), OpenGraph and article:* <meta> tags,
<meta name="author">, <link rel="canonical">, <html lang>, and <time datetime> inside the
article's own container (never one in a sidebar, widget, related-post list, header or footer).
These few fields are read with lxml directly: extruct would parse the page a second time for the
same handful of keys.

A timestamp in UTC ('2023-11-09T06:35:29Z', '+00:00') gives the date where the page is published:
when the page writes any of its timestamps with its own UTC offset ('2023-11-08T22:35:29-08:00'),
the UTC one is moved to that offset first. An article published in the evening in America or just
after midnight in Riga is dated as its readers see it (the JSON-LD that CMS plugins write is often
in UTC while `article:published_time` is local).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone

from sdcrawl.extract.dates import parse_date

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage"}
OUTSIDE_CLASSES = {"sidebar", "widget", "widget-area", "site-header", "site-footer"}


_TIMESTAMP = re.compile(
    r"\s*(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})\s*$", re.IGNORECASE
)
_OFFSET = re.compile(r"(?:\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*([+-])(\d{2}):?(\d{2})\s*$")


def _offset(value) -> timedelta | None:
    """The UTC offset a timestamp is written with, when it is not zero."""
    if isinstance(value, str) and (m := _OFFSET.search(value)):
        off = timedelta(hours=int(m.group(2)), minutes=int(m.group(3))) * (1 if m.group(1) == "+" else -1)
        if off and abs(off) <= timedelta(hours=14):
            return off
    return None


def _iso_date(value, local: timedelta | None = None) -> date | None:
    """The date of a metadata value; a UTC timestamp is moved to the page's own offset first."""
    if not isinstance(value, str) or not value.strip():
        return None
    if local is not None and (m := _TIMESTAMP.match(value)) and _offset(value) is None:
        stamp = datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}:{m.group(3)}").replace(tzinfo=timezone.utc)
        if m.group(4).upper() == "Z" or m.group(4).lstrip("+-").replace(":", "") == "0000":
            return parse_date((stamp + local).date().isoformat())
    return parse_date(value.strip())


def _jsonld_objects(doc) -> list[dict]:
    out: list[dict] = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if "@graph" in node:
                    stack.append(node["@graph"])
                types = node.get("@type", [])
                types = [types] if isinstance(types, str) else types
                if any(str(t).lower() in ARTICLE_TYPES for t in types):
                    out.append(node)
    # the most specific article type first (an Article beats the WebPage around it)
    out.sort(key=lambda n: str(n.get("@type")).lower() == "webpage")
    return out


def _meta_index(doc) -> dict[tuple[str, str], str]:
    """(attribute, name) -> content of the first <meta> of that name: one pass over the page."""
    index: dict[tuple[str, str], str] = {}
    for el in doc.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            if (name := el.get(attr)) is not None:
                index.setdefault((attr, name), content)
    return index


def _meta(index: dict, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = index.get((attr, name))
            if found and found.strip():
                return found.strip()
    return None


def _author_name(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip() and not value.startswith("http"):
        return value.strip()
    return None


def _in_article(el) -> bool:
    """True for an element of the article itself. Inside <article> its own <header>/<footer>
    count (WordPress prints the post date there); asides, navs, sidebar and widget blocks never
    do (unless the block holds the article: Blogger's `div.widget.Blog`), nor related-post
    lists, nor a page header or footer outside any article."""
    from sdcrawl.extract.generic import holds_article

    ancestors = list(el.iterancestors())
    for i, anc in enumerate(ancestors):
        if anc.tag == "article":
            return True
        classes = anc.get("class") or ""
        if "related" in classes:
            return False
        if anc.tag in ("aside", "nav") or OUTSIDE_CLASSES & set(classes.split()):
            if not holds_article(anc):
                return False
        if anc.tag in ("header", "footer") and not any(a.tag == "article" for a in ancestors[i + 1 :]):
            return False
    return True


PUBLISHED_META = ("article:published_time", "datePublished", "dc.date", "DC.date.issued")
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified")


def _local_offset(doc, metas: dict, objects: list[dict]) -> timedelta | None:
    """The page's own UTC offset: the first non-zero one its publication timestamps are written
    with (JSON-LD, <meta>, <time datetime>)."""
    values = [obj.get(k) for obj in objects for k in ("datePublished", "dateModified", "uploadDate")]
    values += [_meta(metas, name) for name in PUBLISHED_META + MODIFIED_META + ("date", "pubdate", "sailthru.date")]
    for value in values:
        if (off := _offset(value)) is not None:
            return off
    for value in doc.xpath("//time/@datetime"):
        if (off := _offset(value)) is not None:
            return off
    return None


def extract_metadata(doc) -> dict:
    """Fields found in embedded metadata; keys absent when not found."""
    found: dict = {}
    objects = _jsonld_objects(doc)
    metas = _meta_index(doc)
    local = _local_offset(doc, metas, objects)
    for obj in objects:
        if "title" not in found and isinstance(obj.get("headline"), str):
            found["title"] = obj["headline"].strip()
        if "published" not in found and (d := _iso_date(obj.get("datePublished"), local)):
            found["published"] = d
        if "updated" not in found and (d := _iso_date(obj.get("dateModified"), local)):
            found["updated"] = d
        if "author" not in found and (a := _author_name(obj.get("author"))):
            found["author"] = a
        if "category" not in found and isinstance(obj.get("articleSection"), str):
            found["category"] = obj["articleSection"].strip()
        image = obj.get("image")
        if "images" not in found and image:
            urls = [i.get("url") if isinstance(i, dict) else i for i in (image if isinstance(image, list) else [image])]
            found["images"] = [u for u in urls if isinstance(u, str)]
    if "title" not in found and (t := _meta(metas, "og:title")):
        site_name = _meta(metas, "og:site_name")
        if site_name:  # "Article - Rēzeknes novads" -> "Article"
            t = re.sub(rf"\s*[-|–—:]\s*{re.escape(site_name)}\s*$", "", t) or t
        found["title"] = t
    if "published" not in found and (d := _iso_date(_meta(metas, *PUBLISHED_META), local)):
        found["published"] = d
    if "published" not in found:
        for el in doc.xpath("//time[@datetime]"):
            if _in_article(el) and (d := _iso_date(el.get("datetime"), local)):
                found["published"] = d
                break
    if "updated" not in found and (d := _iso_date(_meta(metas, *MODIFIED_META), local)):
        found["updated"] = d
    if "author" not in found and (a := _author_name(_meta(metas, "author", "article:author"))):
        found["author"] = a
    if "category" not in found and (c := _meta(metas, "article:section")):
        found["category"] = c
    if "images" not in found and (i := _meta(metas, "og:image")):
        found["images"] = [i]
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    if canonical and canonical[0].strip():
        found["canonical"] = canonical[0].strip()
    lang = doc.get("lang") or _meta(metas, "og:locale") or ""
    if m := re.match(r"[a-zA-Z]{2}", lang):
        found["language"] = m.group(0).lower()
    return found
