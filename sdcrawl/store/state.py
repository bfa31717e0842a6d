"""The crawl state: which articles are in the feed, which URLs are other addresses of them, and
which pages were deliberately rejected. SQLite (WAL, synchronous=FULL), one commit per write.

The state never runs ahead of the feed: an article is recorded only after its line has been
written and fsynced (see sdcrawl.pipelines.store), so a killed process can leave the feed ahead of
the state, never behind it, and the next run closes the gap by reading the feed tail.

    store = StateStore("data/state.sqlite")
    store.known_article(url_key="ogre.lv/lv/jaunumi/x")   # -> "ogre-0123..." or None
    store.close()

In a crawl, use `get_state(crawler)`: one store per database file per process, shared by all
pipelines and crawlers, closed when its last user calls `close()`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdcrawl.store.paths import state_path
from sdcrawl.urls import url_key as make_url_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["SCHEMA_VERSION", "StateStore", "get_state"]

logger = logging.getLogger(__name__)

# MIGRATIONS[n] brings a database from version n to version n + 1. Append, never edit.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        url_key TEXT NOT NULL UNIQUE,
        content_key TEXT NOT NULL,
        site TEXT NOT NULL,
        url TEXT NOT NULL,
        published TEXT,
        feed_offset_end INTEGER NOT NULL,
        stored_at TEXT NOT NULL
    );
    CREATE INDEX articles_content_key ON articles (content_key);
    CREATE INDEX articles_feed_offset_end ON articles (feed_offset_end);
    CREATE TABLE aliases (
        url_key TEXT PRIMARY KEY,
        id TEXT NOT NULL REFERENCES articles (id)
    );
    CREATE TABLE rejected (
        url_key TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT
    );
    """,
    # 1 -> 2: nightly runs, their per-site results, and article pages whose fetch failed
    """
    CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        feed_offset_start INTEGER NOT NULL,
        feed_offset_end INTEGER
    );
    CREATE TABLE run_sites (
        run_id TEXT NOT NULL REFERENCES runs (run_id),
        site TEXT NOT NULL,
        status TEXT NOT NULL,
        new_items INTEGER NOT NULL,
        articles_seen INTEGER NOT NULL,
        pages INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        alerts TEXT NOT NULL,
        duration REAL,
        PRIMARY KEY (run_id, site)
    );
    CREATE TABLE failed (
        url_key TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        site TEXT NOT NULL,
        reason TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_at TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StateStore:
    """The crawl state in one SQLite file. Every write method commits before it returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: a write is durable when its statement (or explicit transaction) ends.
        self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
        self._lock = threading.RLock()
        self._refs = 1
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

    # --- schema --------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            version = row[0] or 0
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has state schema version {version}; this sdcrawl knows up to {SCHEMA_VERSION}"
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (number + 1,))
                logger.debug("State %s migrated to schema version %d", self.path, number + 1)

    def schema_version(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]

    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    # --- queries -------------------------------------------------------------------------
    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

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
    def record_stored(self, item: Mapping[str, Any], content_key: str, feed_offset_end: int) -> bool:
        """Record an article whose feed line ends at `feed_offset_end`. Call only after the line
        is written and fsynced. Returns False if the id or URL key was already recorded."""
        key = make_url_key(item["url"])
        with self._transaction() as conn:
            inserted = conn.execute(
                "INSERT INTO articles (id, url_key, content_key, site, url, published, feed_offset_end, stored_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    item["id"], key, content_key, item["site"], item["url"],
                    item.get("published"), feed_offset_end, _now(),
                ),
            ).rowcount
            if inserted:
                # The URL is now an article of its own: no longer a rejected page or an alias.
                conn.execute("DELETE FROM rejected WHERE url_key = ?", (key,))
                conn.execute("DELETE FROM aliases WHERE url_key = ?", (key,))
        if not inserted:
            logger.debug("State already has %s (or its URL %s)", item["id"], key)
        return bool(inserted)

    def add_alias(self, url_key: str, id: str) -> bool:
        """Record `url_key` as another address of the stored article `id`. Does nothing (and
        returns False) if that article is not stored yet, or the key is already known as an
        article or alias: an alias never points to an article that is not in the feed."""
        with self._transaction() as conn:
            added = conn.execute(
                "INSERT OR IGNORE INTO aliases (url_key, id) SELECT ?, id FROM articles"
                " WHERE id = ? AND NOT EXISTS (SELECT 1 FROM articles WHERE url_key = ?)",
                (url_key, id, url_key),
            ).rowcount
        return bool(added)

    def record_rejected(self, url_key: str, site: str, reason: str) -> None:
        """Record a page deliberately left out of the feed (irrelevant, no date, no title)."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO rejected (url_key, site, reason, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (url_key) DO UPDATE SET site = excluded.site, reason = excluded.reason, at = excluded.at",
                (url_key, site, reason, _now()),
            )

    # --- failed fetches: tried again on later runs ------------------------------------------
    def record_failed(self, url_key: str, url: str, site: str, reason: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO failed (url_key, url, site, reason, attempts, last_at) VALUES (?, ?, ?, ?, 1, ?)"
                " ON CONFLICT (url_key) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1,"
                " last_at = excluded.last_at",
                (url_key, url, site, reason, _now()),
            )

    def forget_failed(self, url_keys: list[str]) -> None:
        with self._transaction() as conn:
            conn.executemany("DELETE FROM failed WHERE url_key = ?", [(k,) for k in url_keys])

    def pending_failed(self, site: str, max_attempts: int) -> list[str]:
        """URLs of the site's article pages whose fetch failed fewer than max_attempts times."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT url FROM failed WHERE site = ? AND attempts < ? ORDER BY last_at", (site, max_attempts)
            ).fetchall()
        return [r[0] for r in rows]

    # --- nightly runs ---------------------------------------------------------------------
    def start_run(self, run_id: str, feed_offset_start: int) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO runs (run_id, started_at, status, feed_offset_start) VALUES (?, ?, 'running', ?)",
                (run_id, _now(), feed_offset_start),
            )

    def finish_run(self, run_id: str, status: str, feed_offset_end: int) -> None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE runs SET status = ?, finished_at = ?, feed_offset_end = ? WHERE run_id = ?",
                (status, _now(), feed_offset_end, run_id),
            )

    def unfinished_runs(self) -> list[tuple[str, int]]:
        """(run_id, feed_offset_start) of runs that never finished (the process was killed)."""
        with self._lock:
            return self._conn.execute(
                "SELECT run_id, feed_offset_start FROM runs WHERE status = 'running' ORDER BY started_at"
            ).fetchall()

    def record_run_site(self, run_id: str, site: str, status: str, new_items: int, articles_seen: int,
                        pages: int, errors: int, alerts: str, duration: float | None) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO run_sites (run_id, site, status, new_items, articles_seen, pages, errors,"
                " alerts, duration) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, site, status, new_items, articles_seen, pages, errors, alerts, duration),
            )

    def site_history(self, site: str, limit: int = 10) -> list[dict[str, Any]]:
        """The site's results in the latest finished runs, newest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT r.run_id, r.started_at, s.status, s.new_items, s.articles_seen FROM run_sites s"
                " JOIN runs r ON r.run_id = s.run_id WHERE s.site = ? AND r.status != 'running'"
                " ORDER BY r.started_at DESC, r.run_id DESC LIMIT ?",
                (site, limit),
            ).fetchall()
        keys = ("run_id", "started_at", "status", "new_items", "articles_seen")
        return [dict(zip(keys, row)) for row in rows]

    def set_meta(self, key: str, value: str | None) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- lifetime --------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return self._refs <= 0

    def close(self) -> None:
        """Release this user's reference; the database is closed when the last one goes."""
        with _registry_lock:
            if self._refs <= 0:
                return
            self._refs -= 1
            if self._refs > 0:
                return
            if _registry.get(self.path) is self:
                del _registry[self.path]
        with self._lock:
            self._conn.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<StateStore {self.path} refs={self._refs}>"


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


# --- one store per file per process ---------------------------------------------------------
_registry: dict[Path, StateStore] = {}
_registry_lock = threading.RLock()


def get_state(crawler: Crawler) -> StateStore:
    """The process-wide store for the crawler's state file; call `close()` on it when done."""
    path = state_path(crawler.settings)
    with _registry_lock:
        store = _registry.get(path)
        if store is None:
            store = _registry[path] = StateStore(path)
        else:
            store._refs += 1
    return store
