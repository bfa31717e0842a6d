"""Shared fixtures: the fault-injection server (tests/mockserver.py), one process per test session."""

import pytest
from mockserver import MockServer


@pytest.fixture(scope="session")
def mockserver():
    with MockServer() as server:
        yield server


@pytest.fixture(scope="session")
def redis_server():
    """A real redis-server on a free loopback port (tests/scaleservers.py), for the whole session."""
    from scaleservers import RedisServer

    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL on a free loopback port (tests/scaleservers.py), for the whole session."""
    from scaleservers import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()
