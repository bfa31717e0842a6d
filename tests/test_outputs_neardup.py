"""Near-duplicates: measured on the built Latvian pairs; the feed stays append-only (a later
duplicate's line links to the earlier one, no line is rewritten); the index rebuilt from the feed
links as the live one did."""

import json

from test_outputs_data import recorded_articles, story_pair

from sdcrawl.outputs import neardup_eval
from sdcrawl.outputs.inputs import read_feed
from sdcrawl.stories import NearDupIndex, related_map, stories


def test_precision_and_recall_on_the_built_pairs():
    result = neardup_eval.measure()
    assert result["same_pairs"] >= 40 and result["different_pairs"] >= 40
    assert result["precision"] >= 0.95, result["false_links"]
    assert result["recall"] >= 0.9, result["misses"]


def append(feed, item):
    with open(feed, "ab") as f:
        f.write(json.dumps(item, ensure_ascii=False, sort_keys=True).encode() + b"\n")


def test_a_later_duplicate_links_to_the_earlier_and_no_line_is_rewritten(tmp_path):
    """What the pipeline stage does: `related` from the index, then the line is appended."""
    feed = tmp_path / "feed.jsonl"
    first, second = story_pair()
    third = {**second, "id": "stopini-" + "d4" * 10, "site": "stopini", "url": "https://www.stopini.lv/lv/jaunumi/macibas",
             "body": second["body"].replace("novada sociālā dienesta vadītāja", "Stopiņu sociālā dienesta vadītāja")}
    index = NearDupIndex.from_feed(feed)  # no feed yet: an empty index
    assert len(index) == 0
    for item in [*recorded_articles(), first]:
        append(feed, {**item, "related": index.link(item)})
    before = feed.read_bytes()
    append(feed, {**second, "related": index.link(second)})
    assert feed.read_bytes().startswith(before)  # appended, nothing before it changed
    lines = read_feed(feed)
    assert lines[-1]["related"] == [first["id"]]
    assert all(line["related"] == [] for line in lines[:-1])

    # a new crawl: the index rebuilt from the feed links the third copy to both earlier ones
    rebuilt = NearDupIndex.from_feed(feed)
    assert len(rebuilt) == len(lines)
    assert rebuilt.link(third) == [first["id"], second["id"]]
    append(feed, {**third, "related": [first["id"], second["id"]]})
    # readers see the links both ways: every article of the story knows the others
    links = related_map(read_feed(feed))
    assert links[first["id"]] == [second["id"], third["id"]]
    assert links[second["id"]] == [first["id"], third["id"]]
    assert sum(1 for v in links.values() if v) == 3


def test_same_site_series_and_other_stories_are_not_linked():
    articles = recorded_articles()
    first, second = story_pair()
    same_site = {**second, "site": first["site"], "id": first["site"] + "-" + "e5" * 10}
    index = NearDupIndex()
    for a in articles:
        assert index.link(a) == [], a["title"]
    index.add(first)
    assert index.query(same_site) == []
    other_days = {**second, "body": second["body"].replace("no 14. līdz 16. novembrim", "no 5. līdz 7. decembrim")
                  .replace("31. oktobrim", "25. novembrim")}
    assert index.query(other_days) == []  # the same words, another event: not the same story
    assert index.query(second) == [first["id"]]
    groups = stories([*articles, first, second])
    assert len(groups) == len(articles) + 1 and [g for g in groups if len(g) > 1] == [[first, second]]
