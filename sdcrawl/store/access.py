"""Which crawl state, and one open store per database per process.

    open_state(settings)   a new store: PostgreSQL when SDCRAWL_STATE_URL=postgresql://..., else the
                           SQLite file (SDCRAWL_STATE_PATH, or <data dir>/state.sqlite)
    get_state(crawler)     the process-wide store of the crawler's settings, shared by every
                           pipeline and crawler of the process (sdcrawl.store.shared), closed when
                           its last user calls close()
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from sdcrawl.store.paths import state_path
from sdcrawl.store.shared import Shared
from sdcrawl.store.state import BaseStateStore, StateStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["POSTGRES_SCHEMES", "get_state", "open_state", "state_url"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def state_url(settings: Any) -> str | None:
    """SDCRAWL_STATE_URL from the settings, else from the environment; None for the SQLite file.
    Raises ValueError for a URL that is not a PostgreSQL one."""
    url = (settings.get("SDCRAWL_STATE_URL") if settings is not None else None) or os.environ.get("SDCRAWL_STATE_URL")
    if not url:
        return None
    url = str(url).strip()
    if not url.startswith(POSTGRES_SCHEMES):
        raise ValueError(f"SDCRAWL_STATE_URL must be a postgresql:// URL, not {url.split('://')[0]}://...")
    return url


def _open(settings: Any) -> tuple[Any, Any]:
    """(registry key, a function opening the store) for the settings."""
    url = state_url(settings)
    if url is not None:
        from sdcrawl.store.backends.postgresql import PostgresStateStore

        return url, lambda: PostgresStateStore(url)
    path = state_path(settings)
    return path, lambda: StateStore(path)


def open_state(settings: Any) -> BaseStateStore:
    """A new store for the settings (SDCRAWL_STATE_URL, else the SQLite file); close it when done."""
    return _open(settings)[1]()


# --- one store per database per process -----------------------------------------------------
_stores: Shared[BaseStateStore] = Shared(BaseStateStore._close_once)


def get_state(crawler: Crawler) -> BaseStateStore:
    """The process-wide store for the crawler's state (SDCRAWL_STATE_URL, else its state file);
    call `close()` on it when done."""
    key, opener = _open(crawler.settings)
    store, _ = _stores.acquire(key, lambda _key: opener())
    store._shared = _stores
    return store
