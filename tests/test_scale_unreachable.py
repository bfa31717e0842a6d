"""Redis or PostgreSQL not answering when a queue-mode command starts: one clear line on stderr,
exit status 4, and nothing written (no data folder, no job, no table)."""

from __future__ import annotations

import psycopg
import pytest
from redis import Redis
from scaleservers import free_port

from sdcrawl.scale import EXIT_UNAVAILABLE
from sdcrawl.tools.testing import run_sdcrawl

pytestmark = pytest.mark.timeout(120)


def tables(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]


def test_redis_unreachable_at_start(tmp_path, postgres_server):
    state = postgres_server.new_database()
    dead = f"redis://127.0.0.1:{free_port()}/0"
    data = tmp_path / "data"
    proc = run_sdcrawl("nightly", "stopini", "--data-dir", str(data), "--queue", dead, env={"SDCRAWL_STATE_URL": state})
    assert proc.returncode == EXIT_UNAVAILABLE
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"sdcrawl nightly: Redis at {dead} is unreachable: ")
    assert not data.exists()
    assert tables(state) == []
    proc = run_sdcrawl("worker", "--queue", dead, env={"SDCRAWL_STATE_URL": state})
    assert proc.returncode == EXIT_UNAVAILABLE
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"sdcrawl worker: Redis at {dead} is unreachable: ")


def test_postgresql_unreachable_at_start(tmp_path, redis_server):
    Redis.from_url(redis_server.url(1)).flushdb()
    dead = f"postgresql://sdcrawl:secret@127.0.0.1:{free_port()}/sdcrawl"
    data = tmp_path / "data"
    proc = run_sdcrawl("nightly", "stopini", "--data-dir", str(data), "--queue", redis_server.url(1),
                       env={"SDCRAWL_STATE_URL": dead})
    assert proc.returncode == EXIT_UNAVAILABLE
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("sdcrawl nightly: PostgreSQL at postgresql://sdcrawl:***@127.0.0.1:")
    assert "secret" not in proc.stderr
    assert not data.exists()
    assert Redis.from_url(redis_server.url(1)).dbsize() == 0  # no job was enqueued
    proc = run_sdcrawl("worker", "--queue", redis_server.url(1), env={"SDCRAWL_STATE_URL": dead})
    assert proc.returncode == EXIT_UNAVAILABLE
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("sdcrawl worker: PostgreSQL at ")


def test_queue_mode_without_a_state_url_says_what_to_set(tmp_path, redis_server, monkeypatch):
    monkeypatch.delenv("SDCRAWL_STATE_URL", raising=False)
    proc = run_sdcrawl("nightly", "stopini", "--data-dir", str(tmp_path / "data"), "--queue", redis_server.url(1))
    assert proc.returncode == EXIT_UNAVAILABLE
    assert proc.stderr == ("sdcrawl nightly: queue mode needs the state in PostgreSQL: set "
                           "SDCRAWL_STATE_URL=postgresql://USER@HOST:PORT/DB; nothing was started\n")
    assert not (tmp_path / "data").exists()
    proc = run_sdcrawl("nightly", "stopini", "--data-dir", str(tmp_path / "data"), "--queue", "http://localhost:6379")
    assert proc.returncode == EXIT_UNAVAILABLE
    assert "must be a redis:// URL" in proc.stderr and proc.stderr.count("\n") == 1
