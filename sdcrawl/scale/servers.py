"""One-line checks that the queue (Redis) and the state (PostgreSQL) answer, made before anything is
written, so a missing server ends a command with one clear line and nothing half done."""

from __future__ import annotations

__all__ = ["Unavailable", "check_postgres", "check_redis", "redis_connection"]


class Unavailable(Exception):
    """A server did not answer; the message is the one line an operator sees."""


def redis_connection(url: str):
    """A Redis connection for RQ (bytes in and out, as RQ expects)."""
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=5, socket_keepalive=True, health_check_interval=30)


def _need(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        raise Unavailable(f"queue mode needs {module}: pip install 'sdcrawl[scale]' (make setup installs it)") from None


def check_redis(url: str):
    """A Redis connection that answered PING; raises Unavailable otherwise."""
    for module in ("redis", "rq", "psycopg"):
        _need(module)
    from redis.exceptions import RedisError

    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise Unavailable(f"--queue must be a redis:// URL (redis://HOST:PORT/DB), not {url!r}")
    try:
        conn = redis_connection(url)
        conn.ping()
    except (RedisError, OSError, ValueError) as exc:
        raise Unavailable(f"Redis at {url} is unreachable: {_first_line(exc)}") from None
    return conn


def check_postgres(url: str | None) -> str:
    """The state URL, after a connection to it succeeded; raises Unavailable otherwise."""
    import psycopg

    from sdcrawl.store.backends.postgresql import connect, redact

    if not url:
        raise Unavailable("queue mode needs the state in PostgreSQL: set SDCRAWL_STATE_URL=postgresql://USER@HOST:PORT/DB")
    if not url.startswith(("postgresql://", "postgres://")):
        raise Unavailable(f"SDCRAWL_STATE_URL must be a postgresql:// URL, not {redact(url)}")
    try:
        connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        raise Unavailable(f"PostgreSQL at {redact(url)} is unreachable: {_first_line(exc)}") from None
    return url


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
