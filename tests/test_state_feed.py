"""The crawl state (SQLite) and the JSON Lines feed writer, including real kill -9 tests."""

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from factories import PipelineRun, feed_lines, make_item
from scrapy.utils.test import get_crawler

from sdcrawl.store.feed import FeedLockedError, FeedWriter, dumps_line, get_feed, iter_ids, iter_lines
from sdcrawl.pipelines.validate import validation_errors
from sdcrawl.item import content_key
from sdcrawl.store.access import get_state
from sdcrawl.store.state import SCHEMA_VERSION, NewerStateError, StateStore
from sdcrawl.urls import url_key

REPO = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent


def crawler_for(data_dir, **settings):
    return get_crawler(settings_dict={"SDCRAWL_DATA_DIR": str(data_dir), **settings})


# --- state -------------------------------------------------------------------------------------
@pytest.fixture
def store(tmp_path):
    s = StateStore(tmp_path / "sub" / "state.sqlite")
    yield s
    s.close()


def test_state_creates_folders_schema_and_pragmas(store, tmp_path):
    assert (tmp_path / "sub" / "state.sqlite").is_file()
    assert store.schema_version() == SCHEMA_VERSION == 3  # 3: queue mode (sdcrawl.scale)
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"schema_version", "articles", "aliases", "rejected", "meta", "runs", "run_sites", "failed"}


def test_state_refuses_a_newer_schema(tmp_path):
    path = tmp_path / "state.sqlite"
    StateStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(NewerStateError, match="schema version 99, written by a newer sdcrawl"):
        StateStore(path)


def test_record_stored_and_known_article(store):
    item = make_item()
    ckey = content_key(item)
    ukey = url_key(item["url"])
    assert store.known_article(url_key=ukey) is None
    assert store.last_feed_offset() == 0
    assert store.record_stored(item, ckey, 1234) is True
    assert store.known_article(url_key=ukey) == item["id"]
    assert store.known_article(content_key=ckey) == item["id"]
    assert store.known_article(id=item["id"]) == item["id"]
    assert store.known_article(url_key="ogre.lv/other", content_key="0" * 64, id="ogre-" + "0" * 20) is None
    assert store.known_article() is None
    assert store.is_known_url(ukey) is True
    assert store.last_feed_offset() == 1234
    # the same article again: no change
    assert store.record_stored(item, ckey, 9999) is False
    assert store.last_feed_offset() == 1234
    assert store.counts() == {"articles": 1, "aliases": 0, "rejected": 0}


def test_aliases_only_point_to_stored_articles(store):
    item = make_item()
    assert store.add_alias("ogre.lv/?p=123", item["id"]) is False  # not stored yet
    assert store.is_known_url("ogre.lv/?p=123") is False
    store.record_stored(item, content_key(item), 10)
    assert store.add_alias("ogre.lv/?p=123", item["id"]) is True
    assert store.add_alias("ogre.lv/?p=123", item["id"]) is False  # already there
    assert store.add_alias(url_key(item["url"]), item["id"]) is False  # its own URL
    assert store.known_article(url_key="ogre.lv/?p=123") == item["id"]
    assert store.is_known_url("ogre.lv/?p=123") is True
    assert store.counts() == {"articles": 1, "aliases": 1, "rejected": 0}


def test_rejected_pages_are_known_until_stored(store):
    item = make_item()
    ukey = url_key(item["url"])
    store.record_rejected(ukey, "ogre", "no_date")
    assert store.is_known_url(ukey) is True
    assert store.rejection(ukey) == "no_date"
    assert store.known_article(url_key=ukey) is None  # a rejection is not an article
    store.record_rejected(ukey, "ogre", "irrelevant")
    assert store.rejection(ukey) == "irrelevant"
    # the page later makes it into the feed (e.g. the date was added): no longer rejected
    store.record_stored(item, content_key(item), 10)
    assert store.rejection(ukey) is None
    assert store.counts() == {"articles": 1, "aliases": 0, "rejected": 0}


def test_state_survives_reopening(tmp_path):
    path = tmp_path / "state.sqlite"
    item = make_item()
    with StateStore(path) as s:
        s.record_stored(item, content_key(item), 77)
        s.record_rejected("ogre.lv/x", "ogre", "irrelevant")
        s.set_meta("k", "v")
    with StateStore(path) as s:
        assert s.known_article(url_key=url_key(item["url"])) == item["id"]
        assert s.is_known_url("ogre.lv/x") is True
        assert s.last_feed_offset() == 77
        assert s.get_meta("k") == "v"
        assert s.get_meta("missing", "d") == "d"


