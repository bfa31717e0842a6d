"""CSS selectors for a spider, synthesised from the elements discovery found: the listing's
links and entries, the date inside an entry, a pagination link, an article's fields.

Each selector is built from the element's own class (or id) and those of a few ancestors, short
to long; the caller keeps the first one that picks exactly what was found.
"""

from __future__ import annotations

import re

from sdcrawl.discover.markup import DATE_TEXT_MAX, STATE_CLASSES, place
from sdcrawl.extract.dates import parse_date
from sdcrawl.extract.html import inline_text

__all__ = ["css_candidates", "css_path", "css_step", "date_css", "listing_css", "select"]


def css_step(el) -> str | None:
    """The element as one CSS step (`h2.title`, `.news-item`, `#content`), None when it has no
    class or id that says what it is."""
    classes = [c for c in (el.get("class") or "").split() if not re.search(r"\d", c) and c.lower() not in STATE_CLASSES]
    ident = el.get("id") or ""
    if classes:
        return f"{el.tag}.{classes[0]}" if el.tag not in ("div", "span", "li") else f".{classes[0]}"
    if ident and not re.search(r"\d", ident):
        return f"#{ident}"
    return None


def css_path(el, stop_depth: int) -> list[list[str]]:
    """Candidate selectors for `el`, from short to long: its tag under 1..n classed ancestors."""
    chain = [el, *el.iterancestors()]
    chain = [e for e in chain if isinstance(e.tag, str) and e.tag not in ("html", "body")][: stop_depth]
    tail = [el.tag] if css_step(el) is None else [css_step(el)]
    # the tags between the element and its nearest classed ancestor keep the selector precise
    between = []
    for anc in chain[1:]:
        if css_step(anc) is not None:
            break
        between.insert(0, anc.tag)
    classed = [css_step(a) for a in chain[1:] if css_step(a) is not None]
    out = []
    for n in [*range(1, len(classed) + 1), 0]:  # one classed ancestor at least, where there is one
        steps = list(reversed(classed[:n])) + (between[-1:] if between else []) + tail
        out.append(steps)
    return out


def css_candidates(el, depth: int = 12) -> list[str]:
    """CSS selectors for an element, from short to long (the caller checks which one picks it)."""
    return list(dict.fromkeys(" ".join(steps) for steps in css_path(el, depth)))


def select(doc, css: str) -> list:
    """The elements a selector picks; none when the selector is not valid CSS."""
    try:
        return doc.cssselect(css)
    except Exception:
        return []


def _picking(doc, elements: list) -> str | None:
    """The shortest selector that picks all these elements, and nothing outside their place."""
    wanted = set(map(id, elements))
    where = place(elements[0])
    for steps in css_path(elements[0], 12):
        css = " ".join(steps)
        found = select(doc, css)
        if found and wanted <= set(map(id, found)) and all(place(f) == where for f in found):
            return css
    return None


def listing_css(doc, links: list, entries: list) -> tuple[str | None, str | None]:
    """CSS selectors that pick these links (and any other link in the same place of the page:
    the spider's URL checks leave out files and other sites) and exactly these entries."""
    link_css = _picking(doc, links)
    entry_css = _picking(doc, entries) if entries and len({e.tag for e in entries}) == 1 else None
    return link_css, entry_css


def date_css(entries: dict[str, object], dates: dict[str, str]) -> str | None:
    """A CSS selector, inside each entry, of the element showing the entry's date (checked to
    give every entry's date)."""
    first = next((entries[u] for u in dates if u in entries), None)
    if first is None:
        return None
    holder = None
    for el in first.iter():
        if not isinstance(el.tag, str):
            continue
        text = inline_text(el)
        if (el.tag == "time" and parse_date(el.get("datetime") or text)) or (len(text) <= DATE_TEXT_MAX and parse_date(text)):
            holder = el
            break
    if holder is None:
        return None
    css = css_step(holder) or holder.tag
    for url, iso in dates.items():
        entry = entries.get(url)
        found = select(entry, css) if entry is not None else []
        if not found:
            return None
        text = found[0].get("datetime") or inline_text(found[0])
        if (d := parse_date(text)) is None or d.isoformat() != iso:
            return None
    return css
