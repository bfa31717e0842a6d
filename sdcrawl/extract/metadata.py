"""The second extraction layer: metadata the page embeds for machines.

JSON-LD (Article, NewsArticle, BlogPosting, WebPage), OpenGraph and article:* <meta> tags,
<meta name="author">, <link rel="canonical">, <html lang>, and <time datetime> inside the
article's own container (never one in a sidebar, header or footer). These few fields are read
with lxml directly: extruct would parse the page a second time for the same handful of keys.
"""

from __future__ import annotations

import json
import re
from datetime import date

from sdcrawl.extract.dates import parse_date

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage"}
OUTSIDE_CLASSES = {"sidebar", "widget", "widget-area", "site-header", "site-footer"}


def _iso_date(value) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
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


# --- <meta> lookups: the page's <meta> tags read once per extract_metadata() call (issue 16) ----
_META_ATTRS = ("property", "name", "itemprop")
_meta_index_of: list = [None, None]  # [doc, its index] while extract_metadata(doc) runs


def _meta_index(doc) -> dict[tuple[str, str], str]:
    """(attribute, value) -> content of the first <meta> with that attribute value and a content
    attribute, as `//meta[@attr="value"]/@content` finds it first; one walk of the tree."""
    if _meta_index_of[0] is doc:
        return _meta_index_of[1]
    index: dict[tuple[str, str], str] = {}
    for el in doc.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in _META_ATTRS:
            if (value := el.get(attr)) is not None:
                index.setdefault((attr, value), content)
    return index


def _one_meta_index(fn):
    """Lets every `_meta(doc, ...)` of one `fn(doc)` call share one index of the page's <meta>s."""
    import functools

    @functools.wraps(fn)
    def wrapper(doc):
        outer = list(_meta_index_of)
        _meta_index_of[:] = [None, None]
        _meta_index_of[:] = [doc, _meta_index(doc)]
        try:
            return fn(doc)
        finally:
            _meta_index_of[:] = outer

    return wrapper


def _meta(doc, *names: str) -> str | None:
    index = _meta_index(doc)
    for name in names:
        for attr in _META_ATTRS:
            found = index.get((attr, name))
            if found and found.strip():
                return found.strip()
    return None
# --- end of the <meta> lookups -------------------------------------------------------------------


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
    do, nor a page header or footer outside any article."""
    ancestors = list(el.iterancestors())
    for i, anc in enumerate(ancestors):
        if anc.tag == "article":
            return True
        if anc.tag in ("aside", "nav") or OUTSIDE_CLASSES & set((anc.get("class") or "").split()):
            return False
        if anc.tag in ("header", "footer") and not any(a.tag == "article" for a in ancestors[i + 1 :]):
            return False
    return True


@_one_meta_index
def extract_metadata(doc) -> dict:
    """Fields found in embedded metadata; keys absent when not found."""
    found: dict = {}
    for obj in _jsonld_objects(doc):
        if "title" not in found and isinstance(obj.get("headline"), str):
            found["title"] = obj["headline"].strip()
        if "published" not in found and (d := _iso_date(obj.get("datePublished"))):
            found["published"] = d
        if "updated" not in found and (d := _iso_date(obj.get("dateModified"))):
            found["updated"] = d
        if "author" not in found and (a := _author_name(obj.get("author"))):
            found["author"] = a
        if "category" not in found and isinstance(obj.get("articleSection"), str):
            found["category"] = obj["articleSection"].strip()
        image = obj.get("image")
        if "images" not in found and image:
            urls = [i.get("url") if isinstance(i, dict) else i for i in (image if isinstance(image, list) else [image])]
            found["images"] = [u for u in urls if isinstance(u, str)]
    if "title" not in found and (t := _meta(doc, "og:title")):
        site_name = _meta(doc, "og:site_name")
        if site_name:  # "Article - Rēzeknes novads" -> "Article"
            t = re.sub(rf"\s*[-|–—:]\s*{re.escape(site_name)}\s*$", "", t) or t
        found["title"] = t
    if "published" not in found and (d := _iso_date(_meta(doc, "article:published_time", "datePublished", "dc.date", "DC.date.issued"))):
        found["published"] = d
    if "published" not in found:
        for el in doc.xpath("//time[@datetime]"):
            if _in_article(el) and (d := _iso_date(el.get("datetime"))):
                found["published"] = d
                break
    if "updated" not in found and (d := _iso_date(_meta(doc, "article:modified_time", "og:updated_time", "dateModified"))):
        found["updated"] = d
    if "author" not in found and (a := _author_name(_meta(doc, "author", "article:author"))):
        found["author"] = a
    if "category" not in found and (c := _meta(doc, "article:section")):
        found["category"] = c
    if "images" not in found and (i := _meta(doc, "og:image")):
        found["images"] = [i]
    canonical = doc.xpath('//link[@rel="canonical"]/@href')
    if canonical and canonical[0].strip():
        found["canonical"] = canonical[0].strip()
    lang = doc.get("lang") or _meta(doc, "og:locale") or ""
    if m := re.match(r"[a-zA-Z]{2}", lang):
        found["language"] = m.group(0).lower()
    return found
