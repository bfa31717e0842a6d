"""The Atom feed: valid, newest first, one entry per article id, a republished story once with
its sources; read back by feedparser with every entry's date."""

import json
from datetime import date

import feedparser
import pytest
from lxml import etree
from test_outputs_data import recorded_articles, story_pair, write_feed

from sdcrawl.outputs import commands
from sdcrawl.outputs.atom import atom_feed, entry_id
from sdcrawl.outputs.inputs import InputError

ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_entry_reads_back_with_its_date_newest_first(tmp_path):
    articles = recorded_articles()
    first, second = story_pair()
    feed = write_feed(tmp_path / "feed.jsonl", [*articles, first, second])
    out = commands.export(feed, "atom", tmp_path / "out" / "feed.atom")

    parsed = feedparser.parse(out.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    # every recorded article once, the republished story once: len(articles) + 1 entries
    assert len(parsed.entries) == len(articles) + 1
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)
    by_id = {entry_id(a["id"]): a for a in [*articles, first]}
    dates = []
    for entry in parsed.entries:
        article = by_id[entry.id]
        assert entry.title == article["title"]
        assert entry.link == article["url"]
        assert date(*entry.updated_parsed[:3]).isoformat() == article["published"]
        assert date(*entry.published_parsed[:3]).isoformat() == article["published"]
        assert {t.term for t in entry.tags} == {*article["topics"], *article["programmes"]}
        dates.append(article["published"])
    assert dates == sorted(dates, reverse=True)

    # the story: the first publisher's entry, with the republication as a source
    story = parsed.entries[0]
    assert story.id == entry_id(first["id"])
    assert [a.name for a in story.authors] == [first["municipality"], second["municipality"]]
    assert [l.href for l in story.links if l.rel == "related"] == [second["url"]]
    assert second["url"] in story.content[0].value
    assert entry_id(second["id"]) not in {e.id for e in parsed.entries}


def test_the_document_is_rfc_4287_shaped_and_the_same_feed_gives_the_same_bytes(tmp_path):
    articles = recorded_articles()
    data = atom_feed(articles, self_url="https://example.lv/sdcrawl.atom")
    assert data == atom_feed(list(articles), self_url="https://example.lv/sdcrawl.atom")
    assert b'<link href="https://example.lv/sdcrawl.atom" rel="self" />' in data
    root = etree.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    newest = max(a["published"] for a in articles)
    assert root.findtext(f"{ATOM}updated").startswith(newest)
    for entry in root.iter(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "author"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None


def test_one_entry_per_id_no_irrelevant_article_and_the_limit(tmp_path):
    articles = recorded_articles()
    irrelevant = {**articles[0], "id": "socd-" + "c3" * 10, "classification": {**articles[0]["classification"], "relevant": False}}
    parsed = feedparser.parse(atom_feed([*articles, articles[3], irrelevant]))
    assert len(parsed.entries) == len(articles)
    assert entry_id(irrelevant["id"]) not in {e.id for e in parsed.entries}
    newest_three = sorted(articles, key=lambda a: a["published"], reverse=True)[:3]
    limited = feedparser.parse(atom_feed(articles, limit=3))
    assert [e.id for e in limited.entries] == [entry_id(a["id"]) for a in newest_three]


def test_a_line_still_being_written_and_a_damaged_line_are_skipped(tmp_path):
    articles = recorded_articles()[:3]
    feed = write_feed(tmp_path / "feed.jsonl", articles)
    with open(feed, "a", encoding="utf-8") as f:
        f.write(json.dumps(recorded_articles()[4])[:50])  # a partial last line: not yet there
    parsed = feedparser.parse(commands.export(feed, "atom", tmp_path / "a.atom").read_bytes())
    assert len(parsed.entries) == 3

    # a damaged line in the middle (the run reports it once; docs/feed.md: readers skip it)
    (tmp_path / "bad.jsonl").write_text(json.dumps(articles[0]) + "\n{not json\n" + json.dumps(articles[1]) + "\n",
                                        encoding="utf-8")
    parsed = feedparser.parse(commands.export(tmp_path / "bad.jsonl", "atom", tmp_path / "b.atom").read_bytes())
    assert len(parsed.entries) == 2
    with pytest.raises(InputError, match="no such feed file"):
        commands.export(tmp_path / "missing.jsonl", "atom", tmp_path / "c.atom")
    with pytest.raises(InputError, match="unknown export format 'rss'"):
        commands.export(feed, "rss", tmp_path / "d.rss")
