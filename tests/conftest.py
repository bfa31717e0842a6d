"""Shared fixtures: the fault-injection server (tests/mockserver.py), one process per test session."""

import pytest
from mockserver import MockServer


@pytest.fixture(scope="session")
def mockserver():
    with MockServer() as server:
        yield server
