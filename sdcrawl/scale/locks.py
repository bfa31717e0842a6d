"""Locks across machines, as PostgreSQL advisory locks held by a session of their own.

A session lock is released by the server when its connection ends, also when the holder is killed
(the kernel closes the socket) or its machine vanishes (TCP keepalives end the session within about
a minute, sdcrawl.store.backends.postgresql.KEEPALIVES): a dead worker never leaves a stale lock,
and no expiry has to be guessed for a crawl whose length nobody knows beforehand.

    with HostLocks(state_url, ["stopini.lv"], owner="worker-1 job stopini"):
        ...   # no other worker crawls stopini.lv meanwhile
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from sdcrawl.store.backends.postgresql import advisory_key, connect

__all__ = ["CoordinatorLock", "HostLocks", "LockBusy", "host_of"]

logger = logging.getLogger(__name__)


class LockBusy(Exception):
    """The lock is held by another session."""


def host_of(domain: str) -> str:
    """The lock name of a host: lower case, without `www.` (www.x.lv and x.lv are one server)."""
    return domain.lower().removeprefix("www.")


class HostLocks:
    """Advisory locks on every host of a site, all or none: taken together (so two sites that share
    two hosts can never each hold one and wait for the other), waiting while any is held."""

    def __init__(self, state_url: str, hosts: Iterable[str], *, owner: str = "", poll: float = 0.5,
                 timeout: float | None = None) -> None:
        self.url = state_url
        self.hosts = sorted({host_of(h) for h in hosts})
        self.owner = owner
        self.poll = poll
        self.timeout = timeout
        self.waited = 0.0
        self._conn = None

    def __enter__(self) -> HostLocks:
        self._conn = connect(self.url)
        started = time.monotonic()
        announced = False
        try:
            while True:
                taken = []
                for host in self.hosts:
                    if self._conn.execute("SELECT pg_try_advisory_lock(%s)", (advisory_key(f"host:{host}"),)).fetchone()[0]:
                        taken.append(host)
                    else:
                        break
                if len(taken) == len(self.hosts):
                    self.waited = time.monotonic() - started
                    if announced:
                        logger.info("%s: host(s) %s free after %.1f s", self.owner, ", ".join(self.hosts), self.waited)
                    return self
                for host in taken:
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (advisory_key(f"host:{host}"),))
                if not announced:
                    logger.info("%s: waiting for host %s, being crawled by another worker", self.owner,
                                self.hosts[len(taken)])
                    announced = True
                if self.timeout is not None and time.monotonic() - started > self.timeout:
                    raise LockBusy(f"host {self.hosts[len(taken)]} stayed busy for {self.timeout:.0f} s")
                time.sleep(self.poll)
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    def __exit__(self, *exc) -> None:
        if self._conn is not None:
            self._conn.close()  # ends the session: every lock of it is released
            self._conn = None


class CoordinatorLock:
    """One coordinator per state database: the feed must have one writer."""

    def __init__(self, state_url: str) -> None:
        self.url = state_url
        self._conn = None

    def __enter__(self) -> CoordinatorLock:
        self._conn = connect(self.url)
        if not self._conn.execute("SELECT pg_try_advisory_lock(%s)", (advisory_key("coordinator"),)).fetchone()[0]:
            self._conn.close()
            self._conn = None
            raise LockBusy("another coordinator (sdcrawl nightly --queue) is using this state database")
        return self

    def __exit__(self, *exc) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
