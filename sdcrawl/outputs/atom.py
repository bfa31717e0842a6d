"""An Atom feed (RFC 4287) of the relevant articles, for any feed reader. Built with feedgen.

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

from feedgen.feed import FeedGenerator

from sdcrawl.outputs import neardup
from sdcrawl.outputs.inputs import InputError, iter_feed, write_atomic

FEED_TITLE = "sdcrawl: sociālo dienestu mācības un projekti"
FEED_ID = "tag:sdcrawl,2024:feed"
DEFAULT_LIMIT = 100


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

    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title(title)
    fg.language("lv")
    fg.generator("sdcrawl")
    fg.author({"name": "sdcrawl"})
    if self_url:
        fg.link(href=self_url, rel="self")
    fg.updated(published_at(groups[0][0]) if groups else datetime(1970, 1, 1, tzinfo=timezone.utc))
    for story in groups:
        lead = story[0]
        fe = fg.add_entry(order="append")
        fe.id(entry_id(lead["id"]))
        fe.title(str(lead["title"]))
        fe.link(href=lead["url"], rel="alternate")
        for other in story[1:]:
            fe.link(href=other["url"], rel="related", title=str(other.get("municipality") or other.get("site")))
        when = published_at(lead)
        fe.published(when)
        fe.updated(when)
        fe.author([{"name": str(a.get("municipality") or a.get("site"))} for a in story])
        for term in [*(lead.get("topics") or ()), *(lead.get("programmes") or ())]:
            fe.category(term=str(term))
        first = str(lead.get("body") or "").strip().split("\n\n")[0]
        if first:
            fe.summary(first)
        fe.content(_content(story), type="html")
    return fg.atom_str(pretty=True)


def write_atom(feed_path: str | Path, out: str | Path, **options: Any) -> Path:
    """Read the JSON Lines feed, write the Atom feed to `out` (whole or not at all)."""
    return write_atomic(out, atom_feed(list(iter_feed(feed_path)), **options))
