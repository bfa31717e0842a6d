"""The Parquet export read back by pandas and DuckDB with the documented types; the JSON Lines
export with schema.org / Zyte article names."""

import json
from datetime import date, datetime, timezone

import duckdb
import pandas as pd
import pyarrow.parquet as pq
from test_outputs_data import recorded_articles, story_pair, write_feed

from sdcrawl.outputs import commands
from sdcrawl.outputs.tabular import ARROW_SCHEMA

# The types docs/outputs.md promises, as DuckDB names them.
DUCKDB_TYPES = {
    "schema_version": "VARCHAR", "id": "VARCHAR", "url": "VARCHAR", "published": "DATE", "updated": "DATE",
    "topics": "VARCHAR[]", "programmes": "VARCHAR[]", "project_ids": "VARCHAR[]", "images": "VARCHAR[]",
    "scraped_at": "TIMESTAMP WITH TIME ZONE", "relevant": "BOOLEAN", "social": "BOOLEAN",
    "periods": 'STRUCT("start" VARCHAR, "end" VARCHAR, "text" VARCHAR)[]',
    "evidence": "MAP(VARCHAR, VARCHAR[])", "provenance": "MAP(VARCHAR, VARCHAR)", "related": "VARCHAR[]",
}


def exported(tmp_path):
    articles = [*recorded_articles(), *story_pair()]
    feed = write_feed(tmp_path / "feed.jsonl", articles)
    return articles, commands.export(feed, "parquet", tmp_path / "articles.parquet")


def test_pandas_reads_dates_as_dates_lists_as_lists_and_the_version_as_a_string(tmp_path):
    articles, out = exported(tmp_path)
    assert pq.read_schema(out).equals(ARROW_SCHEMA, check_metadata=False)
    df = pd.read_parquet(out)
    assert len(df) == len(articles)
    assert list(df.columns) == ARROW_SCHEMA.names
    by_id = df.set_index("id")
    for a in articles:
        row = by_id.loc[a["id"]]
        assert row["published"] == date.fromisoformat(a["published"])
        assert isinstance(row["published"], date) and not isinstance(row["published"], datetime)
        assert list(row["topics"]) == a["topics"]
        assert list(row["programmes"]) == a["programmes"]
        assert list(row["project_ids"]) == a["project_ids"]
        assert row["schema_version"] == "1.0" and isinstance(row["schema_version"], str)
        assert row["scraped_at"] == pd.Timestamp(a["scraped_at"])
        assert row["relevant"] is True or row["relevant"] == True  # noqa: E712 (numpy bool)
        if "updated" in a:
            assert row["updated"] == date.fromisoformat(a["updated"])
        else:
            assert row["updated"] is None
    assert str(df["scraped_at"].dtype).startswith("datetime64") and str(df["scraped_at"].dt.tz) == "UTC"


def test_duckdb_reads_the_documented_types_and_queries_them(tmp_path):
    articles, out = exported(tmp_path)
    con = duckdb.connect()
    described = {name: kind for name, kind, *_ in con.execute(f"DESCRIBE SELECT * FROM '{out}'").fetchall()}
    for column, kind in DUCKDB_TYPES.items():
        assert described[column] == kind, column
    trainings = con.execute(f"SELECT count(*) FROM '{out}' WHERE list_contains(topics, 'training') AND published >= DATE '2000-01-01'").fetchall()[0][0]
    assert trainings == sum("training" in a["topics"] for a in articles)
    first, second = story_pair()
    related = dict(con.execute(f"SELECT id, related FROM '{out}' WHERE len(related) > 0").fetchall())
    assert related == {first["id"]: [second["id"]], second["id"]: [first["id"]]}
    newest = con.execute(f"SELECT max(scraped_at) FROM '{out}'").fetchall()[0][0]
    assert newest == datetime(2030, 10, 23, 2, 0, tzinfo=timezone.utc)


def test_schema_org_names(tmp_path):
    articles = [*recorded_articles(), *story_pair()]
    feed = write_feed(tmp_path / "feed.jsonl", articles)
    lines = commands.export(feed, "schema-org", tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(articles)
    first, second = story_pair()
    for line, a in zip(lines, articles):
        obj = json.loads(line)
        assert obj["@context"] == "https://schema.org" and obj["@type"] == "NewsArticle"
        assert obj["headline"] == a["title"]
        assert obj["datePublished"] == a["published"]
        assert obj["articleBody"] == a["body"]
        assert obj["inLanguage"] == a["language"]
        assert obj["url"] == a["url"]
        assert obj["identifier"] == a["id"]
        assert obj["publisher"] == {"@type": "Organization", "name": a["municipality"]}
        assert obj["keywords"] == [*a["topics"], *a["programmes"]]
        assert obj.get("dateModified") == a.get("updated")
        assert obj.get("author") == ({"@type": "Person", "name": a["author"]} if a.get("author") else None)
        assert obj["dateDownloaded"] == a["scraped_at"]
        assert obj["schema_version"] == "1.0"
        for old in ("title", "published", "body", "language", "municipality"):
            assert old not in obj
        if a["id"] == second["id"]:
            assert obj["isBasedOn"] == [first["id"]]
