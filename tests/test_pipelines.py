"""The item pipelines: pure functions, then the whole chain (ITEM_PIPELINES) without a crawl."""

import unicodedata
import warnings

import pytest
from scrapy import signals
from factories import PipelineRun, feed_lines, make_item
from scrapy.exceptions import DropItem, ScrapyDeprecationWarning
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler

import sdcrawl.settings as project_settings
from sdcrawl.pipelines.dedup import DedupPipeline
from sdcrawl.pipelines.related import RelatedPipeline
from sdcrawl.pipelines.store import StorePipeline
from sdcrawl.pipelines.classify import ClassifyPipeline, classify_item
from sdcrawl.pipelines.normalize import NormalizePipeline, normalize_body, normalize_item
from sdcrawl.pipelines.relevance import RelevancePipeline
from sdcrawl.pipelines.validate import ValidatePipeline, validation_errors
from sdcrawl.store.state import StateStore
from sdcrawl.urls import article_id, url_key

DECOMPOSED_A = "a\u0304"  # 'a' + combining macron
COMPOSED_A = "\u0101"  # 'ā'


# --- normalize ---------------------------------------------------------------------------------
def test_normalize_item_composes_unicode_everywhere():
    item = make_item(
        title=f"Apm{DECOMPOSED_A}c\u012bbas",
        body=f"Soci{DECOMPOSED_A}lais dienests",
        classification={"relevant": True, "social": True, "reasons": [f"training: 'apm{DECOMPOSED_A}c'"],
                        "evidence": {"training": [f"apm{DECOMPOSED_A}c\u012bb{DECOMPOSED_A}m"]}},
    )
    assert item["title"] != "Apmācības"
    out = normalize_item(item)
    assert out["title"] == "Apmācības"
    assert out["title"] == f"Apm{COMPOSED_A}c\u012bbas"
    assert out["body"] == "Sociālais dienests"
    assert out["classification"]["reasons"] == ["training: 'apmāc'"]
    assert out["classification"]["evidence"] == {"training": ["apmācībām"]}
    assert all(unicodedata.is_normalized("NFC", s) for s in (out["title"], out["body"]))


def test_normalize_body_keeps_paragraphs_and_collapses_whitespace():
    body = (
        "  Pirmā\u00a0\u00a0rindkopa,\t\tpirmā rinda.  \r\n"
        "   otrā rinda.\n"
        "\n\n\n \t \n"
        "Otrā   rindkopa.\n\n"
        "Trešā rindkopa.\n\n\n"
    )
    assert normalize_body(body) == (
        "Pirmā rindkopa, pirmā rinda.\notrā rinda.\n\nOtrā rindkopa.\n\nTrešā rindkopa."
    )


def test_normalize_item_collapses_whitespace_in_other_strings():
    out = normalize_item(
        make_item(title="  Sociālo\n\tdarbinieku\u00a0 apmācības ", municipality="Ogres\n novads",
                  project_ids=[" 9.2.1.1/15/I/001\n"])
    )
    assert out["title"] == "Sociālo darbinieku apmācības"
    assert out["municipality"] == "Ogres novads"
    assert out["project_ids"] == ["9.2.1.1/15/I/001"]


def test_normalize_item_canonicalizes_url_and_images():
    out = normalize_item(
        make_item(
            url="HTTPS://WWW.Ogre.LV:443/lv/jaunumi/x?utm_source=fb#top",
            images=[
                "https://www.ogre.lv/img/a.jpg?utm_medium=x",
                "HTTPS://www.ogre.lv/img/a.jpg",
                "https://www.ogre.lv/img/b.jpg",
                "/img/relative.jpg",
                "data:image/png;base64,AAAA",
                "https://www.ogre.lv/img/a.jpg#x",
            ],
        )
    )
    assert out["url"] == "https://www.ogre.lv/lv/jaunumi/x"
    assert out["images"] == ["https://www.ogre.lv/img/a.jpg", "https://www.ogre.lv/img/b.jpg"]


def test_normalize_item_removes_empty_fields_and_keeps_the_input():
    item = make_item(author="   ", updated=None, category="\u00a0")
    item["updated"] = None
    before = dict(item)
    out = normalize_item(item)
    assert "author" not in out and "updated" not in out and "category" not in out
    assert out["topics"] == ["training"] and out["project_ids"] == []  # empty lists stay
    assert item == before


def test_normalize_pipeline_counts_unusable_images():
    crawler = get_crawler(settings_dict={})
    pipeline = NormalizePipeline.from_crawler(crawler)
    out = pipeline.process_item(make_item(images=["https://ogre.lv/a.jpg", "a.jpg", "javascript:x()"]))
    assert out["images"] == ["https://ogre.lv/a.jpg"]
    assert crawler.stats.get_value("sdcrawl/normalize/images_dropped") == 2