def test_content_key_ignores_case_of_title_and_whitespace():
    a = make_item()
    b = make_item(title="  SOCIĀLO darbinieku\n apmācības ", body=a["body"].replace(" ", "  \n "))
    assert content_key(a) == content_key(b)
    assert content_key(a) != content_key(make_item(published="2024-03-16"))
    assert content_key(a) != content_key(make_item(body=a["body"] + " Papildināts."))
    assert content_key(a) != content_key(make_item(body=a["body"].upper()))  # body case matters


def test_get_state_is_shared_and_refcounted(tmp_path):
    first = get_state(crawler_for(tmp_path))
    second = get_state(crawler_for(tmp_path))  # another crawler, same process
    other = get_state(crawler_for(tmp_path / "elsewhere"))
    assert first is second
    assert other is not first
    assert first.path == (tmp_path / "state.sqlite").resolve()
    first.close()
    assert not second.closed
    assert second.known_article(url_key="x") is None  # still usable
    second.close()
    assert second.closed
    with pytest.raises(sqlite3.ProgrammingError):
        second.known_article(url_key="x")
    third = get_state(crawler_for(tmp_path))
    assert third is not first and not third.closed
    third.close()
    other.close()


def test_get_state_uses_the_state_path_setting(tmp_path):
    s = get_state(crawler_for(tmp_path / "data", SDCRAWL_STATE_PATH=str(tmp_path / "x" / "s.db")))
    try:
        assert s.path == (tmp_path / "x" / "s.db").resolve()
        assert s.path.is_file()
    finally:
        s.close()


# --- feed writer -------------------------------------------------------------------------------
def test_dumps_line_is_one_sorted_utf8_line():
    line = dumps_line({"b": "ā\nb\u2028c", "a": 1})
    assert line == '{"a": 1, "b": "ā\\nb\\u2028c"}\n'.encode()
    assert line.count(b"\n") == 1
    with pytest.raises(ValueError):
        dumps_line({"a": float("nan")})


def test_feed_writer_appends_lines_and_returns_offsets(tmp_path):
    path = tmp_path / "out" / "feed.jsonl"
    items = [make_item(url=f"https://www.ogre.lv/a/{i}") for i in range(3)]
    with FeedWriter(path) as feed:
        ends = [feed.write(item) for item in items]
        assert feed.repaired_bytes == 0
    data = path.read_bytes()
    assert ends[-1] == len(data)
    assert ends == [len(b"".join(dumps_line(i) for i in items[: n + 1])) for n in range(3)]
    assert feed_lines(path) == items
    assert list(iter_ids(path)) == [(item["id"], end) for item, end in zip(items, ends, strict=True)]
    assert list(iter_ids(path, ends[0])) == [(items[1]["id"], ends[1]), (items[2]["id"], ends[2])]
    assert list(iter_ids(path, ends[2])) == []
    assert list(iter_ids(tmp_path / "missing.jsonl")) == []
    # reopening appends after the existing lines
    with FeedWriter(path) as feed:
        assert feed.write(items[0]) == ends[2] + len(dumps_line(items[0]))


def test_feed_writer_repairs_a_partial_last_line(tmp_path, caplog):
    path = tmp_path / "feed.jsonl"
    good = [make_item(url=f"https://www.ogre.lv/a/{i}") for i in range(2)]
    complete = b"".join(dumps_line(i) for i in good)
    partial = dumps_line(make_item(url="https://www.ogre.lv/a/cut"))[:57]
    path.write_bytes(complete + partial)  # what a writer killed mid-line leaves
    assert [i for i, _ in iter_ids(path)] == [good[0]["id"], good[1]["id"]]  # the reader skips it too
    with caplog.at_level(logging.WARNING, logger="sdcrawl.store.feed"):
        with FeedWriter(path) as feed:
            assert feed.repaired_bytes == 57
            assert feed.size() == len(complete)
            feed.write(good[0])
    assert path.read_bytes() == complete + dumps_line(good[0])
    assert feed_lines(path) == [good[0], good[1], good[0]]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "dropped 57 bytes" in warnings[0]


