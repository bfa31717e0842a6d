"""Item identity: what of an item the feed holds, under which addresses it was fetched, and what
makes two items the same article.

    public(item)       the item without its private keys (those the pipelines use, never the feed)
    page_keys(item)    URL keys of every address the item was fetched under, canonical URL first
    content_key(item)  SHA-256 of title, date and body: the same article under different URLs
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sdcrawl.urls import url_key

__all__ = ["content_key", "page_keys", "public"]


def public(item: Mapping[str, Any]) -> dict[str, Any]:
    """The item without its private keys (those starting with '_', e.g. `_fetched_urls`, which
    pipelines use but the feed never holds)."""
    return {k: v for k, v in item.items() if not str(k).startswith("_")}


def page_keys(item: Mapping[str, Any]) -> list[str]:
    """URL keys of every address the item was fetched under, its canonical URL first. A spider
    that meets any of them again need not fetch the page."""
    keys: dict[str, None] = {}
    for url in [item.get("url"), *(item.get("_fetched_urls") or ())]:
        if isinstance(url, str):
            try:
                keys.setdefault(url_key(url), None)
            except ValueError:
                continue
    return list(keys)


def content_key(item: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the casefolded, whitespace-collapsed title, the publication date and the
    whitespace-collapsed body: the same article under different URLs (`?p=123` and its slug) has
    the same content key."""
    title = " ".join(str(item.get("title") or "").split()).casefold()
    published = str(item.get("published") or "")
    body = " ".join(str(item.get("body") or "").split())
    return hashlib.sha256(f"{title}\n{published}\n{body}".encode()).hexdigest()
