"""The crawl state: which articles are in the feed, which URLs are other addresses of them, and
which pages were deliberately rejected. SQLite (WAL, synchronous=FULL), one commit per write, by
default; PostgreSQL when SDCRAWL_STATE_URL=postgresql://... (sdcrawl.store.backends.postgresql,
docs/scale-out.md). Both run the same SQL and the same MIGRATIONS; `BaseStateStore` holds it.

The state never runs ahead of the feed: an article is recorded only after its line has been
written and fsynced (see sdcrawl.pipelines.store), so a killed process can leave the feed ahead of
the state, never behind it, and the next run closes the gap by reading the feed tail.

    store = StateStore("data/state.sqlite")
    store.known_article(url_key="ogre.lv/lv/jaunumi/x")   # -> "ogre-0123..." or None
    store.close()

In a crawl, use `sdcrawl.store.access.get_state(crawler)`: one store per database file (or URL) per process, shared
by all pipelines and crawlers, closed when its last user calls `close()`. `open_state(settings)`
opens the store the settings name, for code outside a crawl (the nightly run, the coordinator).

Queue mode (sdcrawl.scale): a worker records an article with `record_queued`, which gives it the
next sequence number and keeps its feed line in the row, in one transaction; the one feed writer
reads `pending_lines()` in sequence order, appends them to the feed and `mark_exported` records
where each line ended. Single-machine runs never set a sequence number.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sdcrawl.errors import DataError
from sdcrawl.store.shared import Shared
from sdcrawl.urls import url_key as make_url_key
from sdcrawl.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "BaseStateStore", "NewerStateError", "StateStore"]

logger = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class NewerStateError(DataError):
    """The state was written by a newer sdcrawl: one line, exit status 4, nothing changed."""


class BaseStateStore:
    """The state's queries and writes, in SQL both backends read alike. A backend provides
    `_one`/`_all` (a query under its lock), `_transaction()` (a context giving an object with
    `execute(sql, params)` returning a cursor, committed at the end, rolled back on error) and
    `_lock_sequence(tx)` (serialises sequence numbers across processes), and runs `_migrate()`."""

    path: Any

    # --- schema --------------------------------------------------------------------------
    def _migration_statements(self, number: int) -> list[str]:
        return [statement for statement in MIGRATIONS[number].split(";") if statement.strip()]

    def _before_migrate(self, tx: Any) -> None:
        """Backend hook, inside the migration's transaction before anything is read."""

    def _migrate(self) -> None:
        with self._transaction() as tx:
            self._before_migrate(tx)
            tx.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", ())
            row = tx.execute("SELECT max(version) FROM schema_version", ()).fetchone()
            version = row[0] or 0
            if version > SCHEMA_VERSION:
                raise NewerStateError(
                    f"{self.path} has state schema version {version}, written by a newer sdcrawl (this one knows up to "
                    f"{SCHEMA_VERSION}): upgrade sdcrawl, or give another --data-dir"
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in self._migration_statements(number):
                    tx.execute(statement, ())
                tx.execute("DELETE FROM schema_version", ())
                tx.execute("INSERT INTO schema_version (version) VALUES (?)", (number + 1,))
                logger.debug("State %s migrated to schema version %d", self.path, number + 1)

    def schema_version(self) -> int:
        return self._one("SELECT max(version) FROM schema_version", ())

    def _transaction(self) -> Any:  # pragma: no cover - each backend has its own
        raise NotImplementedError

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:  # pragma: no cover
        raise NotImplementedError

    def _lock_sequence(self, tx: Any) -> None:
        """Hold, until the transaction ends, the lock that orders sequence numbers: a number is
        taken and committed before the next one is taken, so numbers are committed in order."""

    # --- queries -------------------------------------------------------------------------
    def known_article(
        self, url_key: str | None = None, content_key: str | None = None, id: str | None = None
    ) -> str | None:
        """The id of the stored article with this URL key (its own or an alias), this content
        key, or this id; None if there is none."""
        if url_key is not None:
            found = self._one("SELECT id FROM articles WHERE url_key = ?", (url_key,))
            if found is None:
                found = self._one("SELECT id FROM aliases WHERE url_key = ?", (url_key,))
            if found is not None:
                return found
        if content_key is not None:
            found = self._one(
                "SELECT id FROM articles WHERE content_key = ? ORDER BY feed_offset_end LIMIT 1", (content_key,)
            )
            if found is not None:
                return found
        if id is not None:
            return self._one("SELECT id FROM articles WHERE id = ?", (id,))
        return None

    def is_known_url(self, url_key: str) -> bool:
        """Whether the URL key belongs to a stored article, an alias or a rejected page: a spider
        need not fetch it again."""
        return bool(
            self._one(
                "SELECT EXISTS (SELECT 1 FROM articles WHERE url_key = ?)"
                " OR EXISTS (SELECT 1 FROM aliases WHERE url_key = ?)"
                " OR EXISTS (SELECT 1 FROM rejected WHERE url_key = ?)",
                (url_key, url_key, url_key),
            )
        )

    def rejection(self, url_key: str) -> str | None:
        """The reason the page with this URL key was rejected, or None."""
        return self._one("SELECT reason FROM rejected WHERE url_key = ?", (url_key,))

    def last_feed_offset(self) -> int:
        """The feed offset just after the last line recorded here (0 when nothing is)."""
        return self._one("SELECT max(feed_offset_end) FROM articles", ()) or 0

    def counts(self) -> dict[str, int]:
        """Rows per table: articles, aliases, rejected."""
        return {
            table: self._one(f"SELECT count(*) FROM {table}", ())  # noqa: S608 (fixed names)
            for table in ("articles", "aliases", "rejected")
        }

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        value = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else value

    # --- writes (each commits) -------------------------------------------------------------
    def _insert_article(self, tx: Any, item: Mapping[str, Any], content_key: str, feed_offset_end: int,
                        seq: int | None = None, line: str | None = None) -> bool:
        key = make_url_key(item["url"])
        inserted = tx.execute(
            "INSERT INTO articles (id, url_key, content_key, site, url, published, feed_offset_end, stored_at, seq, line)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                item["id"], key, content_key, item["site"], item["url"],
                item.get("published"), feed_offset_end, _now(), seq, line,
            ),
        ).rowcount
        if inserted:
            # The URL is now an article of its own: no longer a rejected page or an alias.
            tx.execute("DELETE FROM rejected WHERE url_key = ?", (key,))
            tx.execute("DELETE FROM aliases WHERE url_key = ?", (key,))
        else:
            logger.debug("State already has %s (or its URL %s)", item["id"], key)
        return bool(inserted)

    def record_stored(self, item: Mapping[str, Any], content_key: str, feed_offset_end: int) -> bool:
        """Record an article whose feed line ends at `feed_offset_end`. Call only after the line
        is written and fsynced. Returns False if the id or URL key was already recorded."""
        with self._transaction() as tx:
            return self._insert_article(tx, item, content_key, feed_offset_end)

    def feed_offsets(self) -> dict[str, int]:
        """Every stored article's id and the feed offset just after its line (0: not in the feed yet)."""
        return dict(self._all("SELECT id, feed_offset_end FROM articles", ()))

    def correct_feed_offsets(self, offsets: dict[str, int]) -> None:
        """Set the feed offsets of these articles (after a line was inserted or cut mid-feed)."""
        with self._transaction() as tx:
            for article_id, offset in offsets.items():
                tx.execute("UPDATE articles SET feed_offset_end = ? WHERE id = ?", (offset, article_id))

    def forget_articles(self, ids: list[str]) -> None:
        """Forget articles whose feed line is gone (damaged in place), and put their pages on the
        list of pages to fetch again on the next run (as a failed fetch is): their lines are then
        appended anew, wherever the listing walk stops."""
        with self._transaction() as tx:
            for article_id in ids:
                row = tx.execute("SELECT url_key, url, site FROM articles WHERE id = ?", (article_id,)).fetchone()
                tx.execute("DELETE FROM aliases WHERE id = ?", (article_id,))
                tx.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                if row is not None:
                    tx.execute(
                        "INSERT INTO failed (url_key, url, site, reason, attempts, last_at) VALUES (?, ?, ?, ?, 0, ?)"
                        " ON CONFLICT (url_key) DO UPDATE SET reason = excluded.reason, last_at = excluded.last_at",
                        (row[0], row[1], row[2], "its feed line was damaged", _now()),
                    )

    def record_queued(self, item: Mapping[str, Any], content_key: str, line: str) -> int | None:
        """Queue mode: record an article and its feed line (`sdcrawl.store.feed.dumps_line`, as
        text) under the next sequence number, in one transaction. The feed writer appends it
        later. Returns the sequence number, or None if the id, the URL key or the content key was
        already recorded. (The content key is checked under the sequence lock: two workers that
        store the same article under different addresses at the same moment store it once.)"""
        with self._transaction() as tx:
            self._lock_sequence(tx)
            if tx.execute("SELECT 1 FROM articles WHERE content_key = ? LIMIT 1", (content_key,)).fetchone():
                return None
            seq = (tx.execute("SELECT max(seq) FROM articles", ()).fetchone()[0] or 0) + 1
            if self._insert_article(tx, item, content_key, 0, seq=seq, line=line):
                return seq
        return None

    def pending_lines(self, limit: int = 500) -> list[tuple[int, str, str]]:
        """(seq, id, line) of queued articles the feed does not have yet, in sequence order."""
        return self._all(
            "SELECT seq, id, line FROM articles WHERE seq IS NOT NULL AND feed_offset_end = 0 ORDER BY seq LIMIT ?",
            (limit,),
        )

    def mark_exported(self, id: str, feed_offset_end: int) -> bool:
        """Record that a queued article's line is in the feed, ending at `feed_offset_end`."""
        with self._transaction() as tx:
            return bool(tx.execute(
                "UPDATE articles SET feed_offset_end = ? WHERE id = ? AND seq IS NOT NULL AND feed_offset_end = 0",
                (feed_offset_end, id),
            ).rowcount)

    def article_offset(self, id: str) -> int | None:
        """Where the article's feed line ends (0: queued, not in the feed yet); None if unknown."""
        return self._one("SELECT feed_offset_end FROM articles WHERE id = ?", (id,))

    def add_alias(self, url_key: str, id: str) -> bool:
        """Record `url_key` as another address of the stored article `id`. Does nothing (and
        returns False) if that article is not stored yet, or the key is already known as an
        article or alias: an alias never points to an article that is not in the feed."""
        with self._transaction() as tx:
            added = tx.execute(
                "INSERT INTO aliases (url_key, id) SELECT ?, id FROM articles"
                " WHERE id = ? AND NOT EXISTS (SELECT 1 FROM articles WHERE url_key = ?) ON CONFLICT DO NOTHING",
                (url_key, id, url_key),
            ).rowcount
        return bool(added)

    def record_rejected(self, url_key: str, site: str, reason: str) -> None:
        """Record a page deliberately left out of the feed (irrelevant, no date, no title)."""
        with self._transaction() as tx:
            tx.execute(
                "INSERT INTO rejected (url_key, site, reason, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (url_key) DO UPDATE SET site = excluded.site, reason = excluded.reason, at = excluded.at",
                (url_key, site, reason, _now()),
            )

    # --- failed fetches: tried again on later runs ------------------------------------------
    def record_failed(self, url_key: str, url: str, site: str, reason: str) -> None:
        with self._transaction() as tx:
            tx.execute(
                "INSERT INTO failed (url_key, url, site, reason, attempts, last_at) VALUES (?, ?, ?, ?, 1, ?)"
                " ON CONFLICT (url_key) DO UPDATE SET reason = excluded.reason, attempts = failed.attempts + 1,"
                " last_at = excluded.last_at",
                (url_key, url, site, reason, _now()),
            )

    def forget_failed(self, url_keys: list[str]) -> None:
        with self._transaction() as tx:
            for key in url_keys:
                tx.execute("DELETE FROM failed WHERE url_key = ?", (key,))

    def pending_failed(self, site: str, max_attempts: int) -> list[str]:
        """URLs of the site's article pages whose fetch failed fewer than max_attempts times."""
        rows = self._all(
            "SELECT url FROM failed WHERE site = ? AND attempts < ? ORDER BY last_at", (site, max_attempts)
        )
        return [r[0] for r in rows]

    # --- nightly runs ---------------------------------------------------------------------
    def start_run(self, run_id: str, feed_offset_start: int) -> None:
        with self._transaction() as tx:
            tx.execute(
                "INSERT INTO runs (run_id, started_at, status, feed_offset_start) VALUES (?, ?, 'running', ?)",
                (run_id, _now(), feed_offset_start),
            )

    def finish_run(self, run_id: str, status: str, feed_offset_end: int) -> None:
        with self._transaction() as tx:
            tx.execute(
                "UPDATE runs SET status = ?, finished_at = ?, feed_offset_end = ? WHERE run_id = ?",
                (status, _now(), feed_offset_end, run_id),
            )

    def unfinished_runs(self) -> list[tuple[str, int]]:
        """(run_id, feed_offset_start) of runs that never finished (the process was killed)."""
        return [tuple(r) for r in self._all(
            "SELECT run_id, feed_offset_start FROM runs WHERE status = 'running' ORDER BY started_at", ()
        )]

    def record_run_site(self, run_id: str, site: str, status: str, new_items: int, articles_seen: int,
                        pages: int, errors: int, alerts: str, duration: float | None) -> None:
        with self._transaction() as tx:
            tx.execute(
                "INSERT INTO run_sites (run_id, site, status, new_items, articles_seen, pages, errors,"
                " alerts, duration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, site) DO UPDATE SET"
                " status = excluded.status, new_items = excluded.new_items, articles_seen = excluded.articles_seen,"
                " pages = excluded.pages, errors = excluded.errors, alerts = excluded.alerts, duration = excluded.duration",
                (run_id, site, status, new_items, articles_seen, pages, errors, alerts, duration),
            )

    def site_history(self, site: str, limit: int = 10) -> list[dict[str, Any]]:
        """The site's results in the latest finished runs, newest first."""
        rows = self._all(
            "SELECT r.run_id, r.started_at, s.status, s.new_items, s.articles_seen FROM run_sites s"
            " JOIN runs r ON r.run_id = s.run_id WHERE s.site = ? AND r.status != 'running'"
            " ORDER BY r.started_at DESC, r.run_id DESC LIMIT ?",
            (site, limit),
        )
        keys = ("run_id", "started_at", "status", "new_items", "articles_seen")
        return [dict(zip(keys, row)) for row in rows]

    def set_meta(self, key: str, value: str | None) -> None:
        with self._transaction() as tx:
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- lifetime --------------------------------------------------------------------------
    _shared: Shared | None = None  # set when handed out by sdcrawl.store.access.get_state
    _closed: bool = False

    @property
    def closed(self) -> bool:
        return self._closed

    def _close_connection(self) -> None:  # pragma: no cover - each backend has its own
        raise NotImplementedError

    def close(self) -> None:
        """Close the database; a store from `get_state` is closed when its last user calls this."""
        if self._shared is not None:
            self._shared.release(self._registry_key, self)
        else:
            self._close_once()

    def _close_once(self) -> None:
        if not self._closed:
            self._closed = True
            self._close_connection()

    @property
    def _registry_key(self) -> Any:
        return self.path

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}{' closed' if self._closed else ''}>"


class StateStore(BaseStateStore):
    """The crawl state in one SQLite file. Every write method commits before it returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: a write is durable when its statement (or explicit transaction) ends.
        self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
        self._lock = threading.RLock()
        try:
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                logger.warning("SQLite refused WAL mode for %s (journal mode: %s)", self.path, mode)
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def _all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _close_connection(self) -> None:
        with self._lock:
            self._conn.close()

    # (BEGIN IMMEDIATE already makes every write transaction of the file wait for the one before:
    # sequence numbers need no lock of their own here.)

    def __enter__(self) -> StateStore:
        return self


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error) under the store's lock."""

    def __init__(self, store: StateStore) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Connection:
        self._store._lock.acquire()
        try:
            self._store._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._store._lock.release()
            raise
        return self._store._conn

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        conn = self._store._conn
        try:
            if exc_type is None:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            else:
                conn.execute("ROLLBACK")
        finally:
            self._store._lock.release()
