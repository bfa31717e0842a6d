"""The crawl state in PostgreSQL (a real server, tests/scaleservers.py) beside the SQLite default:
one list of migrations giving both the same schema, the same answers from the same calls,
sequence numbers that several processes take at once without a gap or a repeat, the queue-mode
feed stage, and the feed writer's repair after it was killed between a line and its record."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import psycopg
import pytest
from factories import PipelineRun, feed_lines, make_item

from sdcrawl.pipelines.classify import classify_item
from sdcrawl.pipelines.normalize import normalize_item
from sdcrawl.item import content_key
from sdcrawl.scale.coordinator import FeedExporter
from sdcrawl.scale.pipeline import DATABASE_FEED, FILE_FEED, queue_pipelines
from sdcrawl.settings import ITEM_PIPELINES
from sdcrawl.store.backends.postgresql import PostgresStateStore
from sdcrawl.store.feed import FeedWriter, dumps_line
from sdcrawl.store.access import open_state
from sdcrawl.store.state import SCHEMA_VERSION, StateStore
from sdcrawl.tools.testing import REPO
from sdcrawl.urls import url_key

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def pg_url(postgres_server):
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = StateStore(tmp_path / "state.sqlite")
    else:
        s = PostgresStateStore(request.getfixturevalue("pg_url"))
    yield s
    s.close()


def columns_sqlite(path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(r[1] for r in conn.execute(f"PRAGMA table_info({t})")) for t in tables}


def columns_pg(url) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'").fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return {t: sorted(c) for t, c in out.items()}


def test_one_list_of_migrations_gives_both_backends_the_same_schema(tmp_path, pg_url):
    StateStore(tmp_path / "s.sqlite").close()
    with PostgresStateStore(pg_url) as pg:
        assert pg.schema_version() == SCHEMA_VERSION
    assert columns_pg(pg_url) == columns_sqlite(tmp_path / "s.sqlite")
    assert "seq" in columns_pg(pg_url)["articles"]
    # opening again migrates nothing and keeps the version
    with PostgresStateStore(pg_url) as pg:
        assert pg.schema_version() == SCHEMA_VERSION
    with psycopg.connect(pg_url) as conn:  # offsets past 2 GiB fit: INTEGER was widened
        assert conn.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'articles'"
                            " AND column_name = 'feed_offset_end'").fetchone()[0] == "bigint"


def test_the_same_calls_give_the_same_answers(store):
    item = make_item()
    ckey, ukey = content_key(item), url_key(item["url"])
    assert store.record_stored(item, ckey, 3_000_000_000) is True
    assert store.record_stored(item, ckey, 5) is False  # the constraint decides: no second row
    assert store.known_article(url_key=ukey) == store.known_article(content_key=ckey) == item["id"]
    assert store.last_feed_offset() == 3_000_000_000
    assert store.add_alias("ogre.lv/?p=1", item["id"]) is True
    assert store.add_alias("ogre.lv/?p=1", item["id"]) is False
    assert store.add_alias("ogre.lv/?p=2", "ogre-" + "0" * 20) is False  # not stored: no alias
    store.record_rejected("ogre.lv/x", "ogre", "no_date")
    store.record_rejected("ogre.lv/x", "ogre", "irrelevant")
    assert store.rejection("ogre.lv/x") == "irrelevant"
    assert store.is_known_url("ogre.lv/x") and store.is_known_url("ogre.lv/?p=1") and not store.is_known_url("ogre.lv/y")
    store.record_failed("ogre.lv/f", "https://ogre.lv/f", "ogre", "HTTP 500")
    store.record_failed("ogre.lv/f", "https://ogre.lv/f", "ogre", "HTTP 503")
    assert store.pending_failed("ogre", 3) == ["https://ogre.lv/f"]
    assert store.pending_failed("ogre", 2) == []
    store.forget_failed(["ogre.lv/f"])
    assert store.pending_failed("ogre", 9) == []
    store.start_run("r1", 0)
    assert store.unfinished_runs() == [("r1", 0)]
    store.record_run_site("r1", "ogre", "ok", 1, 2, 3, 0, "[]", 1.5)
    store.record_run_site("r1", "ogre", "alert", 4, 2, 3, 0, "[]", 1.5)
    store.finish_run("r1", "finished", 10)
    assert store.unfinished_runs() == []
    assert store.site_history("ogre") == [{"run_id": "r1", "started_at": store.site_history("ogre")[0]["started_at"],
                                           "status": "alert", "new_items": 4, "articles_seen": 2}]
    store.set_meta("k", "v")
    store.set_meta("k", "w")
    assert store.get_meta("k") == "w" and store.get_meta("none", "d") == "d"
    assert store.counts() == {"articles": 1, "aliases": 1, "rejected": 1}


def test_queued_articles_are_numbered_once_and_read_in_order(store):
    a, b = make_item(), make_item(url="https://www.ogre.lv/lv/jaunumi/otra", title="Otra ziņa")
    assert store.record_queued(a, content_key(a), dumps_line(a).decode()) == 1
    assert store.record_queued(a, content_key(a), dumps_line(a).decode()) is None  # stored already
    assert store.record_queued(b, content_key(b), dumps_line(b).decode()) == 2
    same_text = make_item(url="https://www.ogre.lv/lv/jaunumi/cita-adrese", title="Otra ziņa")  # b's content
    assert store.record_queued(same_text, content_key(same_text), "{}") is None
    assert [(seq, i) for seq, i, _ in store.pending_lines()] == [(1, a["id"]), (2, b["id"])]
    assert store.article_offset(a["id"]) == 0
    assert store.mark_exported(a["id"], 100) is True
    assert store.mark_exported(a["id"], 200) is False  # once
    assert [i for _, i, _ in store.pending_lines()] == [b["id"]]
    assert store.known_article(url_key=url_key(b["url"])) == b["id"]  # a queued article is known at once


NUMBERER = textwrap.dedent("""
    import sys
    sys.path.insert(0, "tests")
    from factories import make_item
    from sdcrawl.item import content_key
    from sdcrawl.store.backends.postgresql import PostgresStateStore
    store = PostgresStateStore(sys.argv[1])
    for n in range(int(sys.argv[3])):
        item = make_item(url=f"https://www.ogre.lv/lv/jaunumi/{sys.argv[2]}-{n}", title=f"Ziņa {sys.argv[2]} {n}")
        store.record_queued(item, content_key(item), "{}")
    store.close()
