"""An Atom feed (RFC 4287) of the relevant articles, for any feed reader.

Written with the standard library's ElementTree, not feedgen: feedgen 1.0.0 drops `rel` and
`title` from every entry link (lkiesow/python-feedgen#135, open), so an entry with a second link
(a story's other source) would show that source as the article's own link in feed readers.

- One entry per story: near-duplicates (the same press release on several sites, see neardup)
  are one entry, that of the earliest article of the story, listing every source with its link.
  The entry's id is `tag:sdcrawl,2024:<article id>` of that article: stable across runs, so a
  reader never shows an entry twice.
- Newest first by publication date; at most `limit` entries (default 100).
- `published` and `updated` of an entry are the article's publication date (midnight UTC): a
  reader sorts by them and an entry never jumps back to the top. The feed's `updated` is that of
  its newest entry, so the same feed gives the same file.
- Title, link to the article, the municipality as author, topics and programmes as categories,
  the first paragraph as summary, the whole text (and the sources) as HTML content.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import xml.etree.ElementTree as ET

from sdcrawl import stories as neardup
from sdcrawl.outputs.inputs import InputError, iter_feed, write_atomic

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_TITLE = "sdcrawl: sociālo dienestu mācības un projekti"
FEED_ID = "tag:sdcrawl,2024:feed"
DEFAULT_LIMIT = 100


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def entry_id(article_id: str) -> str:
    return f"tag:sdcrawl,2024:{article_id}"


def published_at(item: Mapping[str, Any]) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(str(item["published"])), time(0), timezone.utc)
    except (KeyError, ValueError):
        raise InputError(f"article {item.get('id')}: no publication date (YYYY-MM-DD)") from None


def is_relevant(item: Mapping[str, Any]) -> bool:
    return bool((item.get("classification") or {}).get("relevant", True))


def _content(story: Sequence[Mapping[str, Any]]) -> str:
    lead = story[0]
    paragraphs = [p.strip() for p in str(lead.get("body") or "").split("\n\n") if p.strip()]
    parts = ["<p>" + html.escape(p).replace("\n", "<br/>") + "</p>" for p in paragraphs]
    if len(story) > 1:
        parts.append("<p>Avoti (sources):</p><ul>")
        parts += [f'<li><a href="{html.escape(a["url"])}">{html.escape(str(a.get("municipality") or a.get("site")))}</a>'
                  f" – {html.escape(str(a.get('published')))}</li>" for a in story]
        parts.append("</ul>")
    return "".join(parts)


def atom_feed(articles: Sequence[Mapping[str, Any]], *, title: str = FEED_TITLE, self_url: str | None = None,
              limit: int = DEFAULT_LIMIT, index: neardup.NearDupIndex | None = None) -> bytes:
    """The Atom document (UTF-8 bytes) for the articles (feed lines, in feed order)."""
    seen: set[str] = set()
    unique = []
    for a in articles:  # one entry per article id, even if a reader hands the same line twice
        if a["id"] not in seen and is_relevant(a):
            seen.add(a["id"])
            unique.append(a)
    groups = neardup.stories(unique, index)
    groups.sort(key=lambda g: (published_at(g[0]), str(g[0].get("scraped_at") or ""), g[0]["id"]), reverse=True)
    groups = groups[:limit]

    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "lv"})
    _sub(root, "id", FEED_ID)
    _sub(root, "title", title)
    _sub(root, "updated", (published_at(groups[0][0]) if groups else datetime(1970, 1, 1, tzinfo=timezone.utc)).isoformat())
    _sub(_sub(root, "author"), "name", "sdcrawl")
    _sub(root, "generator", "sdcrawl")
    if self_url:
        _sub(root, "link", None, href=self_url, rel="self")
    for story in groups:
        lead = story[0]
        entry = _sub(root, "entry")
        _sub(entry, "id", entry_id(lead["id"]))
        _sub(entry, "title", str(lead["title"]))
        _sub(entry, "link", None, href=lead["url"], rel="alternate", type="text/html")
        for other in story[1:]:
            _sub(entry, "link", None, href=other["url"], rel="related", title=str(other.get("municipality") or other.get("site")))
        when = published_at(lead).isoformat()
        _sub(entry, "published", when)
        _sub(entry, "updated", when)
        for a in story:
            _sub(_sub(entry, "author"), "name", str(a.get("municipality") or a.get("site")))
        for term in [*(lead.get("topics") or ()), *(lead.get("programmes") or ())]:
            _sub(entry, "category", None, term=str(term))
        first = str(lead.get("body") or "").strip().split("\n\n")[0]
        if first:
            _sub(entry, "summary", first, type="text")
        _sub(entry, "content", _content(story), type="html")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def write_atom(feed_path: str | Path, out: str | Path, **options: Any) -> Path:
    """Read the JSON Lines feed, write the Atom feed to `out` (whole or not at all)."""
    return write_atomic(out, atom_feed(list(iter_feed(feed_path)), **options))
