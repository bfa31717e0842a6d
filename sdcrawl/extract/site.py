"""The first extraction layer: a site's own CSS selectors.

A spider declares `Selectors(...)` with the few selectors its platform or site needs; a field
whose selector is None (or finds nothing) falls through to the next layer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Selectors:
    title: str | None = None      # element whose text is the title
    date: str | None = None       # element whose text (or datetime/content attribute) is the publication date
    body: str | None = None       # element holding the article text
    remove: tuple[str, ...] = ()  # elements inside the body that are not the article (widgets, share bars)
    author: str | None = None
    category: str | None = None
    updated: str | None = None    # element holding a last-updated line


def first_match(doc, css: str | None):
    """The first element the selector finds, or None (also for no selector)."""
    if not css:
        return None
    found = doc.cssselect(css)
    return found[0] if found else None