""")


def test_workers_numbering_at_once_get_every_number_once(pg_url):
    PostgresStateStore(pg_url).close()
    procs = [subprocess.Popen([sys.executable, "-c", NUMBERER, pg_url, name, "40"], cwd=REPO) for name in ("a", "b", "c")]
    assert [p.wait(60) for p in procs] == [0, 0, 0]
    with psycopg.connect(pg_url) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM articles ORDER BY seq")]
    assert seqs == list(range(1, 121))


def test_the_database_feed_stage_replaces_the_file_stage(tmp_path, pg_url):
    pipelines = queue_pipelines(ITEM_PIPELINES)
    assert FILE_FEED not in pipelines and pipelines[DATABASE_FEED] == ITEM_PIPELINES[FILE_FEED]
    item = make_item()
    with PipelineRun(tmp_path, ITEM_PIPELINES=pipelines, SDCRAWL_STATE_URL=pg_url) as run:
        assert run.process(item) is not None
        assert run.process(dict(item)) is None  # the dedup stage, as in a single-machine run
    assert run.stats["sdcrawl/feed/written"] == 1
    assert not (tmp_path / "feed.jsonl").exists() and not (tmp_path / "state.sqlite").exists()
    with PostgresStateStore(pg_url) as state:
        [(seq, article_id, line)] = state.pending_lines()
    assert (seq, article_id) == (1, item["id"])
    assert json.loads(line) == classify_item(normalize_item(item))  # as the crawl's stages left it (classification is a stage)


def test_the_feed_writer_resumes_after_the_highest_number_in_the_feed(tmp_path, pg_url):
    items = [make_item(url=f"https://www.ogre.lv/lv/jaunumi/z-{n}", title=f"Ziņa {n}") for n in range(5)]
    feed_path = tmp_path / "feed.jsonl"
    with PostgresStateStore(pg_url) as state:
        for item in items:
            state.record_queued(item, content_key(item), dumps_line(item).decode())
        with FeedWriter(feed_path) as feed:
            exporter = FeedExporter(feed, state)
            # a writer killed after appending lines 1-3 but recording only line 1, with a cut 4th line
            for n, item in enumerate(items[:3]):
                end = feed.write(item)
                if n == 0:
                    state.mark_exported(item["id"], end)
        with open(feed_path, "ab") as f:
            f.write(dumps_line(items[3])[:25])
        with FeedWriter(feed_path) as feed:  # the restart: the cut line goes, the state catches up
            exporter = FeedExporter(feed, state)
            assert exporter.reconcile() == {"repaired": 2, "imported": 0}
            assert exporter.export() == 2
            assert exporter.export() == 0
        assert state.pending_lines() == []
    assert [i["id"] for i in feed_lines(feed_path)] == [i["id"] for i in items]


def test_a_feed_from_single_machine_runs_is_taken_into_the_database(tmp_path, pg_url):
    feed_path = tmp_path / "feed.jsonl"
    old = make_item(url="https://www.ogre.lv/lv/jaunumi/veca")
    with FeedWriter(feed_path) as feed:
        feed.write(old)
    with PostgresStateStore(pg_url) as state, FeedWriter(feed_path) as feed:
        assert FeedExporter(feed, state).reconcile() == {"repaired": 0, "imported": 1}
        assert state.known_article(url_key=url_key(old["url"])) == old["id"]
        assert state.pending_lines() == []  # already in the feed: never written again


def test_open_state_follows_the_setting(tmp_path, pg_url, monkeypatch):
    monkeypatch.delenv("SDCRAWL_STATE_URL", raising=False)
    with open_state({"SDCRAWL_DATA_DIR": str(tmp_path)}) as s:
        assert isinstance(s, StateStore) and s.path == tmp_path / "state.sqlite"
    with open_state({"SDCRAWL_STATE_URL": pg_url}) as s:
        assert isinstance(s, PostgresStateStore) and s.schema_version() == SCHEMA_VERSION
    with pytest.raises(ValueError, match="must be a postgresql:// URL"):
        open_state({"SDCRAWL_STATE_URL": "mysql://x/y"})


def test_a_worker_pointed_at_another_database_refuses_the_job(postgres_server):
    from sdcrawl.scale.coordinator import database_id
    from sdcrawl.scale.jobs import CrawlFailed, check_database

    ours, other = postgres_server.new_database(), postgres_server.new_database()
    with PostgresStateStore(ours) as state:
        ident = database_id(state)
        assert database_id(state) == ident  # made once, then kept
    PostgresStateStore(other).close()
    check_database(ours, ident)
    with pytest.raises(CrawlFailed, match="is not the coordinator's database"):
        check_database(other, ident)
