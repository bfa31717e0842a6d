"""The first extraction layer: a site's own CSS selectors.

A spider declares `Selectors(...)` with the few selectors its platform or site needs; a field
whose selector is None (or finds nothing) falls through to the next layer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from lxml.cssselect import CSSSelector


@dataclass(frozen=True)
class Selectors:
    title: str | None = None      # element whose text is the title
    date: str | None = None       # element whose text (or datetime/content attribute) is the publication date
    body: str | None = None       # element holding the article text
    remove: tuple[str, ...] = ()  # elements inside the body that are not the article (widgets, share bars)
    author: str | None = None
    category: str | None = None
    updated: str | None = None    # element holding a last-updated line


@functools.lru_cache(maxsize=512)
def compiled(css: str) -> CSSSelector:
    """`css` translated to XPath once (lxml's `el.cssselect(css)` translates it on every call,
    which cost more than the search itself); the HTML translator, as `cssselect()` uses."""
    return CSSSelector(css, translator="html")


def select(el, css: str) -> list:
    """Every element under `el` (itself included) that `css` matches, in document order."""
    return compiled(css)(el)


def first_match(doc, css: str | None):
    """The first element the selector finds, or None (also for no selector)."""
    if not css:
        return None
    found = select(doc, css)
    return found[0] if found else None
