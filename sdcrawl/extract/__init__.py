"""Extraction: pure functions of (HTML, URL) that make one article item.

Each field is taken from the first layer that has it, and `provenance` records which:
  1. "site"     — the site's own selectors (a spider's `selectors`),
  2. "metadata" — JSON-LD, OpenGraph / article:* <meta>, <time datetime> in the article,
  3. "generic"  — trafilatura (body), the main <h1> (title), a date line by the title, htmldate,
  4. "url"      — a full date in the address, for `published` only.
Then the periods the text names are extracted. The result is the item the pipelines receive;
classification (topics, programmes, project numbers, relevance) is a pipeline stage of its own
(`sdcrawl.pipelines.classify`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from sdcrawl import SCHEMA_VERSION
from sdcrawl.extract import generic
from sdcrawl.extract.dates import find_periods, find_updated, parse_date
from sdcrawl.extract.html import clean_text, element_text, inline_text, parse_html
from sdcrawl.extract.metadata import extract_metadata
from sdcrawl.extract.site import Selectors, first_match, select
from sdcrawl.urls import article_id, canonicalize

__all__ = ["Selectors", "extract_article"]

# Whole lines that widgets add to article text on these sites (text-to-speech, share bars,
# "read more" links, social follow bars). Only exact whole-line matches are removed.
WIDGET_LINES = re.compile(
    r"^(click to listen highlighted text!?|seko:.*|sīkāk|lasīt vairāk|drukāt|dalīties|share|tweet|"
    r"atpakaļ|uz augšu|twitter|facebook|print)$",
    re.IGNORECASE,
)
IMAGE_EXT = re.compile(r"\.(jpe?g|png|webp|gif)(\?|$)", re.IGNORECASE)
_UP = "A-ZĀČĒĢĪĶĻŅŠŪŽ"
_LOW = "a-zāčēģīķļņšūž"
_NAME = rf"(?:(?:[{_UP}]\.\s?)+[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?|[{_UP}][{_LOW}]+ [{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)"
AUTHOR_LABEL = re.compile(rf"^(?:informāciju sagatavoja|autors|autore|teksts)\s*:?\s*(?P<name>{_NAME})?\s*,?.*$", re.IGNORECASE)
AUTHOR_WITH_ROLE = re.compile(rf"^(?P<name>{_NAME}),?\s+[{_LOW}{_UP}].{{2,80}}$")
AUTHOR_ALONE = re.compile(rf"^(?P<name>{_NAME})$")
ROLE_LINE = re.compile(rf"^[{_LOW}].{{2,80}}$")


def strip_widget_lines(text: str) -> str:
    paragraphs = []
    for para in text.split("\n\n"):
        lines = [line for line in para.split("\n") if not WIDGET_LINES.match(line.strip())]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def author_from_text(body: str) -> str | None:
    """The author line that Latvian municipal articles end with.

    'Informāciju sagatavoja: Liesma Ose', 'I.Lāčgalve, Sociālā dienesta vadītāja',
    'Ineta Bramane' + 'projektu vadītāja'. Only the last few lines are looked at.
    """
    lines = [l.strip() for l in body.split("\n") if l.strip()]
    tail = lines[-8:]
    for i, line in enumerate(tail):
        m = AUTHOR_LABEL.match(line)
        if m:
            if m.group("name"):
                return m.group("name")
            if i + 1 < len(tail) and (n := AUTHOR_ALONE.match(tail[i + 1])):
                return n.group("name")
    for i in range(len(tail) - 1, max(-1, len(tail) - 4), -1):
        line = tail[i]
        if len(line) < 90 and (m := AUTHOR_WITH_ROLE.match(line)) and "." in m.group("name"):
            return m.group("name")
        if (m := AUTHOR_ALONE.match(line)) and (i + 1 == len(tail) or ROLE_LINE.match(tail[i + 1])):
            return m.group("name")
    return None


def _same_site(a: str, b: str) -> bool:
    ha, hb = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return ha.removeprefix("www.") == hb.removeprefix("www.")


def _site_layer(doc, selectors: Selectors | None) -> dict:
    if selectors is None:
        return {}
    found: dict = {}

    if (el := first_match(doc, selectors.title)) is not None and (t := inline_text(el)):
        found["title"] = t
    if (el := first_match(doc, selectors.date)) is not None:
        raw = el.get("datetime") or el.get("content") or inline_text(el)
        if d := parse_date(raw):
            found["published"] = d
    if (el := first_match(doc, selectors.body)) is not None:
        for css in selectors.remove:
            for junk in select(el, css):
                junk.drop_tree()
        if text := element_text(el):
            found["body"] = text
            found["_body_el"] = el
    if (el := first_match(doc, selectors.author)) is not None and (a := inline_text(el)):
        found["author"] = a
    if (el := first_match(doc, selectors.category)) is not None and (c := inline_text(el)):
        found["category"] = c
    if (el := first_match(doc, selectors.updated)) is not None and (d := find_updated(inline_text(el)) or parse_date(inline_text(el))):
        found["updated"] = d
    return found


def extract_article(
    html: str,
    url: str,
    *,
    selectors: Selectors | None = None,
    site: str = "generic",
    municipality: str = "",
    scraped_at: datetime | None = None,
    date_fallback: Callable[[Any], date | None] | None = None,
) -> dict:
    """The item sdcrawl makes of one article page. Fields it cannot find are absent.

    `date_fallback(doc)`: what the caller knows of the page's date beyond the page's own (the
    date its listing or feed entry showed, say), asked when the page has no date of its own by
    the title; it comes before htmldate's guess from the markup and the URL (provenance "generic").
    """
    doc = parse_html(html)
    layers = {"site": _site_layer(doc, selectors), "metadata": extract_metadata(doc)}
    item: dict = {}
    provenance: dict[str, str] = {}

    today = (scraped_at or datetime.now(timezone.utc)).date()

    def take(field: str, *generic_fns, valid=bool) -> None:
        for name in ("site", "metadata"):
            value = layers[name].get(field)
            if value and valid(value):
                item[field], provenance[field] = value, name
                return
        for name, fn in generic_fns:
            value = fn()
            if value and valid(value):
                item[field], provenance[field] = value, name
                return

    take("title", ("generic", lambda: generic.title_text(doc)))
    if provenance.get("title") == "metadata":
        # og:title often carries the site's name after the headline; the page's own <h1> does not
        h1 = generic.title_text(doc)
        if h1 and item["title"] != h1 and item["title"].startswith(h1):
            item["title"], provenance["title"] = h1, "generic"
    plausible = lambda d: generic.plausible_date(d, today)  # noqa: E731
    near_title, *later = generic.date_layers(doc, url, today)
    # a caller's own fallback (the generic spider: the date at the article's end, the listing's)
    fallback = (("generic", lambda: date_fallback(doc)),) if date_fallback is not None else ()
    take("published", near_title, *fallback, *later, valid=plausible)
    if provenance.get("published") == "metadata" and (d := generic.local_date_from_url(item["published"], url)):
        item["published"], provenance["published"] = d, "url"
    take("body", ("generic", lambda: generic.body_text(html, url, doc)))
    if "body" in item:
        item["body"] = clean_text(strip_widget_lines(item["body"]))
        if item.get("title") and item["body"].startswith(item["title"] + "\n\n"):
            item["body"] = item["body"][len(item["title"]) + 2 :]
        if len(item["body"]) <= 40 and parse_date(item["body"]):  # only a date line: the text is gone
            del item["body"]
            provenance.pop("body", None)
    take("author", ("generic", lambda: author_from_text(item.get("body", ""))))
    take("category")
    take("updated", ("generic", lambda: find_updated(inline_text(doc.body) if doc.body is not None else "")), valid=plausible)
    take("images", ("generic", lambda: _images(layers["site"].get("_body_el"), url)))

    canonical = layers["metadata"].get("canonical")
    final_url = urljoin(url, canonical) if canonical and _same_site(urljoin(url, canonical), url) else url
    final_url = canonicalize(final_url)
    published: date | None = item.get("published")
    out = {
        "schema_version": SCHEMA_VERSION,
        "id": article_id(site, final_url),
        "url": final_url,
        "site": site,
        "municipality": municipality or (urlsplit(final_url).hostname or "").removeprefix("www."),
        **{k: v for k, v in item.items() if k in ("title", "body", "author", "category")},
        "language": layers["metadata"].get("language", "lv"),
        "scraped_at": (scraped_at or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "provenance": provenance,
    }
    if published:
        out["published"] = published.isoformat()
    if item.get("updated"):
        out["updated"] = item["updated"].isoformat()
    if item.get("images"):
        out["images"] = [urljoin(url, i) for i in dict.fromkeys(item["images"])]
    if item.get("body"):
        periods = find_periods(item["body"], default_year=published.year if published else None)
        if periods:
            out["periods"] = [p.as_dict() for p in periods]
    return out


def _images(body_el, url: str) -> list[str] | None:
    if body_el is None:
        return None
    srcs = [img.get("src") for img in body_el.iter("img") if img.get("src")]
    return [urljoin(url, s) for s in srcs if IMAGE_EXT.search(s) and not s.startswith("data:")] or None