def test_feed_writer_repairs_a_file_without_any_complete_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "ogre-')
    with FeedWriter(path) as feed:
        assert feed.repaired_bytes == 13
    assert path.read_bytes() == b""


def test_feed_writer_repair_scans_back_over_long_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    first = dumps_line(make_item(body="x" * 200_000))
    path.write_bytes(first + b'{"body": "' + b"y" * 150_000)
    with FeedWriter(path) as feed:
        assert feed.repaired_bytes == 150_010
    assert path.read_bytes() == first


def test_iter_lines_skips_a_corrupt_line(tmp_path, caplog):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"id": "a-1"}\nnot json\n{"id": "a-2"}\n')
    with caplog.at_level(logging.WARNING, logger="sdcrawl.store.feed"):
        assert list(iter_lines(path)) == [({"id": "a-1"}, 14), ({"id": "a-2"}, 37)]
    assert "ending at offset 23 is not JSON" in caplog.text


def test_a_failed_write_leaves_no_partial_line(tmp_path, monkeypatch):
    path = tmp_path / "feed.jsonl"
    with FeedWriter(path) as feed:
        end = feed.write(make_item())

        def full_disk(fd):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", full_disk)
        with pytest.raises(OSError, match="No space left"):
            feed.write(make_item(url="https://www.ogre.lv/b"))
        monkeypatch.undo()
        assert feed.size() == end
        assert feed.write(make_item(url="https://www.ogre.lv/c")) > end
    assert [line["url"] for line in feed_lines(path)] == [make_item()["url"], "https://www.ogre.lv/c"]


def test_a_second_writer_on_the_same_feed_is_refused(tmp_path):
    path = tmp_path / "feed.jsonl"
    with FeedWriter(path):
        with pytest.raises(FeedLockedError):
            FeedWriter(path)
    FeedWriter(path).close()  # free again once the first is closed


def test_get_feed_is_shared_and_refcounted(tmp_path):
    first = get_feed(crawler_for(tmp_path))
    second = get_feed(crawler_for(tmp_path))
    assert first is second
    assert first.path == (tmp_path / "feed.jsonl").resolve()
    first.close()
    second.write(make_item())
    second.close()
    assert second.closed
    with pytest.raises(ValueError, match="closed"):
        second.write(make_item())
    assert len(feed_lines(tmp_path / "feed.jsonl")) == 1


def test_get_feed_counts_repaired_bytes(tmp_path):
    (tmp_path / "feed.jsonl").write_bytes(dumps_line(make_item()) + b'{"id"')
    crawler = crawler_for(tmp_path, SDCRAWL_FEED_PATH=str(tmp_path / "feed.jsonl"))
    feed = get_feed(crawler)
    feed.close()
    assert crawler.stats.get_value("sdcrawl/feed/repaired_bytes") == 5


# --- kill -9 for real --------------------------------------------------------------------------
WRITER = textwrap.dedent(
    """
    import sys
    from factories import make_item
    from sdcrawl.store.feed import FeedWriter
    from sdcrawl.item import content_key
    from sdcrawl.store.state import StateStore

    feed, state = FeedWriter(sys.argv[1]), StateStore(sys.argv[2])
    print("ready", flush=True)
    for i in range(1_000_000):
        item = make_item(url=f"https://www.ogre.lv/lv/jaunumi/raksts-{i}", body=f"Raksts {i}. " + "Teksts. " * 2000)
        end = feed.write(item)           # feed first ...
        state.record_stored(item, content_key(item), end)   # ... then state
    """
)


def _kill_while_writing(tmp_path, min_bytes):
    feed_path, state_path = tmp_path / "feed.jsonl", tmp_path / "state.sqlite"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(TESTS), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(feed_path), str(state_path)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline() == "ready\n"
        deadline = time.monotonic() + 15
        while feed_path.stat().st_size < min_bytes:
            assert proc.poll() is None, "the writer ended by itself"
            assert time.monotonic() < deadline, "the feed did not grow"
            time.sleep(0.005)
        assert proc.poll() is None, "the writer must still be running when it is killed"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    return feed_path, state_path


