"""Exports that analysts load without glue.

Parquet (pyarrow), one row per article, with the types in ARROW_SCHEMA: dates as dates, lists as
lists, `schema_version` as a string. pandas (`pd.read_parquet`) and DuckDB
(`SELECT * FROM 'articles.parquet'`) read it with those types (tests/test_outputs_tabular.py).

JSON Lines with schema.org / Zyte article names (`to_schema_org`): the same articles as
`NewsArticle` objects (`headline`, `datePublished`, `articleBody`, `inLanguage`, `url`, ...);
SCHEMA_ORG_FIELDS is the mapping, documented in docs/outputs.md.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sdcrawl import stories as neardup
from sdcrawl.outputs.inputs import InputError, iter_feed, write_atomic

_STRINGS = pa.list_(pa.string())
ARROW_SCHEMA = pa.schema([
    ("schema_version", pa.string()),
    ("id", pa.string()),
    ("url", pa.string()),
    ("site", pa.string()),
    ("municipality", pa.string()),
    ("title", pa.string()),
    ("published", pa.date32()),
    ("updated", pa.date32()),
    ("body", pa.string()),
    ("author", pa.string()),
    ("category", pa.string()),
    ("topics", _STRINGS),
    ("programmes", _STRINGS),
    ("project_ids", _STRINGS),
    ("language", pa.string()),
    ("scraped_at", pa.timestamp("us", tz="UTC")),
    ("periods", pa.list_(pa.struct([("start", pa.string()), ("end", pa.string()), ("text", pa.string())]))),
    ("images", _STRINGS),
    ("relevant", pa.bool_()),
    ("social", pa.bool_()),
    ("reasons", _STRINGS),
    ("evidence", pa.map_(pa.string(), _STRINGS)),
    ("provenance", pa.map_(pa.string(), pa.string())),
    ("related", _STRINGS),
])


def _date(value: Any, item: Mapping[str, Any], field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"article {item.get('id')}: {field} {value!r} is not a date (YYYY-MM-DD)") from None


def _timestamp(value: Any, item: Mapping[str, Any]) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"article {item.get('id')}: scraped_at {value!r} is not an ISO 8601 time") from None


def row(item: Mapping[str, Any], related: Sequence[str] = ()) -> dict[str, Any]:
    """One article as a row of ARROW_SCHEMA."""
    classification = item.get("classification") or {}
    return {
        "schema_version": str(item.get("schema_version", "")),
        "id": item["id"], "url": item.get("url"), "site": item.get("site"), "municipality": item.get("municipality"),
        "title": item.get("title"),
        "published": _date(item.get("published"), item, "published"),
        "updated": _date(item.get("updated"), item, "updated"),
        "body": item.get("body"), "author": item.get("author"), "category": item.get("category"),
        "topics": list(item.get("topics") or ()), "programmes": list(item.get("programmes") or ()),
        "project_ids": list(item.get("project_ids") or ()), "language": item.get("language"),
        "scraped_at": _timestamp(item.get("scraped_at"), item),
        "periods": [{"start": p.get("start"), "end": p.get("end"), "text": p.get("text")} for p in item.get("periods") or ()],
        "images": list(item.get("images") or ()),
        "relevant": classification.get("relevant"), "social": classification.get("social"),
        "reasons": list(classification.get("reasons") or ()),
        "evidence": [(k, list(v)) for k, v in (classification.get("evidence") or {}).items()],
        "provenance": list((item.get("provenance") or {}).items()),
        "related": list(related),
    }


def to_table(articles: Sequence[Mapping[str, Any]], index: neardup.NearDupIndex | None = None) -> pa.Table:
    """The articles as an Arrow table; `related` holds every other article of the story."""
    related = neardup.related_map(articles, index)
    return pa.Table.from_pylist([row(a, related.get(a["id"], ())) for a in articles], schema=ARROW_SCHEMA)


def parquet_bytes(articles: Sequence[Mapping[str, Any]]) -> bytes:
    sink = io.BytesIO()
    pq.write_table(to_table(articles), sink, compression="zstd")
    return sink.getvalue()


# --- schema.org / Zyte names ----------------------------------------------------------------
# sdcrawl field -> schema.org NewsArticle property (Zyte's article schema uses the same names for
# these; where Zyte differs it is said in docs/outputs.md).
SCHEMA_ORG_FIELDS = {
    "id": "identifier",
    "url": "url",
    "title": "headline",
    "published": "datePublished",
    "updated": "dateModified",
    "body": "articleBody",
    "language": "inLanguage",
    "author": "author",            # {"@type": "Person", "name": ...}
    "municipality": "publisher",   # {"@type": "Organization", "name": ...}
    "category": "articleSection",
    "images": "image",
    "topics": "keywords",          # with the programmes
    "programmes": "keywords",
    "scraped_at": "dateDownloaded",  # Zyte's metadata.dateDownloaded; not a schema.org property
    "related": "isBasedOn",        # other articles of the same story
}
# Fields without a schema.org property keep their sdcrawl names.
KEPT = ("schema_version", "site", "project_ids", "periods", "classification", "provenance")


def to_schema_org(item: Mapping[str, Any], related: Sequence[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle"}
    for field in ("id", "url", "title", "published", "updated", "body", "language", "category", "images", "scraped_at"):
        if item.get(field) not in (None, "", []):
            out[SCHEMA_ORG_FIELDS[field]] = item[field]
    if item.get("author"):
        out["author"] = {"@type": "Person", "name": item["author"]}
    if item.get("municipality"):
        out["publisher"] = {"@type": "Organization", "name": item["municipality"]}
    keywords = [*(item.get("topics") or ()), *(item.get("programmes") or ())]
    if keywords:
        out["keywords"] = keywords
    if related:
        out["isBasedOn"] = list(related)
    for field in KEPT:
        if field in item:
            out[field] = item[field]
    return out


def schema_org_lines(articles: Sequence[Mapping[str, Any]], index: neardup.NearDupIndex | None = None) -> bytes:
    related = neardup.related_map(articles, index)
    return b"".join(json.dumps(to_schema_org(a, related.get(a["id"], ())), ensure_ascii=False, sort_keys=True).encode() + b"\n"
                    for a in articles)


FORMATS = {"parquet": parquet_bytes, "schema-org": schema_org_lines}


def export_articles(articles: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
    return FORMATS[fmt](list(articles))


def write_export(feed_path: str | Path, fmt: str, out: str | Path) -> Path:
    return write_atomic(out, export_articles(iter_feed(feed_path), fmt))
