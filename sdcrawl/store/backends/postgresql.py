"""The crawl state in PostgreSQL (psycopg 3), for several workers on several machines.

Chosen by SDCRAWL_STATE_URL=postgresql://USER:PASSWORD@HOST:PORT/DB (sdcrawl.store.state). It runs
the very SQL and MIGRATIONS of the SQLite store (`BaseStateStore`); what differs is here:

- parameters: the store's `?` become psycopg's `%s`;
- types: INTEGER is widened to BIGINT and REAL to DOUBLE PRECISION in the migrations;
- concurrency: the migration runs under a transaction-level advisory lock (two workers starting
  at once migrate once), and `record_queued` takes another one so that sequence numbers are
  committed in the order they are taken (the feed writer may then trust "everything below the
  highest exported number is exported");
- the connection is in autocommit mode; each write is one transaction (`conn.transaction()`),
  durable when it returns (PostgreSQL's default synchronous_commit=on).

Uniqueness is by the schema's constraints (`INSERT ... ON CONFLICT DO NOTHING`): two workers that
store the same article at the same moment get one row, and the loser is told (rowcount 0).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from typing import Any

import psycopg

from sdcrawl.store.state import BaseStateStore

__all__ = ["PostgresStateStore", "advisory_key", "connect", "redact"]

logger = logging.getLogger(__name__)

# TCP keepalives: a worker whose machine vanished (no FIN) loses its session, and so its advisory
# locks, within about a minute instead of the kernel's two hours.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


def advisory_key(name: str) -> int:
    """A signed 64-bit advisory lock key for a name (the first 8 bytes of its BLAKE2b digest)."""
    return int.from_bytes(hashlib.blake2b(f"sdcrawl:{name}".encode(), digest_size=8).digest(), "big", signed=True)


MIGRATION_LOCK = advisory_key("migrate")
SEQUENCE_LOCK = advisory_key("sequence")


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def connect(url: str, *, connect_timeout: int = 10) -> psycopg.Connection:
    """An autocommit connection; raises psycopg.OperationalError when the server is unreachable."""
    return psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout, **KEEPALIVES)


def _to_pg(sql: str) -> str:
    return sql.replace("?", "%s")


def _widen(ddl: str) -> str:
    ddl = re.sub(r"\bINTEGER\b", "BIGINT", ddl)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", ddl)


class _Tx:
    def __init__(self, cursor: psycopg.Cursor) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: tuple[Any, ...]) -> psycopg.Cursor:
        self.cursor.execute(_to_pg(sql), params or None)
        return self.cursor


class _Transaction:
    def __init__(self, store: PostgresStateStore) -> None:
        self._store = store

    def __enter__(self) -> _Tx:
        store = self._store
        store._lock.acquire()
        try:
            self._tx = store._conn.transaction()
            self._tx.__enter__()
            self._cursor = store._conn.cursor()
        except BaseException:
            store._lock.release()
            raise
        return _Tx(self._cursor)

    def __exit__(self, *exc_info: Any) -> None:
        try:
            self._cursor.close()
            self._tx.__exit__(*exc_info)
        finally:
            self._store._lock.release()


class PostgresStateStore(BaseStateStore):
    """The crawl state in a PostgreSQL database. Every write method commits before it returns."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = redact(url)
        self._lock = threading.RLock()
        self._refs = 1
        self._conn = connect(url)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    @property
    def _registry_key(self) -> str:
        return self.url

    def _migration_statements(self, number: int) -> list[str]:
        return [_widen(s) for s in super()._migration_statements(number)]

    def _before_migrate(self, tx: _Tx) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def _lock_sequence(self, tx: _Tx) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(?)", (SEQUENCE_LOCK,))

    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        with self._lock:
            row = self._conn.execute(_to_pg(sql), params or None).fetchone()
        return None if row is None else row[0]

    def _all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(_to_pg(sql), params or None).fetchall()

    def _close_connection(self) -> None:
        with self._lock:
            self._conn.close()