# --- validate ----------------------------------------------------------------------------------
def test_valid_item_has_no_errors():
    assert validation_errors(make_item()) == []
    assert validation_errors(normalize_item(make_item())) == []


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"title": None}, ["title: missing (required)"]),
        ({"published": None}, ["published: missing (required)"]),
        ({"published": "2012-13-01"}, ["published: '2012-13-01' is not a 'date'"]),
        ({"published": "15.03.2024"}, [
            "published: '15.03.2024' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'",
            "published: '15.03.2024' is not a 'date'",
        ]),
        ({"foo": "bar"}, ["foo: unknown field"]),
        ({"title": ""}, ["title: '' should be non-empty"]),
        ({"id": "Ogre-123"}, ["id: 'Ogre-123' does not match '^[a-z0-9_]+-[0-9a-f]{20}$'"]),
        ({"topics": ["training", "sport"]}, ["topics[1]: 'sport' is not one of ['training', 'project']"]),
        ({"classification": {"relevant": "yes", "social": True, "reasons": [], "evidence": {}}},
         ["classification.relevant: 'yes' is not of type 'boolean'"]),
        ({"scraped_at": "vakar"}, ["scraped_at: 'vakar' is not a 'date-time'"]),
    ],
)
def test_validation_errors(overrides, errors):
    assert validation_errors(make_item(**overrides)) == errors


def test_validation_errors_lists_every_field():
    errors = validation_errors(make_item(title=None, published="2012-13-01", extra=1))
    assert errors == ["extra: unknown field", "published: '2012-13-01' is not a 'date'", "title: missing (required)"]


