"""The crawl state's schema: one list of migrations for both backends (SQLite and PostgreSQL)."""

from __future__ import annotations


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
    # 2 -> 3: queue mode (docs/scale-out.md). An article recorded by a worker gets a sequence
    # number and its feed line; feed_offset_end stays 0 until the feed writer has appended it.
    """
    ALTER TABLE articles ADD COLUMN seq INTEGER;
    ALTER TABLE articles ADD COLUMN line TEXT;
    CREATE UNIQUE INDEX articles_seq ON articles (seq);
    """,
]
# The statements above are written once for both backends: plain SQL types, `?` parameters and
# `ON CONFLICT` clauses that SQLite and PostgreSQL read alike. The PostgreSQL backend widens
# INTEGER to BIGINT and REAL to DOUBLE PRECISION (SQLite's INTEGER is already 64-bit).
SCHEMA_VERSION = len(MIGRATIONS)