@pytest.mark.parametrize("min_bytes", [1, 200_000, 600_000])
def test_kill_9_while_writing_leaves_a_valid_feed(tmp_path, min_bytes):
    feed_path, state_path = _kill_while_writing(tmp_path, min_bytes)

    # The next run: opening the feed repairs it (a kill may have cut the last line) ...
    FeedWriter(feed_path).close()
    lines = feed_lines(feed_path)
    assert len(lines) >= 1
    ids = [line["id"] for line in lines]
    assert len(ids) == len(set(ids))
    for line in lines:
        assert validation_errors(line) == []
    # ... the state never claims more than the feed has (at most the last line is unrecorded) ...
    with StateStore(state_path) as state:
        recorded = state.counts()["articles"]
        assert len(lines) - 1 <= recorded <= len(lines)
        assert state.last_feed_offset() <= feed_path.stat().st_size
    # ... and after the feed pipeline has reconciled, every article in the feed is in the state
    # exactly once, and the same items again add no line.
    with PipelineRun(tmp_path) as run:
        for line in lines:
            assert run.process(make_item(url=line["url"], body=line["body"])) is None
    assert run.stats.get("sdcrawl/feed/reconciled", 0) == len(lines) - recorded
    assert run.stats["sdcrawl/dropped/duplicate"] == len(lines)
    assert "sdcrawl/feed/written" not in run.stats
    assert feed_lines(feed_path) == lines
    with StateStore(state_path) as state:
        assert state.counts()["articles"] == len(lines)
        assert all(state.known_article(id=i) == i for i in ids)


def test_kill_between_feed_write_and_state_commit_is_reconciled(tmp_path):
    item = make_item()
    # Run 1 wrote the line, then was killed before recording it in the state.
    with FeedWriter(tmp_path / "feed.jsonl") as feed:
        end = feed.write(item)
    with StateStore(tmp_path / "state.sqlite") as state:
        assert state.known_article(id=item["id"]) is None
    # Run 2 sees the same article again, under its own URL and under a `?p=` address.
    with PipelineRun(tmp_path) as run:
        assert run.process(make_item()) is None
        assert run.process(make_item(url="https://www.ogre.lv/?p=123")) is None
    assert run.stats["sdcrawl/feed/reconciled"] == 1
    assert run.stats["sdcrawl/dropped/duplicate"] == 2
    assert "sdcrawl/feed/written" not in run.stats
    assert feed_lines(tmp_path / "feed.jsonl") == [item]
    with StateStore(tmp_path / "state.sqlite") as state:
        assert state.known_article(id=item["id"]) == item["id"]
        assert state.last_feed_offset() == end
        assert state.known_article(url_key="ogre.lv/?p=123") == item["id"]


def test_a_state_ahead_of_the_feed_is_rebuilt_from_the_feed(tmp_path, caplog):
    # The feed was replaced by a shorter one: the state's offset points past its end.
    item = make_item()
    with StateStore(tmp_path / "state.sqlite") as state:
        state.record_stored(make_item(url="https://www.ogre.lv/old"), "0" * 64, 10_000)
    with FeedWriter(tmp_path / "feed.jsonl") as feed:
        feed.write(item)
    with caplog.at_level(logging.ERROR):
        with PipelineRun(tmp_path) as run:
            pass
    assert "does not match state" in caplog.text
    assert run.stats["sdcrawl/feed/reconciled"] == 1
    with StateStore(tmp_path / "state.sqlite") as state:
        assert state.known_article(id=item["id"]) == item["id"]


def test_feed_file_is_json_lines_of_the_schema(tmp_path):
    with PipelineRun(tmp_path) as run:
        run.process(make_item(title="Apma\u0304cības  ā"))
    raw = (tmp_path / "feed.jsonl").read_bytes()
    assert raw.count(b"\n") == 1
    assert "Apmācības ā".encode() in raw  # NFC, not \\u escapes
    line = json.loads(raw)
    assert validation_errors(line) == []
    assert list(line) == sorted(line)


def test_a_version_1_state_migrates_to_the_current_schema_keeping_its_data(tmp_path):
    import sqlite3

    from sdcrawl.store.state import MIGRATIONS

    path = tmp_path / "state.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1)")
    conn.execute("INSERT INTO articles VALUES ('x-00000000000000000000', 'x.lv/a', 'c', 'x', 'https://x.lv/a', '2024-01-02', 10, 'now')")
    conn.commit()
    conn.close()
    store = StateStore(path)
    try:
        assert store.schema_version() == 3
        assert store.known_article(url_key="x.lv/a") == "x-00000000000000000000"
        store.start_run("r1", 10)
        assert store.unfinished_runs() == [("r1", 10)]
    finally:
        store.close()