# --- pipeline API with Scrapy 2.19 -------------------------------------------------------------
def test_project_pipelines_in_order_and_without_deprecated_signatures(tmp_path):
    crawler = get_crawler(settings_dict={"ITEM_PIPELINES": project_settings.ITEM_PIPELINES,
                                         "SDCRAWL_DATA_DIR": str(tmp_path)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScrapyDeprecationWarning)
        manager = ItemPipelineManager.from_crawler(crawler)
    assert [type(m) for m in manager.middlewares] == [
        NormalizePipeline, ClassifyPipeline, ValidatePipeline, RelevancePipeline, DedupPipeline, RelatedPipeline, StorePipeline
    ]


# --- the chain ---------------------------------------------------------------------------------
ARTICLE_URL = "https://www.ogre.lv/lv/jaunumi/socialo-darbinieku-apmacibas"


def three_addresses():
    """One article as a spider may meet it: with tracking parameters, over http, and as `?p=123`
    (whose page has the same text, with other whitespace and title case)."""
    base = make_item()
    return [
        make_item(url=ARTICLE_URL + "?utm_source=facebook&utm_medium=social&fbclid=IwAR0x"),
        make_item(url=ARTICLE_URL.replace("https://", "http://")),
        make_item(url="https://www.ogre.lv/?p=123", title="SOCIĀLO  darbinieku apmācības",
                  body=base["body"].replace("\n\n", "\n\n\n\n").replace(" ", "\u00a0")),
    ]


def test_one_article_under_three_urls_gives_one_line(tmp_path):
    with PipelineRun(tmp_path) as run:
        results = [run.process(item) for item in three_addresses()]
    assert results[0] is not None and results[1:] == [None, None]
    lines = feed_lines(tmp_path / "feed.jsonl")
    assert len(lines) == 1
    assert lines[0] == classify_item(normalize_item(make_item()))  # the chain classifies the text itself
    assert lines[0]["url"] == ARTICLE_URL
    assert lines[0]["id"] == article_id("ogre", ARTICLE_URL)
    assert run.stats["sdcrawl/feed/written"] == 1
    assert run.stats["sdcrawl/dropped/duplicate"] == 2
    assert run.stats["sdcrawl/dropped/duplicate/url"] == 1
    assert run.stats["sdcrawl/dropped/duplicate/content"] == 1
    with StateStore(tmp_path / "state.sqlite") as state:
        assert state.known_article(url_key="ogre.lv/?p=123") == lines[0]["id"]  # alias
        assert state.is_known_url(url_key(ARTICLE_URL.replace("https", "http"))) is True
        assert state.counts() == {"articles": 1, "aliases": 1, "rejected": 0}


def test_a_second_run_adds_no_line(tmp_path):
    items = [*three_addresses(), make_item(url="https://www.ogre.lv/lv/jaunumi/projekts", title="Projekts",
                                           body="ESF+ projekts sociālajiem darbiniekiem.")]
    with PipelineRun(tmp_path) as first:
        for item in items:
            first.process(item)
    assert first.stats["sdcrawl/feed/written"] == 2
    after_first = (tmp_path / "feed.jsonl").read_bytes()

    with PipelineRun(tmp_path) as second:  # a new crawler, the same data dir
        assert [second.process(item) for item in items] == [None] * 4
    assert (tmp_path / "feed.jsonl").read_bytes() == after_first
    assert "sdcrawl/feed/written" not in second.stats
    assert "sdcrawl/feed/reconciled" not in second.stats
    assert second.stats["sdcrawl/dropped/duplicate"] == 4


def test_rejected_items_are_counted_with_their_reason_and_remembered(tmp_path):
    irrelevant = make_item(
        url="https://www.ogre.lv/lv/jaunumi/koncerts", title="Koncerts", body="Koncerts kultūras namā.",
        topics=[], programmes=[],
        classification={"relevant": False, "social": False, "reasons": ["no topic"], "evidence": {}},
    )
    dateless = make_item(url="https://www.ogre.lv/lv/jaunumi/bez-datuma", published=None)
    untitled = make_item(url="https://www.ogre.lv/lv/jaunumi/bez-virsraksta", title="  ")
    invalid = make_item(url="https://www.ogre.lv/lv/jaunumi/slikts-datums", published="2012-13-01")
    good = make_item()
    with PipelineRun(tmp_path) as run:
        assert [run.process(i) for i in (irrelevant, dateless, untitled, invalid)] == [None] * 4
        assert run.process(good) is not None
    assert [line["id"] for line in feed_lines(tmp_path / "feed.jsonl")] == [good["id"]]
    assert run.stats["sdcrawl/dropped/irrelevant"] == 1
    assert run.stats["sdcrawl/dropped/no_date"] == 1
    assert run.stats["sdcrawl/dropped/no_title"] == 1
    assert run.stats["sdcrawl/dropped/invalid"] == 1
    assert run.stats["sdcrawl/dropped/invalid/published"] == 1
    assert run.stats["sdcrawl/feed/written"] == 1
    assert run.dropped[0].startswith(f"irrelevant: {irrelevant['url']} (not relevant: ")  # and why
    assert run.dropped[1:3] == [f"no_date: {dateless['url']}", f"no_title: {untitled['url']}"]
    with StateStore(tmp_path / "state.sqlite") as state:
        assert state.rejection(url_key(irrelevant["url"])) == "irrelevant"
        assert state.rejection(url_key(dateless["url"])) == "no_date"
        assert state.rejection(url_key(untitled["url"])) == "no_title"
        # an invalid item is a bug to fix, not a page to skip
        assert state.is_known_url(url_key(invalid["url"])) is False
        assert state.counts() == {"articles": 1, "aliases": 0, "rejected": 3}


def test_invalid_item_is_logged_on_one_line(tmp_path, caplog):
    with PipelineRun(tmp_path) as run:
        run.process(make_item(published="2012-13-01", foo=1))
    warnings_ = [r.getMessage() for r in caplog.records if r.name == "sdcrawl.pipelines.validate"]
    assert warnings_ == [
        "Invalid item https://www.ogre.lv/lv/jaunumi/socialo-darbinieku-apmacibas:"
        " foo: unknown field (and 1 more)"
    ]
    assert run.stats["sdcrawl/dropped/invalid/foo"] == 1
    assert run.stats["sdcrawl/dropped/invalid/published"] == 1


def test_two_crawlers_in_one_process_share_feed_and_state(tmp_path):
    first, second = PipelineRun(tmp_path), PipelineRun(tmp_path)
    first.open()
    second.open()
    assert first.process(make_item()) is not None
    assert second.process(make_item(url="https://www.ogre.lv/?p=123")) is None  # seen by the other crawler
    assert second.process(make_item(url="https://www.ogre.lv/cits", title="Cits")) is not None
    first.close()
    assert second.process(make_item(url="https://www.ogre.lv/vel", title="Vēl viens")) is not None
    second.close()
    assert len(feed_lines(tmp_path / "feed.jsonl")) == 3
    assert second.stats["sdcrawl/dropped/duplicate/content"] == 1


def test_dedup_remembers_articles_not_yet_stored(tmp_path):
    """Items may interleave: a duplicate can reach the dedup stage before the feed pipeline has
    recorded the first copy. The alias is recorded once the article is stored."""
    crawler = get_crawler(settings_dict={"SDCRAWL_DATA_DIR": str(tmp_path)})
    dedup, feed = DedupPipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)
    dedup.open_spider()
    feed.open_spider()
    first = dedup.process_item(make_item())
    for copy_, kind in ((make_item(url="https://www.ogre.lv/?p=123"), "duplicate of .* \\(same content\\)"),
                        (make_item(url=ARTICLE_URL + "?fbclid=1"), "same url")):
        with pytest.raises(DropItem, match=kind) as dropped:
            dedup.process_item(copy_)
        # what Scrapy's scraper does with a dropped item: the store stage hears of it
        crawler.signals.send_catch_log(signals.item_dropped, item=copy_, response=None, exception=dropped.value, spider=None)
    feed.process_item(first)
    feed.close_spider()
    dedup.close_spider()
    assert crawler.stats.get_value("sdcrawl/dropped/duplicate") == 2
    with StateStore(tmp_path / "state.sqlite") as state:
        assert state.known_article(url_key="ogre.lv/?p=123") == first["id"]
        assert state.counts() == {"articles": 1, "aliases": 1, "rejected": 0}
